"""The look every chart shares: one palette where each colour means one thing, and a layout
that stays readable from a phone-width window to a wide screen.

Why one palette: an operator learns a colour on one page and reads it on the next. If
orange is "Letters" on Upload and "Country not enabled" on Destinations, or grey is both
a disabled network group and a queued call, a chart says the wrong thing at a glance. So
each colour belongs to one *family* (row verdicts, countries on the map, network groups,
calling hours, call states) and within it to one meaning; neutral categories such as
number formats, which carry no judgement, take shades of the separate ``NEUTRAL`` family.
``palette()`` lists every family with its colours, and ``tests/test_chart_colours.py``
checks the figures themselves never give one colour two meanings.

Why the layout: figures are drawn as wide as their column, down to a ~400 px phone. A
legend to the right would eat half of that, so legends sit in a row under the plot (in
the figure's own margin, never over the axis titles), margins are thin, and a long
title is wrapped onto two lines rather than clipped.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from batchcall.rules import Reason

TEMPLATE = "plotly_white"
if pio.templates.default == "plotly":  # plotly's own default: nobody chose another one
    # A figure made under the default template costs ~3 ms; naming a template on each
    # figure costs ~17 ms (plotly validates the whole template again each time).
    pio.templates.default = TEMPLATE

# --- Row verdicts: does the platform take the row, and if not, why -------------------------
PASSES = "#2e7d32"  # green 800
VERDICT_LABELS = {"ok": "Passes", **{str(r): r.title for r in Reason}}
VERDICT_COLORS = {
    "ok": PASSES,
    "invalid_phone_number": "#c62828",  # red 800
    "no_enabled_countries": "#6a1b9a",  # purple 800
    "unsupported_destination_country": "#ad1457",  # pink 800
    "unsupported_prefix": "#ef6c00",  # orange 800
}

# --- Destination countries: how much of a country's list gets through ----------------------
ALLOWED = PASSES
"""A country whose every row passes: the same statement as "Passes", so the same green."""
PARTLY = "#f9a825"  # yellow 800: some of the country's rows are blocked
BLOCKED = "#4e342e"  # brown 800: every row of the country is blocked
DESTINATION_COLORS = {"Allowed": ALLOWED, "Partly blocked": PARTLY, "Blocked": BLOCKED}

# --- Network groups in the Telephony Config -------------------------------------------------
GROUP_COLORS = {"Enabled": "#00796b", "Disabled": "#bcaaa4"}  # teal 700, warm grey

# --- Calling hours: where a contact's clock stands against the window ----------------------
WINDOW_COLORS = {
    "Inside the window": "#0097a7",  # cyan 700
    "Inside in some of its zones": "#80deea",  # cyan 200: a number with several zones
    "Outside the window": "#546e7a",  # blue grey 600
}

# --- Call states, in lifecycle order (stacking and legend order, bottom to top) -------------
STATUS_COLORS = {
    "queued": "#b0bec5",
    "pending": "#cfd8dc",
    "created": "#90a4ae",
    "initiated": "#90caf9",
    "sent": "#64b5f6",
    "received": "#42a5f5",
    "in_progress": "#1e88e5",
    "completed": "#43a047",
    "no_answer": "#ffca28",
    "busy": "#ff8a65",
    "failed": "#e53935",
    "cancelled": "#616161",
    "unknown": "#9575cd",
}
"""Spellings of ``CallState`` (plus ``pending``, a counter-only status, and ``unknown``, a
call with no status)."""

# --- Neutral: categories with no verdict (number formats, plain counts) ---------------------
NEUTRAL = (
    "#1a237e",
    "#283593",
    "#303f9f",
    "#3949ab",
    "#3f51b5",
    "#5c6bc0",
    "#7986cb",
    "#9fa8da",
    "#c5cae9",
)
"""Shades of indigo, darkest first: categories are told apart by their direct labels, the
shade only separates neighbouring bars; no verdict, state or group uses them."""
FILLED = "#8c9eff"  # indigo A100: filled cells of a column
FINISHED = "#3d5afe"  # indigo A400: calls finished in a minute
OTHER_COLOR = "#a1887f"  # brown 300: the "Other" slice of a donut, a status nobody knows


def status_label(status: str) -> str:
    """A call status as legends and tables show it: ``no_answer`` -> "No answer"."""
    return status.replace("_", " ").replace("-", " ").capitalize()


SAME_MEANING = {"Allowed": "Passes", "Other (small slices)": "Other"}
"""Labels that say one thing in two places: a country where every row passes is "Allowed"
on the map, the rows themselves "Passes"; the donut renames its "Other" slice when a
category is already called Other."""


def palette() -> list[tuple[str, dict[str, str]]]:
    """Every family with its label -> colour, as the charts' legends name them."""
    return [
        ("verdict", {VERDICT_LABELS[k]: c for k, c in VERDICT_COLORS.items()}),
        ("destination", DESTINATION_COLORS),
        ("network group", GROUP_COLORS),
        ("calling hours", WINDOW_COLORS),
        ("call", {status_label(k): c for k, c in STATUS_COLORS.items()}),
        ("neutral", {f"shade {i}": c for i, c in enumerate((*NEUTRAL, FILLED, FINISHED))}),
        ("other", {"Other": OTHER_COLOR}),
    ]


TITLE_CHARS = 44
"""About what fits on one line of a 400 px wide chart at the title's size."""
TITLE_LINE_PX = 22


def wrap_title(title: str, width: int = TITLE_CHARS) -> str:
    """A long title on two (or more) lines, broken after " · " when it has one."""
    if len(title) <= width:
        return title
    if " · " in title:
        head, _, tail = title.partition(" · ")
        if len(head) <= width:
            return f"{head}<br>{wrap_title(tail, width)}"
    return "<br>".join(textwrap.wrap(title, width))


def style(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    """One look everywhere: a readable title, thin margins, the legend in a row below.

    The title sits just above the plot area and pushes the top margin (``automargin``;
    anchored to the container's top, a wrapped title is drawn off the figure), the legend
    sits at the figure's bottom edge with its room reserved (``yref="container"``), so at
    any width the plot shrinks instead of title, ticks and legend drawing over each other.
    """
    if pio.templates.default != TEMPLATE:
        fig.update_layout(template=TEMPLATE)
    text = wrap_title(title)
    lines = text.count("<br>") + 1
    fig.update_layout(
        title={
            "text": text,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"l": 4, "b": 8},
            "font": {"size": 16},
            "automargin": True,
        },
        height=height + TITLE_LINE_PX * (lines - 1),
        margin={"l": 4, "r": 4, "t": 16, "b": 4},
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "title_text": "",
        },
    )
    return fig


def empty_figure(title: str, message: str) -> go.Figure:
    """A titled box saying why there is nothing to draw, the height of a small chart."""
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
            hovertemplate="%{label}: %{value:,} (%{percent})%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})
    fig.add_annotation(text=f"<b>{total:,}</b>", showarrow=False, font={"size": 20})
    return style(fig, title, height=340)
