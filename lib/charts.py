"""Plotly figures and the small tables behind them, from plain data only.

Pages hand in a ``ValidationReport``, the route and the Telephony Config (or a
batch's status counts) and get a figure back; nothing here fetches or caches,
so every chart is reproducible in a test. Colours are fixed per meaning
(allowed green, blocked red, one colour per call status) so the same thing
looks the same on every page and across polls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from lib.api_types import normalize_call_status
from lib.countries import (
    UNKNOWN,
    Suggestion,
    country_name,
    destinations_table,
    network_groups_table,
    unblock_suggestions,
)
from lib.models import PhoneNumber, TelephonyConfig, as_phone_number
from lib.profile import FORMAT_LABELS, ColumnProfile, ContactProfile
from lib.validation import Reason, ValidationReport

__all__ = [
    "ProgressNumbers",
    "Suggestion",
    "calls_per_minute",
    "contacts_by_country",
    "destinations_map",
    "destinations_table",
    "fill_rate_bar",
    "formats_bar",
    "network_groups_figure",
    "network_groups_table",
    "outcomes_donut",
    "progress_numbers",
    "status_area",
    "unblock_suggestions",
    "verdict_donut",
]

TEMPLATE = "plotly_white"
ALLOWED, BLOCKED, PARTLY = "#2e7d32", "#c62828", "#f9a825"
DESTINATION_COLORS = {"Allowed": ALLOWED, "Partly blocked": PARTLY, "Blocked": BLOCKED}
VERDICT_LABELS = {"ok": "Passes", **{str(r): r.title for r in Reason}}
VERDICT_COLORS = {
    "ok": ALLOWED,
    "invalid_phone_number": BLOCKED,
    "no_enabled_countries": "#6a1b9a",
    "unsupported_destination_country": "#ef6c00",
    "unsupported_prefix": "#f9a825",
}
FORMAT_COLORS = {
    "e164": ALLOWED,
    "international": "#66bb6a",
    "local": "#1e88e5",
    "trunk_0": "#42a5f5",
    "idd_00": "#90caf9",
    "damaged": BLOCKED,
    "letters": "#ef6c00",
    "empty": "#9e9e9e",
    "other": "#6d4c41",
}
STATUS_COLORS = {
    "queued": "#bdbdbd",
    "pending": "#bdbdbd",
    "created": "#cfd8dc",
    "initiated": "#90caf9",
    "sent": "#90caf9",
    "received": "#64b5f6",
    "in_progress": "#1e88e5",
    "completed": "#43a047",
    "no_answer": "#ffb300",
    "busy": "#fb8c00",
    "failed": "#e53935",
    "cancelled": "#616161",
}
"""Stacking and legend order of call statuses, bottom to top (spellings of ``CallState``)."""
STATUS_ORDER = list(STATUS_COLORS)
FINISHED_STATUSES = ("completed", "no_answer", "busy", "failed", "cancelled")
_OTHER_COLOR = "#8d6e63"


def _label(status: str) -> str:
    return status.replace("_", " ").capitalize()


def _style(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    """One look everywhere: readable title, white template, width left to the page."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template=TEMPLATE,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title, height=260)


# --- Destinations -----------------------------------------------------------------------------


