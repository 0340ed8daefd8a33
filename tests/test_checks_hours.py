"""batchcall.checks: calling hours in each contact's own time zones, and when to start.

``world_contacts.csv`` holds US, Canadian, Australian, Russian and Indian numbers,
with single-zone and multi-zone ones (Alaska spans Adak and Anchorage, a Russian
mobile sixteen zones, a US toll-free number all of North America), judged on the
shipped workspace's US SIP route (format only), so every valid row passes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
import pandas as pd
import pytest
from batchcall import CallingWindow, Disposition, precheck
from batchcall.checks import PRESETS
from batchcall.contacts import read_contacts

DATA = Path(__file__).resolve().parent / "data" / "checks"
WEDNESDAY_17_UTC = datetime(2025, 3, 12, 17, 0, tzinfo=UTC)  # US on daylight time since Mar 9


@pytest.fixture
def sip_route(workspace: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in workspace["phone_numbers"] if n["provider"] == "sip_trunk")


@pytest.fixture
def config(workspace: dict[str, Any]) -> dict[str, Any]:
    return workspace["telephony_config"]


@pytest.fixture
def world() -> pd.DataFrame:
    return read_contacts(DATA / "world_contacts.csv")


def one(number: str) -> pd.DataFrame:
    return pd.DataFrame({"phone_number": [number]}, index=pd.Index([2], name="row"))


def test_each_row_gets_its_zones_local_times_and_window_verdict(world, sip_route, config):
    rows = precheck(world, sip_route, config, at=WEDNESDAY_17_UTC).rows
    assert rows.loc[2, "time_zones"] == ("America/New_York",)
    assert rows.loc[2, "local_times"] == ("13:00",)
    assert rows.loc[4, "time_zones"] == ("America/Adak", "America/Anchorage")
    assert rows.loc[4, "local_times"] == ("08:00", "09:00")  # 09:00 is inside, 08:00 is not
    assert rows.loc[11, "time_zones"] == ("Asia/Calcutta",)
    assert rows.loc[13, "time_zones"] == ()  # "12345": no zone, not ("Etc/Unknown",)
    assert "Europe/Moscow" in rows.loc[9, "time_zones"] and len(rows.loc[9, "time_zones"]) > 1
    expected = {
        2: "yes",  # New York 13:00
        3: "yes",  # Los Angeles 10:00
        4: "partly",  # Adak 08:00, Anchorage 09:00
        5: "yes",  # Toronto 13:00
        6: "no",  # Sydney 04:00 Thursday
        7: "no",  # an Australian mobile: night in every Australian zone
        8: "no",  # Moscow 20:00: the end of the window is outside
        9: "partly",  # a Russian mobile: 19:00 in one of its zones, night in others
        10: "no",  # Novosibirsk midnight
        11: "no",  # India 22:30
        12: "partly",  # US toll-free: every North American zone
        13: "unknown",  # junk
    }
    assert rows["in_window"].to_dict() == expected
    assert rows.loc[8, "local_times"] == ("20:00",)


def test_uncertain_rows_count_as_outside_the_calling_hours(world, sip_route, config):
    report = precheck(world, sip_route, config, at=WEDNESDAY_17_UTC)
    assert report.rows_with(Disposition.TO_CALL) == [2, 3, 5]
    assert report.rows_with("outside_calling_hours") == [4, 6, 7, 8, 9, 10, 11, 12]
    assert report.rows_with(Disposition.INVALID_PHONE_NUMBER) == [13]
    assert report.counts[Disposition.OUTSIDE_CALLING_HOURS] == 8
    assert sum(report.counts.values()) == report.total == 12


@pytest.mark.parametrize(
    ("at", "inside"),
    [
        (datetime(2025, 3, 12, 13, 0, tzinfo=UTC), "yes"),  # New York 09:00: the start is inside
        (datetime(2025, 3, 12, 12, 59, tzinfo=UTC), "no"),  # 08:59
        (datetime(2025, 3, 12, 23, 59, tzinfo=UTC), "yes"),  # 19:59
        (datetime(2025, 3, 13, 0, 0, tzinfo=UTC), "no"),  # 20:00: the end is outside
        (datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("America/New_York")), "yes"),  # any zone
    ],
)
def test_window_edges(at, inside, sip_route, config):
    rows = precheck(one("+1 212 555 0147"), sip_route, config, at=at).rows
    assert rows.loc[2, "in_window"] == inside


def test_days_are_the_contacts_local_weekdays(sip_route, config):
    table = pd.DataFrame({"phone_number": ["+1 212 555 0147", "+61 2 9876 5432"]}, index=[2, 3])
    friday_evening_utc = datetime(2025, 3, 14, 23, 30, tzinfo=UTC)  # Sydney: Saturday 10:30
    weekdays = CallingWindow(start="09:00", end="20:00", days=("mon", "tue", "wed", "thu", "fri"))
    rows = precheck(table, sip_route, config, at=friday_evening_utc, window=weekdays).rows
    assert rows["in_window"].to_dict() == {2: "yes", 3: "no"}  # New York: Friday 19:30
    every_day = precheck(table, sip_route, config, at=friday_evening_utc).rows
    assert every_day["in_window"].to_dict() == {2: "yes", 3: "yes"}
    assert CallingWindow(days=[0, 1, 2, 3, 4]).days == weekdays.days


def test_a_public_holiday_in_the_contacts_country_is_outside(sip_route, config):
    table = pd.DataFrame({"phone_number": ["+91 98765 43210", "+1 212 555 0147"]}, index=[2, 3])
    republic_day = datetime(2026, 1, 26, 15, 0, tzinfo=UTC)  # India 20:30, New York 10:00
    window = CallingWindow(start="09:00", end="21:00", holidays=True)
    rows = precheck(table, sip_route, config, at=republic_day, window=window).rows
    assert rows["in_window"].to_dict() == {2: "no", 3: "yes"}
    only_us = CallingWindow(start="09:00", end="21:00", holidays="US")
    rows = precheck(table, sip_route, config, at=republic_day, window=only_us).rows
    assert rows["in_window"].to_dict() == {2: "yes", 3: "yes"}


def test_a_subdivision_adds_its_own_holidays(sip_route, config):
    lincolns_birthday = datetime(2025, 2, 12, 15, 0, tzinfo=UTC)  # New York state, 10:00
    table = one("+1 212 555 0147")
    national = precheck(table, sip_route, config, at=lincolns_birthday, window=CallingWindow(
        holidays="US"
    ))  # fmt: skip
    state = precheck(table, sip_route, config, at=lincolns_birthday, window=CallingWindow(
        holidays=["US-NY"]
    ))  # fmt: skip
    assert national.rows.loc[2, "in_window"] == "yes"
    assert state.rows.loc[2, "in_window"] == "no"


def test_earliest_start_waits_for_every_zone_or_a_share_of_rows(sip_route, config):
    new_york, los_angeles = "+1 212 555 0147", "+1 310 555 0123"
    table = pd.DataFrame({"phone_number": [new_york] * 10 + [los_angeles]}, index=range(2, 13))
    at = datetime(2025, 3, 12, 12, 7, tzinfo=UTC)  # New York 08:07, Los Angeles 05:07
    report = precheck(table, sip_route, config, at=at)
    assert report.earliest_start() == datetime(2025, 3, 12, 16, 0, tzinfo=UTC)  # LA 09:00
    assert report.earliest_start(share=0.9) == datetime(2025, 3, 12, 13, 0, tzinfo=UTC)
    later = precheck(table, sip_route, config, at=at + timedelta(hours=5))  # 17:07: all inside
    assert later.earliest_start() == at + timedelta(hours=5)
    kolkata = at.astimezone(ZoneInfo("Asia/Kolkata"))
    start = precheck(table, sip_route, config, at=kolkata).earliest_start()
    assert start == datetime(2025, 3, 12, 16, 0, tzinfo=UTC) and start.tzinfo == kolkata.tzinfo


def test_earliest_start_is_none_when_the_zones_never_overlap(world, sip_route, config):
    report = precheck(world, sip_route, config, at=WEDNESDAY_17_UTC)
    assert report.earliest_start() is None  # toll-free spans Guam to Newfoundland: never all
    india_and_la = pd.DataFrame({"phone_number": ["+91 98765 43210", "+1 310 555 0123"]})
    assert precheck(india_and_la, sip_route, config, at=WEDNESDAY_17_UTC).earliest_start() is None
    with pytest.raises(ValueError, match="share"):
        report.earliest_start(share=0)


def test_contacts_by_local_hour(world, sip_route, config):
    table = precheck(world, sip_route, config, at=WEDNESDAY_17_UTC).by_local_hour()
    assert list(table.index) == list(range(24))
    assert list(table.columns) == ["yes", "no", "partly", "contacts"]
    assert table.loc[13, "yes"] == 2  # New York and Toronto
    assert table.loc[10, "yes"] == 1  # Los Angeles
    assert table.loc[20, "no"] == 1  # Moscow
    assert table.loc[8, "partly"] == 2  # Adak 08:00, and the toll-free number's Anchorage
    assert table["yes"].sum() == 3


def test_a_naive_moment_is_refused(world, sip_route, config):
    with pytest.raises(ValueError, match="no time zone"):
        precheck(world, sip_route, config, at=datetime(2025, 3, 12, 17, 0))


def test_default_moment_is_now(sip_route, config):
    before = datetime.now(UTC)
    report = precheck(one("+1 212 555 0147"), sip_route, config)
    assert before <= report.at <= datetime.now(UTC)


def test_window_presets_and_refusals():
    assert (PRESETS["tcpa"].start.hour, PRESETS["tcpa"].end.hour) == (8, 21)  # type: ignore[union-attr]
    assert CallingWindow.india() == CallingWindow(start="09:00", end="21:00")
    assert CallingWindow.tcpa(days=["Mon", "saturday"]).days == frozenset({0, 5})
    assert PRESETS["default"] == CallingWindow("09:00", "20:00")
    refused: list[dict[str, Any]] = [
        {"start": "9am"},
        {"days": ["funday"]},
        {"days": [7]},
        {"days": []},
        {"start": "10:00", "end": "10:00"},
        {"holidays": "XX"},  # no such country in the holidays package
        {"holidays": "US-ZZ"},  # no such state
    ]
    for bad in refused:
        with pytest.raises(ValueError):
            CallingWindow(**bad)


def test_a_window_across_midnight(sip_route, config):
    night = CallingWindow(start="22:00", end="06:00")
    at = datetime(2025, 3, 12, 4, 0, tzinfo=UTC)  # New York 00:00
    rows = precheck(one("+1 212 555 0147"), sip_route, config, at=at, window=night).rows
    assert rows.loc[2, "in_window"] == "yes"


def test_a_report_retimed_answers_as_a_new_check_at_that_moment(world, sip_route, config):
    """The page checks once and re-times every minute: the same answer as checking again."""
    from batchcall.checks import retime

    base = precheck(world, sip_route, config, at=WEDNESDAY_17_UTC)
    for later in (WEDNESDAY_17_UTC + timedelta(hours=7, minutes=13),
                  WEDNESDAY_17_UTC + timedelta(days=2, hours=15)):  # fmt: skip
        for window in (None, *PRESETS.values()):
            fresh = precheck(world, sip_route, config, at=later, window=window)
            again = retime(base, later, window)
            pd.testing.assert_frame_equal(again.rows, fresh.rows)
            assert again.earliest_start(0.95) == fresh.earliest_start(0.95)


ZONES = ["Asia/Kolkata", "America/New_York", "Pacific/Chatham", "Australia/Lord_Howe",
         "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "Europe/London"]  # fmt: skip


@pytest.mark.filterwarnings("ignore:Requested Holidays are available only:UserWarning")
@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize(
    "window",
    [
        CallingWindow(),
        CallingWindow(start="22:30", end="06:15", days=("sat", "sun")),
        CallingWindow(start="08:00", end="21:00", days=("mon", "wed", "fri"), holidays=True),
    ],
    ids=["default", "night-weekend", "weekdays-holidays"],
)
def test_inside_agrees_with_each_instant_read_on_its_own(window: CallingWindow, unit: str):
    """Every minute-ish instant across DST changes, years apart and in odd offsets."""
    moments = pd.date_range("2024-12-30 00:07", periods=900, freq="397min", tz="UTC")
    moments = moments.append(
        pd.DatetimeIndex(["1969-12-31 23:59:59", "2261-07-04 12:00"], tz="UTC")
    )
    instants = moments.as_unit(unit)
    for zone in ZONES:
        country = {"America/New_York": "US", "Asia/Kolkata": "IN"}.get(zone)
        found = window.inside(zone, country, instants)
        for moment, inside in zip(instants, found, strict=True):
            local = moment.tz_convert(zone)
            clock = local.time().replace(tzinfo=None)
            start, end = window.start, window.end
            expected = start <= clock < end if start < end else (clock >= start or clock < end)
            expected &= local.weekday() in window.days
            if country and expected and window.holidays:
                expected = local.date() not in holiday_calendars.country_holidays(
                    country, years=local.year
                )
            assert inside == expected, (zone, str(moment), unit)
