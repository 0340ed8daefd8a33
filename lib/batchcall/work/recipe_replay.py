"""Replaying a recipe on a working table as one undoable action, and the file it writes.

Why the cleaned file lives here too: ``batchcall fix --recipe`` replays, then writes the
active rows; both must give the same bytes for the same file and recipe every run.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.checks.duplicates import resolve_duplicates
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import Reason
from batchcall.work.exports import submission_csv, xlsx_bytes
from batchcall.work.recipe_format import Recipe, Step
from batchcall.work.table import Action, WorkTable


@dataclass
class Replayed:
    """What a replay did, step by step, in the operator's words, and the columns to rename."""

    lines: list[str] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    edits_applied: int = 0
    edits_not_found: int = 0


def replay(table: WorkTable, recipe: Recipe, label: str = "Apply recipe") -> Replayed:
    """Run ``recipe`` on ``table`` as ONE undoable action; a value not in the file is counted.

    The action keeps the recipe's steps, so a recipe built from this table later holds
    them as they were, not the cells they happened to change here.
    """
    before = len(table.history)
    done = Replayed()
    for step in recipe.steps:
        done.lines.append(_STEPS[step["step"]](table, step, done))
    actions = table.history[before:]
    if actions:
        merged = Action(label, bulk=True, steps=recipe.steps)
        for action in actions:  # each row's state before the first action that touched it
            for row, previous in action.previous_edits.items():
                merged.previous_edits.setdefault(row, previous)
            for row, was in action.previous_dropped.items():
                merged.previous_dropped.setdefault(row, was)
        table.history[before:] = [merged]
    return done


def apply_recipe(
    contacts: pd.DataFrame,
    recipe: Recipe,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> WorkTable:
    """A working table of ``contacts`` (as ``read_contacts`` returns them) with ``recipe``
    replayed; ``replay`` on your own table gives the summary and the columns to rename."""
    table = WorkTable(contacts, route, config)
    replay(table, recipe)
    return table


def _apply_fixes(table: WorkTable, step: Step, done: Replayed) -> str:
    reason = step.get("reason")
    fixed = table.apply_fixes(reason)
    return f"Suggested fixes ({_title(reason)}): {_rows(fixed)} fixed"


def _drop_failing(table: WorkTable, step: Step, done: Replayed) -> str:
    dropped = table.drop_reason(step["reason"], step.get("country"))
    where = f" ({step['country']})" if step.get("country") else ""
    return f"Rows failing for {_title(step['reason'])}{where}: {_rows(dropped)} dropped"


def _resolve_duplicates(table: WorkTable, step: Step, done: Replayed) -> str:
    e164 = table.report.rows["e164"].dropna()
    firsts = pd.Series(e164.index, index=e164.index).groupby(e164.to_numpy()).transform("first")
    repeats = firsts[firsts != firsts.index]
    frame = pd.DataFrame({"duplicate_of": repeats}).reindex(table.report.rows.index)
    dropped = table.drop(resolve_duplicates(frame, step["keep"]), "Drop repeated numbers")
    return f"Repeated numbers, keeping {step['keep']}: {_rows(dropped)} dropped"


def _suppress_dnc(table: WorkTable, step: Step, done: Replayed) -> str:
    e164 = table.report.rows["e164"]
    listed = [int(row) for row in e164.index[e164.isin(step["numbers"])]]
    dropped = table.drop(listed, "Drop do-not-call numbers")
    return f"Do-not-call list ({len(step['numbers']):,} numbers): {_rows(dropped)} dropped"


def _map_columns(table: WorkTable, step: Step, done: Replayed) -> str:
    """Only columns this file has, and only to names no other column already holds."""
    columns = set(table.original.columns)
    usable = {c: name for c, name in step["columns"].items() if c in columns and c != PHONE_COLUMN}
    clash = {c for c, name in usable.items() if name in columns - {c}}
    found = {column: name for column, name in usable.items() if column not in clash}
    done.rename.update(found)
    mapped = ", ".join(f"{column} → {{{{{name}}}}}" for column, name in found.items())
    text = f"Columns mapped to variables: {mapped or 'none'}"
    missing = [column for column in step["columns"] if column not in columns]
    if missing:
        text += f"; not in this file: {', '.join(missing)}"
    if clash:
        text += f"; not mapped, another column has that name: {', '.join(sorted(clash))}"
    return text


def _edit_rows(table: WorkTable, step: Step, done: Replayed) -> str:
    phones = table.original[PHONE_COLUMN]
    matched = phones[phones.isin(list(step["edits"]))]
    columns, skipped = set(table.original.columns), set()
    changes: dict[int, dict[str, str]] = {}
    for row, value in matched.items():
        for column, text in step["edits"][value].items():
            if column in columns:
                changes.setdefault(int(row), {})[column] = text
            else:
                skipped.add(column)
    table.edit(changes, "Edit rows by number")
    found = set(matched)
    done.edits_applied += len(found)
    done.edits_not_found += len(step["edits"]) - len(found)
    missing = len(step["edits"]) - len(found)
    noun = "edit" if len(found) == 1 else "edits"
    text = (
        f"{len(found):,} {noun} applied ({_rows(len(matched))}), {missing:,} not found in this file"
    )
    return text + (f"; columns not in this file: {', '.join(sorted(skipped))}" if skipped else "")


def _drop_numbers(table: WorkTable, step: Step, done: Replayed) -> str:
    phones = table.original[PHONE_COLUMN]
    matched = phones[phones.isin(step["numbers"])]
    dropped = table.drop([int(row) for row in matched.index], "Drop rows by number")
    missing = len(step["numbers"]) - matched.nunique()
    return f"Rows dropped by number: {_rows(dropped)} dropped, {missing:,} not found in this file"


_STEPS: dict[str, Callable[[WorkTable, Step, Replayed], str]] = {
    "apply_fixes": _apply_fixes,
    "drop_failing": _drop_failing,
    "resolve_duplicates": _resolve_duplicates,
    "suppress_dnc": _suppress_dnc,
    "map_columns": _map_columns,
    "edit_rows": _edit_rows,
    "drop_numbers": _drop_numbers,
}


def _title(reason: str | None) -> str:
    return Reason(reason).title if reason else "every reason"


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


# ------------------------------------------------------------ the file a replay writes


def cleaned_bytes(table: WorkTable, suffix: str, rename: Mapping[str, str] | None = None) -> bytes:
    """The active rows as ``.csv`` (exactly what Submit sends) or ``.xlsx``, headers renamed
    as the recipe maps them: the same file and recipe give these same bytes every time."""
    rows = table.active.rename(columns=dict(rename or {}))
    if suffix == ".csv":
        return submission_csv(rows)
    return _fixed_zip_times(xlsx_bytes(rows))


_DOS_1980_01_01 = 33  # ((1980 - 1980) << 9) | (1 << 5) | 1; the time is 00:00:00


def _fixed_zip_times(data: bytes) -> bytes:
    """The workbook with every member dated 1980-01-01 00:00, its only varying bytes.

    Why patch: the zip writer stamps each part with the clock, so two runs a second apart
    differed. The dates sit at fixed offsets of each local header and central directory
    entry, outside every checksum, so this is exact and touches no compressed data.
    """
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.start_dir
        for info in archive.infolist():
            struct.pack_into("<HH", patched, info.header_offset + 10, 0, _DOS_1980_01_01)
            struct.pack_into("<HH", patched, entry + 12, 0, _DOS_1980_01_01)
            name, extra, comment = struct.unpack_from("<HHH", patched, entry + 28)
            entry += 46 + name + extra + comment
    return bytes(patched)
