"""One colour, one meaning: every chart the app draws, built from representative data,
never gives one colour two meanings, nor one meaning two colours.

The label of a colour is what a reader sees next to it: a legend entry (the trace's
name) for a trace drawn in one colour, or the slice's or bar's own label where each
point has its colour. Labels that say the same thing in two places are folded by
``style.SAME_MEANING`` (a country where every row passes is "Allowed" on the map).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import pytest
from batchcall.charts import checks, destinations, outcomes, profile, progress, style
from batchcall.insight.outcomes import outcomes_by
from batchcall.insight.profile import ColumnProfile
from batchcall.rules import validate

from tests.test_charts import CONFIG, PHONES, ROUTE

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
STATUSES = ["queued", "in_progress", "completed", "no_answer", "busy", "failed", "cancelled"]


def _report():
    contacts = pd.DataFrame(
        {"phone_number": list(PHONES.values())}, index=pd.Index(list(PHONES), name="row")
    ).astype(str)
    return validate(contacts, ROUTE, CONFIG)


@cache
def every_chart() -> dict[str, go.Figure]:
    """Each figure the pages draw, with data that gives it every series it can show."""
    report = _report()
    verdicts = {"ok": 120_002, **{slug: 40 + i for i, slug in enumerate(style.VERDICT_COLORS)}}
    samples = pd.DataFrame(
        {"t": [T0 + timedelta(seconds=20 * i) for i in range(6)]}
        | {status: [i + n for i in range(6)] for n, status in enumerate(STATUSES)}
    )
    calls = pd.DataFrame(
        {
            "status": STATUSES * 6,
            "product": ["home_loan", "car_loan", "gold"] * 14,
            "duration_seconds": [42.0] * 42,
        }
    )
    hours = pd.DataFrame(
        {"contacts": [6] * 24, "yes": [3] * 24, "partly": [1] * 24, "no": [2] * 24},
        index=range(24),
    )
    ended = pd.Series([T0 + timedelta(seconds=25 * i) for i in range(30)])
    return {
        "verdicts": profile.verdict_donut(verdicts),
        "formats": profile.formats_bar(
            {key: 10 + i for i, key in enumerate(profile.FORMAT_COLORS)}
        ),
        "fill rate": profile.fill_rate_bar(
            [ColumnProfile("phone_number", 1.0, 9, 9, []), ColumnProfile("city", 0.3, 3, 2, [])]
        ),
        "map": destinations.destinations_map(report, ROUTE, CONFIG),
        "by country": destinations.contacts_by_country(report),
        "network groups": destinations.network_groups_figure(report, CONFIG),
        "local hours": checks.local_hour_bars(hours, "now", "09:00-20:00"),
        "status area": progress.status_area(samples),
        "outcomes donut": progress.outcomes_donut(dict.fromkeys(STATUSES, 30)),
        "calls per minute": progress.calls_per_minute(ended),
        "finished per minute": progress.finished_per_minute(samples),
        "outcomes by column": outcomes.outcomes_bar(outcomes_by(calls, "product"), "product"),
    }


def _points(trace: go.BaseTraceType) -> list[str]:
    """The labels of a trace's points, as the reader sees them (slices, bar categories)."""
    if isinstance(trace, go.Pie):
        return [str(label) for label in trace.labels]
    axis = trace.y if getattr(trace, "orientation", None) == "h" else trace.x
    return [str(label) for label in axis]


def colour_labels(fig: go.Figure) -> Iterator[tuple[str, str]]:
    """(label, colour) for every coloured thing in ``fig``."""
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        colours = None
        if isinstance(trace, go.Pie):
            colours = trace.marker.colors
        elif getattr(trace, "fillcolor", None):
            colours = trace.fillcolor
        elif marker is not None and marker.color is not None:
            colours = marker.color
        if colours is None:
            continue  # text only (a rate at a bar's end)
        if isinstance(colours, str):
            yield str(trace.name), colours.lower()
        else:
            for label, colour in zip(_points(trace), colours, strict=True):
                yield label, str(colour).lower()


def _meaning(label: str) -> str:
    return style.SAME_MEANING.get(label, label)


def test_every_chart_shows_something_coloured() -> None:
    for name, fig in every_chart().items():
        assert list(colour_labels(fig)), f"{name}: nothing coloured found"


def test_no_colour_means_two_things_across_charts() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    colours: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)
    for name, fig in every_chart().items():
        for label, colour in colour_labels(fig):
            meanings[colour].add(_meaning(label))
            colours[_meaning(label)].add(colour)
            where[colour].add(name)
    clashes = {c: (sorted(m), sorted(where[c])) for c, m in meanings.items() if len(m) > 1}
    assert not clashes, f"one colour, several meanings: {clashes}"
    split = {label: sorted(c) for label, c in colours.items() if len(c) > 1}
    assert not split, f"one meaning, several colours: {split}"


def test_the_reported_clashes_are_gone() -> None:
    """Orange was "Letters" and "Country not enabled"; grey "Disabled" and "Queued"."""
    seen = {label: colour for fig in every_chart().values() for label, colour in colour_labels(fig)}
    assert seen["Letters"] != seen["Country not enabled"]
    assert seen["Disabled"] != seen["Queued"]


def test_the_declared_palette_gives_each_colour_one_meaning() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    for family, colours in style.palette():
        for label, colour in colours.items():
            meanings[colour.lower()].add(f"{family}: {_meaning(label)}")
    folded = {
        colour: names
        for colour, names in meanings.items()
        if len({n.split(": ", 1)[1] for n in names}) > 1
    }
    assert not folded, folded


@pytest.mark.parametrize("name", list(every_chart()))
def test_legends_sit_below_the_plot_in_a_row(name: str) -> None:
    fig = every_chart()[name]
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == (
        "h",
        "container",
        0,
        "bottom",
    )
    assert fig.layout.title.automargin and fig.layout.margin.l <= 10


def test_long_titles_wrap_instead_of_running_off_a_phone() -> None:
    fig = checks.local_hour_bars(
        pd.DataFrame({"contacts": [1], "yes": [1], "partly": [0], "no": [0]}, index=[9]),
        "at 5 Dec 14:05 (Asia/Kolkata)",
        "09:00-20:00",
    )
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= style.TITLE_CHARS for line in lines)
    assert style.wrap_title("Call outcomes") == "Call outcomes"
