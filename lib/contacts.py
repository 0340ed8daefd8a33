"""Reading a contact file (CSV, XLSX, XLS) into a table of text cells.

The table is what the platform sees: every cell as text (empty cells ``""``),
headers stripped, ``phone_number`` first, indexed by the row number the
operator sees in a spreadsheet (header = row 1, unless blank rows or a sheet's
empty area sit above it). Blank rows are dropped and the rows after them keep
their numbers. Nothing is rewritten: a CSV cell
``9876543210.0`` stays exactly that; repairs are offered later, never applied here.

Refusals are ``ContactFileError`` subclasses whose message says what is wrong
and what to do::

    ContactFileError (ValueError)
     ├── FileTooLargeError          over MAX_FILE_BYTES
     ├── UnsupportedFileTypeError   not .csv / .xlsx / .xls
     ├── EmptyFileError             no contact rows
     ├── UnreadableFileError        corrupt, encrypted, not what its extension says,
     │                              duplicate or unnamed columns, ragged CSV rows,
     │                              a CSV quote that is never closed
     ├── SheetNotFoundError         the chosen sheet does not exist
     └── MissingPhoneColumnError    no ``phone_number`` header; ``.suggestions``

Headers: a column with neither a header nor any value (Excel's trailing
columns, CSV trailing delimiters) is dropped silently. A column with values but
no header, or two columns with the same header, is refused: each header
becomes a ``{{variable}}`` of the agent's prompt, so it must be unique.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pandas as pd

from lib import sheets
from lib.contact_errors import (
    ContactFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    SheetNotFoundError,
    UnreadableFileError,
    UnsupportedFileTypeError,
    column_letter,
)
from lib.csv_grid import read_csv_grid
from lib.phone_column import name_score, suggest_phone_columns

__all__ = [
    "MAX_FILE_BYTES",
    "PHONE_COLUMN",
    "ContactFileError",
    "EmptyFileError",
    "FileTooLargeError",
    "MissingPhoneColumnError",
    "SheetNotFoundError",
    "UnreadableFileError",
    "UnsupportedFileTypeError",
    "list_sheets",
    "load_source",
    "read_contacts",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
PHONE_COLUMN = "phone_number"

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


def load_source(source: Source, filename: str | None = None) -> tuple[bytes, str]:
    """Return the file's bytes and a display name, refusing files over the limit."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        name = filename or path.name
        try:
            _check_size(path.stat().st_size, name)
            return path.read_bytes(), name
        except OSError as exc:
            raise UnreadableFileError(
                f"{name}: cannot open the file ({exc.strerror}). Check the path and upload again."
            ) from exc
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = filename or "upload"
    else:
        name = filename or os.path.basename(str(getattr(source, "name", "") or "upload"))
        size = getattr(source, "size", None)
        if isinstance(size, int):
            _check_size(size, name)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_FILE_BYTES + 1)
    _check_size(len(data), name)
    return data, name


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(
            f"{name} is {size / 1024 / 1024:.1f} MB; the platform accepts at most 10 MB. "
            "Split the list into smaller files, or remove columns the agent does not use."
        )


def list_sheets(source: Source, filename: str | None = None) -> list[str]:
    """Sheet names of a workbook, in order; ``[]`` for a CSV file."""
    data, name = load_source(source, filename)
    kind = sheets.file_kind(data, name)
    return [] if kind == "csv" else sheets.workbook_sheet_names(data, kind, name)


def read_contacts(
    source: Source,
    filename: str | None = None,
    *,
    sheet: str | int | None = None,
    phone_column: str | None = None,
) -> pd.DataFrame:
    """Read a contact file into text cells indexed by spreadsheet row.

    ``sheet`` picks a workbook sheet by name or index (default: the first with a
    ``phone_number`` column, or with ``phone_column`` when given).
    ``phone_column`` names the header to use as the phone column.
    """
    data, name = load_source(source, filename)
    if not data:
        raise EmptyFileError(f"{name} is empty. Upload a file with a header row and contacts.")
    kind = sheets.file_kind(data, name)
    phone_column = (phone_column or "").strip() or None  # blank: no choice made
    wanted = phone_column or PHONE_COLUMN
    if kind == "csv":
        grid = read_csv_grid(data, name)
    else:
        grid = _pick_sheet(data, kind, name, sheet, wanted)
    contacts = _to_contacts(grid, name, phone_column)
    contacts.attrs["sheet"] = grid.attrs.get("sheet")  # which sheet the default rule picked
    return contacts


