"""The batch estimate: figures worked out by hand, and the calling-hours overrun."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
