"""What the pages show is worded for people: headers in words, counts with thousands
separators, a time once with its zone, singular and plural right. The library's own
frames (and so the downloads) keep the contract's names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from batchcall.api.batches import Call
from batchcall.insight import display
from batchcall.insight.outcomes import outcomes_by
from batchcall.insight.progress import CALL_COLUMNS, calls_table
from batchcall.ui.estimate_view import end_text

ENDED = datetime(2026, 12, 5, 14, 5, 9, tzinfo=UTC)


def _calls() -> list[Call]:
    return [
        Call(
            id=f"call_{n}",
            to_phone_number=f"+91987654321{n}",
            status=status,
            duration_seconds=61.0 if status == "completed" else None,
            end_reason="customer_hung_up" if status == "completed" else None,
            ended_at=ENDED if status == "completed" else None,
            position=n,
            metadata={"product": "home_loan", "To": "clash"},
        )
        for n, status in enumerate(["completed", "no-answer", "in_progress"], start=2)
    ]


def test_no_snake_case_header_in_the_calls_table() -> None:
    table = calls_table(_calls(), {2: 120_002, 3: 120_003, 4: 120_004})
    assert list(table.columns)[: len(CALL_COLUMNS) + 1] == ["row", *CALL_COLUMNS]  # unchanged
    headers = display.call_headers(table)
    assert headers == {
        "row": "Row",
        "status": "Status",
        "duration_seconds": "Duration",
        "end_reason": "Ended because",
        "ended_at": "Ended at",
    }  # "To" is an uploaded column here: the number keeps its own name rather than clash
    shown = display.calls_display(table)
    assert str(shown["ended_at"].dt.tz) == "UTC"
    assert list(shown.columns) == list(table.columns)


def test_every_fixed_call_column_has_a_header_in_words() -> None:
    table = calls_table([c.model_copy(update={"metadata": {}}) for c in _calls()])
    headers = display.call_headers(table)
    assert headers["to_phone_number"] == "To" and headers["submitted_row"] == "Row sent"
    assert all("_" not in header for header in headers.values())
    assert set(headers) == set(table.columns)


@pytest.mark.parametrize(
    ("slug", "words"),
    [("no_answer", "No answer"), ("in-progress", "In progress"), (None, ""), ("busy", "Busy")],
)
def test_slugs_read_as_words(slug: str | None, words: str) -> None:
    assert display.human(slug) == words


def test_counts_and_plurals() -> None:
    assert display.plural(1, "edited row") == "1 edited row"
    assert display.plural(120_002, "edited row") == "120,002 edited rows"
    assert display.plural(2, "entry", "entries") == "2 entries"
    assert display.rows_text([2, 1_204, 120_002]) == "2 · 1,204 · 120,002"
    assert display.rows_text(range(2, 30), limit=3) == "2 · 3 · 4 … 25 more"


def test_network_groups_and_duplicates_are_headed_in_words() -> None:
    groups = pd.DataFrame(
        {"country": ["IN"], "group": ["India Mobile"], "prefixes": ["+919"], "enabled": [True]}
        | {"contacts": [120_002]}
    )
    assert list(display.network_groups_display(groups).columns) == [
        "Country",
        "Network group",
        "Prefixes",
        "Enabled",
        "Contacts",
    ]
    duplicates = pd.DataFrame({"number": ["+919876543210"], "count": [2], "rows": [[2, 12_004]]})
    shown = display.duplicates_display(duplicates)
    assert shown.to_dict("records") == [
        {"Number": "+919876543210", "Copies": 2, "Rows": "2 · 12,004"}
    ]
    assert list(duplicates.columns) == ["number", "count", "rows"]  # the profile's own frame


def test_outcome_headers_name_statuses_and_rates_in_words() -> None:
    calls = pd.DataFrame(
        {"product": ["a", "b"], "status": ["no_answer", "completed"], "duration_seconds": [0, 9]}
    )
    table = outcomes_by(calls, "product")
    assert display.outcome_headers(table) == {
        "calls": "Calls",
        "completed": "Completed",
        "no_answer": "No answer",
        "dialled": "Dialled",
        "connect_rate": "Connect rate",
        "mean_duration_s": "Mean completed call",
    }


def test_a_time_is_shown_once_with_its_zone() -> None:
    assert end_text(ENDED, "UTC") == "5 Dec 14:05 UTC"
    assert end_text(ENDED, "Asia/Kolkata") == "5 Dec 14:05 (Asia/Kolkata)"
    assert "+00:00" not in end_text(ENDED, "UTC")


def test_when_text_says_a_moment_once_in_the_operators_zone_and_utc_only_if_another() -> None:
    launch = datetime(2026, 12, 5, 3, 30, tzinfo=UTC)
    kolkata, new_york = ZoneInfo("Asia/Kolkata"), ZoneInfo("America/New_York")
    assert display.when_text(launch) == "5 Dec 03:30 UTC"
    assert display.when_text(launch, weekday=True, with_utc=True) == "Sat 5 Dec 03:30 UTC"
    assert (
        display.when_text(launch, kolkata, "Asia/Kolkata", weekday=True, with_utc=True)
        == "Sat 5 Dec 09:00 (Asia/Kolkata) · 03:30 UTC"
    )
    # Another date in UTC than on the operator's wall: the UTC day is said too.
    assert (
        display.when_text(launch, new_york, "America/New_York", with_utc=True)
        == "4 Dec 22:30 (America/New_York) · 5 Dec 03:30 UTC"
    )
    assert display.when_text(launch.replace(tzinfo=None)) == "5 Dec 03:30 UTC"  # naive: UTC


def test_clock_text_is_a_time_today_and_names_the_day_otherwise() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    assert display.clock_text(ENDED, now=ENDED) == "14:05 UTC"
    assert display.clock_text(ENDED, kolkata, "Asia/Kolkata", now=ENDED) == "19:35 (Asia/Kolkata)"
    yesterday = ENDED - timedelta(days=1)
    assert display.clock_text(ENDED, now=yesterday) == "5 Dec 14:05 UTC"


def test_destination_advice_counts_with_separators() -> None:
    from batchcall.insight.destinations import _n

    assert _n(1) == "1 contact"
    assert _n(120_002) == "120,002 contacts"
