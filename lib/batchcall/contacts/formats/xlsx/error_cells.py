"""Formula error cells (``#N/A``, ``#DIV/0!``) of an XLSX sheet, which calamine drops.

A phone column filled by a failed VLOOKUP shows ``#N/A`` in every spreadsheet
program; read as blank, such a row would vanish as "empty" instead of being
reported. The cells are found in the sheet's XML (``t="e"``), whose text is what
the spreadsheet shows.
"""

from __future__ import annotations

import re

from batchcall.contacts.cells import column_index
from batchcall.contacts.formats.calamine import ErrorCells
from batchcall.contacts.formats.xlsx.zipfacts import sheet_xml

_MARK = b't="e"'
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")


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
