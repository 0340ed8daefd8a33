"""batchcall.checks: do-not-call lists, duplicates and each row's one disposition.

``india_contacts.csv`` is an Indian loan list judged on the shipped workspace's
Mumbai route: one customer written five ways (``+91 98765 43210``, ``98765 43210``,
``098765 43210``, ``9876543210``, and the spreadsheet float ``9.87654321E+9``),
junk repeated, look-alikes, a US number and a number the route does not cover.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from batchcall import (
    ContactFileError,
    Disposition,
    UnreadableFileError,
    load_dnc,
    precheck,
    resolve_duplicates,
)
from batchcall.contacts import read_contacts
from batchcall.work.table import WorkTable

DATA = Path(__file__).resolve().parent / "data" / "checks"
MORNING_IN_INDIA = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)  # 11:30 IST; New York 02:00
SAME_CUSTOMER = [2, 5, 6, 10]  # +91 98765 43210 written four valid ways


@pytest.fixture
def route(workspace: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in workspace["phone_numbers"] if n["id"] == "pn_in_mumbai")


@pytest.fixture
def config(workspace: dict[str, Any]) -> dict[str, Any]:
    return workspace["telephony_config"]


@pytest.fixture
def contacts() -> pd.DataFrame:
    return read_contacts(DATA / "india_contacts.csv")


@pytest.fixture
def dnc_workbook(tmp_path: Path) -> Path:
    """An opt-out export in another format and layout than the list: XLSX, header "Mobile"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mobile", "Opted out on"])
    sheet.append(["+91-98765-43210", "2025-03-01"])
    sheet.append(["(022) 2345-6789", "2025-03-02"])
    sheet.append(["12345", "2025-03-03"])  # junk: must not match the list's junk rows
    path = tmp_path / "opt_outs.xlsx"
    book.save(path)
    return path


def test_duplicates_point_at_the_first_row_with_the_same_number(contacts, route, config):
    rows = precheck(contacts, route, config, at=MORNING_IN_INDIA).rows
    assert rows.loc[2, "duplicate_of"] is None
    assert rows.loc[[5, 6, 10], "duplicate_of"].tolist() == [2, 2, 2]
    assert rows.loc[[11, 12], "duplicate_of"].tolist() == [None, None]  # junk never groups
    # spreadsheet floats parse as nothing: no key made up from them (not +919876543210)
    assert rows.loc[[9, 16], "e164"].tolist() == [None, None]
    assert rows.loc[[9, 16], "duplicate_of"].tolist() == [None, None]
    assert rows.loc[15, "duplicate_of"] is None  # +1 646 555 0198 is not row 3's +91 64655 50198
    assert rows["duplicate_of"].notna().sum() == 3


def test_resolve_duplicates_keeps_first_last_or_all(contacts, route, config):
    report = precheck(contacts, route, config, at=MORNING_IN_INDIA)
    assert resolve_duplicates(report) == [5, 6, 10]
    assert resolve_duplicates(report.rows, keep="last") == [2, 5, 6]
    assert resolve_duplicates(report, keep="all") == []
    with pytest.raises(ValueError, match="keep"):
        resolve_duplicates(report, keep="middle")  # type: ignore[arg-type]


def test_dispositions_without_a_dnc_list(contacts, route, config):
    report = precheck(contacts, route, config, at=MORNING_IN_INDIA)
    assert report.rows["disposition"].to_dict() == {
        2: "to_call",
        3: "to_call",  # a look-alike is flagged, not blocked
        4: "to_call",
        5: "duplicate",
        6: "duplicate",
        7: "to_call",
        8: "to_call",
        9: "invalid_phone_number",
        10: "duplicate",
        11: "invalid_phone_number",
        12: "invalid_phone_number",
        13: "to_call",
        14: "unsupported_prefix",  # 020: Pune landlines are not enabled on this route
        15: "outside_calling_hours",  # New York at 02:00
        16: "invalid_phone_number",
    }
    assert report.counts == {
        Disposition.INVALID_PHONE_NUMBER: 4,
        Disposition.NO_ENABLED_COUNTRIES: 0,
        Disposition.UNSUPPORTED_DESTINATION_COUNTRY: 0,
        Disposition.UNSUPPORTED_PREFIX: 1,
        Disposition.DO_NOT_CALL: 0,
        Disposition.DUPLICATE: 3,
        Disposition.OUTSIDE_CALLING_HOURS: 1,
        Disposition.TO_CALL: 6,
    }


def test_a_dnc_workbook_matches_by_e164_whatever_the_writing(contacts, route, config, dnc_workbook):
    report = precheck(contacts, route, config, at=MORNING_IN_INDIA, dnc=dnc_workbook)
    assert report.rows.index[report.rows["dnc"]].tolist() == [*SAME_CUSTOMER, 13]
    # do-not-call beats duplicate; junk "12345" on both lists matches nothing
    assert report.rows_with(Disposition.DO_NOT_CALL) == [*SAME_CUSTOMER, 13]
    assert report.rows.loc[[11, 12], "disposition"].tolist() == ["invalid_phone_number"] * 2


