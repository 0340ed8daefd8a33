"""Reading a contact file (CSV, XLSX, XLS) into a table of text cells.

The table is what the platform sees: every cell as text (empty cells ``""``),
headers stripped, ``phone_number`` first, indexed by the row number the
operator sees in a spreadsheet (header = row 1, unless blank rows or a sheet's
empty area sit above it). Blank rows are dropped and the rows after them keep
their numbers. Nothing is rewritten: a CSV cell
``9876543210.0`` stays exactly that; repairs are offered later, never applied here.

Refusals are ``ContactFileError`` subclasses (the tree is drawn in
:mod:`batchcall.contacts.errors`).

Headers (``batchcall.contacts.headers``): a column with neither a header nor any value
(Excel's trailing columns, CSV trailing delimiters) is dropped silently. A column
with values but no header, or two columns with the same header, is refused: each
header becomes a ``{{variable}}`` of the agent's prompt, so it must be unique.

Sheets: without a choice, the first visible sheet with the phone column is read;
hidden sheets (lookup tables, old copies the operator never sees) only when no
visible sheet holds data. A sheet chosen by name or number is read, hidden or not.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

import pandas as pd

from batchcall.contacts.errors import (
    EmptyFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    SheetNotFoundError,
    UnreadableFileError,
    shown,
)
from batchcall.contacts.formats import ContactReader, open_reader
from batchcall.contacts.headers import (
    PHONE_COLUMN,
    check_headers,
    clean_header,
    grid_headers,
    title_row_error,
)
from batchcall.contacts.isolation import run_isolated
from batchcall.contacts.kinds import file_kind
from batchcall.contacts.phone_column import name_score, suggest_phone_columns

__all__ = [
    "LARGE_FILE_CEILING",
    "MAX_FILE_BYTES",
    "Source",
    "list_sheets",
    "load_source",
    "read_contacts",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The platform's limit, and what every read refuses above unless told otherwise."""
LARGE_FILE_CEILING = 100 * 1024 * 1024
"""The most any read accepts, even with an explicit ``max_bytes``: a list this large is
sent in parts of at most ``MAX_FILE_BYTES`` (``batchcall.work.parts``), and reading it
costs about ten times the memory and time of a 10 MB one."""

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


