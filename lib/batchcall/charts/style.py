"""The look every chart shares: template, fixed colours, title and legend placement.

Colours are fixed per meaning (allowed green, blocked red) so the same thing
looks the same on every page and across polls.
"""

from __future__ import annotations

import plotly.graph_objects as go

from batchcall.rules import Reason

TEMPLATE = "plotly_white"
ALLOWED, BLOCKED, PARTLY = "#2e7d32", "#c62828", "#f9a825"
OTHER_COLOR = "#8d6e63"
VERDICT_LABELS = {"ok": "Passes", **{str(r): r.title for r in Reason}}
VERDICT_COLORS = {
    "ok": ALLOWED,
    "invalid_phone_number": BLOCKED,
    "no_enabled_countries": "#6a1b9a",
    "unsupported_destination_country": "#ef6c00",
    "unsupported_prefix": "#f9a825",
}


def style(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    """One look everywhere: readable title, white template, width left to the page."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template=TEMPLATE,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def empty_figure(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, title, height=260)


def donut(labels: list[str], values: list[int], colors: list[str], title: str) -> go.Figure:
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
    return style(fig, title, height=340)