def destinations_map(
    report: ValidationReport,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> go.Figure:
    """World map: one bubble per destination country, area = contacts, colour = verdict."""
    route = as_phone_number(route)
    table = destinations_table(report, route, config)
    table = table[table["iso3"].notna()]
    title = f"Destinations via {route.phone_number} ({'SIP' if route.is_sip else route.region})"
    if table.empty:
        return _empty(title, "No valid numbers to place on the map yet.")
    fig = px.scatter_geo(
        table,
        locations="iso3",
        locationmode="ISO-3",
        size="contacts",
        color="status",
        hover_name="name",
        custom_data=["contacts", "allowed", "blocked", "config"],
        color_discrete_map=DESTINATION_COLORS,
        category_orders={"status": list(DESTINATION_COLORS)},
        projection="natural earth",
        size_max=45,
    )
    fig.update_traces(
        marker_sizemin=4,
        hovertemplate="<b>%{hovertext}</b><br>Contacts: %{customdata[0]}<br>"
        "Allowed: %{customdata[1]}<br>Blocked: %{customdata[2]}<br>"
        "Telephony Config: %{customdata[3]}<extra></extra>",
    )
    fig.update_geos(showcountries=True, countrycolor="#e0e0e0", showframe=False)
    fig.update_layout(legend_title_text="")
    return _style(fig, title, height=420)


def contacts_by_country(report: ValidationReport) -> go.Figure:
    """Stacked bars: contacts per country split by verdict; invalid numbers under Unknown."""
    rows = report.rows
    if rows.empty:
        return _empty("Contacts by country", "No contacts yet.")
    frame = pd.DataFrame(
        {
            "country": rows["region"].map(country_name, na_action="ignore").fillna(UNKNOWN),
            "verdict": rows["reason"].astype(object).fillna("ok").map(VERDICT_LABELS),
        }
    )
    counts = frame.value_counts().rename("contacts").reset_index()
    totals = counts.groupby("country")["contacts"].sum().sort_values(ascending=False, kind="stable")
    order = sorted(totals.index, key=lambda c: (c == UNKNOWN, -totals[c]))
    fig = px.bar(
        counts,
        x="country",
        y="contacts",
        color="verdict",
        color_discrete_map={VERDICT_LABELS[k]: v for k, v in VERDICT_COLORS.items()},
        category_orders={"country": order, "verdict": list(VERDICT_LABELS.values())},
        labels={"contacts": "Contacts", "country": "Country", "verdict": "Verdict"},
    )
    return _style(fig, "Contacts by country and verdict")


def network_groups_figure(
    table: pd.DataFrame | ValidationReport, config: TelephonyConfig | dict[str, Any] | None = None
) -> go.Figure:
    """Bars of contacts per network group, green when enabled.

    Takes ``network_groups_table``'s frame, or a report and config to build it.
    """
    if isinstance(table, ValidationReport):
        table = network_groups_table(table, config or {})
    title = "Contacts per network group"
    if table.empty:
        return _empty(title, "The Telephony Config lists no network groups.")
    frame = table.assign(
        label=table["country"] + " · " + table["group"],
        state=table["enabled"].map({True: "Enabled", False: "Disabled"}),
    )
    fig = px.bar(
        frame,
        x="label",
        y="contacts",
        color="state",
        hover_data={"prefixes": True, "state": False},
        color_discrete_map={"Enabled": ALLOWED, "Disabled": "#9e9e9e"},
        category_orders={"state": ["Enabled", "Disabled"], "label": list(frame["label"])},
        labels={"label": "Network group", "contacts": "Contacts", "state": "Group"},
    )
    return _style(fig, title)


# --- Profile charts ---------------------------------------------------------------------------


def _donut(labels: list[str], values: list[int], colors: list[str], title: str) -> go.Figure:
    fig = go.Figure(
        go.Pie(
            labels=labels,
            values=values,
            hole=0.55,
            sort=False,
            direction="clockwise",
            marker={"colors": colors},
            textinfo="value+percent",
            hovertemplate="%{label}: %{value} (%{percent})<extra></extra>",
        )
    )
    fig.add_annotation(text=f"<b>{sum(values)}</b>", showarrow=False, font={"size": 20})
    return _style(fig, title, height=340)


def verdict_donut(verdicts: ContactProfile | Mapping[str, int]) -> go.Figure:
    """Rows that pass vs each reason (a profile's ``verdicts``, or the same mapping)."""
    counts = verdicts.verdicts if isinstance(verdicts, ContactProfile) else verdicts
    keys = [k for k in VERDICT_LABELS if counts.get(k)] + [
        k for k in counts if k not in VERDICT_LABELS and counts[k]
    ]
    if not keys:
        return _empty("Verdicts", "No contacts yet.")
    return _donut(
        [VERDICT_LABELS.get(k, k) for k in keys],
        [int(counts[k]) for k in keys],
        [VERDICT_COLORS.get(k, _OTHER_COLOR) for k in keys],
        "Verdicts for this route",
    )


def _hbar(labels: list[str], values: list[float], colors: list[str], **bar: Any) -> go.Figure:
    """Horizontal bars, first label on top, one colour per bar, no legend."""
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color=colors, **bar))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False, height=max(220, 80 + 32 * len(labels)))
    return fig


def formats_bar(formats: Mapping[str, int]) -> go.Figure:
    """How the phone numbers are written; spreadsheet damage and letters stand out."""
    keys = [k for k in FORMAT_LABELS if formats.get(k)]
    if not keys:
        return _empty("Number formats", "No phone numbers yet.")
    values = [int(formats[k]) for k in keys]
    labels = [FORMAT_LABELS[k] for k in keys]
    colors = [FORMAT_COLORS[k] for k in keys]
    fig = _hbar(labels, values, colors, text=values, hovertemplate="%{y}: %{x}<extra></extra>")
    fig.update_layout(xaxis_title="Rows")
    return _style(fig, "How the numbers are written", height=fig.layout.height)


def fill_rate_bar(columns: Sequence[ColumnProfile]) -> go.Figure:
    """Share of filled cells per column: a half-empty variable makes odd-sounding calls."""
    if not columns:
        return _empty("Column fill rate", "No columns.")
    rates = [c.fill_rate * 100 for c in columns]
    colors = [ALLOWED if r >= 100 else PARTLY if r >= 50 else BLOCKED for r in rates]
    fig = _hbar(
        [c.name for c in columns],
        rates,
        colors,
        text=[f"{c.filled} filled" for c in columns],
        customdata=[c.distinct for c in columns],
        hovertemplate="%{y}: %{x:.1f}% filled, %{customdata} distinct<extra></extra>",
    )
    fig.update_layout(xaxis={"title": "Filled cells (%)", "range": [0, 100]})
    return _style(fig, "Column fill rate", height=fig.layout.height)


