"""Plotly figures and the small tables behind them, from plain data only.

Pages hand in a ``ValidationReport``, the route and the Telephony Config and get
a figure back; nothing here fetches or caches, so every chart is reproducible in
a test. The progress figures live in ``batchcall.charts.progress``; the shared look in
``batchcall.charts.style``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number
from batchcall.charts.style import ALLOWED, BLOCKED, OTHER_COLOR, PARTLY, donut, empty_figure, style
from batchcall.insight.destinations import (
    UNKNOWN,
    Suggestion,
    country_name,
    destinations_table,
    network_groups_table,
    unblock_suggestions,
)
from batchcall.insight.profile import FORMAT_LABELS, ColumnProfile, ContactProfile
from batchcall.rules import Reason, ValidationReport

__all__ = [
    "Suggestion",
    "contacts_by_country",
    "destinations_map",
    "destinations_table",
    "fill_rate_bar",
    "formats_bar",
    "network_groups_figure",
    "network_groups_table",
    "unblock_suggestions",
    "verdict_donut",
]

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
        return empty_figure(title, "No valid numbers to place on the map yet.")
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
    return style(fig, title, height=420)


def contacts_by_country(report: ValidationReport) -> go.Figure:
    """Stacked bars: contacts per country split by verdict; invalid numbers under Unknown."""
    rows = report.rows
    if rows.empty:
        return empty_figure("Contacts by country", "No contacts yet.")
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
    return style(fig, "Contacts by country and verdict")


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
        return empty_figure(title, "The Telephony Config lists no network groups.")
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
    return style(fig, title)


# --- Profile charts ---------------------------------------------------------------------------


def verdict_donut(verdicts: ContactProfile | Mapping[str, int]) -> go.Figure:
    """Rows that pass vs each reason (a profile's ``verdicts``, or the same mapping)."""
    counts = verdicts.verdicts if isinstance(verdicts, ContactProfile) else verdicts
    keys = [k for k in VERDICT_LABELS if counts.get(k)] + [
        k for k in counts if k not in VERDICT_LABELS and counts[k]
    ]
    if not keys:
        return empty_figure("Verdicts", "No contacts yet.")
    return donut(
        [VERDICT_LABELS.get(k, k) for k in keys],
        [int(counts[k]) for k in keys],
        [VERDICT_COLORS.get(k, OTHER_COLOR) for k in keys],
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
        return empty_figure("Number formats", "No phone numbers yet.")
    values = [int(formats[k]) for k in keys]
    labels = [FORMAT_LABELS[k] for k in keys]
    colors = [FORMAT_COLORS[k] for k in keys]
    fig = _hbar(labels, values, colors, text=values, hovertemplate="%{y}: %{x}<extra></extra>")
    fig.update_layout(xaxis_title="Rows")
    return style(fig, "How the numbers are written", height=fig.layout.height)


def fill_rate_bar(columns: Sequence[ColumnProfile]) -> go.Figure:
    """Share of filled cells per column: a half-empty variable makes odd-sounding calls."""
    if not columns:
        return empty_figure("Column fill rate", "No columns.")
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
    return style(fig, "Column fill rate", height=fig.layout.height)
