"""The batch estimate: figures worked out by hand, and the calling-hours overrun."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from batchcall import CallingWindow, precheck
from batchcall.checks.estimate import estimate_batch, outrun_rows

from tests.apptest_support import ROUTE, SAMPLE, WORKSPACE

START = datetime(2026, 3, 11, 6, 0, tzinfo=UTC)  # 11:30 in India


def test_line_time_is_talk_plus_ringing_shared_by_the_lines() -> None:
    # 100 calls, half answered for 60 s (50 min), half ringing 30 s (25 min): 75 min / 10.
    got = estimate_batch(
        100, concurrency=10, start=START, connect_rate=0.5, mean_call_seconds=60,
        price_per_minute=0.1,
    )  # fmt: skip
    assert got.attempts == 100 and got.talk_minutes == 50 and got.line_minutes == 75
    assert got.duration == timedelta(minutes=7.5) and got.finish_at == START + got.duration
    assert got.cost == 5.0


def test_retries_add_attempts_and_wait_their_interval() -> None:
    got = estimate_batch(
        100, concurrency=10, start=START, connect_rate=0.5, mean_call_seconds=60,
        max_retries=1, retry_interval_minutes=60,
    )  # fmt: skip
    assert got.attempts == 150 and got.talk_minutes == 75  # the 50 missed are dialled again
    assert got.duration == timedelta(hours=1)  # the retry waits an hour; the lines do not
    assert got.cost is None


def test_bad_guesses_are_refused() -> None:
    with pytest.raises(ValueError, match="connect_rate"):
        estimate_batch(10, concurrency=1, start=START, connect_rate=1.5)
    with pytest.raises(ValueError, match="concurrency"):
        estimate_batch(10, concurrency=0, start=START)


def test_a_batch_that_ends_after_the_window_closes_is_counted_row_by_row() -> None:
    from batchcall import read_contacts

    table = read_contacts(SAMPLE)
    window = CallingWindow(start="09:00", end="20:00")
    report = precheck(table, ROUTE, WORKSPACE["telephony_config"], at=START, window=window)
    inside = int((report.rows["in_window"] == "yes").sum())
    assert inside == len(table)  # 11:30 in India: everyone may be called
    closes = datetime(2026, 3, 11, 14, 30, tzinfo=UTC)  # 20:00 in India
    assert outrun_rows(report, window, closes - timedelta(minutes=1)) == 0
    assert outrun_rows(report, window, closes + timedelta(minutes=1)) == inside


def test_rows_in_many_zones_are_counted_once_each_when_any_zone_closes() -> None:
    """World numbers (multi-zone ones too) on a SIP route: each row counted by hand."""
    from dataclasses import replace
    from pathlib import Path

    from batchcall import read_contacts

    world = read_contacts(Path(__file__).parent / "data" / "checks" / "world_contacts.csv")
    sip = next(n for n in WORKSPACE["phone_numbers"] if n["provider"] == "sip_trunk")
    at = datetime(2025, 3, 12, 17, 0, tzinfo=UTC)
    window = CallingWindow(start="08:00", end="21:00")
    report = precheck(world, sip, WORKSPACE["telephony_config"], at=at, window=window)
    rows = report.rows
    called = rows[(rows["disposition"] == "to_call") & (rows["in_window"] == "yes")]
    zone_counts = called["time_zones"].map(len)
    assert len(called) > 3 and zone_counts.max() > 1
    for hours in (1, 3, 5, 9, 30):
        finish = at + timedelta(hours=hours)
        by_hand = sum(
            any(_closes_at(zone, at, window) < finish for zone in zones)
            for zones in called["time_zones"]
        )
        assert outrun_rows(report, window, finish) == by_hand
        assert outrun_rows(replace(report, row_group=None), window, finish) == by_hand


def _closes_at(zone: str, at: datetime, window: CallingWindow) -> datetime:
    local = at.astimezone(ZoneInfo(zone))
    end = local.replace(hour=window.end.hour, minute=window.end.minute, second=0, microsecond=0)
    return end if end > local else end + timedelta(days=1)
