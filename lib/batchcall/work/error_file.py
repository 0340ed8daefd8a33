"""The error file: failing rows out to a spreadsheet, corrected numbers back into the draft.

Why a round trip: the people who know the right numbers often work in Excel, not in
the workbench. The file lists each failing row under its own spreadsheet row number
with every original cell, why it fails, what to do, and an empty "Corrected number"
column. What comes back is read with the contact reader (its limits, its text cells)
and merged BY ROW NUMBER as ordinary edits: undoable, judged again at once. Only the
corrected number is taken; the annotation columns never reach the table, so they can
never become ``{{variables}}`` of the prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from batchcall.contacts import ContactFileError, MissingPhoneColumnError, read_contacts
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.contacts.read import Source
from batchcall.work.exports import xlsx_bytes
from batchcall.work.table import WorkTable

__all__ = [
    "ANNOTATIONS",
    "CORRECTED_HEADER",
    "ROW_HEADER",
    "Corrections",
    "ErrorFileError",
    "Merged",
    "error_file_bytes",
    "error_file_frame",
    "merge_corrections",
    "read_corrections",
]

ROW_HEADER = "Row in your file"
CORRECTED_HEADER = "Corrected number"
REASON_HEADER = "Why it fails"
HINT_HEADER = "What to do"
ANNOTATIONS = (ROW_HEADER, CORRECTED_HEADER, REASON_HEADER, HINT_HEADER)
"""The columns the workbench adds; an original column of the same name gets a suffix."""
_SUFFIX = " (workbench)"
_ROW_NUMBER = re.compile(r"^\s*(\d+)(?:\.0+)?\s*$")
"""A row number as typed, or as a spreadsheet program stored it (``12.0``)."""


class ErrorFileError(ContactFileError):
    """An uploaded error file that can not be merged: names the file and what to do."""


def _names(columns: pd.Index) -> dict[str, str]:
    """Each annotation's header in this file: suffixed where an original column has its name."""
    taken = set(map(str, columns))
    return {name: name + _SUFFIX if name in taken else name for name in ANNOTATIONS}


def error_file_frame(table: WorkTable) -> pd.DataFrame:
    """The failing rows as the error file shows them: row number, original phone cell,
    an empty corrected number, why, what to do, then every other original column."""
    failing = table.failing_rows()
    rows = failing.index
    original = table.original.loc[rows]
    names = _names(table.original.columns)
    frame = pd.DataFrame(
        {
            names[ROW_HEADER]: [str(row) for row in rows],
            PHONE_COLUMN: original[PHONE_COLUMN].to_numpy(dtype=object),
            names[CORRECTED_HEADER]: [""] * len(rows),
            names[REASON_HEADER]: failing["problem"].to_numpy(dtype=object),
            names[HINT_HEADER]: failing["hint"].to_numpy(dtype=object),
        },
        index=rows,
    )
    others = [column for column in original.columns if column != PHONE_COLUMN]
    return frame.join(original[others])


def error_file_bytes(table: WorkTable) -> bytes:
    """``error_file_frame`` as an XLSX of text cells (what is typed in stays text too)."""
    return xlsx_bytes(error_file_frame(table), sheet="errors")


@dataclass
class Corrections:
    """What an edited error file asks for, before it meets the table."""

    filename: str
    changes: list[tuple[int, str]] = field(default_factory=list)
    """(spreadsheet row of the contact list, corrected number), in the file's order."""
    empty: list[int] = field(default_factory=list)
    """Rows listed with no corrected number: left as they are."""
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    """(row of the error file, its row cell) where that cell is not a row number."""


