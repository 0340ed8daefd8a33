"""Building a recipe from a working table's history, keyed by each row's original number.

Why apart from replaying: building reads the undo log backwards to learn each row's
state after every action, which replaying never needs; replaying changes a table,
which building never does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.work.recipe_format import Recipe, Step
from batchcall.work.table import WorkTable


def build_recipe(
    table: WorkTable,
    *,
    rename: Mapping[str, str] | None = None,
    keep: str | None = None,
    dnc_numbers: Iterable[str] | None = None,
) -> Recipe:
    """The operator's work on ``table`` as a recipe, in the order it was done.

    Actions that were more than their cells ("apply fixes for a reason", a replayed
    recipe) are kept as those steps; plain edits and drops become ``edit_rows`` and
    ``drop_numbers`` keyed by each row's original phone cell. Work restored from a
    draft has no history, so it comes first, as edits and drops. ``rename``, ``keep``
    and ``dnc_numbers`` are Submit's choices, added at the end when given.
    """
    steps: list[Step] = []
    left_out: set[int] = set()
    original = table.original
    phones = original[PHONE_COLUMN]
    before, after_edits, after_drops = _timeline(table)
    counts: dict[str, dict[str, int]] = {}  # built on the first drop: most recipes have none

    def shared_with_kept_row(value: str) -> bool:
        if not counts:
            counts["all"] = phones.value_counts().to_dict()
            counts["dropped"] = phones.loc[sorted(table.dropped)].value_counts().to_dict()
        return counts["all"].get(value) != counts["dropped"].get(value)

    def add_edits(changes: Mapping[int, Mapping[str, str]]) -> None:
        edits: dict[str, dict[str, str]] = {}
        for row, cells in sorted(changes.items()):
            if cells and phones.at[row] == "":
                left_out.add(row)
            elif cells:
                edits.setdefault(phones.at[row], {}).update(cells)
        if edits and steps and steps[-1]["step"] == "edit_rows":
            for key, cells in edits.items():
                steps[-1]["edits"].setdefault(key, {}).update(cells)
        elif edits:
            steps.append({"step": "edit_rows", "edits": edits})

    def add_drops(rows: Iterable[int]) -> None:
        numbers = []
        for row in rows:
            value = phones.at[row]
            if value == "" or shared_with_kept_row(value):
                left_out.add(row)  # dropping by value would take rows the operator kept
            else:
                numbers.append(value)
        if numbers and steps and steps[-1]["step"] == "drop_numbers":
            steps[-1]["numbers"].extend(numbers)
        elif numbers:
            steps.append({"step": "drop_numbers", "numbers": numbers})

    base_edits, base_drops = before
    add_edits(base_edits)
    add_drops(sorted(base_drops & table.dropped))
    for number, action in enumerate(table.history):
        if action.steps:
            steps.extend(copy.deepcopy(step) for step in action.steps)  # later merges edit them
            continue
        changes: dict[int, dict[str, str]] = {}
        for row, previous in action.previous_edits.items():
            was, now = previous or {}, after_edits[number][row] or {}
            for column in set(was) | set(now):
                value = now.get(column, original.at[row, column])
                if value != was.get(column, original.at[row, column]):
                    changes.setdefault(row, {})[column] = value
        add_edits(changes)
        dropped = after_drops[number]
        add_drops(r for r, was in sorted(action.previous_dropped.items()) if dropped[r] and not was)
    if keep is not None and keep != "all":
        steps.append({"step": "resolve_duplicates", "keep": keep})
    if dnc_numbers:
        steps.append({"step": "suppress_dnc", "numbers": list(dnc_numbers)})
    if rename:
        steps.append({"step": "map_columns", "columns": dict(rename)})
    return Recipe(tuple(steps), left_out=tuple(sorted(left_out)))


Timeline = tuple[
    tuple[dict[int, dict[str, str]], set[int]],
    list[dict[int, dict[str, str] | None]],
    list[dict[int, bool]],
]


def _timeline(table: WorkTable) -> Timeline:
    """(edits and drops before the first action, each action's edits after it, its drops after).

    Why walk backwards: an action records each row's state *before* it, so a row's state
    after action i is its state before the next action touching it (or the table's now).
    """
    history = table.history
    later_edits: dict[int, dict[str, str] | None] = {}
    later_drops: dict[int, bool] = {}
    after_edits: list[dict[int, dict[str, str] | None]] = [{} for _ in history]
    after_drops: list[dict[int, bool]] = [{} for _ in history]
    for number in reversed(range(len(history))):
        action = history[number]
        for row in action.previous_edits:
            after_edits[number][row] = (
                later_edits[row] if row in later_edits else table.edits.get(row)
            )
        for row in action.previous_dropped:
            after_drops[number][row] = later_drops.get(row, row in table.dropped)
        later_edits.update(action.previous_edits)
        later_drops.update(action.previous_dropped)
    base_edits = {row: cells for row, cells in table.edits.items() if row not in later_edits}
    base_edits.update({row: cells for row, cells in later_edits.items() if cells})
    base_drops = {row for row in table.dropped if row not in later_drops}
    base_drops |= {row for row, dropped in later_drops.items() if dropped}
    return (base_edits, base_drops), after_edits, after_drops
