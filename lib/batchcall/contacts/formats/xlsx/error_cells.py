"""Formula error cells (``#N/A``, ``#DIV/0!``) of an XLSX sheet, which calamine drops.

A phone column filled by a failed VLOOKUP shows ``#N/A`` in every spreadsheet
program; read as blank, such a row would vanish as "empty" instead of being
reported. The cells are found in the sheet's XML (``t="e"``), whose text is what
the spreadsheet shows.

calamine knows only the classic seven errors; a newer one (``#SPILL!``,
``#CALC!``, ``#GETTING_DATA``…) makes it refuse the whole sheet. Such a sheet is
read from a copy whose error cells are typed as text cells: the same text.
"""

from __future__ import annotations

import io
import re
import zipfile

from batchcall.contacts.cells import column_index
from batchcall.contacts.formats.calamine import ErrorCells
from batchcall.contacts.formats.xlsx.zipfacts import sheet_part, sheet_xml

_MARK = b't="e"'
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")
_WINDOW = 16 * 1024
"""How far a cell's start tag, or its formula and value, may reach: far beyond real cells."""


READABLE_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
"""The error values calamine reads; any other makes it refuse the sheet."""
_ERROR_TYPE = re.compile(rb'(<(?:\w+:)?c\b[^>]*?\bt=)"e"')


def errors_as_text(data: bytes, sheet: str) -> bytes:
    """The workbook again, the sheet's error cells typed as text cells (``t="str"``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = sheet_part(archive, sheet)
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in archive.infolist():
                body = archive.read(info)
                if info.filename == part:
                    body = _ERROR_TYPE.sub(rb'\1"str"', body)
                out.writestr(info, body)
    return copy.getvalue()


def xlsx_error_cells(data: bytes, sheet: str) -> ErrorCells:
    """An XLSX sheet's error cells, from its XML."""
    try:
        with sheet_xml(data, sheet) as stream:
            if stream is None:
                return {}
            xml = stream.read()
    except Exception:  # the readers say what is wrong with a damaged file
        return {}
    return _scan(xml)


def _scan(xml: bytes) -> ErrorCells:
    """Every ``t="e"`` cell's position and text, in one pass: each byte is looked at a
    bounded number of times, however the markers are strewn (inside cells or not)."""
    found: ErrorCells = {}
    floor = 0  # everything before it has been scanned
    position = xml.find(_MARK)
    while position >= 0:
        head_end = xml.find(b">", position, position + _WINDOW)
        if head_end < 0:  # no tag closes near it: nothing here is a cell's start tag
            floor = position + _WINDOW
            position = xml.find(_MARK, floor)
            continue
        start = xml.rfind(b"<", max(floor, position - _WINDOW), position)
        resume = head_end + 1
        head = xml[start : head_end + 1] if start >= 0 else b""
        if _CELL_START.match(head) and not head.endswith(b"/>"):
            end = _CELL_END.search(xml, head_end, head_end + _WINDOW)
            if end is None:
                resume = head_end + _WINDOW
            else:
                ref, value = _CELL_REF.search(head), _VALUE.search(xml, head_end, end.start())
                if ref and value:
                    row, column = int(ref[2]), column_index(ref[1]) + 1
                    found[row, column] = value[1].decode("utf-8", "replace")
                resume = end.end()
        floor = resume
        position = xml.find(_MARK, resume)
    return found
