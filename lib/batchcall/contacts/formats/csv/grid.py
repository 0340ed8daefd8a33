"""CSV bytes -> a grid of text cells, numbered by record as a spreadsheet shows them.

The text, its delimiter and Excel's ``sep=`` line come from ``batchcall.contacts.formats.csv.text``.
Records are counted as records, not physical lines: a quoted cell may span lines,
and blank lines keep their numbers. A row with more than ``MAX_COLUMNS`` values is
refused before the grid is built: tens of thousands of columns (numbers pasted on
one line) would take a minute to read and then be refused for the wrong reason.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator
from itertools import islice

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from batchcall.contacts.cells import column_letter
from batchcall.contacts.errors import UnreadableFileError
from batchcall.contacts.formats.csv.text import (
    DELIMITERS,
    decode_text,
    detect_delimiter,
    split_sep_line,
)
from batchcall.contacts.headers import MAX_COLUMNS, title_row_error, too_many_columns
from batchcall.contacts.phone_column import looks_like_phone
from batchcall.text import as_arrow_text

_CHECKED_RECORDS = 50  # the top records checked for a row of pasted numbers


def read_csv_grid(data: bytes, name: str) -> pd.DataFrame:
    """CSV bytes -> grid; row numbers count records, blank ones included."""
    stated, text = split_sep_line(decode_text(data, name))
    blank_lines = _LEADING_BLANK_LINES.match(text)  # above the header: keep their numbers
    skipped = len(_LINE_BREAK.findall(blank_lines.group()))
    text = text[blank_lines.end() :]
    delimiter = stated or detect_delimiter(text)
    _check_top_rows(text, delimiter, name, 1 + skipped)
    grid = _read_plain_csv(text, delimiter)
    if grid is None:
        grid = _read_quoted_csv(text, delimiter, name, skipped)
        if grid is None:
            return pd.DataFrame()
    grid.index = pd.RangeIndex(1 + skipped, len(grid) + 1 + skipped)
    if '"' in text:
        _check_swallowed_rows(grid, text, delimiter, name)
    return _drop_leading_blank_records(grid)


def _check_top_rows(text: str, delimiter: str, name: str, first_row: int) -> None:
    """Refuse a top row of more than MAX_COLUMNS values, split by the delimiter or by another."""
    sample = text[:65536]
    others = [d for d in DELIMITERS if d != delimiter]
    try:
        for index, record in enumerate(islice(_records(sample, delimiter), _CHECKED_RECORDS)):
            if len(record) > MAX_COLUMNS:
                record = _record(text, delimiter, index)  # the sample may cut it short
                _refuse_wide_record(record, name, first_row + index)
            joined = "\n".join(record)
            for other in others:
                if joined.count(other) < MAX_COLUMNS:
                    continue  # no cell can hold that many
                for position, cell in enumerate(record):
                    if cell.count(other) >= MAX_COLUMNS:
                        cell = _record(text, delimiter, index)[position]
                        _refuse_pasted_cell(cell, other, name, first_row + index)
    except csv.Error:  # a malformed sample is refused or read by the parsers below
        pass


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    """The text's records, as Python's csv module splits them."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _record(text: str, delimiter: str, index: int) -> list[str]:
    return next(islice(_records(text, delimiter), index, None), [])


def _refuse_wide_record(record: list[str], name: str, row: int) -> None:
    """Refuse a record of more than MAX_COLUMNS values (blank cells do not count)."""
    count = sum(1 for cell in record if cell.strip())
    if count > MAX_COLUMNS:
        raise too_many_columns(name, row, count)


def _refuse_pasted_cell(cell: str, separator: str, name: str, row: int) -> None:
    count = sum(1 for piece in cell.split(separator) if piece.strip())
    if count > MAX_COLUMNS:
        shown = "tab" if separator == "\t" else f"'{separator}'"
        raise UnreadableFileError(
            f"{name}: row {row} holds {count:,} values separated by {shown} in one cell; a "
            "contact list has one contact per row. Were the numbers all put on one line? Put "
            "each contact on its own row below a header row and upload again.",
            row=row,
        )


