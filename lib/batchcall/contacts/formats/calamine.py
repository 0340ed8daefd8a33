"""Workbooks read by python-calamine: the reference reader behind XLSX and XLS.

python-calamine reads formulas' cached values; numbers become the text a person
sees (:mod:`batchcall.contacts.cells`). Both it and fastexcel drop formula error
cells, so each format finds them its own way (``error_cells``) and they are put
back as the text a spreadsheet shows (``#N/A``). Every failure of the Rust
readers, even a panic, becomes an ``UnreadableFileError`` that says what to do.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pyarrow as pa
import python_calamine

from batchcall.contacts.cells import cell_text
from batchcall.contacts.errors import UnreadableFileError
from batchcall.pools import ProcessLocalPool

POOL = ProcessLocalPool(2, "xlsx")
"""Shared by the workbook readers for work done beside a sheet's reading."""

ErrorCells = dict[tuple[int, int], str]
"""(sheet row, sheet column), both 1-based -> the error's text."""


def reader_failure(exc: BaseException) -> bool:
    """An error of a calamine reader: any Exception, or a Rust panic (a BaseException);
    not KeyboardInterrupt and friends."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


@contextmanager
def calamine_errors(name: str, failure: str) -> Iterator[None]:
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


class CalamineWorkbook:
    """One uploaded workbook, opened by python-calamine at most once.

    Subclasses say how to find the sheet's formula error cells and may read a
    sheet faster where they are sure of every cell.
    """

    has_sheets = True

    def __init__(self, data: bytes, name: str, *, grids: bool = True) -> None:
        """``grids``: sheets will be read, not just listed (a subclass may open helpers early)."""
        self.data, self.name = data, name
        self._calamine: python_calamine.CalamineWorkbook | None = None

    def calamine(self) -> python_calamine.CalamineWorkbook:
        if self._calamine is None:
            with calamine_errors(self.name, f"{self.name} could not be opened as a workbook"):
                self._calamine = python_calamine.CalamineWorkbook.from_filelike(
                    io.BytesIO(self.data)
                )
        return self._calamine

    def sheet_names(self) -> list[str]:
        """Worksheets in order (chart and dialog sheets hold no rows)."""
        workbook = self.calamine()
        with calamine_errors(self.name, f"{self.name}: its list of sheets could not be read"):
            return [meta.name for meta in workbook.sheets_metadata if _is_worksheet(meta)]

    def hidden_sheets(self) -> set[str]:
        """Sheets the workbook hides from its reader (hidden or very hidden)."""
        workbook = self.calamine()
        with calamine_errors(self.name, f"{self.name}: its list of sheets could not be read"):
            shown = python_calamine.SheetVisibleEnum.Visible
            return {m.name for m in workbook.sheets_metadata if m.visible != shown}

    def error_cells(self, sheet: str) -> ErrorCells:
        """The sheet's formula error cells; empty when there are none or they can't be found."""
        return {}

    def grid(self, sheet: str | None = None) -> pd.DataFrame:
        """One sheet -> grid indexed by the sheet's own row numbers, error cells as text."""
        assert sheet is not None, "a workbook's grid is one sheet's"
        errors = POOL.submit(self.error_cells, sheet)
        grid = self.fast_grid_or_none(sheet)
        if grid is None:
            grid = calamine_grid(self.calamine(), self.name, sheet)
        return with_error_cells(grid, errors.result())

    def fast_grid_or_none(self, sheet: str) -> pd.DataFrame | None:
        """A quicker reading with exactly python-calamine's answer, or None to use it."""
        return None


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


def _is_worksheet(meta: Any) -> bool:
    return "WorkSheet" in str(meta.typ)


def calamine_grid(
    workbook: python_calamine.CalamineWorkbook, name: str, sheet: str
) -> pd.DataFrame:
    """The reference reader: every cell through ``cell_text``."""
    with calamine_errors(name, f"{name}: sheet '{sheet}' could not be read"):
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


def make_grid(
    columns: dict[int, pd.Series], first_row: int, first_column: int, sheet: str
) -> pd.DataFrame:
    """A grid from its columns and where the sheet's used area starts (0-based)."""
    grid = pd.DataFrame(columns)
    grid.index = pd.RangeIndex(first_row + 1, first_row + 1 + len(grid))
    grid.attrs["first_column"] = first_column
    grid.attrs["sheet"] = sheet
    return grid


def _text_column(cells: list[Any]) -> pd.Series:
    """One column's cells as text; most cells are text already, so skip the call for them."""
    text = [value if type(value) is str else cell_text(value) for value in cells]
    return pa.array(text, pa.large_string()).to_pandas()
