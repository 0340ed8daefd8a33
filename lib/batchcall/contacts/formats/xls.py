"""XLS (Excel 97-2003) workbooks: python-calamine, with formula error cells from xlrd.

calamine drops error cells (``#N/A``); xlrd reads them, but costs about a second,
so it runs only when a byte scan finds a record that could hold an error at all.
"""

from __future__ import annotations

import re

from batchcall.contacts.formats.calamine import CalamineWorkbook, ErrorCells


class XlsWorkbook(CalamineWorkbook):
    """One uploaded XLS workbook."""

    def error_cells(self, sheet: str) -> ErrorCells:
        return xls_error_cells(self.data, sheet)


# BIFF8 records that can hold an error: BOOLERR (0x0205, 8 bytes, error flag set)
# and FORMULA (0x0006) whose cached result is an error (type 2, then 0xFFFF).
_XLS_ERROR_RECORD = re.compile(
    rb"\x05\x02\x08\x00.{6}[\x00-\xff]\x01|\x06\x00..(?s:.{6})\x02.{5}\xff\xff", re.S
)
_XLS_ERROR_TEXT = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def xls_error_cells(data: bytes, sheet: str) -> ErrorCells:
    """An XLS sheet's error cells, read by xlrd when a byte scan finds a record that
    may hold one."""
    if not _XLS_ERROR_RECORD.search(data):
        return {}
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        worksheet = book.sheet_by_name(sheet)
        found: ErrorCells = {}
        for column in range(worksheet.ncols):
            for row, kind in enumerate(worksheet.col_types(column)):
                if kind == xlrd.XL_CELL_ERROR:
                    code = worksheet.cell_value(row, column)
                    found[row + 1, column + 1] = _XLS_ERROR_TEXT.get(code, "#N/A")
        return found
    except Exception:  # the readers say what is wrong with a damaged file
        return {}