def _read_plain_csv(text: str, delimiter: str) -> pd.DataFrame | None:
    """Arrow's multithreaded reader, for files without quotes (most exports): ~6x faster.

    Without a quote every line is one record and a cell is what lies between
    delimiters, so arrow and pandas' C parser agree, blank lines included. A row
    wider or narrower than the first, or an empty file: None (pandas reads it).
    Columns empty on every line after the last filled one (Excel saves a CSV as wide
    as its furthest formatted cell, up to 16,384 columns) are left out: each column
    costs pandas a millisecond.
    """
    if not text or '"' in text:
        return None
    first = _LINE_BREAK.search(text)
    width = text.count(delimiter, 0, first.start() if first else len(text)) + 1
    names = [str(i) for i in range(width)]
    kept = width if width <= _TRIMMED_FROM else _filled_width(text, delimiter, width)
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names[:kept], pa.large_string()),
                include_columns=names[:kept],
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return None
    return pd.DataFrame({i: table.column(i).to_pandas() for i in range(kept)})


_TRIMMED_FROM = 64  # columns; narrower files are read whole


def _filled_width(text: str, delimiter: str, width: int) -> int:
    """Fields up to the last filled one on any line (no quotes: a line is a record)."""
    first = _LINE_BREAK.search(text)
    header = text[: first.start()] if first else text
    filled = header.rstrip(delimiter).count(delimiter) + 1
    if filled >= width:  # a named last column: nothing to leave out
        return width
    for line in _LINE_BREAK.split(text):
        filled = max(filled, line.rstrip(delimiter).count(delimiter) + 1)
        if filled >= width:
            break
    return filled


def _read_quoted_csv(text: str, delimiter: str, name: str, skipped: int) -> pd.DataFrame | None:
    """pandas' C parser: quoted cells (even across lines), short rows padded; None: no data."""
    if text.count('"') % 2:
        _check_quotes(text, delimiter, name, skipped)
    try:
        return pd.read_csv(io.StringIO(text), **_PANDAS_OPTIONS, sep=delimiter, header=None)
    except pd.errors.EmptyDataError:
        return None
    except pd.errors.ParserError:
        return _read_ragged_csv(text, delimiter, name, 1 + skipped)


_PANDAS_OPTIONS = {
    "dtype": str,
    "na_filter": False,
    "skip_blank_lines": False,
    "engine": "c",
    "quoting": csv.QUOTE_MINIMAL,
}
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _check_quotes(text: str, delimiter: str, name: str, skipped: int) -> None:
    """Refuse a quote that is never closed: it would swallow every row after it."""
    records = 0
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            records += 1
    except csv.Error as exc:
        if "end of data" in str(exc):  # other quirks read as the fast parser reads them
            row = records + 1 + skipped
            raise UnreadableFileError(
                f"{name}: row {row} opens a double quote that is never closed, so every later "
                "row would land in one cell. Remove or close the quote and upload again.",
                row=row,
            ) from exc


def _check_swallowed_rows(grid: pd.DataFrame, text: str, delimiter: str, name: str) -> None:
    """Refuse a quoted cell whose later lines look like rows of their own.

    A stray quote opens a cell that the next stray quote closes, however far down:
    with an even count of quotes the file parses, and the rows between vanish into
    one cell. A cell's own line breaks (an address) hold no row's worth of cells,
    and a well-quoted cell (as the workbench itself writes) is never refused: only
    a file whose quotes break the CSV rules (a quote closed mid-cell) is.
    """
    width = grid.shape[1]
    for position in range(width):
        cells = as_arrow_text(grid.iloc[:, position])
        spanning = cells.str.contains(r"[\r\n]", regex=True)
        for row, cell in cells[spanning.to_numpy(dtype=bool)].items():
            lines = _LINE_BREAK.split(cell)[1:]
            swallowed = sum(_looks_like_a_row(line, delimiter, width) for line in lines)
            if swallowed and _badly_quoted(text, delimiter):
                raise UnreadableFileError(
                    f"{name}: row {row} opens a double quote in column {column_letter(position)} "
                    f"that is closed only {len(lines)} line(s) further down, so {swallowed} "
                    "row(s) would land in that one cell. Remove the stray quote, or close it "
                    "in the same cell, and upload again.",
                    row=int(row),
                    column=column_letter(position),
                )