def _pick_sheet(
    data: bytes, kind: str, name: str, sheet: str | int | None, wanted: str
) -> pd.DataFrame:
    workbook = sheets.Workbook(data, kind, name)  # opened once for the names and the grids
    names = workbook.sheet_names()
    if sheet is not None:
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise SheetNotFoundError(
                    f"{name} has {len(names)} sheet(s); there is no sheet number {sheet + 1}. "
                    f"Choose one of: {', '.join(names)}."
                )
            sheet = names[sheet]
        if sheet not in names:
            raise SheetNotFoundError(
                f"{name} has no sheet named '{sheet}'. Choose one of: {', '.join(names)}."
            )
        return workbook.grid(sheet)
    first_nonempty: pd.DataFrame | None = None
    likeliest: pd.DataFrame | None = None  # without phone_number: a phone-like header's sheet
    for sheet_name in names:
        grid = workbook.grid(sheet_name)
        if grid.empty:
            continue
        headers = _headers(grid)
        if wanted in headers:
            return grid
        if first_nonempty is None:
            first_nonempty = grid
        if likeliest is None and any(name_score(header) >= 0.5 for header in headers):
            likeliest = grid
    if first_nonempty is None:
        raise EmptyFileError(f"{name} has no data on any sheet. Add contacts and upload again.")
    return likeliest if likeliest is not None else first_nonempty


def _headers(grid: pd.DataFrame) -> list[str]:
    return [str(cell).strip() for cell in grid.iloc[0]]


def _to_contacts(grid: pd.DataFrame, name: str, phone_column: str | None) -> pd.DataFrame:
    """Header row -> column names; the rest -> contacts indexed by their row numbers."""
    if grid.empty:
        raise EmptyFileError(f"{name} has no rows. Add a header row and contacts.")
    headers = _headers(grid)
    body = grid.iloc[1:]
    body.columns = range(len(headers))
    keep = _check_headers(headers, body, name, grid.attrs.get("first_column", 0))
    body = body[keep]
    body.columns = [headers[i] for i in keep]
    blank = (body == "").all(axis=1)
    body = body[~blank]
    if body.empty:
        raise EmptyFileError(
            f"{name} has a header row but no contacts. Add one row per contact below the header."
        )
    body = _choose_phone_column(body, name, phone_column)
    order = [PHONE_COLUMN, *(c for c in body.columns if c != PHONE_COLUMN)]
    body = body[order]
    body.index.name = "row"
    return body


def _check_headers(headers: list[str], body: pd.DataFrame, name: str, offset: int) -> list[int]:
    """Columns to keep; refuse unnamed columns with values and duplicate names."""
    keep: list[int] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        letter = column_letter(position + offset)
        if not header:
            filled = body[position] != ""
            if filled.any():
                example_row = int(filled.idxmax())
                raise UnreadableFileError(
                    f"{name}: column {letter} has values (first in row {example_row}) but no "
                    "header. Give it a name in row 1 (it becomes a {{variable}}) or delete it.",
                    column=letter,
                    row=1,
                )
            continue
        if header in seen:
            first = column_letter(seen[header] + offset)
            raise UnreadableFileError(
                f"{name}: columns {first} and {letter} are both named '{header}'. Each header "
                "becomes a {{variable}} for the agent, so rename or delete one of them.",
                column=letter,
                row=1,
            )
        seen[header] = position
        keep.append(position)
    return keep


def _choose_phone_column(body: pd.DataFrame, name: str, phone_column: str | None) -> pd.DataFrame:
    if phone_column is None or phone_column == PHONE_COLUMN:
        if PHONE_COLUMN in body.columns:
            return body
        suggestions = suggest_phone_columns(body)
        hint = (
            f" It looks like '{suggestions[0]}' holds the numbers: choose it as the phone "
            f"column, or rename that header to '{PHONE_COLUMN}'."
            if suggestions
            else f" Add a '{PHONE_COLUMN}' column with one number per contact."
        )
        raise MissingPhoneColumnError(
            f"{name} has no '{PHONE_COLUMN}' column (headers are case-sensitive).{hint}",
            suggestions=suggestions,
            columns=[str(c) for c in body.columns],
        )
    chosen = phone_column.strip()
    if chosen not in body.columns:
        raise MissingPhoneColumnError(
            f"{name} has no column named '{chosen}'. Columns found: {', '.join(body.columns)}. "
            "Choose the one that holds the phone numbers.",
            suggestions=suggest_phone_columns(body),
            columns=[str(c) for c in body.columns],
        )
    if PHONE_COLUMN in body.columns:
        raise UnreadableFileError(
            f"{name} already has a '{PHONE_COLUMN}' column besides '{chosen}'. Rename or delete "
            f"one of them so the platform knows which number to call.",
            column=chosen,
            row=1,
        )
    return body.rename(columns={chosen: PHONE_COLUMN})
