"""Call outcomes per value of an uploaded variable, from an ``outcomes_by`` table.

One horizontal bar per value, stacked by status in the same colours and order as
the Progress page's other charts, with the connect rate at the bar's end: the
operator sees at a glance which product or city answers and which never does.
The numbers themselves are :func:`batchcall.insight.outcomes.outcomes_by`.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from batchcall.charts.style import OTHER_COLOR, STATUS_COLORS, empty_figure, status_label, style
from batchcall.insight.outcomes import (
    CALLS,
    CONNECT_RATE,
    DIALLED,
    MEAN_DURATION,
    status_columns,
)

__all__ = ["outcomes_bar"]

ROW_HEIGHT = 26
MIN_HEIGHT, MAX_HEIGHT = 260, 900
"""Bars keep a readable thickness as values are added, up to a page's worth; past that
they thin out rather than push the rest of the page out of reach."""
LABEL_CHARS = 32


_status_label = status_label


def _axis_labels(values: list[str]) -> list[str]:
    """Long values cut to ``LABEL_CHARS`` so the bars keep the width; but only when the
    cut ones stay distinct, since two equal category labels would merge two bars."""
    short = [v if len(v) <= LABEL_CHARS else v[: LABEL_CHARS - 1] + "…" for v in values]
    return short if len(set(short)) == len(set(values)) else values


def _rate(rate: float, dialled: int) -> tuple[str, str]:
    """Text at the bar's end and in the hover; a dash, not 0%, when nothing was dialled."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "—", "— (nothing dialled yet)"
    return f"{rate:.0%}", f"{rate:.0%} of {dialled:,} dialled"


def _duration(seconds: float) -> str:
    if seconds is None or math.isnan(seconds):
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


def outcomes_bar(table: pd.DataFrame, column: str) -> go.Figure:
    """Stacked bars of an ``outcomes_by(calls, column)`` table, first row on top."""
    title = f"Outcomes by {column}"
    if table.empty:
        return empty_figure(title, "No calls yet.")
    values = [str(v) for v in table.iloc[:, 0]]
    labels = _axis_labels(values)
    calls = [int(n) for n in table[CALLS]]
    rates = [_rate(r, int(d)) for r, d in zip(table[CONNECT_RATE], table[DIALLED], strict=True)]
    durations = [_duration(float(s)) for s in table[MEAN_DURATION]]
    custom = [
        [value, total, hover, duration]
        for value, total, (_, hover), duration in zip(values, calls, rates, durations, strict=True)
    ]
    fig = go.Figure()
    for status in status_columns(table):
        name = _status_label(status)
        fig.add_trace(
            go.Bar(
                x=table[status].astype(int).tolist(),
                y=labels,
                orientation="h",
                name=name,
                marker_color=STATUS_COLORS.get(status, OTHER_COLOR),
                customdata=custom,
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{name}: %{{x:,}} of %{{customdata[1]:,}} calls"
                    "<br>Connect rate: %{customdata[2]}"
                    "<br>Mean completed call: %{customdata[3]}<extra></extra>"
                ),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=calls,
            y=labels,
            mode="text",
            text=[f" {text}" for text, _ in rates],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    # Legend in stacking order, left to right, as the bars read (Plotly reverses stacks).
    fig.update_layout(barmode="stack", xaxis_title="Calls · % connected at the end")
    fig.update_layout(legend_traceorder="normal")
    # Category axis: values such as "1", "2", "10" must stay labels, not become numbers.
    fig.update_yaxes(type="category", autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, max(calls) * 1.15 or 1], tickformat=",d")
    height = min(MAX_HEIGHT, max(MIN_HEIGHT, 140 + ROW_HEIGHT * len(values)))
    return style(fig, title, height=height)
