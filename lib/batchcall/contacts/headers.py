"""The header row of a contact file: its names, and refusals that explain a wrong one.

Header names lose whitespace and invisible characters at their edges (a zero-width
space or a second BOM glued to "phone_number" by another program, a non-breaking
space): they are invisible in every spreadsheet, and each header becomes a
``{{variable}}``. Inside a name they stay, and messages show them escaped.

The platform reads the first row as the header, so a title row above it ("Customer
list, May") is refused, never skipped; the refusal says so instead of blaming the
columns it leaves without a name. A row with more than ``MAX_COLUMNS`` values is
refused too: a contact list has one contact per row and a column per variable, and
that many columns mean numbers pasted on one line or the wrong delimiter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from batchcall.contacts.cells import column_letter
from batchcall.contacts.errors import UnreadableFileError, shown

PHONE_COLUMN = "phone_number"
MAX_COLUMNS = 1_000
TITLE_CELLS = 2  # a title row fills at most this many cells
_SEARCHED_ROWS = 20  # rows below a title where the column names may start
_EDGES = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")
_NUMERIC = re.compile(r"^[\d\s+().,:/\-]*\d[\d\s+().,:/\-]*$")


def clean_header(value: object) -> str:
    """A header cell as a name: whitespace and zero-width characters trimmed at the edges."""
    return _EDGES.sub("", str(value))


def grid_headers(grid: pd.DataFrame) -> list[str]:
    return [clean_header(cell) for cell in grid.iloc[0]]


def too_many_columns(name: str, row: int, count: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"{name} has {count:,} columns in row {row}; a contact list has one contact per row "
        f"and a column per variable, at most {MAX_COLUMNS:,}. Were the numbers all put on one "
        "line, or was the file saved with the wrong delimiter? Put each contact on its own "
        "row below a header row and upload again.",
        row=row,
    )


def check_headers(grid: pd.DataFrame, body: pd.DataFrame, name: str) -> list[int]:
    """Columns to keep; refuse unnamed columns with values, duplicate names, too many names."""
    headers = grid_headers(grid)
    offset = grid.attrs.get("first_column", 0)
    header_row = int(grid.index[0])
    named = sum(1 for header in headers if header)
    if named > MAX_COLUMNS:
        raise too_many_columns(name, header_row, named)
    keep: list[int] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        letter = column_letter(position + offset)
        if not header:
            filled = body[position] != ""
            if filled.any():
                raise title_row_error(grid, name) or UnreadableFileError(
                    f"{name}: column {letter} has values (first in row {int(filled.idxmax())}) "
                    f"but no header. Give it a name in row {header_row} (it becomes a "
                    "{{variable}}) or delete it.",
                    column=letter,
                    row=header_row,
                )
            continue
        if header in seen:
            first = column_letter(seen[header] + offset)
            raise UnreadableFileError(
                f"{name}: columns {first} and {letter} are both named '{shown(header)}'. Each "
                "header becomes a {{variable}} for the agent, so rename or delete one of them.",
                column=letter,
                row=header_row,
            )
        seen[header] = position
        keep.append(position)
    return keep


def title_row_error(
    grid: pd.DataFrame, name: str, wanted: str | None = None
) -> UnreadableFileError | None:
    """The refusal for a title row above the header, or None when the top row is no title.

    The first row is a title when it fills at most ``TITLE_CELLS`` cells and a row below
    it looks like column names: one holding ``wanted`` (the phone column's header), or,
    without ``wanted``, one filling more cells, none of them a number or a date.
    """
    rows = []  # (row number, filled cells), from the first row that fills any
    for number, *cells in grid.head(_SEARCHED_ROWS + 50).itertuples():
        filled = [text for text in map(clean_header, cells) if text]
        if filled or rows:
            rows.append((int(number), filled))
        if len(rows) > _SEARCHED_ROWS:
            break
    if not rows:
        return None
    title_row, title = rows[0]
    if len(title) > TITLE_CELLS or {PHONE_COLUMN, wanted} & set(title):
        return None
    for number, filled in rows[1:]:
        if wanted is not None:
            found = wanted in filled
        else:
            found = len(filled) > len(title) and not any(_NUMERIC.match(c) for c in filled)
        if found:
            return _title_refusal(name, title_row, title, number)
    return None


def _title_refusal(
    name: str, row: int, title: Sequence[str], header_row: int
) -> UnreadableFileError:
    quoted = " and ".join(f"'{shown(cell)}'" for cell in title)
    return UnreadableFileError(
        f"{name}: row {row} holds only {quoted} and the column names seem to start in row "
        f"{header_row}. Delete the rows above the header (the header must be the first row) "
        "and upload again.",
        row=row,
    )
