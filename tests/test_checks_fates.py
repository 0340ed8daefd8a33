"""Each row's fate at launch, the file sent without the rows left out, the workspace's DNC
store, the operator's clock and the hour chart: the library under Submit's "Before launch"."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from batchcall.api.models import as_phone_number
from batchcall.charts.checks import local_hour_bars
from batchcall.checks import Disposition, dnc_entries, precheck
from batchcall.checks.dnc_store import DncStore
from batchcall.checks.fates import row_fates
from batchcall.checks.local_time import from_local, operator_zone
from batchcall.contacts import UnreadableFileError, read_contacts
from batchcall.insight.preflight import launch_blockers
from batchcall.work.sending import fates_table, sent_csv
from batchcall.work.submission import idempotency_key
from batchcall.work.table import WorkTable

DATA = Path(__file__).resolve().parent / "data" / "checks"
MORNING_IN_INDIA = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)  # 11:30 IST; New York 02:00
NIGHT_IN_INDIA = datetime(2025, 3, 12, 20, 0, tzinfo=UTC)  # 01:30 IST
SAME_CUSTOMER = [2, 5, 6, 10]  # +91 98765 43210 written four valid ways


@pytest.fixture
def table(workspace: dict[str, Any]) -> WorkTable:
    route = next(n for n in workspace["phone_numbers"] if n["id"] == "pn_in_mumbai")
    contacts = read_contacts(DATA / "india_contacts.csv")
    table = WorkTable(contacts, route, workspace["telephony_config"])
    failing = table.report.failing.index.tolist()
    table.drop(failing)  # as an operator would before launch
    return table


def checked(table: WorkTable, at: datetime = MORNING_IN_INDIA, **options: Any):
    return precheck(table.active, table.route, table.config, at=at, **options)


def test_every_row_has_one_fate_and_only_to_call_rows_are_sent(table: WorkTable) -> None:
    table.drop([3])
    report = checked(table, dnc=["+1 646 555 0198"])
    fates = row_fates(report, table.original.index)
    assert len(fates.dispositions) == len(table.original)
    assert fates.dispositions.loc[3] == Disposition.DROPPED
    assert fates.dispositions.loc[SAME_CUSTOMER].tolist()[1:] == ["duplicate"] * 3
    assert fates.dispositions.loc[SAME_CUSTOMER[0]] == Disposition.TO_CALL
    data, row_map = sent_csv(table, fates.excluded)
    sent = pd.read_csv(io.BytesIO(data), dtype=str)
    to_call = fates.dispositions.index[fates.dispositions == Disposition.TO_CALL].tolist()
    assert (
        sorted(row_map.values())
        == to_call
        == sorted(set(table.passing.index) - set(fates.excluded))
    )
    assert list(row_map) == list(range(2, len(to_call) + 2))
    assert sent["phone_number"].tolist() == table.current.loc[to_call, "phone_number"].tolist()
    assert fates.counts[Disposition.TO_CALL] == fates.to_call == len(sent)


def test_keep_last_and_all_and_calling_outside_hours(table: WorkTable) -> None:
    report = checked(table)
    last = row_fates(report, table.original.index, keep="last")
    assert [last.dispositions.loc[r] for r in SAME_CUSTOMER] == ["duplicate"] * 3 + ["to_call"]
    every = row_fates(report, table.original.index, keep="all")
    assert not set(every.excluded) & set(SAME_CUSTOMER)
    assert every.digest != last.digest != row_fates(report, table.original.index).digest

    night = checked(table, at=NIGHT_IN_INDIA)
    left_out = row_fates(night, table.original.index, keep="all")
    called = row_fates(night, table.original.index, keep="all", leave_out_outside_hours=False)
    assert left_out.counts[Disposition.OUTSIDE_CALLING_HOURS] > 0
    assert called.counts[Disposition.OUTSIDE_CALLING_HOURS] == 0
    assert called.excluded == () and called.digest == ""


def test_dnc_rows_are_always_left_out_and_the_platform_reason_comes_first(
    table: WorkTable,
) -> None:
    table.restore(sorted(table.dropped))  # failing rows back: their reason is their fate
    report = checked(table, dnc=["98765 43210"])
    fates = row_fates(report, table.original.index, keep="all", leave_out_outside_hours=False)
    assert set(SAME_CUSTOMER) <= set(fates.excluded)
    assert {fates.dispositions.loc[r] for r in SAME_CUSTOMER} == {"do_not_call"}
    failing = report.rows.index[report.rows["reason"].notna()]
    assert len(failing)
    assert fates.dispositions.loc[failing].tolist() == report.rows.loc[failing, "reason"].tolist()
    frame = fates_table(table, fates.dispositions)
    assert frame.loc[SAME_CUSTOMER[0], "disposition"] == "On the do-not-call list"
    assert list(frame.columns[:2]) == ["phone_number", "current_number"]


def test_the_rows_left_out_are_part_of_the_idempotency_key() -> None:
    fields: dict[str, Any] = {
        "file_digest": "f", "content_digest": "c", "agent_id": "a", "from_phone_number": "+1",
        "name": None, "scheduled_at": None, "max_concurrent_calls": 1, "retry_config": None,
    }  # fmt: skip
    plain = idempotency_key(**fields)
    assert idempotency_key(**fields, exclusions="") == plain
    assert (
        idempotency_key(**fields, exclusions="x")
        != plain
        != idempotency_key(**fields, exclusions="y")
    )


def test_the_dnc_store_keeps_each_workspaces_list_with_its_date(tmp_path: Path) -> None:
    store = DncStore(tmp_path)
    assert store.load("ws1") is None and store.stamp("ws1") is None
    old = datetime(2025, 1, 1, tzinfo=UTC)
    kept = store.save("ws1", "list.txt", ["+919876543210", "98765 43210"], uploaded_at=old)
    loaded = store.load("ws1")
    assert loaded == kept and loaded.entries == ("+919876543210", "98765 43210")
    assert loaded.is_stale(old + timedelta(days=32)) and not loaded.is_stale(
        old + timedelta(days=30)
    )
    assert store.load("ws2") is None
    store.remove("ws1")
    assert store.load("ws1") is None
    with pytest.raises(ValueError, match="workspace"):
        store.save("../escape", "x.txt", [])


def test_dnc_entries_from_uploaded_bytes() -> None:
    text = b"# opted out\n+91 98765 43210\n\n091755 50134\r\n"
    assert dnc_entries(text, "list.txt") == ["+91 98765 43210", "091755 50134"]
    csv = b"Mobile,name\n+91-98765-43210,A\n"
    assert dnc_entries(csv, "opt_outs.csv") == ["+91-98765-43210"]
    with pytest.raises(UnreadableFileError, match=r"list\.txt"):
        dnc_entries(b"\x00\x01", "list.txt")


def test_a_wall_time_in_the_operators_zone_and_when_the_clocks_change() -> None:
    zone, name = operator_zone("America/New_York")
    winter = from_local(date(2026, 12, 4), time(22, 30), zone, name)
    assert winter.utc == datetime(2026, 12, 5, 3, 30, tzinfo=UTC) and winter.note is None
    assert winter.caption == "Sends 2026-12-05 03:30 UTC (your time zone: America/New_York)"
    skipped = from_local(date(2026, 3, 8), time(2, 30), zone, name)
    assert skipped.utc == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert skipped.note and "does not exist" in skipped.note
    repeated = from_local(date(2026, 11, 1), time(1, 30), zone, name)
    assert repeated.utc == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert repeated.note and "happens twice" in repeated.note
    kolkata = from_local(date(2026, 12, 5), time(9, 0), *operator_zone("Asia/Kolkata"))
    assert kolkata.utc == datetime(2026, 12, 5, 3, 30, tzinfo=UTC)
    for missing in (None, "", "Not/AZone"):
        assert operator_zone(missing) == (UTC, "UTC")


def test_the_local_hour_chart_stacks_inside_partly_and_outside(table: WorkTable) -> None:
    report = checked(table, at=NIGHT_IN_INDIA)
    by_hour = report.by_local_hour()
    fig = local_hour_bars(by_hour, "now", report.window.label)
    assert [trace.name for trace in fig.data] == [
        "Inside the window", "Inside in some of its zones", "Outside the window",
    ]  # fmt: skip
    assert sum(sum(trace.y) for trace in fig.data) == int(by_hour["contacts"].sum())
    assert sum(fig.data[2].y) > 0  # 01:30 in India: outside
    empty = local_hour_bars(by_hour * 0, "now", report.window.label)
    assert not empty.data


def test_rows_left_out_never_block_an_empty_file_does() -> None:
    route = as_phone_number(
        {"phone_number": "+912234567890", "status": "active", "outbound_agent_id": "agt"}
    )
    summary = {"rows": 10, "to_call": 10, "dropped": 0, "failing": 0, "ready": True}
    common: dict[str, Any] = {"agent_id": "a", "schedule_ok": True, "file_bytes": 1, "route": route}
    assert launch_blockers(summary, **common, sent_rows=3) == []
    [blocker] = launch_blockers(summary, **common, sent_rows=0)
    assert "Every row is left out under Before launch" in blocker


def test_waves_leave_out_rows_with_no_known_zone_and_say_so(table: WorkTable) -> None:
    report = checked(table, at=NIGHT_IN_INDIA)
    to_call = report.rows.index[report.rows["reason"].isna()]
    no_zone = int(to_call[-1])
    rows = report.rows.copy()
    rows.at[no_zone, "time_zones"] = ()
    rows.at[no_zone, "in_window"] = "unknown"
    report = dataclasses.replace(report, rows=rows)

    single = row_fates(report, table.original.index, leave_out_outside_hours=False)
    waves = row_fates(
        report, table.original.index, leave_out_outside_hours=False, leave_out_unknown_zone=True
    )
    assert single.dispositions.loc[no_zone] == Disposition.TO_CALL  # called now, unchecked
    assert waves.dispositions.loc[no_zone] == Disposition.OUTSIDE_CALLING_HOURS
    assert set(waves.excluded) - set(single.excluded) == {no_zone}  # no wave for it: not sent
    assert waves.counts[Disposition.TO_CALL] == single.counts[Disposition.TO_CALL] - 1
