"""The look every chart shares: template, fixed colours, title and legend placement.

Colours are fixed per meaning (allowed green, blocked red) so the same thing
looks the same on every page and across polls.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from batchcall.rules import Reason

TEMPLATE = "plotly_white"
if pio.templates.default == "plotly":  # plotly's own default: nobody chose another one
    # A figure made under the default template costs ~3 ms; naming a template on each
    # figure costs ~17 ms (plotly validates the whole template again each time).
    pio.templates.default = TEMPLATE
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
    if pio.templates.default != TEMPLATE:
        fig.update_layout(template=TEMPLATE)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
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


def donut(
    labels: list[str],
    values: list[int],
    colors: list[str],
    title: str,
    *,
    min_share: float = 0.02,
    max_small: int = 2,
) -> go.Figure:
    """A donut readable at any scale: slices under ``min_share`` of the total get no label
    (a ring of 25 slivers otherwise grows a tower of outside labels over the legend), and
    once there are more than ``max_small`` of them they become one "Other" slice in
    ``OTHER_COLOR`` whose hover lists what it holds. Every other slice keeps its colour,
    so a status or verdict looks the same whatever else is in the ring."""
    total = sum(values)
    small = [i for i, v in enumerate(values) if v and total and v / total < min_share]
    details = [""] * len(labels)
    if len(small) > max_small:
        held = sorted(small, key=lambda i: -values[i])
        lines = [f"{labels[i]}: {values[i]:,}" for i in held[:12]]
        lines += [f"… and {len(held) - 12} more"] if len(held) > 12 else []
        keep = [i for i in range(len(labels)) if i not in set(small)]
        other = "Other" if "Other" not in labels else "Other (small slices)"
        labels = [labels[i] for i in keep] + [other]
        values = [values[i] for i in keep] + [sum(values[i] for i in small)]
        colors = [colors[i] for i in keep] + [OTHER_COLOR]
        details = [""] * len(keep) + ["<br>" + "<br>".join(lines)]
    shown = [bool(total) and v / total >= min_share for v in values]
    fig = go.Figure(
        go.Pie(
            labels=labels,
            values=values,
            hole=0.55,
            sort=False,
            direction="clockwise",
            marker={"colors": colors},
            customdata=details,
            texttemplate=["%{value:,}<br>%{percent}" if s else "" for s in shown],
            textposition="inside",
            insidetextorientation="horizontal",
            hovertemplate="%{label}: %{value} (%{percent})%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})
    fig.add_annotation(text=f"<b>{total:,}</b>", showarrow=False, font={"size": 20})
    return style(fig, title, height=340)
