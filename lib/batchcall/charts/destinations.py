"""Destinations charts: where the calls go and what the route's Telephony Config allows.

From plain data only: a ``ValidationReport``, the route and the config in, a
figure out; the tables behind them are :mod:`batchcall.insight.destinations`.
Nothing here fetches or caches, so every chart is reproducible in a test. The
shared look and colours are :mod:`batchcall.charts.style`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number
from batchcall.charts.style import (
    DESTINATION_COLORS,
    GROUP_COLORS,
    VERDICT_COLORS,
    VERDICT_LABELS,
    empty_figure,
    style,
)
from batchcall.insight.destinations import (
    UNKNOWN,
    country_name,
    destinations_table,
    network_groups_table,
)
from batchcall.rules import ValidationReport

__all__ = ["DESTINATION_COLORS", "contacts_by_country", "destinations_map", "network_groups_figure"]


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
        hovertemplate="<b>%{hovertext}</b><br>Contacts: %{customdata[0]:,}<br>"
        "Allowed: %{customdata[1]:,}<br>Blocked: %{customdata[2]:,}<br>"
        "Telephony Config: %{customdata[3]}<extra></extra>",
    )
    fig.update_geos(showcountries=True, countrycolor="#e0e0e0", showframe=False)
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
    fig.update_yaxes(tickformat=",d")
    fig.update_traces(hovertemplate="%{x} · %{fullData.name}: %{y:,} contacts<extra></extra>")
    return style(fig, "Contacts by country and verdict")


def network_groups_figure(
    table: pd.DataFrame | ValidationReport, config: TelephonyConfig | dict[str, Any] | None = None
) -> go.Figure:
    """Bars of contacts per network group, coloured enabled or disabled (``GROUP_COLORS``).

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
        custom_data=["prefixes", "state"],
        color_discrete_map=GROUP_COLORS,
        category_orders={"state": list(GROUP_COLORS), "label": list(frame["label"])},
        labels={"label": "Network group", "contacts": "Contacts", "state": "Group"},
    )
    fig.update_traces(
        hovertemplate="<b>%{x}</b> (%{customdata[1]})<br>Prefixes: %{customdata[0]}"
        "<br>Contacts: %{y:,}<extra></extra>"
    )
    fig.update_yaxes(tickformat=",d")
    return style(fig, title)
