"""The working table: edits, drops, undo, incremental revalidation, drafts, output."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from batchcall.contacts import read_contacts
from batchcall.rules import validate
from batchcall.work.table import WorkTable

from tests.workspace_data import IN_ROUTE, SIP_ROUTE, TELEPHONY_CONFIG

CSV = (
    "phone_number,customer_name\n"
    "9876543210,Priya\n"  # row 2 ok
    "12345,Rahul\n"  # row 3 invalid
    ",,\n"  # row 4 blank
    "+447400123456,Amit\n"  # row 5 GB
    "9876543210.0,Neha\n"  # row 6 damaged, fixable
    "+911800123456,Toll\n"  # row 7 prefix
)


def small_table() -> WorkTable:
    """Six rows: one passing, one of each failing reason, one a fix repairs."""
    return WorkTable(
        read_contacts(io.BytesIO(CSV.encode()), "list.csv"), IN_ROUTE, TELEPHONY_CONFIG
    )


@pytest.fixture
def table() -> WorkTable:
    return small_table()


def test_starts_with_the_platforms_verdict(table: WorkTable) -> None:
    assert table.summary() == {"rows": 5, "to_call": 1, "failing": 4, "dropped": 0, "edited": 0}
    assert table.report.to_tuples() == [
        (3, "invalid_phone_number", None),
        (5, "unsupported_destination_country", "GB"),
        (6, "invalid_phone_number", None),
        (7, "unsupported_prefix", "IN"),
    ]


def test_an_edit_revalidates_that_row_and_leaves_the_grid(table: WorkTable) -> None:
    before = table.version
    assert table.edit({3: {"phone_number": "9123456789"}}) == 1
    assert table.version > before
    assert 3 not in table.failing_rows().index
    assert table.report.rows.loc[3, "e164"] == "+919123456789"
    assert table.edits == {3: {"phone_number": "9123456789"}}


def test_a_report_handed_out_keeps_the_verdicts_of_its_version(table: WorkTable) -> None:
    table.edit({2: {"phone_number": "12"}})  # the table's own report now, not validate's
    kept = table.report
    before = kept.rows.copy()
    table.edit({3: {"phone_number": "9123456789"}, 2: {"phone_number": "9876543211"}})
    pd.testing.assert_frame_equal(kept.rows, before)  # the next edit changed nothing in it
    assert table.report.rows.loc[3, "reason"] is None
    assert kept.rows.loc[3, "reason"] == "invalid_phone_number"
    table.drop([5])
    dropped = table.report
    table.edit({5: {"phone_number": "9123456780"}})  # a dropped row edited: still dropped
    assert 5 not in dropped.rows.index and 5 not in table.report.rows.index


def test_editing_back_to_the_original_value_is_no_edit(table: WorkTable) -> None:
    table.edit({3: {"phone_number": "9123456789"}})
    table.edit({3: {"phone_number": "12345"}})
    assert table.edits == {}
    assert table.report.rows.loc[3, "reason"] == "invalid_phone_number"


def test_failing_rows_carry_reason_hint_fix_and_original(table: WorkTable) -> None:
    grid = table.failing_rows()
    assert list(grid.index) == [3, 5, 6, 7]
    assert grid.loc[6, "suggested_fix"] == "9876543210"
    assert grid.loc[3, "suggested_fix"] == ""
    assert grid.loc[5, "problem"] == "Country not enabled (GB)"
    assert "Telephony Config" in grid.loc[7, "hint"]
    assert grid.loc[6, "original_number"] == "9876543210.0"
    assert grid.loc[5, "customer_name"] == "Amit"
    assert list(table.failing_rows("unsupported_prefix").index) == [7]


def test_bulk_fix_drop_and_undo_in_order(table: WorkTable) -> None:
    assert table.apply_fixes("invalid_phone_number") == 1
    assert table.drop_reason("unsupported_destination_country", "GB") == 1
    assert table.summary()["failing"] == 2
    assert table.summary()["dropped"] == 1
    assert table.undo() == "Drop: Country not enabled (GB)"
    assert table.dropped == set()
    assert table.undo() == "Apply fixes: Invalid phone number"
    assert table.current.loc[6, "phone_number"] == "9876543210.0"
    assert table.report.rows.loc[6, "reason"] == "invalid_phone_number"
    assert table.undo() is None


def test_route_change_judges_again(table: WorkTable) -> None:
    table.set_route(SIP_ROUTE, TELEPHONY_CONFIG)
    # On a US SIP route only format counts, and bare numbers are local to the US.
    reasons = dict(zip(table.report.failing.index, table.report.failing["reason"], strict=True))
    assert 5 not in reasons
    assert 7 not in reasons
    assert reasons[3] == "invalid_phone_number"


def test_incremental_result_equals_full_validation(table: WorkTable) -> None:
    table.edit({3: {"phone_number": "+447400123456"}, 7: {"phone_number": "9812345678"}})
    table.drop([5])
    full = validate(table.active, IN_ROUTE, TELEPHONY_CONFIG)
    assert table.report.to_tuples() == full.to_tuples()


def test_cleaned_csv_and_row_map_skip_dropped_rows(table: WorkTable) -> None:
    table.drop([3, 5])
    data, row_map = table.cleaned_csv()
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == "phone_number,customer_name"
    assert lines[1:] == ["9876543210,Priya", "9876543210.0,Neha", "+911800123456,Toll"]
    assert row_map == {2: 2, 3: 6, 4: 7}


def test_error_report_lists_failing_and_dropped_with_reason(table: WorkTable) -> None:
    table.drop([5])
    report = table.error_report()
    assert list(report.index) == [3, 5, 6, 7]
    assert report.loc[5, "status"] == "dropped"
    assert report.loc[3, "status"] == "failing"
    assert report.loc[7, "reason"] == "unsupported_prefix"


def test_draft_round_trip_replays_the_work(table: WorkTable) -> None:
    table.edit({3: {"phone_number": "9123456789", "customer_name": "Rahul M"}})
    table.drop([5])
    draft = table.to_draft()
    fresh = WorkTable(table.original, IN_ROUTE, TELEPHONY_CONFIG)
    fresh.apply_draft(draft)
    assert fresh.edits == table.edits
    assert fresh.dropped == {5}
    assert fresh.report.to_tuples() == table.report.to_tuples()


def test_an_old_draft_without_history_is_the_starting_point_not_an_undoable_step(
    table: WorkTable,
) -> None:
    table.edit({3: {"phone_number": "9123456789"}})
    table.drop([5])
    fresh = WorkTable(table.original, IN_ROUTE, TELEPHONY_CONFIG)
    old = {k: v for k, v in table.to_draft().items() if k != "history"}  # drafts before undo
    fresh.apply_draft(old)
    assert fresh.history == []
    assert fresh.undo() is None  # nothing to undo: the restored work stays
    assert fresh.edits == {3: {"phone_number": "9123456789"}}
    assert fresh.dropped == {5}
    fresh.edit({6: {"phone_number": "9876543210"}}, "Fix row 6")
    assert fresh.undo() == "Fix row 6"
    assert fresh.edits == {3: {"phone_number": "9123456789"}}
    assert fresh.dropped == {5}


def test_unknown_rows_and_columns_are_refused(table: WorkTable) -> None:
    with pytest.raises(KeyError):
        table.edit({99: {"phone_number": "1"}})
    with pytest.raises(KeyError):
        table.edit({3: {"nope": "1"}})


def test_version_is_stable_without_changes(table: WorkTable) -> None:
    before = table.version
    assert table.edit({2: {"phone_number": "9876543210"}}) == 0
    assert table.drop([]) == 0
    assert table.version == before
    assert isinstance(table.active, pd.DataFrame)


def test_the_profile_reuses_the_distinct_cells_until_a_phone_cell_changes(
    table: WorkTable,
) -> None:
    """The app takes the path the bench measures: one parse per distinct cell, reused."""
    from batchcall.insight.profile import profile_contacts

    whole = table.report
    assert whole.distinct is not None
    assert table.active["phone_number"].array is whole.distinct.source
    before = profile_contacts(table.active, whole)
    table.edit({2: {"customer_name": "Priya K"}})  # not a phone cell: the verdict stands
    assert table.report is whole
    table.edit({3: {"phone_number": "9876543211"}})
    assert table.report.distinct is None
    assert table.report.to_tuples()[0] == (5, "unsupported_destination_country", "GB")
    after = profile_contacts(table.active, table.report)
    assert before.verdicts["ok"] + 1 == after.verdicts["ok"]
    table.drop([5])
    assert 5 not in table.report.rows.index
