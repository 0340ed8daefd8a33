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
import io
import re
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, cast

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import python_calamine

from lib.cell_text import cell_text
from lib.contact_errors import UnreadableFileError, UnsupportedFileTypeError
from lib.xlsx_fast import POOL, fast_grid, make_grid, or_calamine, zip_facts

try:  # the fast XLSX path; without it every workbook is python-calamine's
    import fastexcel
except ImportError:  # pragma: no cover
    fastexcel = None

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
    grid = _read_plain_csv(text, delimiter)
    if grid is None:
        grid = _read_quoted_csv(text, delimiter, name, skipped)
        if grid is None:
            return pd.DataFrame()
    grid.index = pd.RangeIndex(1 + skipped, len(grid) + 1 + skipped)
    return _drop_leading_blank_records(grid)


def _read_plain_csv(text: str, delimiter: str) -> pd.DataFrame | None:
    """Arrow's multithreaded reader, for files without quotes (most exports): ~6x faster.

    Without a quote every line is one record and a cell is what lies between
    delimiters, so arrow and pandas' C parser agree, blank lines included. A row
    wider or narrower than the first, a NUL or an empty file: None (pandas reads it).
    """
    if not text or '"' in text or "\x00" in text:
        return None
    first = _LINE_BREAK.search(text)
    width = text.count(delimiter, 0, first.start() if first else len(text)) + 1
    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return None
    return pd.DataFrame({i: table.column(i).to_pandas() for i in range(width)})


def _read_quoted_csv(text: str, delimiter: str, name: str, skipped: int) -> pd.DataFrame | None:
    """pandas' C parser: quoted cells (even across lines), short rows padded; None: no data."""
    if text.count('"') % 2:
        _check_quotes(text, delimiter, name, skipped)
    try:
        return pd.read_csv(
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
        return None
    except pd.errors.ParserError:
        return _read_ragged_csv(text, delimiter, name, 1 + skipped)


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


class Workbook:
    """One uploaded workbook, opened at most once by each reader it needs.

    XLSX sheets are read by the fast path (``fast_grid``) when it is sure of
    every cell, else, like XLS files, with python-calamine; both are calamine,
    so rows and columns are the same.
    """

    def __init__(self, data: bytes, kind: str, name: str, *, grids: bool = True) -> None:
        """``grids``: sheets will be read, so open the second reader early (in the background)."""
        self.data, self.kind, self.name, self.grids = data, kind, name, grids
        self._calamine: python_calamine.CalamineWorkbook | None = None
        self._reader: Any = None  # fastexcel readers, once opened: texts, floats
        self._float_reader: Future[Any] | None = None
        self._facts: tuple[bool, bool] | None = None

    def calamine(self) -> python_calamine.CalamineWorkbook:
        if self._calamine is None:
            self._calamine = _open_workbook(self.data, self.name)
        return self._calamine

    def zip_facts(self) -> tuple[bool, bool]:
        if self._facts is None:
            self._facts = zip_facts(self.data)
        return self._facts

    def fast_reader(self) -> Any:
        """fastexcel's reader for the texts; the floats' reader opens meanwhile if needed."""
        if self.grids and self._float_reader is None:
            self._float_reader = POOL.submit(fastexcel.read_excel, self.data)
        if self._reader is None:
            self._reader = fastexcel.read_excel(self.data)
        return self._reader

    def float_reader(self) -> Any:
        self.grids = True
        self.fast_reader()
        return cast(Future[Any], self._float_reader).result()

    def sheet_names(self) -> list[str]:
        """Worksheets in order (chart and dialog sheets hold no rows)."""
        if self.kind == "xlsx" and fastexcel is not None and self.zip_facts()[0]:
            with or_calamine():
                return list(self.fast_reader().sheet_names)
        workbook = self.calamine()
        with _calamine_errors(self.name, f"{self.name}: its list of sheets could not be read"):
            return [meta.name for meta in workbook.sheets_metadata if _is_worksheet(meta)]

    def grid(self, sheet: str) -> pd.DataFrame:
        """One sheet -> grid indexed by the sheet's own row numbers."""
        if self.kind == "xlsx" and fastexcel is not None and self.zip_facts()[1]:
            with or_calamine():
                grid = fast_grid(self.fast_reader(), self.float_reader(), sheet)
                if grid is not None:
                    return grid
        return _calamine_grid(self.calamine(), self.name, sheet)


def workbook_sheet_names(data: bytes, kind: str, name: str) -> list[str]:
    return Workbook(data, kind, name, grids=False).sheet_names()


def _is_worksheet(meta: Any) -> bool:
    return "WorkSheet" in str(meta.typ)


def read_workbook_grid(data: bytes, kind: str, name: str, sheet: str) -> pd.DataFrame:
    """One sheet -> grid indexed by the sheet's own row numbers."""
    return Workbook(data, kind, name).grid(sheet)


def _calamine_grid(
    workbook: python_calamine.CalamineWorkbook, name: str, sheet: str
) -> pd.DataFrame:
    """The reference reader: every cell through ``cell_text``."""
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
    columns = {i: _text_column([row[i] for row in rows]) for i in range(width)}
    return make_grid(columns, first_row, first_column, sheet)


def _text_column(cells: list[Any]) -> pd.Series:
    """One column's cells as text; most cells are text already, so skip the call for them."""
    text = [value if type(value) is str else cell_text(value) for value in cells]
    return pa.array(text, pa.large_string()).to_pandas()
