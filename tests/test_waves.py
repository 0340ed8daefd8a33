"""Time-zone waves: rows grouped by when their calling window opens, each wave's
``scheduled_at`` checked by hand against the zones' own clocks (DST included)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest
from batchcall.checks import CallingWindow, Disposition, precheck
from batchcall.checks.fates import row_fates
from batchcall.checks.waves import plan_waves

# A SIP route checks the format only, so every valid number below passes the platform.
SIP_ROUTE = {"phone_number": "+14155550123", "country": "US", "provider": "sip_trunk"}
CONFIG: dict[str, Any] = {"provider": "plivo", "sip_byoc_enabled": False, "countries": []}

MONDAY_NOON = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
"""US on standard time (DST starts 9 March), Sydney on daylight time (UTC+11)."""

CONTACTS = {
    "+12125550143": "New York",
    "+14165550182": "Toronto",
    "+16135550111": "Ottawa",
    "+13105550199": "Los Angeles",
    "+61291234567": "Sydney",
    "+61892345678": "Perth (shares Adelaide's prefix zones)",
    "+74951234567": "Moscow",
    "+73832123456": "Novosibirsk",
    "+919876543210": "Mumbai mobile",
    "12345": "not a number",
    "+80012345678": "international freephone: no time zone",
}


def table(numbers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"phone_number": numbers, "customer_name": [f"c{i}" for i in range(len(numbers))]},
        index=pd.RangeIndex(2, 2 + len(numbers), name="row"),
    )


def plan(numbers: list[str], at: datetime, window: CallingWindow | None = None, **kwargs: Any):
    report = precheck(table(numbers), SIP_ROUTE, CONFIG, at=at, window=window or CallingWindow())
    return plan_waves(report, **kwargs)


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def test_a_multi_country_list_becomes_waves_in_start_order() -> None:
    waves = plan(list(CONTACTS), MONDAY_NOON)
    schedule = [(wave.scheduled_at, wave.zones, wave.rows) for wave in waves.waves]
    assert schedule == [
        (None, ("Asia/Calcutta", "Asia/Novosibirsk", "Europe/Moscow"), [8, 9, 10]),
        (utc(2025, 3, 3, 14), ("America/New_York", "America/Toronto"), [2, 3, 4]),  # 09:00 EST
        (utc(2025, 3, 3, 17), ("America/Los_Angeles",), [5]),  # 09:00 PST
        (utc(2025, 3, 3, 22), ("Australia/Sydney",), [6]),  # 09:00 AEDT, Tuesday
        # The strictest reading: 09:00 in Perth (UTC+8) is 11:30 in Adelaide, inside too.
        (utc(2025, 3, 4, 1), ("Australia/Adelaide", "Australia/Perth"), [7]),
    ]
    assert waves.unknown_rows == [12]  # reported apart; the invalid row 11 is in no list
    assert waves.closed_rows == []
    labels = [wave.label for wave in waves.waves]
    assert labels[0] == "Wave 1/5 — Asia/Calcutta, Asia/Novosibirsk, Europe/Moscow (now)"
    assert labels[1] == "Wave 2/5 — America/New_York, America/Toronto (09:00 local)"
    assert labels[4] == "Wave 5/5 — Australia/Adelaide, Australia/Perth (09:00–11:30 local)"


def test_the_waves_follow_the_clocks_when_daylight_time_starts() -> None:
    numbers = ["+12125550143", "+13105550199"]
    before = plan(numbers, utc(2025, 3, 8, 12)).waves  # Saturday, EST
    after = plan(numbers, utc(2025, 3, 9, 12)).waves  # Sunday: EDT since 02:00
    assert [w.scheduled_at for w in before] == [utc(2025, 3, 8, 14), utc(2025, 3, 8, 17)]
    assert [w.scheduled_at for w in after] == [utc(2025, 3, 9, 13), utc(2025, 3, 9, 16)]


def test_an_indian_list_is_one_wave_at_0900_ist_or_now_once_open() -> None:
    numbers = [f"+9198{n:08d}" for n in range(10_000_000, 10_000_000 + 40 * 7919, 7919)]
    early = plan(numbers, utc(2025, 3, 3, 1))  # 06:30 IST
    assert len(early) == 1
    (wave,) = early.waves
    assert wave.scheduled_at == utc(2025, 3, 3, 3, 30)  # 09:00 IST = 03:30 UTC
    assert wave.label == "Wave 1/1 — Asia/Calcutta (09:00 local)"
    assert wave.rows == list(range(2, 42))
    late = plan(numbers, utc(2025, 3, 3, 5)).waves  # 10:30 IST: open already
    assert late[0].scheduled_at is None and late[0].opens_at == utc(2025, 3, 3, 5)
    evening = plan(numbers, utc(2025, 3, 3, 15)).waves  # 20:30 IST: closed until tomorrow
    assert evening[0].scheduled_at == utc(2025, 3, 4, 3, 30)


def test_a_window_opening_off_the_quarter_hour_is_found_to_the_minute_after_a_holiday() -> None:
    window = CallingWindow(start="09:10", end="20:00", holidays=True)
    christmas_morning = utc(2025, 12, 25, 12)  # 07:00 in New York, a public holiday
    (wave,) = plan(["+12125550143"], christmas_morning, window).waves
    assert wave.scheduled_at == utc(2025, 12, 26, 14, 10)  # 09:10 EST the next day
    assert wave.label.endswith("(09:10 local)")


def test_weekdays_that_never_come_within_a_week_leave_rows_closed() -> None:
    window = CallingWindow(days=("sat",), holidays=("RU",))
    # Saturday 8 March 2025 is Women's Day in Russia, the only Saturday in the week ahead.
    waves = plan(["+74951234567", "+12125550143"], utc(2025, 3, 3, 12), window)
    assert waves.closed_rows == [2]
    assert [w.rows for w in waves.waves] == [[3]]
    assert waves.waves[0].scheduled_at == utc(2025, 3, 8, 14)


def test_rows_no_wave_can_call_are_left_out_in_their_fates() -> None:
    """The fates downloaded and counted say what the waves do: a row whose hours never open
    within a week is not called, nor is one with no known zone."""
    window = CallingWindow(days=("sat",), holidays=("RU",))
    numbers = ["+74951234567", "+12125550143", "+80012345678", "+74951234568"]
    report = precheck(table(numbers), SIP_ROUTE, CONFIG, at=utc(2025, 3, 3, 12), window=window)
    waves = plan_waves(report)
    assert waves.closed_rows == [2, 5] and waves.unknown_rows == [4]
    rows = report.rows.index
    fates = row_fates(
        report, rows, leave_out_outside_hours=False, leave_out_unknown_zone=True,
        leave_out_never_open=True,
    )  # fmt: skip
    outside = str(Disposition.OUTSIDE_CALLING_HOURS)
    assert fates.dispositions.to_dict() == {2: outside, 3: "to_call", 4: outside, 5: outside}
    assert fates.excluded == (2, 4, 5)
    called_now = row_fates(report, rows, leave_out_outside_hours=False)
    assert called_now.excluded == ()  # without waves every row is sent now


def test_the_rows_chosen_are_waved_and_refused_rows_never_are() -> None:
    numbers = ["+12125550143", "+12125550143", "12345", "+919876543210"]
    default = plan(numbers, MONDAY_NOON)  # the repeated number is a duplicate: left out
    assert sorted(r for w in default.waves for r in w.rows) == [2, 5]
    every = plan(numbers, MONDAY_NOON, rows=[2, 3, 4, 5])
    assert sorted(r for w in every.waves for r in w.rows) == [2, 3, 5]


def test_a_plan_is_json_and_at_must_be_aware() -> None:
    waves = plan(list(CONTACTS), MONDAY_NOON)
    data = json.loads(json.dumps(waves.to_dict()))
    assert data["at"] == "2025-03-03T12:00:00Z"
    assert data["waves"][1]["scheduled_at"] == "2025-03-03T14:00:00Z"
    assert data["waves"][0]["scheduled_at"] is None
    assert data["unknown_rows"] == [12]
    report = precheck(table(["+12125550143"]), SIP_ROUTE, CONFIG, at=MONDAY_NOON)
    with pytest.raises(ValueError, match="no time zone"):
        plan_waves(report, at=datetime(2025, 3, 3, 12))
    later = plan_waves(report, at=utc(2025, 3, 3, 15))  # another moment, same report
    assert later.waves[0].scheduled_at is None
