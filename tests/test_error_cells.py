"""Formula error cells in XLSX: read as the text the spreadsheet shows, never as blank.

A failed VLOOKUP fills a phone column with ``#N/A``; read as blank, a row of
them would vanish as "empty" instead of being reported as invalid numbers.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from batchcall.contacts import read_contacts
from batchcall.contacts.formats.xls import xls_error_cells
from batchcall.contacts.formats.xlsx.error_cells import xlsx_error_cells
from batchcall.rules import Reason, validate
from batchcall.samples import sample_path

from tests.workspace_data import IN_ROUTE, TELEPHONY_CONFIG


def workbook_with_errors(rows: int = 6) -> bytes:
    """XlsxWriter stores a formula's cached value as given: errors as t="e" cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["phone_number", "name", "score"])
    for row in range(1, rows + 1):
        sheet.write_string(row, 0, f"98765{row:05d}")
        sheet.write_string(row, 1, f"Lead {row}")
        sheet.write_formula(row, 2, "=1/0", None, "#DIV/0!")
    sheet.write_formula(3, 0, '=VLOOKUP("x",A1:A2,1,FALSE)', None, "#N/A")
    sheet.write_formula(rows + 1, 0, "=NA()", None, "#N/A")  # a row of errors only
    sheet.write_formula(rows + 1, 1, "=NA()", None, "#N/A")
    book.close()
    return buffer.getvalue()


def test_error_cells_are_found_in_the_sheet_xml():
    found = xlsx_error_cells(workbook_with_errors(2), "Leads")
    assert found == {
        (2, 3): "#DIV/0!",
        (3, 3): "#DIV/0!",
        (4, 1): "#N/A",
        (4, 2): "#N/A",
    }


def test_error_cells_read_as_their_text_and_the_row_stays_a_lead():
    contacts = read_contacts(workbook_with_errors(), "leads.xlsx")
    assert contacts.loc[4, "phone_number"] == "#N/A"
    assert contacts.loc[8].tolist() == ["#N/A", "#N/A", ""]  # not dropped as a blank row
    assert set(contacts["score"].iloc[:6]) == {"#DIV/0!"}
    report = validate(contacts, IN_ROUTE, TELEPHONY_CONFIG)
    failing = report.rows[report.rows["reason"] == str(Reason.INVALID_PHONE_NUMBER)]
    assert list(failing.index) == [4, 8]


def test_a_sheet_without_error_cells_is_unchanged_and_the_scan_is_cheap_to_skip():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet("S").write_row(0, 0, ["phone_number", 't="e" in text'])
    book.close()
    assert xlsx_error_cells(buffer.getvalue(), "S") == {}
    assert xlsx_error_cells(b"not a zip", "S") == {}


@pytest.mark.parametrize("prefix", [b"", b"x:"])
def test_cells_are_found_whatever_the_attribute_order_or_namespace_prefix(prefix: bytes):
    sheet = (
        b'<worksheet xmlns:x="m"><' + prefix + b"sheetData><" + prefix + b'row r="2">'
        b"<" + prefix + b'c t="e" s="3" r="B2"><' + prefix + b'f t="shared" si="0"/>'
        b"<" + prefix + b"v>#REF!</" + prefix + b"v></" + prefix + b"c>"
        b"<" + prefix + b'c r="C2" t="e"/>'
        b"</" + prefix + b"row></" + prefix + b"sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(workbook_with_errors(1)))
    with source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            part = sheet if name == "xl/worksheets/sheet1.xml" else source.read(name)
            target.writestr(name, part)
    assert xlsx_error_cells(buffer.getvalue(), "Leads") == {(2, 2): "#REF!"}


@pytest.mark.parametrize("name", ["errors.xlsx", "errors.xls"])
def test_libreoffice_error_cells_read_the_same_in_xlsx_and_xls(name: str):
    contacts = read_contacts(Path(__file__).parent / "fixtures" / name)
    assert contacts["phone_number"].tolist() == [
        "9876543210",
        "#VALUE!",
        "#N/A",
        "+91 98765 43211",
    ]
    assert contacts.loc[4].tolist() == ["#N/A", "#N/A", ""]
    assert contacts["score"].tolist() == ["#DIV/0!", "7", "", "#VALUE!"]


def test_an_xls_without_error_records_is_not_read_twice(monkeypatch: pytest.MonkeyPatch):
    import xlrd

    opened: list[int] = []
    monkeypatch.setattr(xlrd, "open_workbook", lambda **kw: opened.append(1))
    legacy = sample_path("legacy_contacts.xls")
    assert xls_error_cells(legacy.read_bytes(), "Sheet1") == {}
    assert opened == []


def rewritten(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``."""
    source, copy = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info)
            out.writestr(info, change(body) if info.filename.endswith("sheet1.xml") else body)
    return copy.getvalue()


NEWER_ERRORS = ["#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!",
                "#BUSY!", "#UNKNOWN!", "#PYTHON!", "#EXTERNAL!"]  # fmt: skip


@pytest.mark.parametrize("error", NEWER_ERRORS)
def test_newer_excel_errors_read_as_their_text(error: str) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["phone_number", "name"])
    sheet.write_formula(1, 0, "=SEQUENCE(2)", None, error)  # written as t="str"...
    sheet.write_formula(1, 1, "=FILTER(A:A,A:A>0)", None, error)
    sheet.write_row(2, 0, ["9876543210", "Rahul"])
    book.close()
    data = rewritten(
        buffer.getvalue(), lambda xml: xml.replace(b't="str"', b't="e"')
    )  # ...as Excel
    contacts = read_contacts(data, "newer.xlsx")
    assert contacts.values.tolist() == [[error, error], ["9876543210", "Rahul"]]
    assert validate(contacts, IN_ROUTE, TELEPHONY_CONFIG).to_tuples()[0][:2] == (
        2,
        Reason.INVALID_PHONE_NUMBER,
    )


@pytest.mark.timeout(60)
def test_error_markers_outside_cells_are_scanned_in_one_pass() -> None:
    """Elements marked t="e" outside any cell, and cells that never end, once took minutes
    (each marker searched to the end of the sheet for a cell's end); the scan is linear."""
    junk = b'<extLst><ext uri="x"><x:j>' + b'<j t="e">' * 600_000 + b"</x:j></ext></extLst>"
    data = rewritten(
        workbook_with_errors(1), lambda xml: xml.replace(b"</worksheet>", junk + b"</worksheet>")
    )
    expected = xlsx_error_cells(workbook_with_errors(1), "Leads")
    assert len(expected) == 4 and xlsx_error_cells(data, "Leads") == expected
    no_closing = b'<c r="A9" t="e">' * 200_000  # cell starts that never end
    data = rewritten(
        workbook_with_errors(1),
        lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + no_closing),
    )
    assert (2, 3) in xlsx_error_cells(data, "Leads")
