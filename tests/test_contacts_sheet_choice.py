"""read_contacts choosing a workbook sheet: visible sheets first, an explicit choice always wins."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from batchcall.contacts import MissingPhoneColumnError, read_contacts

from tests.contacts_support import table


def workbook(*sheets: tuple[str, str, list[list[str]]]) -> bytes:
    """(title, sheet_state, rows) per sheet; the first visible sheet is the active one."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.active = next(i for i, (_, state, _) in enumerate(sheets) if state == "visible")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


STALE = [["phone_number", "name"], ["1111111111", "stale"]]
FRESH = [["phone_number", "name"], ["9876543210", "fresh"]]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_before_a_visible_one_is_not_chosen(state: str):
    frame = read_contacts(workbook(("old", state, STALE), ("Contacts", "visible", FRESH)), "l.xlsx")
    assert table(frame) == ([2], ["phone_number", "name"], [["9876543210", "fresh"]])
    assert frame.attrs["sheet"] == "Contacts"


def test_a_visible_sheet_without_phone_number_beats_a_hidden_one_with_it():
    data = workbook(
        ("lookup", "veryHidden", [["phone_number", "agent"], ["1800123456", "x"]]),
        ("Contacts", "visible", [["Phone", "name"], ["9876543210", "visible"]]),
    )
    with pytest.raises(MissingPhoneColumnError) as caught:
        read_contacts(data, "l.xlsx")
    assert caught.value.suggestions == ["Phone"]


def test_hidden_sheets_are_read_when_no_visible_sheet_has_data():
    data = workbook(("Empty", "visible", []), ("old", "hidden", STALE))
    frame = read_contacts(data, "l.xlsx")
    assert table(frame) == ([2], ["phone_number", "name"], [["1111111111", "stale"]])
    assert frame.attrs["sheet"] == "old"


def test_a_hidden_sheet_chosen_by_name_or_number_is_read():
    data = workbook(("old", "hidden", STALE), ("Contacts", "visible", FRESH))
    for choice in ("old", 0):
        frame = read_contacts(data, "l.xlsx", sheet=choice)
        assert table(frame) == ([2], ["phone_number", "name"], [["1111111111", "stale"]])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice to write an XLS")
def test_a_hidden_sheet_of_an_xls_is_not_chosen(tmp_path: Path):
    source = tmp_path / "hidden.xlsx"
    source.write_bytes(workbook(("old", "hidden", STALE), ("Contacts", "visible", FRESH)))
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "xls", "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    frame = read_contacts(tmp_path / "hidden.xls")
    assert frame.attrs["sheet"] == "Contacts"
    assert frame["name"].tolist() == ["fresh"]
