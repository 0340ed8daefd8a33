"""Workbooks built to take a server down: refused before any reader opens them.

Each of these once made the Rust readers abort the whole process (SIGABRT, which
no Python code can catch): a used range of billions of cells, parts that open to
gigabytes, a zip whose directory lies about what its parts hold.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import xlsxwriter
from batchcall.contacts import UnreadableFileError, read_contacts
from batchcall.contacts.formats.xlsx import guard

from tests.sandbox_server import API_KEY, serve_sandbox
from tests.workspace_data import AGENT, IN_NUMBER


def workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["phone_number", "name"])
    sheet.write_row(1, 0, ["9876543210", "Priya"])
    book.close()
    return buffer.getvalue()


def with_sheet(change, data: bytes | None = None) -> bytes:
    source, copy = zipfile.ZipFile(io.BytesIO(data or workbook())), io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info)
            out.writestr(info, change(body) if info.filename.endswith("sheet1.xml") else body)
    return copy.getvalue()


FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def test_a_cell_at_the_far_corner_is_refused_naming_the_limit() -> None:
    data = with_sheet(lambda xml: xml.replace(b"</sheetData>", FAR_CELL + b"</sheetData>"))
    with pytest.raises(UnreadableFileError, match=r"^far\.xlsx holds a sheet whose used range"):
        read_contacts(data, "far.xlsx")


def test_rows_or_columns_past_excels_limits_are_refused() -> None:
    past = FAR_CELL.replace(b"1048576", b"1048577")
    data = with_sheet(lambda xml: xml.replace(b"</sheetData>", past + b"</sheetData>"))
    with pytest.raises(UnreadableFileError, match=r"at most 1,048,576 rows and 16,384 columns"):
        read_contacts(data, "past.xlsx")
    wide = b'<row r="3"><c r="XFE3" t="inlineStr"><is><t>x</t></is></c></row>'
    data = with_sheet(lambda xml: xml.replace(b"</sheetData>", wide + b"</sheetData>"))
    with pytest.raises(UnreadableFileError, match=r"column 16,385"):
        read_contacts(data, "wide.xlsx")


def test_parts_that_open_to_too_much_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_INFLATED_BYTES", 2 * 2**20)
    padding = b"<!--" + b" " * (3 * 2**20) + b"-->"  # 3 MB of nothing, a few KB zipped
    data = with_sheet(lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>"))
    assert len(data) < 64 * 1024
    with pytest.raises(UnreadableFileError, match=r"^bomb\.xlsx opens to more than 2 MB"):
        guard.check_workbook(data, "bomb.xlsx")  # the limit patched here, not in a reader process


def test_a_directory_that_understates_a_part_is_refused() -> None:
    """The declared sizes say 'small', the deflated stream says otherwise: count, not trust."""
    padding = b"<!--" + b" " * 200_000 + b"-->"
    data = bytearray(with_sheet(lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>")))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    lie = struct.pack("<I", 1000)
    data[info.header_offset + 22 : info.header_offset + 26] = lie  # local header
    directory = bytes(data).find(b"PK\x01\x02", archive.start_dir)
    while True:  # find this part's central directory entry
        name_length = struct.unpack("<H", data[directory + 28 : directory + 30])[0]
        if data[directory + 46 : directory + 46 + name_length] == info.filename.encode():
            break
        extra, comment = struct.unpack("<HH", data[directory + 30 : directory + 34])
        directory += 46 + name_length + extra + comment
    data[directory + 24 : directory + 28] = lie
    with pytest.raises(UnreadableFileError, match=r"^liar\.xlsx is damaged"):
        read_contacts(bytes(data), "liar.xlsx")


def test_a_cell_longer_than_any_spreadsheet_allows_is_refused() -> None:
    long_cell = (
        b'<row r="3"><c r="B3" t="inlineStr"><is><t>' + b"x" * 200_000 + b"</t></is></c></row>"
    )
    data = with_sheet(lambda xml: xml.replace(b"</sheetData>", long_cell + b"</sheetData>"))
    with pytest.raises(UnreadableFileError, match=r"more than 32,767 characters"):
        read_contacts(data, "long.xlsx")


def test_the_sandbox_answers_a_bomb_with_a_400_and_keeps_serving() -> None:
    data = with_sheet(lambda xml: xml.replace(b"</sheetData>", FAR_CELL + b"</sheetData>"))
    form = {"agent_id": AGENT, "from_phone_number": IN_NUMBER}
    with serve_sandbox() as sandbox:
        answer = sandbox.http.post(
            "/v1/batch-calls",
            data=form,
            files={"file": ("far.xlsx", data)},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        assert answer.status_code == 400, answer.text
        assert "used range" in answer.text
        assert sandbox.http.get("/v1/agents").status_code == 200
