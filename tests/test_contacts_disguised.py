"""read_contacts on files that are not what their name says: web pages, XML, binary data."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from batchcall.contacts import UnreadableFileError

from tests.contacts_support import SIMPLE, read, table

ADVICE = "Open it in Excel or LibreOffice and save it as XLSX or CSV UTF-8, then upload that."
TABLE = (
    "<table><tr><td>phone_number</td><td>name</td></tr>"
    "<tr><td>9876543210</td><td>a</td></tr></table>"
)
PAGES = {
    "plain": f"<html><body>{TABLE}</body></html>",
    "doctype-bom-blank-lines": f"\ufeff\r\n  <!DOCTYPE HTML PUBLIC>\n<HTML>{TABLE}</HTML>",
    "excel-web-page": (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<head><meta charset="utf-8"></head>{TABLE}'
    ),
    "bare-table": TABLE,
}
SPREADSHEET_ML = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S">'
    '<Table><Row><Cell><Data ss:Type="String">phone_number</Data></Cell></Row></Table>'
    "</Worksheet></Workbook>"
)


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(UnreadableFileError) as caught:
        read(data, name)
    return str(caught.value)


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize(
    ("name", "saved"), [("l.xls", "an .xls"), ("l.xlsx", "an .xlsx"), ("l.csv", "a .csv")]
)
def test_web_page(page: str, name: str, saved: str):
    assert refusal(page.encode(), name) == (
        f"{name} is a web page (HTML) saved under {saved} name (some systems export that way). "
        + ADVICE
    )


def test_web_page_in_utf16():
    assert refusal(PAGES["plain"].encode("utf-16"), "l.xls").startswith("l.xls is a web page")


@pytest.mark.parametrize("name", ["l.xls", "l.xlsx", "l.csv"])
def test_excel_2003_xml_spreadsheet(name: str):
    assert refusal(SPREADSHEET_ML.encode(), name).startswith(
        f"{name} is an Excel 2003 XML spreadsheet saved under "
    )


@pytest.mark.parametrize("name", ["junk.xls", "junk.xlsx", "junk.csv"])
def test_binary_data(name: str):
    data = random.Random(3).randbytes(5000)
    assert refusal(data, name) == (
        f"{name} is not a spreadsheet: it holds binary data, neither an XLSX or XLS workbook "
        f"nor CSV text. It may be damaged or another program's file. {ADVICE}"
    )


def test_empty_zip_archive_named_xlsx_is_binary():
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    assert refusal(buffer.getvalue(), "l.xlsx").startswith("l.xlsx is not a spreadsheet")


def test_csv_text_named_as_a_workbook_is_still_told_to_rename():
    for data in (SIMPLE.encode(), SIMPLE.encode("utf-16-le"), SIMPLE.encode("cp1252")):
        assert refusal(data, "l.xlsx").startswith("l.xlsx is named .xlsx but holds plain text")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_wide_encodings_are_text_not_binary(encoding: str):
    data = "phone_number\tname\r\n9876543210\tJosé\r\n".encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    assert table(read(data)) == ([2], ["phone_number", "name"], [["9876543210", "José"]])


def test_a_csv_cell_starting_with_a_tag_is_text():
    frame = read("phone_number,note\n9876543210,<b>VIP</b> <table> booked\n")
    assert frame.loc[2, "note"] == "<b>VIP</b> <table> booked"