def read_corrections(source: Source, filename: str | None = None) -> Corrections:
    """The corrected numbers of an error file (XLSX, or CSV saved from it).

    Raises ``ErrorFileError`` when the row or corrected-number column is missing,
    and the contact reader's ``ContactFileError`` for a file it refuses.
    """
    name = filename or str(source)
    try:
        grid = read_contacts(source, filename)
    except MissingPhoneColumnError:
        raise ErrorFileError(
            f"{name} has no '{PHONE_COLUMN}' column, so it is not the error file the "
            "workbench wrote (or that column was deleted). Download the error file again, "
            f"fill in '{CORRECTED_HEADER}' and keep the other columns as they are."
        ) from None
    headers = {
        wanted: next((h for h in (wanted + _SUFFIX, wanted) if h in grid.columns), None)
        for wanted in (ROW_HEADER, CORRECTED_HEADER)
    }
    for wanted, found in headers.items():
        if found is None:
            raise ErrorFileError(
                f"{name} has no '{wanted}' column. Keep the columns of the downloaded error "
                f"file as they are and type corrections under '{CORRECTED_HEADER}'.",
                row=1,
                column=wanted,
            )
    found_rows = grid[headers[ROW_HEADER]]
    corrected = grid[headers[CORRECTED_HEADER]]
    corrections = Corrections(name)
    for line, cell, value in zip(grid.index, found_rows, corrected, strict=True):
        match = _ROW_NUMBER.match(cell or "")
        if match is None:
            corrections.unreadable.append((int(line), cell))
        elif not (value or "").strip():
            corrections.empty.append(int(match.group(1)))
        else:
            corrections.changes.append((int(match.group(1)), value))
    return corrections


@dataclass
class Merged:
    """What merging did, row by row, for the summary the operator reads."""

    corrections: Corrections
    applied: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    """The corrected number is already the row's number."""
    unknown: list[int] = field(default_factory=list)
    """Row numbers this file does not have."""
    dropped: list[int] = field(default_factory=list)
    """Rows dropped since the error file was made: corrected, but still left out."""
    still_failing: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary, one sentence per kind of outcome, rows named."""
        applied = len(self.applied)
        noun = "correction" if applied == 1 else "corrections"
        said = [f"{applied:,} {noun} applied from {self.corrections.filename}."]
        parts = [
            (self.still_failing, "Still failing after the correction (fix them in the grid)"),
            (self.unknown, "Not rows of this file (check the row numbers)"),
            (self.corrections.empty, "No corrected number, left as they are"),
            (self.unchanged, "Already had that number"),
            (self.dropped, "Corrected but dropped, so still left out of the batch"),
        ]
        for rows, what in parts:
            if rows:
                said.append(f"{what}: {_count(rows)} ({_shown(rows)}).")
        if self.corrections.unreadable:
            lines = _shown([line for line, _ in self.corrections.unreadable])
            said.append(
                f"{len(self.corrections.unreadable):,} lines of the error file have no row "
                f"number in '{ROW_HEADER}' (its rows {lines}): keep that column as downloaded."
            )
        return said


def merge_corrections(table: WorkTable, corrections: Corrections) -> Merged:
    """Set each corrected number on its row, as ONE undoable edit judged again at once."""
    merged = Merged(corrections)
    wanted: dict[int, str] = {}
    for row, value in corrections.changes:  # a row listed twice: the last one counts
        if row not in table.original.index:
            merged.unknown.append(row)
        else:
            wanted[row] = value
    current = table.current[PHONE_COLUMN]
    for row, value in wanted.items():
        (merged.unchanged if current.at[row] == value else merged.applied).append(row)
    changes = {row: {PHONE_COLUMN: wanted[row]} for row in merged.applied}
    table.edit(changes, f"Corrections from {corrections.filename}", bulk=True)
    failing = set(table.report.failing.index)
    merged.still_failing = [row for row in merged.applied if row in failing]
    merged.dropped = [row for row in merged.applied if row in table.dropped]
    return merged


def _count(rows: list[int]) -> str:
    return f"{len(rows):,} row" + ("" if len(rows) == 1 else "s")


def _shown(rows: list[int], limit: int = 20) -> str:
    return ", ".join(map(str, rows[:limit])) + (" …" if len(rows) > limit else "")