def _badly_quoted(text: str, delimiter: str) -> bool:
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def _looks_like_a_row(line: str, delimiter: str, width: int) -> bool:
    if width > 1:
        return line.count(delimiter) >= width - 1
    return looks_like_phone(line.strip())


def _read_ragged_csv(text: str, delimiter: str, name: str, first_row: int) -> pd.DataFrame:
    """Rows with more cells than the header: allowed only if the extras are empty.

    pandas reads the file as wide as its widest line (one numpy pass finds it); a
    quoted cell spanning lines can make a record wider still, and then Python's csv
    module reads it, ~10x slower.
    """
    header = _record(text, delimiter, 0)
    width = len(header)
    widest = _widest_line(text, delimiter, name, first_row)
    grid = None
    if widest is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a cut row: read slowly
            try:
                grid = pd.read_csv(
                    io.StringIO(text),
                    **_PANDAS_OPTIONS,
                    sep=delimiter,
                    header=None,
                    names=range(max(widest, width)),
                    index_col=False,
                )
            except (pd.errors.ParserError, pd.errors.ParserWarning):
                grid = None
    if grid is None:
        records = list(_records(text, delimiter))
        widest = max((len(r) for r in records), default=width)
        grid = pd.DataFrame([r + [""] * (widest - len(r)) for r in records], dtype=str)
    grid.index = pd.RangeIndex(first_row, first_row + len(grid))
    _check_extra_cells(grid, width, delimiter, name)
    return grid.iloc[:, :width].reset_index(drop=True)


def _widest_line(text: str, delimiter: str, name: str, first_row: int) -> int | None:
    """Most fields on one physical line; refuse a record of over MAX_COLUMNS values.

    None for a delimiter outside ASCII (the csv module reads those files).
    """
    if len(delimiter.encode("utf-8")) != 1:
        return None
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    ends = (raw == 10) | (raw == 13)
    is_delimiter = raw == ord(delimiter)
    bounds = np.append(np.flatnonzero(ends), len(raw))
    fields = np.diff(np.searchsorted(np.flatnonzero(is_delimiter), bounds), prepend=0) + 1
    separators = ends | is_delimiter
    starts = ~separators  # a cell's first character: a value, not an empty cell
    starts[1:] &= separators[:-1]
    values = np.diff(np.searchsorted(np.flatnonzero(starts), bounds), prepend=0)
    if values.max(initial=0) > MAX_COLUMNS:  # maybe: quotes and blank cells count here
        for row, record in enumerate(_records(text, delimiter), start=first_row):
            if len(record) > MAX_COLUMNS:
                _refuse_wide_record(record, name, row)
    return int(fields.max(initial=1))


def _check_extra_cells(grid: pd.DataFrame, width: int, delimiter: str, name: str) -> None:
    """Refuse the first row with a value past the header's last column."""
    filled = np.zeros(len(grid), dtype=bool)
    for position in range(width, grid.shape[1]):
        column = grid.iloc[:, position]
        nonempty = (column != "").to_numpy()
        if nonempty.any():
            filled[nonempty] |= (column[nonempty].str.strip() != "").to_numpy()
    if not filled.any():
        return
    title = title_row_error(grid, name)
    if title is not None:
        raise title
    at = int(filled.argmax())
    row = int(grid.index[at])
    cells = int(np.flatnonzero((grid.iloc[at] != "").to_numpy())[-1]) + 1
    raise UnreadableFileError(
        f"{name}: row {row} has {cells} cells but the header has {width}. "
        f"A value probably contains the delimiter '{delimiter}': put that value in "
        "double quotes, or add a header for the extra column.",
        row=row,
    )


def _drop_leading_blank_records(grid: pd.DataFrame) -> pd.DataFrame:
    """Blank lines above the header are not the header."""
    if grid.empty:
        return grid
    nonblank = (grid != "").any(axis=1)
    if not nonblank.any():
        return grid.iloc[0:0]
    return grid.loc[nonblank.idxmax() :]
