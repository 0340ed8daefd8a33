"""lib.contacts on workbooks: XLSX and XLS cells as text, sheets, row numbers, refusals.

The XLS and the formula cases read the committed LibreOffice-written files in
``tests/fixtures/`` (made by ``tests/fixtures/make_fixtures.py``), so they never
skip; ``test_regenerated_fixtures_read_the_same`` rebuilds them with LibreOffice
when it is installed and checks the committed copies still match the script.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lib import cell_text
from lib.contacts import (
    ContactFileError,
    EmptyFileError,
    MissingPhoneColumnError,
    SheetNotFoundError,
    UnreadableFileError,
    list_sheets,
    read_contacts,
)

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def table(frame: pd.DataFrame) -> tuple[list[int], list[str], list[list[str]]]:
    return list(frame.index), list(frame.columns), frame.to_numpy().tolist()


def xlsx_bytes(*sheets_rows: tuple[str, list[list[object]]], at: str = "A1") -> bytes:
    """An openpyxl workbook (no cached formula values) with rows written from ``at``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    start = openpyxl.utils.cell.coordinate_to_tuple(at)
    for title, rows in sheets_rows:
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(start[0] + r, start[1] + c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NUMBERS_HEADER = [
    "phone_number",
    "name",
    "whole",
    "half",
    "noise",
    "big",
    "neg",
    "pct",
    "date",
    "when",
    "flag",
    "formula",
    "ftext",
    "tiny",
    "time",
]
NUMBERS_ROWS = {
    2: [
        "9876543210",
        "Priya Sharma",
        "42",
        "12500.5",
        "0.3",
        "123456789012345",
        "-17",
        "0.15",
        "2024-05-01",
        "2024-05-01 10:30:15",
        "TRUE",
        "84",
        "9876543210",
        "0.000000000000000000015",
        "10:30:00",
    ],
    3: [
        "+91 98765 43210",
        "",
        "",
        "3.14159265358979",
        "0.333333333333333",
        "1000000000000000",
        "-0.5",
        "1",
        "1999-12-31",
        "2024-05-01",
        "FALSE",
        "1",
        "xy",
        "0.0001234",
        "",
    ],
    5: ["09876543210", "Ravi", *[""] * 13],
    6: ["9876543210.0", "Text float", *[""] * 13],
    7: ["9.87654321E+9", "Text sci", *[""] * 13],
}


# ------------------------------------------------------------------ cells as text


@pytest.mark.parametrize("name", ["numbers.xlsx", "numbers.xls"])
def test_numbers_dates_booleans_formulas(fixture_path, name: str):
    """Whole numbers as digits, no float noise, ISO dates, cached formula values, blank row 4."""
    frame = read_contacts(fixture_path(name))
    assert table(frame) == (list(NUMBERS_ROWS), NUMBERS_HEADER, list(NUMBERS_ROWS.values()))


def test_openpyxl_numbers_ints_and_floats():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "as_float", "noise", "neg", "big", "date", "when", "flag"],
                [
                    9876543210,
                    9876543210.0,
                    0.1 + 0.2,
                    -42.0,
                    123456789012345.0,
                    dt.date(2024, 5, 1),
                    dt.datetime(2024, 5, 1, 9, 5),
                    False,
                ],
                [
                    919876543210,
                    1e20,
                    1 / 3,
                    -0.25,
                    999999999999999,
                    dt.datetime(2024, 12, 31),
                    dt.datetime(2024, 1, 2, 23, 59, 59),
                    True,
                ],
            ],
        )
    )
    assert table(read_contacts(data, "n.xlsx")) == (
        [2, 3],
        ["phone_number", "as_float", "noise", "neg", "big", "date", "when", "flag"],
        [
            [
                "9876543210",
                "9876543210",
                "0.3",
                "-42",
                "123456789012345",
                "2024-05-01",
                "2024-05-01 09:05:00",
                "FALSE",
            ],
            [
                "919876543210",
                "100000000000000000000",
                "0.333333333333333",
                "-0.25",
                "999999999999999",
                "2024-12-31",
                "2024-01-02 23:59:59",
                "TRUE",
            ],
        ],
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9876543210.0, "9876543210"),
        (12500.5, "12500.5"),
        (0.1 + 0.2, "0.3"),
        (-17.0, "-17"),
        (-0.0, "0"),
        (123456789012345.0, "123456789012345"),
        (0.15, "0.15"),
        (1e-7, "0.0000001"),
        (1.5e-20, "0.000000000000000000015"),
        (-2.5e-9, "-0.0000000025"),
        (1.234567890123456e-5, "0.0000123456789012346"),
        (float("nan"), ""),
    ],
)
def test_number_text(value: float, text: str):
    assert cell_text.number_text(value) == text


