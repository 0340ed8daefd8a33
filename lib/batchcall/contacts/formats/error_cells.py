"""Formula error cells (``#N/A``, ``#DIV/0!``) of a workbook sheet, which calamine drops.

A phone column filled by a failed VLOOKUP shows ``#N/A`` in every spreadsheet
program; read as blank, such a row would vanish as "empty" instead of being
reported. In XLSX the cells are found in the sheet's XML (``t="e"``), whose text
is what the spreadsheet shows. In XLS, xlrd reads them, but only when the file's
records could hold an error at all (a byte scan): xlrd costs about a second.
"""

from __future__ import annotations

import re

from batchcall.contacts.formats.xlsx.zipfacts import column_index, sheet_xml

_MARK = b't="e"'
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")

ErrorCells = dict[tuple[int, int], str]
"""(sheet row, sheet column), both 1-based -> the error's text."""


def error_cells(data: bytes, kind: str, sheet: str) -> ErrorCells:
    """The sheet's error cells; empty when it has none (or cannot be read here)."""
    return xls_error_cells(data, sheet) if kind == "xls" else xlsx_error_cells(data, sheet)


def xlsx_error_cells(data: bytes, sheet: str) -> ErrorCells:
    """An XLSX sheet's error cells, from its XML."""
    try:
        with sheet_xml(data, sheet) as stream:
            if stream is None:
                return {}
            xml = stream.read()
    except Exception:  # the readers say what is wrong with a damaged file
        return {}
    found: ErrorCells = {}
    position = xml.find(_MARK)
    while position >= 0:
        start = xml.rfind(b"<", 0, position)  # the element the attribute belongs to
        head_end = xml.find(b">", position)
        if start < 0 or head_end < 0:
            break
        head = xml[start : head_end + 1]
        end = None if head.endswith(b"/>") else _CELL_END.search(xml, head_end)
        if end is not None and _CELL_START.match(head):
            ref, value = _CELL_REF.search(head), _VALUE.search(xml, head_end, end.start())
            if ref and value:
                row, column = int(ref[2]), column_index(ref[1]) + 1
                found[row, column] = value[1].decode("utf-8", "replace")
        position = xml.find(_MARK, head_end)
    return found


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