def load_source(
    source: Source, filename: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> tuple[bytes, str]:
    """Return the file's bytes and a display name, refusing files over ``max_bytes``.

    ``max_bytes`` above ``MAX_FILE_BYTES`` is the caller's explicit choice to read a list
    it will send in parts; it is capped at ``LARGE_FILE_CEILING``.
    """
    limit = _limit(max_bytes)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        name = filename or path.name
        try:
            _check_size(path.stat().st_size, name, limit)
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
            _check_size(size, name, limit)
        try:
            data = _read_stream(source, name, limit)
        except OSError as exc:
            raise UnreadableFileError(
                f"{name}: the upload could not be read ({exc}). Upload the file again."
            ) from exc
    _check_size(len(data), name, limit)
    return data, name


def _limit(max_bytes: int) -> int:
    """The limit a read enforces: ``max_bytes``, at most ``LARGE_FILE_CEILING``."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
    return min(max_bytes, LARGE_FILE_CEILING)


def _read_stream(stream: IO[bytes], name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """All of a stream from its start; over the limit, refused with its whole size."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        stream.seek(0)  # a stream someone already read: rewind it
    chunks: list[bytes] = []
    read = 0
    while read <= limit and (chunk := stream.read(limit + 1 - read)):
        chunks.append(chunk)
        read += len(chunk)
    if read > limit:
        _check_size(_stream_size(stream, read), name, limit)
    return b"".join(chunks)


def _check_size(size: int, name: str, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse ``size`` over ``limit``: the platform's 10 MB, a caller's own limit, or the
    ceiling no explicit limit passes."""
    if size <= limit:
        return
    stated = f"{name} is {size / 1024 / 1024:.2f} MB ({size:,} bytes)"
    if limit == MAX_FILE_BYTES:
        raise FileTooLargeError(
            f"{stated}; the platform accepts at most 10 MB ({MAX_FILE_BYTES:,} bytes). Split "
            "the list into smaller files, or remove columns the agent does not use."
        )
    if limit >= LARGE_FILE_CEILING:
        raise FileTooLargeError(
            f"{stated}; the workbench reads at most {LARGE_FILE_CEILING // 2**20} MB "
            f"({LARGE_FILE_CEILING:,} bytes) even when it sends a list in parts. Split the "
            f"list into files of {LARGE_FILE_CEILING // 2**20} MB or less, or remove columns "
            "the agent does not use."
        )
    raise FileTooLargeError(
        f"{stated}; this read allows at most {limit / 2**20:.2f} MB ({limit:,} bytes). "
        f"Raise the limit (up to {LARGE_FILE_CEILING // 2**20} MB: the list is then sent in "
        "parts of 10 MB), or split the list into smaller files."
    )


def _stream_size(stream: IO[bytes], read: int) -> int:
    """The whole size of a stream read up to just over the limit."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        return max(read, stream.seek(0, os.SEEK_END))
    while chunk := stream.read(1 << 20):
        read += len(chunk)
    return read


def list_sheets(
    source: Source, filename: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> list[str]:
    """Sheet names of a workbook, in order; ``[]`` for a CSV file."""
    data, name = load_source(source, filename, max_bytes=max_bytes)
    kind = file_kind(data, name)
    if kind == "csv":
        return []
    return run_isolated(_sheet_names, data, kind, name, name=name)


def _sheet_names(data: bytes, kind: str, name: str) -> list[str]:
    return open_reader(data, kind, name, grids=False).sheet_names()


def read_contacts(
    source: Source,
    filename: str | None = None,
    *,
    sheet: str | int | None = None,
    phone_column: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> pd.DataFrame:
    """Read a contact file into text cells indexed by spreadsheet row.

    ``sheet`` picks a workbook sheet by name or index (default: the first with a
    ``phone_number`` column, or with ``phone_column`` when given).
    ``phone_column`` names the header to use as the phone column.
    ``max_bytes``: files over it are refused. The default is the platform's 10 MB; a
    larger one (at most ``LARGE_FILE_CEILING``, 100 MB) reads a list to be sent in
    parts. A workbook's limits on what it opens to grow with its size on disk
    (:mod:`batchcall.contacts.formats.xlsx.guard`); Excel's rows and columns do not.
    """
    data, name = load_source(source, filename, max_bytes=max_bytes)
    if not data:
        raise EmptyFileError(f"{name} is empty. Upload a file with a header row and contacts.")
    kind = file_kind(data, name)
    if kind == "csv":  # Python and arrow only: its memory follows the file's size
        return _read(data, kind, name, sheet, phone_column)
    scale = max(1.0, len(data) / MAX_FILE_BYTES)  # a larger workbook may take longer
    return run_isolated(_read, data, kind, name, sheet, phone_column, name=name, scale=scale)


def _read(
    data: bytes, kind: str, name: str, sheet: str | int | None, phone_column: str | None
) -> pd.DataFrame:
    reader = open_reader(data, kind, name)
    phone_column = clean_header(phone_column or "") or None  # blank: no choice made
    wanted = phone_column or PHONE_COLUMN
    grid = _pick_sheet(reader, name, sheet, wanted) if reader.has_sheets else reader.grid()
    contacts = _to_contacts(grid, name, phone_column)
    contacts.attrs["sheet"] = grid.attrs.get("sheet")  # which sheet the default rule picked
    return contacts


def _pick_sheet(
    workbook: ContactReader, name: str, sheet: str | int | None, wanted: str
) -> pd.DataFrame:
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
    hidden = workbook.hidden_sheets() if len(names) > 1 else set()
    visible = [n for n in names if n not in hidden]
    # A hidden sheet is a workbook's lookup table or old copy, not what the operator sees:
    # read one only when no visible sheet holds anything.
    grid = _default_sheet(workbook, visible, wanted)
    if grid is None:
        grid = _default_sheet(workbook, [n for n in names if n in hidden], wanted)
    if grid is None:
        raise EmptyFileError(f"{name} has no data on any sheet. Add contacts and upload again.")
    return grid


def _default_sheet(workbook: ContactReader, names: list[str], wanted: str) -> pd.DataFrame | None:
    """The first sheet with ``wanted``, else with a phone-like header, else the first with data."""
    first_nonempty: pd.DataFrame | None = None
    likeliest: pd.DataFrame | None = None  # without phone_number: a phone-like header's sheet
    for sheet_name in names:
        grid = workbook.grid(sheet_name)
        if grid.empty:
            continue
        headers = grid_headers(grid)
        if wanted in headers:
            return grid
        if first_nonempty is None:
            first_nonempty = grid
        if likeliest is None and any(name_score(header) >= 0.5 for header in headers):
            likeliest = grid
    return likeliest if likeliest is not None else first_nonempty


def _to_contacts(grid: pd.DataFrame, name: str, phone_column: str | None) -> pd.DataFrame:
    """Header row -> column names; the rest -> contacts indexed by their row numbers."""
    if grid.empty:
        raise EmptyFileError(f"{name} has no rows. Add a header row and contacts.")
    headers = grid_headers(grid)
    body = grid.iloc[1:]
    body.columns = range(len(headers))
    keep = check_headers(grid, body, name)
    body = body[keep]
    body.columns = [headers[i] for i in keep]
    if (phone_column or PHONE_COLUMN) not in body.columns:
        title = title_row_error(grid, name, phone_column or PHONE_COLUMN)
        if title is not None:
            raise title
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


def _choose_phone_column(body: pd.DataFrame, name: str, phone_column: str | None) -> pd.DataFrame:
    if phone_column is None or phone_column == PHONE_COLUMN:
        if PHONE_COLUMN in body.columns:
            return body
        suggestions = suggest_phone_columns(body)
        hint = (
            f" It looks like '{shown(suggestions[0])}' holds the numbers: choose it as the phone "
            f"column, or rename that header to '{PHONE_COLUMN}'."
            if suggestions
            else f" Add a '{PHONE_COLUMN}' column with one number per contact."
        )
        raise MissingPhoneColumnError(
            f"{name} has no '{PHONE_COLUMN}' column (headers are case-sensitive).{hint}",
            suggestions=suggestions,
            columns=[str(c) for c in body.columns],
        )
    chosen = phone_column
    if chosen not in body.columns:
        raise MissingPhoneColumnError(
            f"{name} has no column named '{shown(chosen)}'. Columns found: "
            f"{', '.join(shown(str(c)) for c in body.columns)}. "
            "Choose the one that holds the phone numbers.",
            suggestions=suggest_phone_columns(body),
            columns=[str(c) for c in body.columns],
        )
    if PHONE_COLUMN in body.columns:
        raise UnreadableFileError(
            f"{name} already has a '{PHONE_COLUMN}' column besides '{shown(chosen)}'. Rename or "
            "delete one of them so the platform knows which number to call.",
            column=chosen,
            row=1,
        )
    return body.rename(columns={chosen: PHONE_COLUMN})