def test_cell_text_kinds():
    assert cell_text.cell_text(True) == "TRUE"
    assert cell_text.cell_text(7) == "7"
    assert cell_text.cell_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text.cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text.cell_text(dt.datetime(2024, 5, 1, 10, 30)) == "2024-05-01 10:30:00"
    assert cell_text.cell_text(dt.time(10, 30)) == "10:30:00"
    assert cell_text.cell_text(None) == ""
    assert cell_text.cell_text("  x ") == "  x "


def test_text_cells_in_a_workbook_are_not_rewritten():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "code"],
                ["9876543210.0", "007"],
                ["09876543210", "1e5"],
                ["+91 98765 43210", " padded "],
            ],
        )
    )
    assert table(read_contacts(data, "t.xlsx")) == (
        [2, 3, 4],
        ["phone_number", "code"],
        [["9876543210.0", "007"], ["09876543210", "1e5"], ["+91 98765 43210", " padded "]],
    )


# ------------------------------------------------------------------ row numbers


@pytest.mark.parametrize("name", ["offset.xlsx", "offset.xls"])
def test_data_starting_at_b3_keeps_the_sheets_row_numbers(fixture_path, name: str):
    assert table(read_contacts(fixture_path(name))) == (
        [4, 5, 7],
        ["phone_number", "name", "city"],
        [
            ["9876543210", "Priya", "Delhi"],
            ["+91 91234 56789", "Rahul", "Mumbai"],
            ["12345", "Anil", ""],
        ],
    )


def test_offset_sheet_errors_name_the_sheets_column_letters():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "name", None],
                ["9876543210", "a", None],
                ["9123456789", "b", "stray"],
            ],
        ),
        at="B3",
    )
    with pytest.raises(UnreadableFileError) as caught:
        read_contacts(data, "offset.xlsx")
    assert str(caught.value).startswith("offset.xlsx: column D has values (first in row 5)")
    assert caught.value.column == "D"


def test_blank_rows_in_a_workbook_keep_the_numbering():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "name"],
                [None, None],
                ["9876543210", "a"],
                [None, None],
                [None, None],
                ["9123456789", "b"],
            ],
        )
    )
    assert list(read_contacts(data, "b.xlsx").index) == [3, 6]


# ------------------------------------------------------------------ headers


def test_workbook_headers_are_stripped_and_empty_unnamed_columns_dropped():
    data = xlsx_bytes(
        (
            "S",
            [
                [" phone_number ", None, "\tname", 2024, None],
                ["9876543210", None, "a", 1, None],
                ["9123456789", None, "b", 2, None],
            ],
        )
    )
    assert table(read_contacts(data, "h.xlsx")) == (
        [2, 3],
        ["phone_number", "name", "2024"],
        [["9876543210", "a", "1"], ["9123456789", "b", "2"]],
    )


def test_workbook_duplicate_and_unnamed_headers_are_refused():
    dupes = xlsx_bytes(("S", [["phone_number", "name", "name "], ["9876543210", "a", "b"]]))
    with pytest.raises(UnreadableFileError, match="columns B and C are both named 'name'"):
        read_contacts(dupes, "d.xlsx")
    unnamed = xlsx_bytes(("S", [["phone_number", None], ["9876543210", "x"]]))
    with pytest.raises(UnreadableFileError, match=r"^u\.xlsx: column B has values"):
        read_contacts(unnamed, "u.xlsx")


# ------------------------------------------------------------------ sheets