# --- Progress ---------------------------------------------------------------------------------


def _merge_statuses(counts: Mapping[str, Any]) -> dict[str, int]:
    """One spelling per status (``in-progress`` → ``in_progress``), then fixed order."""
    merged: dict[str, int] = {}
    for raw, value in counts.items():
        key = str(normalize_call_status(str(raw)))
        merged[key] = merged.get(key, 0) + int(value or 0)
    return {k: merged[k] for k in STATUS_ORDER if k in merged} | {
        k: v for k, v in merged.items() if k not in STATUS_COLORS
    }


def status_area(samples: pd.DataFrame) -> go.Figure:
    """Stacked area of call statuses over time; column ``t`` plus one column per status."""
    title = "Calls by status over time"
    if samples.empty or "t" not in samples:
        return _empty(title, "Waiting for the first progress sample.")
    columns = [c for c in samples.columns if c != "t"]
    spelled = pd.Series({c: str(normalize_call_status(str(c))) for c in columns})
    frame = samples[columns].fillna(0).T.groupby(spelled).sum().T
    order = list(_merge_statuses(dict.fromkeys(frame.columns, 0)))
    fig = go.Figure()
    for status in order:
        color = STATUS_COLORS.get(status, _OTHER_COLOR)
        area = {"stackgroup": "calls", "line": {"width": 0.5, "color": color}, "fillcolor": color}
        fig.add_trace(go.Scatter(x=samples["t"], y=frame[status], name=_label(status), **area))
    fig.update_layout(yaxis_title="Calls", hovermode="x unified")
    return _style(fig, title)


def outcomes_donut(status_counts: Mapping[str, int]) -> go.Figure:
    """Calls per status right now, in the fixed status colours."""
    counts = {k: v for k, v in _merge_statuses(status_counts).items() if v}
    if not counts:
        return _empty("Call outcomes", "No calls yet.")
    return _donut(
        [_label(k) for k in counts],
        list(counts.values()),
        [STATUS_COLORS.get(k, _OTHER_COLOR) for k in counts],
        "Call outcomes",
    )


def calls_per_minute(ended_at: pd.Series) -> go.Figure:
    """Bars of calls ending in each minute; minutes with none show as zero, not a gap."""
    title = "Calls finished per minute"
    times = pd.to_datetime(ended_at, utc=True, errors="coerce").dropna()
    if times.empty:
        return _empty(title, "No calls have ended yet.")
    minutes = times.dt.floor("min").value_counts().sort_index()
    span = pd.date_range(minutes.index.min(), minutes.index.max(), freq="min")
    minutes = minutes.reindex(span, fill_value=0)
    hover = "%{x|%H:%M}: %{y} calls<extra></extra>"
    fig = go.Figure(go.Bar(x=minutes.index, y=minutes.to_numpy(), hovertemplate=hover))
    fig.update_traces(marker_color=STATUS_COLORS["in_progress"])
    # Bars a minute wide, and an axis at least a few minutes wide, even for a single minute.
    fig.update_traces(width=60_000 * 0.9)
    start, end = span[0] - pd.Timedelta(minutes=1), span[-1] + pd.Timedelta(minutes=1)
    fig.update_layout(yaxis_title="Calls", xaxis_title="Minute (UTC)", bargap=0.1)
    fig.update_xaxes(range=[start, end], tickformat="%H:%M", dtick=60_000 * max(1, len(span) // 10))
    return _style(fig, title, height=300)


@dataclass(frozen=True)
class ProgressNumbers:
    """The headline numbers of a running batch."""

    total: int
    finished: int
    remaining: int
    completion: float
    """Finished calls / total, 0..1."""
    elapsed: timedelta | None
    calls_per_minute: float | None
    """Finished calls per minute since the start; None before the start is known."""
    eta: datetime | None
    """When the last call should end at the pace so far; ``now`` when all have finished,
    None while unknown (no start time, or nothing finished yet)."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def progress_numbers(
    status_counts: Mapping[str, int], total: int, started_at: datetime | None, now: datetime
) -> ProgressNumbers:
    """Completion, pace and ETA. Naive datetimes are read as UTC, the contract's zone."""
    counts = _merge_statuses(status_counts)
    finished = sum(counts.get(s, 0) for s in FINISHED_STATUSES)
    total = int(total) if total else sum(counts.values())
    remaining = max(total - finished, 0)
    elapsed = _aware(now) - _aware(started_at) if started_at else None
    minutes = elapsed.total_seconds() / 60 if elapsed else 0.0
    rate = finished / minutes if minutes > 0 else None
    if total and not remaining:
        eta: datetime | None = now
    elif rate:
        eta = now + timedelta(minutes=remaining / rate)
    else:
        eta = None
    completion = min(finished / total, 1.0) if total else 0.0
    return ProgressNumbers(total, finished, remaining, completion, elapsed, rate, eta)
