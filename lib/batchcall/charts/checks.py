"""Pre-launch charts: where the contacts' clocks stand at the moment of the launch.

From plain data only (``PrecheckReport.by_local_hour()``'s table), so the chart is
reproducible in a test. Inside, outside and partly-inside the calling window have
colours of their own (``style.WINDOW_COLORS``): being outside the hours is not a
platform refusal, so it must not look like one.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from batchcall.charts.style import WINDOW_COLORS, empty_figure, style

__all__ = ["HOUR_SERIES", "local_hour_bars"]

HOUR_SERIES = tuple(
    (column, label, WINDOW_COLORS[label])
    for column, label in (
        ("yes", "Inside the window"),
        ("partly", "Inside in some of its zones"),
        ("no", "Outside the window"),
    )
)
"""(column of ``by_local_hour``, legend label, colour), stacked in this order."""


def local_hour_bars(by_hour: pd.DataFrame, when: str, window: str) -> go.Figure:
    """Stacked bars: contacts per local hour (0-23) at the launch, by calling-window status."""
    title = f"Contacts by their local hour {when} · window {window}"
    if not int(by_hour["contacts"].sum()):
        return empty_figure(title, "No contact has a known time zone.")
    hours = [f"{hour:02d}:00" for hour in by_hour.index]
    fig = go.Figure()
    for column, label, color in HOUR_SERIES:
        fig.add_bar(
            x=hours,
            y=by_hour[column].tolist(),
            name=label,
            marker_color=color,
            hovertemplate="%{x} local: %{y:,} contacts<extra>" + label + "</extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.1)
    fig.update_xaxes(title_text="Local hour", type="category")
    fig.update_yaxes(title_text="Contacts", tickformat=",d")
    return style(fig, title, height=320)