@pytest.mark.parametrize("name", ["multi.xlsx", "multi.xls"])
def test_sheet_choice(fixture_path, name: str):
    path = fixture_path(name)
    assert list_sheets(path) == ["Notes", "Leads", "Contacts", "Empty"]
    contacts = (
        [2, 3, 5],
        ["phone_number", "name"],
        [
            ["9876543210", "Contact One"],
            ["9123456789", "Contact Two"],
            ["+44 7400 123456", "Contact Three"],
        ],
    )
    leads = (
        [2, 3],
        ["phone_number", "name"],
        [["9812345678", "Lead One"], ["+91 98200 45678", "Lead Two"]],
    )
    assert table(read_contacts(path)) == contacts  # first sheet with phone_number
    assert table(read_contacts(path, sheet="Contacts")) == contacts
    assert table(read_contacts(path, sheet=2)) == contacts
    assert table(read_contacts(path, phone_column="Mobile No.")) == leads
    assert table(read_contacts(path, sheet="Leads", phone_column="Mobile No.")) == leads
    assert table(read_contacts(path, sheet=1, phone_column="Mobile No.")) == leads
    with pytest.raises(MissingPhoneColumnError) as caught:
        read_contacts(path, sheet="Leads")
    assert caught.value.suggestions == ["Mobile No."]
    with pytest.raises(EmptyFileError, match=f"^{name} has no rows"):
        read_contacts(path, sheet="Empty")


@pytest.mark.parametrize("sheet", ["Nope", "contacts", 4, -1])
def test_sheet_not_found(fixture_path, sheet):
    with pytest.raises(SheetNotFoundError) as caught:
        read_contacts(fixture_path("multi.xlsx"), sheet=sheet)
    message = str(caught.value)
    assert message.startswith("multi.xlsx has ")
    assert message.endswith("Choose one of: Notes, Leads, Contacts, Empty.")


def test_without_any_phone_number_sheet_the_suggestions_come_from_the_likeliest_sheet():
    data = xlsx_bytes(
        ("Notes", [["Notes", None], [None, "call after 6 pm"]]),
        ("Leads", [["name", "Mobile No."], ["Priya", 9876543210], ["Rahul", "+91 91234 56789"]]),
    )
    with pytest.raises(MissingPhoneColumnError) as caught:
        read_contacts(data, "leads.xlsx")
    assert caught.value.suggestions == ["Mobile No."]
    assert table(read_contacts(data, "leads.xlsx", phone_column="Mobile No.")) == (
        [2, 3],
        ["phone_number", "name"],
        [["9876543210", "Priya"], ["+91 91234 56789", "Rahul"]],
    )


def test_workbook_with_no_data_is_empty():
    with pytest.raises(EmptyFileError, match=r"^blank\.xlsx has no data on any sheet"):
        read_contacts(xlsx_bytes(("A", []), ("B", [])), "blank.xlsx")
    header_only = xlsx_bytes(("A", [["phone_number", "name"], [None, None]]))
    with pytest.raises(EmptyFileError, match=r"^h\.xlsx has a header row but no contacts"):
        read_contacts(header_only, "h.xlsx")


def test_list_sheets_samples(sample_path):
    assert list_sheets(sample_path("messy_contacts.xlsx")) == ["Notes", "Contacts"]
    assert list_sheets(sample_path("legacy_contacts.xls")) == ["Sheet1"]
    assert list_sheets(sample_path("loan_followup.csv")) == []


# ------------------------------------------------------------------ unreadable


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "start"),
    [
        (b"PK\x03\x04" + b"\x00garbage" * 50, "broken.xlsx", "broken.xlsx could not be opened"),
        (zip_without_workbook(), "broken.xlsx", "broken.xlsx could not be opened"),
        (
            bytes(random.Random(1).randrange(256) for _ in range(3000)),
            "random.xls",
            "random.xls is named .xls but holds",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000), "ole.xls", "ole.xls could not be"),
        (b"phone_number\n9876543210\n", "text.xlsx", "text.xlsx is named .xlsx but holds plain"),
    ],
    ids=["corrupt-zip", "zip-not-workbook", "random-bytes-xls", "ole-garbage", "csv-as-xlsx"],
)
def test_unreadable_workbooks(data: bytes, name: str, start: str):
    with pytest.raises(UnreadableFileError) as caught:
        read_contacts(data, name)
    assert str(caught.value).startswith(start)
    with pytest.raises(UnreadableFileError):
        list_sheets(data, name)


def test_xls_named_xlsx_and_back(fixture_path):
    xls = fixture_path("numbers.xls").read_bytes()
    xlsx = fixture_path("numbers.xlsx").read_bytes()
    with pytest.raises(UnreadableFileError, match=r"^n\.xlsx is named \.xlsx but holds an XLS "):
        read_contacts(xls, "n.xlsx")
    with pytest.raises(UnreadableFileError, match=r"^n\.xls is named \.xls but holds an XLSX "):
        read_contacts(xlsx, "n.xls")


