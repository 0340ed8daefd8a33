"""Workbooks written cell by cell, and the fast XLSX path's reading of them beside
python-calamine's."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from batchcall.contacts.formats.calamine import calamine_grid
from batchcall.contacts.formats.xlsx.reader import XlsxWorkbook

Cell = tuple[Any, str | None]  # a value and its number format (None: General)


def xlsx(columns: list[list[Cell]], options: dict[str, Any] | None = None) -> bytes:
    """One sheet "S": a header row, then each column's cells written with their formats."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, options or {})
    sheet = book.add_worksheet("S")
    formats: dict[str, Any] = {}
    for column, cells in enumerate(columns):
        sheet.write_string(0, column, f"c{column}")
        for row, (value, code) in enumerate(cells, start=1):
            style = None
            if code:
                style = formats.setdefault(code, book.add_format({"num_format": code}))
            sheet.write(row, column, value, style)
    book.close()
    return buffer.getvalue()


def readings(data: bytes, *, alongside: bool = True) -> tuple[Any, Any]:
    """(fast grid or None, python-calamine's grid) of sheet "S". ``alongside``: columns
    with dates near the top are read as datetimes instead of floats; else all dates are
    found late, and read in a reading of their own."""
    book = XlsxWorkbook(data, "dates.xlsx")
    fast = book.fast_grid("S", peek=alongside)
    return fast, calamine_grid(book.calamine(), "dates.xlsx", "S")


def assert_fast_and_same(data: bytes, *, alongside: bool = True) -> None:
    fast, reference = readings(data, alongside=alongside)
    assert fast is not None, "the fast path stepped aside"
    assert fast.to_numpy().tolist() == reference.to_numpy().tolist()
    assert list(fast.index) == list(reference.index)


class CountingReader:
    """A fastexcel reader that counts its sheet readings."""

    def __init__(self, reader: Any) -> None:
        self.reader, self.readings = reader, 0

    def load_sheet(self, *args: Any, **kwargs: Any) -> Any:
        self.readings += 1
        return self.reader.load_sheet(*args, **kwargs)