def test_a_plain_text_dnc_list_one_number_per_line(contacts, route, config):
    path = DATA / "dnc_optouts.txt"  # a comment, a blank line, trunk 0 with spaces, junk
    assert load_dnc(path, "IN") == frozenset({"+919175550134", "+919876543210"})
    report = precheck(contacts, route, config, at=MORNING_IN_INDIA, dnc=str(path))
    assert report.rows_with("do_not_call") == [2, 5, 6, 8, 10]  # 8 was written 917-555-0134


def test_a_dnc_iterable_and_the_platforms_reasons_come_first(contacts, route, config):
    dnc = ["+91 20 7946 0018", "+1 (646) 555-0198", "0 22 2345 6789"]
    report = precheck(contacts, route, config, at=MORNING_IN_INDIA, dnc=dnc)
    assert report.rows.index[report.rows["dnc"]].tolist() == [13, 14, 15]
    assert report.rows.loc[14, "disposition"] == "unsupported_prefix"  # the platform first
    assert report.rows.loc[15, "disposition"] == "do_not_call"  # before outside hours
    assert report.rows.loc[13, "disposition"] == "do_not_call"


def test_a_dnc_list_is_parsed_relative_to_the_route(contacts, route, config):
    as_us_numbers = load_dnc(["646 555 0198"], "US")
    assert as_us_numbers == frozenset({"+16465550198"})
    assert load_dnc(["646 555 0198"], "IN") == frozenset({"+916465550198"})


def test_an_unreadable_dnc_file_names_the_file(tmp_path, contacts, route, config):
    broken = tmp_path / "optouts.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(ContactFileError, match=r"optouts\.xlsx"):
        precheck(contacts, route, config, dnc=broken)
    binary = tmp_path / "optouts.txt"
    binary.write_bytes(b"\x00\x01\x02\x03")
    with pytest.raises(UnreadableFileError, match=r"optouts\.txt"):
        load_dnc(binary, "IN")
    with pytest.raises(UnreadableFileError, match=r"missing\.csv"):
        load_dnc(tmp_path / "missing.csv", "IN")
    with pytest.raises(UnreadableFileError, match=r"missing\.txt"):
        load_dnc(tmp_path / "missing.txt", "IN")


def test_precedence_of_the_checks_on_one_row(route, config):
    numbers = ["+1 646 555 0198", "+1 646 555 0198", "+1 212 555 0147", "+44 20 7946 0018"]
    table = pd.DataFrame({"phone_number": numbers}, index=[2, 3, 4, 5])
    report = precheck(table, route, config, at=MORNING_IN_INDIA, dnc=["+44 20 7946 0018"])
    assert report.rows["disposition"].tolist() == [
        "outside_calling_hours",  # New York 02:00
        "duplicate",  # and outside too: duplicate comes first
        "outside_calling_hours",
        "unsupported_destination_country",  # GB is off on this route, DNC or not
    ]


def test_the_table_is_never_changed(contacts, route, config, dnc_workbook):
    before = contacts.copy()
    precheck(contacts, route, config, at=MORNING_IN_INDIA, dnc=dnc_workbook)
    pd.testing.assert_frame_equal(contacts, before)


def test_dispositions_have_titles_and_reuse_the_platforms_slugs():
    assert Disposition.UNSUPPORTED_PREFIX == "unsupported_prefix"
    assert Disposition.UNSUPPORTED_PREFIX.title == "Prefix not enabled"
    assert Disposition.DROPPED.title and Disposition.DROPPED not in Disposition.from_precheck()
    assert [d.is_platform_reason for d in Disposition.from_precheck()] == [True] * 4 + [False] * 4


def test_lists_without_a_single_valid_number(route, config):
    junk = pd.DataFrame({"phone_number": ["12345", "", "call me", "12345"]}, index=[2, 3, 4, 6])
    report = precheck(junk, route, config, at=MORNING_IN_INDIA, dnc=["12345"])
    assert report.rows["disposition"].tolist() == ["invalid_phone_number"] * 4
    assert report.rows["in_window"].tolist() == ["unknown"] * 4
    assert report.rows["duplicate_of"].tolist() == [None] * 4
    assert report.earliest_start() == MORNING_IN_INDIA  # nothing to wait for
    empty = precheck(junk.iloc[:0], route, config, at=MORNING_IN_INDIA)
    assert empty.total == 0 and sum(empty.counts.values()) == 0
    assert empty.by_local_hour()["contacts"].sum() == 0


def test_a_working_tables_active_rows_after_drops_and_edits(contacts, route, config):
    table = WorkTable(contacts, route, config)
    table.drop([2])
    table.edit({8: {"phone_number": "+1 917 555 0134"}})
    rows = precheck(table.active, route, config, at=MORNING_IN_INDIA).rows
    assert 2 not in rows.index
    assert rows.loc[[6, 10], "duplicate_of"].tolist() == [5, 5]  # row 5 is now the first
    assert rows.loc[8, "lookalike"] is None and rows.loc[8, "e164"] == "+19175550134"