@pytest.mark.parametrize("name", ["secret.xlsx", "secret.xls"])
def test_password_protected_workbook(fixture_path, name: str):
    data = fixture_path("encrypted.xlsx").read_bytes()
    with pytest.raises(UnreadableFileError) as caught:
        read_contacts(data, name)
    assert str(caught.value).startswith(f"{name} is password-protected. Remove the password")


@pytest.mark.parametrize("name", ["numbers.xlsx", "numbers.xls", "multi.xlsx", "multi.xls"])
def test_damaged_workbooks_raise_only_contact_file_errors(fixture_path, name: str):
    data = fixture_path(name).read_bytes()
    rng = random.Random(name)
    damaged = [data[:cut] for cut in (8, 64, 512, len(data) // 3, len(data) // 2, len(data) - 9)]
    for _ in range(25):
        flipped = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        damaged.append(bytes(flipped))
    for sample in damaged:
        for call in (lambda s: read_contacts(s, name), lambda s: list_sheets(s, name)):
            with contextlib.suppress(ContactFileError):  # anything else fails the test
                call(sample)


# ------------------------------------------------------------------ sample files


def test_sample_messy_contacts(sample_path):
    frame = read_contacts(sample_path("messy_contacts.xlsx"))
    assert list(frame.columns) == [
        "phone_number",
        "customer_name",
        "loan_amount",
        "product",
        "due_date",
        "city",
    ]
    assert list(frame.index) == [r for r in range(2, 62) if r != 31]
    phones = frame["phone_number"]
    assert phones[14] == "9812345678"  # numeric cell
    assert phones[23] == "9.84512367E+9"  # text, kept
    assert phones[25] == "9823456710.0"  # text, kept
    assert phones[27] == "+919811122233"  # formula's cached value
    assert phones[39] == "919900112233"  # numeric cell
    assert phones[20] == ""
    assert frame.loc[28, "loan_amount"] == "1480000"
    assert frame.loc[35, "customer_name"] == "Anil Kapoor"
    assert frame.loc[51, "due_date"] == "15/06/2024"  # typed as text
    assert frame.loc[53, "loan_amount"] == "₹2,50,000"
    assert all(len(d) == 10 and d[4] == "-" for d in frame["due_date"].drop(51))


def test_sample_legacy_xls(sample_path):
    frame = read_contacts(sample_path("legacy_contacts.xls"))
    assert list(frame.index) == list(range(2, 42))
    phones = frame["phone_number"]
    assert [phones[r] for r in (2, 3, 5, 7, 9, 11, 15, 17, 23, 25)] == [
        "9876543210",
        "9123456789",
        "919845098450",
        "+91 98450 12345",
        "1123456789",
        "2226591234",
        "98765",
        "09812312345",
        "18001234567",
        "",
    ]
    assert frame.loc[20, "loan_amount"] == "12500.5"
    assert not any(p.endswith(".0") or "E+" in p for p in phones)
    assert all(len(d) == 10 and d[4] == "-" for d in frame["due_date"])


# ------------------------------------------------------------------ the committed fixtures


@pytest.fixture(scope="session")
def libreoffice_fixtures(tmp_path_factory) -> Path:
    """The fixtures rebuilt now by make_fixtures.py; skips when LibreOffice is missing."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_fixtures", FIXTURES_DIR / "make_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if module.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed; the committed fixtures are used")
    outdir = tmp_path_factory.mktemp("libreoffice")
    module.build(outdir)
    return outdir


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["numbers.xlsx", "numbers.xls", "offset.xlsx", "offset.xls", "multi.xlsx", "multi.xls"],
)
def test_regenerated_fixtures_read_the_same(libreoffice_fixtures: Path, name: str):
    fresh, committed = libreoffice_fixtures / name, FIXTURES_DIR / name
    assert list_sheets(fresh) == list_sheets(committed)
    for sheet in list_sheets(committed):
        try:
            expected = table(read_contacts(committed, sheet=sheet))
        except ContactFileError as error:
            with pytest.raises(type(error)):
                read_contacts(fresh, sheet=sheet)
            continue
        assert table(read_contacts(fresh, sheet=sheet)) == expected


def test_committed_fixtures_are_small():
    for path in FIXTURES_DIR.iterdir():
        if path.suffix in (".xls", ".xlsx"):
            assert path.stat().st_size < 50 * 1024, path.name
