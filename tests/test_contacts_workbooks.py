"""read_contacts on workbooks: choosing sheets, the sample workbooks, the committed fixtures.

Cells as text are in ``test_contacts_workbook_cells.py``, row numbers and headers in
``test_contacts_workbook_layout.py``, and unreadable workbooks in
``test_contacts_workbook_refusals.py``.

The XLS and the formula cases read the committed LibreOffice-written files in
``tests/fixtures/`` (made by ``tests/fixtures/make_fixtures.py``), so they never
skip; ``test_regenerated_fixtures_read_the_same`` rebuilds them with LibreOffice
when it is installed and checks the committed copies still match the script.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from batchcall.contacts import (
    ContactFileError,
    EmptyFileError,
    MissingPhoneColumnError,
    SheetNotFoundError,
    list_sheets,
    read_contacts,
)

from tests.contacts_support import table, xlsx_bytes

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


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
