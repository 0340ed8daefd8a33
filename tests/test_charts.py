"""Destination and progress charts: the numbers behind every bar, bubble and slice.

The table is validated against an Indian PSTN route; expected counts are by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import plotly.io as pio
import pytest
from batchcall.charts import destinations as charts
from batchcall.charts import profile as profile_charts
from batchcall.charts import progress as progress_charts
from batchcall.charts import style
from batchcall.insight import destinations as tables
from batchcall.insight.destinations import COUNTRIES, country_name, iso3
from batchcall.insight.profile import ColumnProfile
from batchcall.rules import validate

from tests.workspace_data import TELEPHONY_CONFIG

ROUTE = {"phone_number": "+912234567890", "country": "IN", "provider": "plivo"}
SIP = {"phone_number": "+14155550123", "country": "US", "provider": "sip_trunk", "status": "active"}
CONFIG = TELEPHONY_CONFIG
PHONES = {
    2: "9876543210",  # IN mobile, passes
    3: "9123456789",  # IN mobile, passes
    4: "+91 70692 41980",  # IN mobile, passes
    5: "1800 123 4567",  # IN toll-free: prefix disabled
    6: "1800-425-1234",  # IN toll-free: prefix disabled
    7: "011 4000 1234",  # Delhi landline: no group at all
    8: "+44 7400 123456",  # GB mobile: country disabled
    9: "+44 20 7946 0958",  # GB landline: country disabled
    10: "+44 7123 456789",  # GB mobile: country disabled
    11: "+1 646 555 0198",  # US, passes
    12: "+61 412 345 678",  # AU: not in the config
    13: "12345",  # invalid
    14: "9876543210.0",  # invalid (spreadsheet damage)
    15: "022 2345 6789",  # Mumbai landline, passes
}


@pytest.fixture(scope="module")
def report():
    contacts = pd.DataFrame(
        {"phone_number": list(PHONES.values())},
        index=pd.Index(list(PHONES), name="row"),
    ).astype(str)
    return validate(contacts, ROUTE, CONFIG)


def _is_plotly_white(fig) -> bool:
    return fig.layout.template == pio.templates["plotly_white"]


def test_country_table_covers_every_phonenumbers_region():
    import phonenumbers

    assert set(phonenumbers.SUPPORTED_REGIONS) <= set(COUNTRIES)
    assert (iso3("in"), country_name("IN")) == ("IND", "India")
    assert (iso3("GB"), country_name("GB")) == ("GBR", "United Kingdom")
    assert (iso3(None), country_name(None), country_name("ZZ")) == (None, "Unknown", "ZZ")


def test_destinations_table(report):
    table = tables.destinations_table(report, ROUTE, CONFIG)
    got = table[["country", "contacts", "allowed", "blocked", "status", "config"]]
    assert got.to_dict("records") == [
        {
            "country": "IN",
            "contacts": 7,
            "allowed": 4,
            "blocked": 3,
            "status": "Partly blocked",
            "config": "enabled",
        },
        {
            "country": "GB",
            "contacts": 3,
            "allowed": 0,
            "blocked": 3,
            "status": "Blocked",
            "config": "disabled",
        },
        {
            "country": "AU",
            "contacts": 1,
            "allowed": 0,
            "blocked": 1,
            "status": "Blocked",
            "config": "not in Telephony Config",
        },
        {
            "country": "US",
            "contacts": 1,
            "allowed": 1,
            "blocked": 0,
            "status": "Allowed",
            "config": "enabled",
        },
    ]


def test_destinations_map_one_point_per_country(report):
    fig = charts.destinations_map(report, ROUTE, CONFIG)
    points = {
        loc: (trace.name, size, trace.marker.color, name, tuple(data))
        for trace in fig.data
        for loc, size, name, data in zip(
            trace.locations, trace.marker.size, trace.hovertext, trace.customdata, strict=True
        )
    }
    assert sum(len(trace.locations) for trace in fig.data) == 4
    assert points == {
        "IND": ("Partly blocked", 7, style.PARTLY, "India", (7, 4, 3, "enabled")),
        "GBR": ("Blocked", 3, style.BLOCKED, "United Kingdom", (3, 0, 3, "disabled")),
        "AUS": ("Blocked", 1, style.BLOCKED, "Australia", (1, 0, 1, "not in Telephony Config")),
        "USA": ("Allowed", 1, style.ALLOWED, "United States", (1, 1, 0, "enabled")),
    }
    assert all(trace.locationmode == "ISO-3" for trace in fig.data)
    assert "Blocked: %{customdata[2]:,}" in fig.data[0].hovertemplate
    assert fig.layout.title.text == "Destinations via +912234567890 (IN)"
    assert _is_plotly_white(fig)


def test_contacts_by_country_stacks_verdicts(report):
    fig = charts.contacts_by_country(report)
    bars = {(t.name, x): int(y) for t in fig.data for x, y in zip(t.x, t.y, strict=True)}
    assert bars == {
        ("Passes", "India"): 4,
        ("Passes", "United States"): 1,
        ("Prefix not enabled", "India"): 3,
        ("Country not enabled", "United Kingdom"): 3,
        ("Country not enabled", "Australia"): 1,
        ("Invalid phone number", "Unknown"): 2,
    }
    assert [t.name for t in fig.data] == [
        "Passes",
        "Invalid phone number",
        "Country not enabled",
        "Prefix not enabled",
    ]
    assert fig.layout.barmode == "relative"  # plotly express stacks bars this way
    assert list(fig.layout.xaxis.categoryarray) == [
        "India",
        "United Kingdom",
        "Australia",
        "United States",
        "Unknown",
    ]
    assert {t.name: t.marker.color for t in fig.data}["Passes"] == style.ALLOWED


def test_network_groups_table_counts_carried_contacts(report):
    table = tables.network_groups_table(report, CONFIG)
    assert table.to_dict("records") == [
        {
            "country": "IN",
            "group": "India Mobile",
            "prefixes": "+916, +917, +918, +919",
            "enabled": True,
            "contacts": 3,
        },
        {
            "country": "IN",
            "group": "India Mumbai Landline",
            "prefixes": "+9122",
            "enabled": True,
            "contacts": 1,
        },
        {
            "country": "IN",
            "group": "India Toll-free",
            "prefixes": "+911800",
            "enabled": False,
            "contacts": 2,
        },
        {"country": "US", "group": "US All", "prefixes": "+1", "enabled": True, "contacts": 1},
        {
            "country": "GB",
            "group": "UK Mobile",
            "prefixes": "+447",
            "enabled": False,
            "contacts": 2,
        },
        {
            "country": "GB",
            "group": "UK Landline",
            "prefixes": "+441, +442",
            "enabled": False,
            "contacts": 1,
        },
    ]


def test_network_groups_figure_colours_by_enabled(report):
    fig = charts.network_groups_figure(tables.network_groups_table(report, CONFIG))
    assert charts.network_groups_figure(report, CONFIG) == fig
    bars = {t.name: dict(zip(t.x, (int(y) for y in t.y), strict=True)) for t in fig.data}
    assert bars == {
        "Enabled": {"IN · India Mobile": 3, "IN · India Mumbai Landline": 1, "US · US All": 1},
        "Disabled": {"IN · India Toll-free": 2, "GB · UK Mobile": 2, "GB · UK Landline": 1},
    }
    assert {t.name: t.marker.color for t in fig.data} == style.GROUP_COLORS


def test_unblock_suggestions(report):
    inactive_sip = {**SIP, "phone_number": "+14155550999", "status": "inactive"}
    got = tables.unblock_suggestions(report, ROUTE, CONFIG, [SIP, inactive_sip, ROUTE])
    assert [(s.kind, s.count, s.rows) for s in got] == [
        ("sip", 4, [8, 9, 10, 12]),
        ("enable_country", 3, [8, 9, 10]),
        ("enable_group", 2, [5, 6]),
        ("not_in_config", 1, [12]),
        ("no_group", 1, [7]),
        ("fix", 2, [13, 14]),
    ]
    texts = [s.text for s in got]
    assert texts[0] == (
        "Use the SIP route +14155550123 (checks format only) — 4 contacts pass, but "
        "3 contacts that pass now would fail (written without +91: add it first): net +1"
    )
    assert texts[1] == (
        "Enable country United Kingdom (UK Mobile, UK Landline) in Workspace Settings > "
        "Telephony Config — 3 contacts"
    )
    assert texts[2] == (
        "Enable network group India Toll-free (prefix +911800) in Workspace Settings > "
        "Telephony Config — 2 contacts"
    )
    assert texts[3] == "Country Australia is not in your Telephony Config — 1 contact"
    assert "+911140001234" in texts[4]
    assert texts[5] == "Fix or drop 2 invalid numbers on Fix rows"
    assert str(got[5]) == texts[5]


def test_unblock_suggestions_without_sip_route(report):
    kinds = [s.kind for s in tables.unblock_suggestions(report, ROUTE, CONFIG)]
    assert "sip" not in kinds
    assert kinds[-1] == "fix"


def test_verdict_formats_and_fill_rate_charts():
    donut = profile_charts.verdict_donut(
        {"unsupported_prefix": 2, "ok": 8, "invalid_phone_number": 0}
    )
    assert list(donut.data[0].labels) == ["Passes", "Prefix not enabled"]
    assert list(donut.data[0].values) == [8, 2]
    assert list(donut.data[0].marker.colors) == [
        style.ALLOWED,
        style.VERDICT_COLORS["unsupported_prefix"],
    ]
    bars = profile_charts.formats_bar({"damaged": 3, "e164": 1, "local": 0})
    assert list(bars.data[0].y) == ["E.164", "Spreadsheet damage"]
    assert list(bars.data[0].x) == [1, 3]
    columns = [ColumnProfile("phone_number", 1.0, 4, 4, []), ColumnProfile("city", 0.25, 1, 1, [])]
    fill = profile_charts.fill_rate_bar(columns)
    assert list(fill.data[0].x) == [100.0, 25.0]
    assert fill.data[0].marker.color == style.FILLED  # one colour: the text says how full
    assert list(fill.data[0].text) == ["100% · 4 filled", "25% · 1 filled"]
    assert all(_is_plotly_white(f) for f in (donut, bars, fill))


T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def test_progress_numbers_eta_and_completion():
    counts = {
        "queued": 50,
        "in-progress": 10,
        "completed": 30,
        "no_answer": 5,
        "busy": 3,
        "failed": 2,
    }
    numbers = progress_charts.progress_numbers(counts, 100, T0, T0 + timedelta(minutes=10))
    assert (numbers.finished, numbers.remaining, numbers.total) == (40, 60, 100)
    assert numbers.completion == pytest.approx(0.4)
    assert numbers.calls_per_minute == pytest.approx(4.0)
    assert numbers.eta == T0 + timedelta(minutes=25)  # 60 left at 4 a minute
    assert numbers.elapsed == timedelta(minutes=10)


def test_progress_numbers_edges():
    done = progress_charts.progress_numbers({"completed": 100}, 100, T0, T0 + timedelta(1))
    assert (done.completion, done.eta, done.remaining) == (1.0, None, 0)
    cut = progress_charts.progress_numbers(
        {"completed": 90, "cancelled": 10}, 100, T0, T0 + timedelta(1)
    )  # cancelled calls were never dialled: not done, and nothing left to wait for
    assert (cut.completion, cut.eta, cut.remaining, cut.cancelled) == (0.9, None, 0, 10)
    idle = progress_charts.progress_numbers({"queued": 5}, 5, T0, T0 + timedelta(minutes=3))
    assert (idle.completion, idle.calls_per_minute, idle.eta) == (0.0, 0.0, None)
    unstarted = progress_charts.progress_numbers({"completed": 1, "queued": 4}, 5, None, T0)
    assert (unstarted.completion, unstarted.calls_per_minute, unstarted.eta) == (0.2, None, None)
    naive = progress_charts.progress_numbers(
        {"completed": 2, "queued": 2}, 4, T0.replace(tzinfo=None), T0 + timedelta(minutes=1)
    )
    assert naive.eta == T0 + timedelta(minutes=2)


def test_a_cancelled_batch_reads_as_what_happened_never_100_percent():
    counts = {"completed": 404, "no_answer": 60, "busy": 30, "failed": 14, "cancelled": 119_494}
    numbers = progress_charts.progress_numbers(counts, 120_002, T0, T0 + timedelta(minutes=30))
    assert numbers.completion < 0.01 and numbers.eta is None
    assert numbers.calls_per_minute == pytest.approx(508 / 30)
    line = progress_charts.progress_headline(numbers, cancelled=True, finished=True)
    assert line == "Cancelled — 404 completed, 104 failed, 119,494 never dialled"
    running = progress_charts.progress_numbers(
        {**counts, "cancelled": 119_490, "in-progress": 4}, 120_002, T0, T0
    )
    assert progress_charts.progress_headline(running, cancelled=True, finished=False) == (
        "Cancelled — 404 completed, 104 failed, 119,490 never dialled, 4 finishing"
    )
    done = progress_charts.progress_numbers({"completed": 9, "busy": 1}, 10, T0, T0)
    assert progress_charts.progress_headline(done, cancelled=False, finished=True) == (
        "Finished — 9 completed, 1 failed"
    )
    almost = progress_charts.progress_numbers({"completed": 999, "queued": 1}, 1000, T0, T0)
    assert progress_charts.progress_headline(almost, cancelled=False, finished=False) == (
        "99% done — 999 of 1,000 calls"
    )


def test_status_area_stacks_in_fixed_order():
    samples = pd.DataFrame(
        {
            "t": pd.date_range(T0, periods=3, freq="10s"),
            "failed": [0, 0, 1],
            "voicemail": [0, 1, 1],
            "completed": [0, 2, 5],
            "queued": [10, 6, 2],
            "in-progress": [0, 2, 1],
            "no_answer": [0, 0, 1],
        }
    )
    fig = progress_charts.status_area(samples)
    assert [t.name for t in fig.data] == [
        "Queued",
        "In progress",
        "Completed",
        "No answer",
        "Failed",
        "Voicemail",
    ]
    assert {t.stackgroup for t in fig.data} == {"calls"}
    assert fig.data[0].fillcolor == progress_charts.STATUS_COLORS["queued"]
    assert fig.data[2].fillcolor == progress_charts.STATUS_COLORS["completed"] == "#43a047"
    assert fig.data[4].fillcolor == progress_charts.STATUS_COLORS["failed"] == "#e53935"
    assert list(fig.data[1].y) == [0, 2, 1]


def test_outcomes_donut_and_calls_per_minute():
    donut = progress_charts.outcomes_donut({"failed": 2, "completed": 7, "busy": 0, "no-answer": 1})
    assert list(donut.data[0].labels) == ["Completed", "No answer", "Failed"]
    assert list(donut.data[0].values) == [7, 1, 2]
    ended = pd.Series(
        [
            T0 + timedelta(seconds=5),
            T0 + timedelta(seconds=50),
            None,
            T0 + timedelta(minutes=2, seconds=10),
        ]
    )
    fig = progress_charts.calls_per_minute(ended)
    minutes = [pd.Timestamp(x).strftime("%H:%M") for x in fig.data[0].x]
    assert dict(zip(minutes, (int(y) for y in fig.data[0].y), strict=True)) == {
        "10:00": 2,
        "10:01": 0,
        "10:02": 1,
    }
    assert progress_charts.calls_per_minute(pd.Series([], dtype="datetime64[ns, UTC]")).data == ()


def test_calls_per_minute_keeps_a_minute_scale_for_a_single_minute() -> None:
    ended = pd.Series(pd.to_datetime(["2026-01-01T05:38:10Z", "2026-01-01T05:38:59Z"]))
    fig = progress_charts.calls_per_minute(ended)
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert end - start == pd.Timedelta(minutes=2)
    assert list(fig.data[0].y) == [2]
    assert fig.layout.xaxis.tickformat == "%H:%M"


def test_status_area_ticks_are_whole_seconds_even_at_the_batch_start() -> None:
    # Three samples within one second: the axis must not fall back to sub-second ticks.
    samples = pd.DataFrame(
        {
            "t": [T0, T0 + timedelta(milliseconds=300), T0 + timedelta(milliseconds=900)],
            "queued": [10, 9, 8],
            "completed": [0, 1, 2],
        }
    )
    fig = progress_charts.status_area(samples)
    assert fig.layout.xaxis.tickformat == "%H:%M:%S"
    assert fig.layout.xaxis.hoverformat == "%H:%M:%S"
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert start == pd.Timestamp(T0)
    assert end - start >= pd.Timedelta(minutes=1)
    # Once the batch has run longer than that, the axis spans exactly its samples.
    later = samples.assign(t=[T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=5)])
    fig = progress_charts.status_area(later)
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert end - start == pd.Timedelta(minutes=5)


def test_calls_finished_per_minute_from_the_counters_over_time():
    samples = pd.DataFrame(
        {
            "t": pd.to_datetime(["2024-03-01 10:00:05", "2024-03-01 10:00:50",
                                 "2024-03-01 10:01:30", "2024-03-01 10:03:10"], utc=True),
            "queued": [10, 8, 5, 0],
            "completed": [0, 1, 3, 7],
            "no-answer": [0, 1, 2, 3],
            "cancelled": [0, 0, 0, 0],
        }
    )  # fmt: skip
    fig = progress_charts.finished_per_minute(samples)
    assert list(fig.data[0].y) == [2, 3, 0, 5]  # 10:00, 10:01, 10:02 (no sample), 10:03
    empty = progress_charts.finished_per_minute(samples.assign(completed=0, **{"no-answer": 0}))
    assert not empty.data


def test_donut_groups_many_tiny_slices_into_one_other_slice():
    labels = [f"Big {i}" for i in range(5)] + [f"Tiny {i}" for i in range(25)]
    values = [1_000] * 5 + [1 + i % 3 for i in range(25)]  # each tiny slice well under 2%
    colors = [f"#0000{i}0" for i in range(5)] + ["#123456"] * 25
    fig = style.donut(labels, values, colors, "Many")
    pie = fig.data[0]
    assert len(pie.labels) == 6 and pie.labels[-1] == "Other"
    assert list(pie.values) == [1_000] * 5 + [sum(values[5:])]
    assert sum(pie.values) == sum(values)  # nothing lost in the grouping
    assert list(pie.marker.colors) == [*colors[:5], style.OTHER_COLOR]  # big slices keep theirs
    held = pie.customdata[-1]
    # Largest first; 25 names would not fit a hover, so 12 and a count of the rest.
    assert held.startswith("<br>Tiny 2: 3<br>Tiny 5: 3") and held.endswith("… and 13 more")
    assert "Tiny 0: 1" not in held
    assert pie.textposition == "inside"
    assert fig.layout.annotations[0].text == "<b>5,049</b>"


COLORS3 = ["#43a047", "#fb8c00", "#e53935"]


def test_donut_keeps_a_few_tiny_slices_but_hides_their_labels():
    fig = style.donut(["Completed", "Busy", "Failed"], [990, 5, 5], COLORS3, "Few")
    pie = fig.data[0]
    assert list(pie.labels) == ["Completed", "Busy", "Failed"]  # two slivers: no Other
    assert list(pie.marker.colors) == COLORS3
    assert pie.texttemplate[0] != "" and list(pie.texttemplate[1:]) == ["", ""]


def test_outcomes_donut_groups_rare_statuses_and_keeps_known_colours():
    counts = {"completed": 900, "no-answer": 80, "busy": 5, "failed": 4, "cancelled": 3,
              "voicemail": 2}  # fmt: skip
    pie = progress_charts.outcomes_donut(counts).data[0]
    assert list(pie.labels) == ["Completed", "No answer", "Other"]
    assert list(pie.values) == [900, 80, 14]
    assert list(pie.marker.colors) == [
        progress_charts.STATUS_COLORS["completed"],
        progress_charts.STATUS_COLORS["no_answer"],
        style.OTHER_COLOR,
    ]


def test_the_sip_route_is_not_advised_when_it_fails_more_rows_than_it_frees():
    """Two blocked UK numbers pass on the SIP route, but five local-format Indian numbers
    that pass now would mean other numbers there: the switch would cost three rows."""
    numbers = ["+44 7400 123456", "+44 7400 123457"] + [f"98765 4321{i}" for i in range(5)]
    contacts = pd.DataFrame(
        {"phone_number": numbers}, index=pd.Index(range(2, 2 + len(numbers)), name="row")
    ).astype("str")
    report = validate(contacts, ROUTE, CONFIG)
    assert report.failed_count == 2
    got = tables.unblock_suggestions(report, ROUTE, CONFIG, [SIP])
    assert [s.kind for s in got if s.kind == "sip"] == []
