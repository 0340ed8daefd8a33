"""Low-level readers: file bytes -> a grid of text cells with spreadsheet row numbers.

A *grid* is a DataFrame of ``str`` cells whose first row is the header and whose
index is the spreadsheet row number of each record. CSV records are counted as
records, not physical lines (a quoted cell may span lines). Workbooks are read
with calamine (Rust), which reads formulas' cached values; numbers are turned
into the text a person sees: whole numbers as digits, others without float noise.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pandas as pd
import pyarrow as pa
import python_calamine

from lib.contact_errors import UnreadableFileError, UnsupportedFileTypeError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}
DELIMITERS = (",", ";", "\t", "|")
_DESCRIBED = {"csv": "plain text (CSV)", "xlsx": "an XLSX workbook", "xls": "an XLS workbook"}


def file_kind(data: bytes, name: str) -> str:
    """'csv', 'xlsx' or 'xls', from the extension, checked against the content."""
    lowered = name.lower()
    extension = lowered[lowered.rfind(".") :] if "." in lowered else ""
    sniffed = _sniff(data)
    if not extension and name == "upload":
        return sniffed
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise UnsupportedFileTypeError(
            f"{name}: '{extension or 'no extension'}' files are not supported. "
            "Save the list as CSV (UTF-8), XLSX or XLS and upload that."
        )
    if kind in ("xlsx", "xls") and sniffed == "xls" and _is_encrypted_ooxml(data):
        raise UnreadableFileError(
            f"{name} is password-protected. Remove the password in Excel "
            "(File > Info > Protect Workbook) and upload it again."
        )
    if kind != sniffed:
        raise UnreadableFileError(
            f"{name} is named {extension} but holds {_DESCRIBED[sniffed]}. Rename it to "
            f".{sniffed} or save it again from your spreadsheet program as CSV, XLSX or XLS."
        )
    return kind


def _sniff(data: bytes) -> str:
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    return "csv"


def _is_encrypted_ooxml(data: bytes) -> bool:
    """An encrypted XLSX is an OLE file holding these two streams."""
    return all(s.encode("utf-16-le") in data for s in ("EncryptionInfo", "EncryptedPackage"))


# ---------------------------------------------------------------- CSV

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str) -> str:
    """Decode CSV bytes: BOM, then UTF-8, then BOM-less UTF-16, then Windows-1252/Latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, name)
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        even_zeros = head[0::2].count(b"\x00")
        odd_zeros = head[1::2].count(b"\x00")
        return _decode(data, "utf-16-be" if even_zeros > odd_zeros else "utf-16-le", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"{name} could not be read as {encoding.upper()} text (byte {exc.start}). "
            "Save it again as 'CSV UTF-8' from your spreadsheet program."
        ) from exc


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most, most consistent fields."""
    sample = text[:65536]
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and len(sample) == 65536:
        lines = lines[:-1]  # the last line may be cut mid-record
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            counts = [len(r) for r in reader if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_grid(data: bytes, name: str) -> pd.DataFrame:
    """CSV bytes -> grid; row numbers count records, blank ones included."""
    text = decode_text(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    blank_lines = _LEADING_BLANK_LINES.match(text)  # above the header: keep their numbers
    skipped = len(_LINE_BREAK.findall(blank_lines.group()))
    text = text[blank_lines.end() :]
    delimiter = detect_delimiter(text)
    if text.count('"') % 2:
        _check_quotes(text, delimiter, name, skipped)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError:
        grid = _read_ragged_csv(text, delimiter, name, 1 + skipped)
    grid.index = pd.RangeIndex(1 + skipped, len(grid) + 1 + skipped)
    return _drop_leading_blank_records(grid)


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


def _read_ragged_csv(text: str, delimiter: str, name: str, first_row: int) -> pd.DataFrame:
    """Slow path for rows with more cells than the header: allowed only if the extras are empty."""
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(records[0]) if records else 0
    for number, record in enumerate(records, start=first_row):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            raise UnreadableFileError(
                f"{name}: row {number} has {len(record)} cells but the header has {width}. "
                f"A value probably contains the delimiter '{delimiter}': put that value in "
                "double quotes, or add a header for the extra column.",
                row=number,
            )
    return pd.DataFrame([(r + [""] * width)[:width] for r in records], dtype=str)


def _drop_leading_blank_records(grid: pd.DataFrame) -> pd.DataFrame:
    """Blank lines above the header are not the header."""
    if grid.empty:
        return grid
    nonblank = (grid != "").any(axis=1)
    if not nonblank.any():
        return grid.iloc[0:0]
    return grid.loc[nonblank.idxmax() :]


# ---------------------------------------------------------------- workbooks


@contextmanager
def _calamine_errors(name: str, failure: str) -> Iterator[None]:
    """calamine's errors -> UnreadableFileError; it raises unrelated types, even Rust panics."""
    try:
        yield
    except python_calamine.PasswordError as exc:
        raise UnreadableFileError(
            f"{name} is password-protected. Remove the password and upload it again."
        ) from exc
    except BaseException as exc:
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # KeyboardInterrupt and friends
        raise UnreadableFileError(
            f"{failure} ({type(exc).__name__}). It may be damaged: open it in your spreadsheet "
            "program, save it again as XLSX, and upload that."
        ) from exc


def _open_workbook(data: bytes, name: str) -> python_calamine.CalamineWorkbook:
    with _calamine_errors(name, f"{name} could not be opened as a workbook"):
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))


def workbook_sheet_names(data: bytes, kind: str, name: str) -> list[str]:
    workbook = _open_workbook(data, name)
    with _calamine_errors(name, f"{name}: its list of sheets could not be read"):
        return [meta.name for meta in workbook.sheets_metadata if _is_worksheet(meta)]


def _is_worksheet(meta: Any) -> bool:
    return "WorkSheet" in str(meta.typ)


def read_workbook_grid(data: bytes, kind: str, name: str, sheet: str) -> pd.DataFrame:
    """One sheet -> grid indexed by the sheet's own row numbers."""
    workbook = _open_workbook(data, name)
    with _calamine_errors(name, f"{name}: sheet '{sheet}' could not be read"):
        worksheet = workbook.get_sheet_by_name(sheet)
        rows = worksheet.to_python(skip_empty_area=True)
        first_row, first_column = worksheet.start or (0, 0)
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    if any(len(r) != width for r in rows):  # calamine's rows are usually a rectangle already
        rows = [r + [""] * (width - len(r)) for r in rows]
    # Column by column (no zip(*rows) over 300k rows), each straight into an arrow
    # string array: pandas' per-cell checks for dtype=str cost more than the reading.
    grid = pd.DataFrame({i: _text_column([row[i] for row in rows]) for i in range(width)})
    grid.index = pd.RangeIndex(first_row + 1, first_row + 1 + len(rows))
    grid.attrs["first_column"] = first_column
    grid.attrs["sheet"] = sheet
    return grid


def _text_column(cells: list[Any]) -> pd.Series:
    """One column's cells as text; most cells are text already, so skip the call for them."""
    text = [value if type(value) is str else cell_text(value) for value in cells]
    return pa.array(text, pa.large_string()).to_pandas()


def cell_text(value: Any) -> str:
    """The text a person sees in a cell: 9876543210, 0.3, 2024-05-01, TRUE."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return "" if value is None else str(value)


def number_text(value: float) -> str:
    """Whole numbers as digits, others to 15 significant digits (no float noise)."""
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer():
        return str(int(value))
    text = f"{value:.15g}"
    return format(Decimal(text), "f") if "e" in text else text
