"""A one-sheet XLSX of text cells, written column by column.

Why not XlsxWriter: it spends ~7 µs of Python on every cell, so a 10 MB list
(~900k cells) took seven seconds to download. Every cell here is an inline
string, so the sheet's XML is a handful of pyarrow string operations over whole
columns, and the rest of the package is a few fixed parts. Text stays text when
the file is opened again: no ``9.88E+09`` for a phone number.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.contacts.cells import column_letter
from batchcall.text import buffers, filled_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_FIXED_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_TYPES}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (  # one style, number format "@": what is typed in later stays text
        f'<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}
_CONTROL = [chr(code) for code in (*range(0x00, 0x09), *range(0x0B, 0x20))]
"""Characters XML 1.0 cannot hold, and CR, which every XML reader turns into LF; OOXML
writes them as ``_xHHHH_`` (Excel's ``_x000D_``)."""


def text_workbook(columns: Sequence[tuple[str, pa.Array]], sheet: str = "contacts") -> bytes:
    """``columns`` (name, string array; all of one length) as XLSX bytes.

    Empty cells are left out; the header row is row 1, the first record row 2.
    """
    names = [name for name, _ in columns]
    rows = len(columns[0][1]) if columns else 0
    first = pa.array(["1"], pa.large_string())
    numbers = pc.cast(pa.array(range(2, rows + 2), pa.int64()), pa.large_string())
    header = pa.array(names, pa.large_string())
    letters = [column_letter(i) for i in range(len(names))]
    header_cells = [_cells(header.slice(i, 1), letters[i], first) for i in range(len(names))]
    body_cells = [_cells(values, letters[i], numbers) for i, (_, values) in enumerate(columns)]
    workbook_xml = (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        f'<sheet name="{_sheet_name(sheet)}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _FIXED_PARTS.items():
            archive.writestr(name, _HEAD + text)
        archive.writestr("xl/workbook.xml", workbook_xml)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(
                f'{_HEAD}<worksheet xmlns="{_MAIN}">{_columns(len(names))}<sheetData>'.encode()
            )
            if names:
                part.write(_rows(header_cells, first))
                part.write(_rows(body_cells, numbers))
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _cells(values: pa.Array, letters: str, numbers: pa.Array) -> pa.Array:
    """Each value's ``<c>`` element, or "" for an empty value."""
    text = filled_text(values)
    opening = pc.if_else(
        _padded(text),
        _text('" t="inlineStr"><is><t xml:space="preserve">'),
        _text('" t="inlineStr"><is><t>'),
    )
    shown = pc.binary_join_element_wise(
        _text(f'<c r="{letters}'),
        numbers,
        opening,
        escape_text(text),
        _text("</t></is></c>"),
        _text(""),
    )
    return pc.if_else(pc.equal(text, ""), _text(""), shown)


_XML_SPACE = np.zeros(256, dtype=bool)
_XML_SPACE[[0x09, 0x0A, 0x0D, 0x20]] = True


def _padded(text: pa.Array) -> pa.Array:
    """Values starting or ending with XML whitespace, which a reader would otherwise drop."""
    offsets, data = buffers(text)
    filled = offsets[1:] > offsets[:-1]
    padded = np.zeros(len(text), dtype=bool)
    padded[filled] = (
        _XML_SPACE[data[offsets[:-1][filled]]] | _XML_SPACE[data[offsets[1:][filled] - 1]]
    )
    return pa.array(padded)


def _columns(count: int) -> str:
    """Every column in the text style, so what is typed in later stays text too."""
    return f'<cols><col min="1" max="{count}" width="18" style="1"/></cols>' if count else ""


def _rows(cells: list[pa.Array], numbers: pa.Array) -> memoryview:
    """The ``<row>`` elements, as one run of bytes."""
    rows = pc.binary_join_element_wise(
        _text('<row r="'), numbers, _text('">'), *cells, _text("</row>"), _text("")
    )
    offsets, data = buffers(rows)
    return memoryview(data[offsets[0] : offsets[-1]])


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def escape_text(text: pa.Array) -> pa.Array:
    """XML text escapes, and OOXML's ``_xHHHH_`` for characters XML cannot hold
    (a literal ``_x0041_`` is itself escaped, so it reads back as typed). Each step
    runs only when a byte scan finds something for it to do."""
    _, data = buffers(text)
    if ((data[:-1] == ord("_")) & (data[1:] == ord("x"))).any():
        text = pc.replace_substring_regex(text, r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        if (data == ord(char)).any():
            text = pc.replace_substring(text, char, entity)
    if ((data < 0x20) & (data != 0x09) & (data != 0x0A)).any():
        for char in _CONTROL:
            text = pc.replace_substring(text, char, f"_x{ord(char):04X}_")
    return text


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``; XML-escaped."""
    name = "".join("_" if char in "[]:*?/\\" else char for char in name)[:31] or "Sheet1"
    name = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return name.replace('"', "&quot;")
