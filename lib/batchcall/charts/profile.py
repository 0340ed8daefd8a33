"""Profile charts for the Upload page: verdicts, number formats and fill rates.

From plain data only (a ``ContactProfile`` or counts); the profile itself is
:mod:`batchcall.insight.profile`, the shared look :mod:`batchcall.charts.style`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from batchcall.charts.style import (
    FILLED,
    NEUTRAL,
    OTHER_COLOR,
    VERDICT_COLORS,
    VERDICT_LABELS,
    donut,
    empty_figure,
    style,
)
from batchcall.insight.profile import FORMAT_LABELS, ColumnProfile, ContactProfile

__all__ = ["FORMAT_COLORS", "fill_rate_bar", "formats_bar", "verdict_donut"]

FORMAT_COLORS = dict(zip(FORMAT_LABELS, NEUTRAL, strict=True))
"""Neutral shades: a way of writing a number is no verdict (a local number may pass, an
E.164 one fail), so no format borrows the green of "Passes" or the red of "Invalid"."""


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


def _hbar(labels: list[str], values: list[float], colors: list[str] | str, **bar: Any) -> go.Figure:
    """Horizontal bars, first label on top, labelled on the axis (so no legend needed)."""
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color=colors, **bar))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(showlegend=False, height=max(220, 80 + 32 * len(labels)))
    return fig


def formats_bar(formats: Mapping[str, int]) -> go.Figure:
    """How the phone numbers are written, one labelled bar per way, count at its end."""
    keys = [k for k in FORMAT_LABELS if formats.get(k)]
    if not keys:
        return empty_figure("Number formats", "No phone numbers yet.")
    values = [int(formats[k]) for k in keys]
    labels = [FORMAT_LABELS[k] for k in keys]
    colors = [FORMAT_COLORS[k] for k in keys]
    fig = _hbar(
        labels,
        values,
        colors,
        name="Number formats",
        text=[f"{v:,}" for v in values],
        hovertemplate="%{y}: %{x:,} rows<extra></extra>",
    )
    fig.update_layout(xaxis_title="Rows")
    fig.update_xaxes(tickformat=",d")
    return style(fig, "How the numbers are written", height=fig.layout.height)


def fill_rate_bar(columns: Sequence[ColumnProfile]) -> go.Figure:
    """Share of filled cells per column: a half-empty variable makes odd-sounding calls.

    One colour: the bar's length and its "80% · 1,204 filled" say how full a column is;
    a colour for "half empty" would be one more meaning to learn for what the text says.
    """
    if not columns:
        return empty_figure("Column fill rate", "No columns.")
    rates = [c.fill_rate * 100 for c in columns]
    fig = _hbar(
        [c.name for c in columns],
        rates,
        FILLED,
        name="Filled cells",
        text=[f"{c.fill_rate:.0%} · {c.filled:,} filled" for c in columns],
        customdata=[c.distinct for c in columns],
        hovertemplate="%{y}: %{x:.1f}% filled, %{customdata:,} distinct<extra></extra>",
    )
    fig.update_layout(xaxis={"title": "Filled cells (%)", "range": [0, 100]})
    return style(fig, "Column fill rate", height=fig.layout.height)
