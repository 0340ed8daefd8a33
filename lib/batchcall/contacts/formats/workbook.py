"""Low-level readers: file bytes -> a grid of text cells with spreadsheet row numbers.

A *grid* is a DataFrame of ``str`` cells whose first row is the header and whose
index is the spreadsheet row number of each record. This module tells the file
kinds apart and reads workbooks (CSV is ``batchcall.contacts.formats.csv.grid``): fastexcel where it is
sure (``batchcall.contacts.formats.xlsx.fast``), else calamine, which reads formulas' cached values;
numbers become the text a person sees (``batchcall.contacts.cells``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from functools import cache, partial
from typing import Any, cast

import pandas as pd
import pyarrow as pa
import python_calamine

from batchcall.contacts.cells import cell_text
from batchcall.contacts.errors import UnreadableFileError, UnsupportedFileTypeError
from batchcall.contacts.formats.error_cells import ErrorCells, error_cells
from batchcall.contacts.formats.xlsx.fast import (
    POOL,
    fast_grid,
    make_grid,
    or_calamine,
    reader_failure,
)
from batchcall.contacts.formats.xlsx.zipfacts import (
    DAMAGED,
    ZipFacts,
    date_columns,
    iso_date_cells,
    styled_columns,
    zip_facts,
)

try:  # the fast XLSX path; without it every workbook is python-calamine's
    import fastexcel
except ImportError:  # pragma: no cover
    fastexcel = None

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}
_DESCRIBED = {"csv": "plain text (CSV)", "xlsx": "an XLSX workbook", "xls": "an XLS workbook"}


def file_kind(data: bytes, name: str) -> str:
    """'csv', 'xlsx' or 'xls', from the extension, checked against the content."""
    extension = extension_of(name)
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


def extension_of(name: str) -> str:
    """The extension, lowercased (".xlsx" for "Leads.XLSX"); "" when the name has no dot."""
    lowered = name.lower()
    return lowered[lowered.rfind(".") :] if "." in lowered else ""


def _sniff(data: bytes) -> str:
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    return "csv"


def _is_encrypted_ooxml(data: bytes) -> bool:
    """An encrypted XLSX is an OLE file holding these two streams."""
    return all(s.encode("utf-16-le") in data for s in ("EncryptionInfo", "EncryptedPackage"))


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
        if not reader_failure(exc):
            raise
        raise UnreadableFileError(
            f"{failure}. It may be damaged or only partly copied: open it in your spreadsheet "
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
        """``grids``: sheets will be read, so open the other readers early (in the background)."""
        self.data, self.kind, self.name, self.grids = data, kind, name, grids
        self._calamine: python_calamine.CalamineWorkbook | None = None
        self._reader: Any = None  # fastexcel readers, once opened: texts, floats
        self._float_reader: Future[Any] | None = None
        self._facts: ZipFacts | None = None

    def calamine(self) -> python_calamine.CalamineWorkbook:
        if self._calamine is None:
            self._calamine = _open_workbook(self.data, self.name)
        return self._calamine

    def zip_facts(self) -> ZipFacts:
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

    def fast_grid(self, sheet: str, *, peek: bool = True) -> pd.DataFrame | None:
        """The fast path's grid of an XLSX sheet, or None where it steps aside.

        ``peek``: read the columns whose top cells are dates as datetimes at once.
        """
        facts = self.zip_facts()
        dated = date_columns(self.data, sheet, facts) if peek and facts.sure_dates else set()
        return fast_grid(
            self.fast_reader(),
            self.float_reader(),
            sheet,
            dates=facts.sure_dates,
            date_columns=dated,
            iso_only=not facts.dates,
            iso_cells=cache(partial(iso_date_cells, self.data, sheet)),
        )

    def hidden_sheets(self) -> set[str]:
        """Sheets the workbook hides from its reader (hidden or very hidden)."""
        if self.kind == "xlsx":
            return set(self.zip_facts().hidden)
        workbook = self.calamine()
        with _calamine_errors(self.name, f"{self.name}: its list of sheets could not be read"):
            shown = python_calamine.SheetVisibleEnum.Visible
            return {m.name for m in workbook.sheets_metadata if m.visible != shown}

    def sheet_names(self) -> list[str]:
        """Worksheets in order (chart and dialog sheets hold no rows)."""
        if self.kind == "xlsx" and fastexcel is not None and self.zip_facts().worksheets:
            with or_calamine():
                return list(self.fast_reader().sheet_names)
        workbook = self.calamine()
        with _calamine_errors(self.name, f"{self.name}: its list of sheets could not be read"):
            return [meta.name for meta in workbook.sheets_metadata if _is_worksheet(meta)]

    def grid(self, sheet: str) -> pd.DataFrame:
        """One sheet -> grid indexed by the sheet's own row numbers.

        Both readers drop formula errors; they are found meanwhile, on the pool
        (``batchcall.contacts.formats.error_cells``), and put back as the text they show (``#N/A``).
        """
        errors = POOL.submit(error_cells, self.data, self.kind, sheet)
        grid = None
        if self.kind == "xlsx" and fastexcel is not None and self.zip_facts() is not DAMAGED:
            doubtful = styled_columns(self.data, sheet, self.zip_facts().doubtful_styles)
            if not doubtful:  # else dates it cannot read are near the top: it would step aside
                with or_calamine():
                    grid = self.fast_grid(sheet)
        if grid is None:
            grid = calamine_grid(self.calamine(), self.name, sheet)
        return with_error_cells(grid, errors.result())


def with_error_cells(grid: pd.DataFrame, errors: ErrorCells) -> pd.DataFrame:
    """``grid`` with each error cell's text where the readers left it blank."""
    if not errors or grid.empty:
        return grid
    first = grid.attrs.get("first_column", 0)
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, column), text in errors.items():
        by_column.setdefault(column - 1 - first, []).append((row, text))
    for position, cells in by_column.items():
        if not 0 <= position < grid.shape[1]:
            continue
        rows = grid.index.get_indexer([row for row, _ in cells])
        values = grid.iloc[:, position].to_numpy(dtype=object)
        for at, (_, text) in zip(rows, cells, strict=True):
            if at >= 0 and values[at] == "":
                values[at] = text
        grid.isetitem(position, _text_column(list(values)).array)
    return grid


def workbook_sheet_names(data: bytes, kind: str, name: str) -> list[str]:
    return Workbook(data, kind, name, grids=False).sheet_names()


def _is_worksheet(meta: Any) -> bool:
    return "WorkSheet" in str(meta.typ)


def calamine_grid(
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
