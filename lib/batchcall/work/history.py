"""The undo history of a working table, and its form in a draft.

Why a module of its own: a browser refresh rebuilds the working table from its
draft, and an operator who refreshes (or whose connection dropped) expects Undo
to take back the same last actions as before, in the same order. So every
``Action`` is written into the draft as plain JSON and read back, checked,
with the draft. What can not be read back (an old draft, a damaged entry, a row
the file no longer has) gives no history rather than a wrong one: undoing with a
wrong "previous value" would silently change a cell the operator never touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

KEPT_ACTIONS = 50
"""How many of the last actions a draft keeps: enough to undo a session's worth of work,
few enough that saving after every change stays quick."""


@dataclass
class Action:
    """What one change did, enough to undo it."""

    label: str
    previous_edits: dict[int, dict[str, str] | None] = field(default_factory=dict)
    previous_dropped: dict[int, bool] = field(default_factory=dict)
    bulk: bool = False
    steps: tuple[dict[str, Any], ...] = ()
    """What the operator asked for, as recipe steps (``work.recipe``), when it was more
    than the cells it changed ("apply fixes for a reason"): replayable on another file."""


def history_to_json(history: Sequence[Action]) -> list[dict[str, Any]]:
    """The last ``KEPT_ACTIONS`` actions as JSON data, oldest first.

    Drops are stored as two row lists (rows that were kept, rows that were dropped
    before the action) rather than one entry per row: a bulk drop of thousands of
    rows stays a short line in the draft.
    """
    return [_action_to_json(action) for action in history[-KEPT_ACTIONS:]]


def history_from_json(data: Any, rows: Iterable[int], columns: Iterable[str]) -> list[Action]:
    """Actions read back from a draft; an empty list when any entry is not one we wrote.

    ``rows`` and ``columns`` are the file's: an action naming anything else belongs
    to another file (or a damaged draft), and the whole history is set aside.
    """
    if not isinstance(data, list):
        return []
    known_rows, known_columns = set(rows), set(columns)
    actions: list[Action] = []
    for entry in data[-KEPT_ACTIONS:]:
        action = _action_from_json(entry, known_rows, known_columns)
        if action is None:
            return []
        actions.append(action)
    return actions


def _action_to_json(action: Action) -> dict[str, Any]:
    was_dropped = sorted(row for row, dropped in action.previous_dropped.items() if dropped)
    was_kept = sorted(row for row, dropped in action.previous_dropped.items() if not dropped)
    return {
        "label": action.label,
        "bulk": action.bulk,
        "steps": [dict(step) for step in action.steps],
        "previous_edits": {
            str(row): None if cells is None else dict(cells)
            for row, cells in action.previous_edits.items()
        },
        "was_dropped": was_dropped,
        "was_kept": was_kept,
    }


def _action_from_json(entry: Any, rows: set[int], columns: set[str]) -> Action | None:
    """One stored action, or None when it is not exactly what ``_action_to_json`` writes."""
    if not isinstance(entry, dict):
        return None
    label, bulk, steps = entry.get("label"), entry.get("bulk", False), entry.get("steps", [])
    edits, dropped = entry.get("previous_edits", {}), entry.get("was_dropped", [])
    kept = entry.get("was_kept", [])
    if not (
        isinstance(label, str)
        and isinstance(bulk, bool)
        and isinstance(steps, list)
        and all(isinstance(step, dict) for step in steps)
        and isinstance(edits, dict)
        and _rows(dropped, rows)
        and _rows(kept, rows)
    ):
        return None
    previous_edits: dict[int, dict[str, str] | None] = {}
    for key, cells in edits.items():
        row = _row(key)
        if row not in rows or not _cells(cells, columns):
            return None
        previous_edits[row] = None if cells is None else dict(cells)
    previous_dropped = {row: True for row in dropped} | {row: False for row in kept}
    copied = tuple(json.loads(json.dumps(step)) for step in steps)  # nothing shared
    return Action(label, previous_edits, previous_dropped, bulk, copied)


def _row(key: Any) -> int | None:
    return int(key) if isinstance(key, str) and key.isdigit() else None


def _rows(values: Any, rows: set[int]) -> bool:
    return isinstance(values, list) and all(
        isinstance(row, int) and not isinstance(row, bool) and row in rows for row in values
    )


def _cells(cells: Any, columns: set[str]) -> bool:
    if cells is None:
        return True
    return isinstance(cells, dict) and all(
        isinstance(column, str) and column in columns and isinstance(value, str)
        for column, value in cells.items()
    )
