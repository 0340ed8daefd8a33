"""Progress figures and headline numbers for a running batch, from plain data only.

Call statuses keep one colour and one stacking order everywhere, whatever
spelling the platform used (``no-answer`` and ``no_answer`` are one status); the
colours are the call family of :mod:`batchcall.charts.style`, used by no other chart.
Times on the axes are UTC, and say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from batchcall.api.batches import normalize_call_status
from batchcall.charts.style import (
    FINISHED,
    OTHER_COLOR,
    STATUS_COLORS,
    donut,
    empty_figure,
    status_label,
    style,
)

STATUS_ORDER = list(STATUS_COLORS)
"""Stacking and legend order of call statuses, bottom to top (``STATUS_COLORS``' order)."""
FINISHED_STATUSES = ("completed", "no_answer", "busy", "failed", "cancelled")
MIN_TIME_SPAN = pd.Timedelta(minutes=1)
DIALLED_OUTCOMES = ("completed", "no_answer", "busy", "failed")
"""Statuses of calls that were placed and ended; a cancelled call was never dialled."""


_label = status_label


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
        return empty_figure(title, "Waiting for the first progress sample.")
    columns = [c for c in samples.columns if c != "t"]
    spelled = pd.Series({c: str(normalize_call_status(str(c))) for c in columns})
    frame = samples[columns].fillna(0).T.groupby(spelled).sum().T
    order = list(_merge_statuses(dict.fromkeys(frame.columns, 0)))
    fig = go.Figure()
    for status in order:
        color = STATUS_COLORS.get(status, OTHER_COLOR)
        area = {"stackgroup": "calls", "line": {"width": 0.5, "color": color}, "fillcolor": color}
        hover = f"{_label(status)}: %{{y:,}}<extra></extra>"
        fig.add_trace(
            go.Scatter(
                x=samples["t"], y=frame[status], name=_label(status), hovertemplate=hover, **area
            )
        )
    fig.update_layout(yaxis_title="Calls", xaxis_title="Time (UTC)", hovermode="x unified")
    fig.update_yaxes(tickformat=",d")
    # Whole seconds, on an axis at least a minute wide: polls a few hundred milliseconds
    # apart at the start would otherwise get ticks like 08:50:36.6335.
    times = pd.to_datetime(samples["t"])
    start, end = times.min(), times.max()
    fig.update_xaxes(
        tickformat="%H:%M:%S",
        hoverformat="%H:%M:%S",
        range=[start, max(end, start + MIN_TIME_SPAN)],
    )
    return style(fig, title)


def outcomes_donut(status_counts: Mapping[str, int]) -> go.Figure:
    """Calls per status right now, in the fixed status colours."""
    counts = {k: v for k, v in _merge_statuses(status_counts).items() if v}
    if not counts:
        return empty_figure("Call outcomes", "No calls yet.")
    return donut(
        [_label(k) for k in counts],
        list(counts.values()),
        [STATUS_COLORS.get(k, OTHER_COLOR) for k in counts],
        "Call outcomes",
    )


def calls_per_minute(ended_at: pd.Series) -> go.Figure:
    """Bars of calls ending in each minute, from the calls' end times."""
    times = pd.to_datetime(ended_at, utc=True, errors="coerce").dropna()
    return per_minute_bars(times.dt.floor("min").value_counts().sort_index())


def per_minute_bars(minutes: pd.Series) -> go.Figure:
    """Bars of calls ended per minute (a count indexed by minute, UTC); minutes with none
    between the first and the last show as zero, not a gap."""
    title = "Calls finished per minute"
    minutes = minutes[minutes > 0]
    if minutes.empty:
        return empty_figure(title, "No calls have ended yet.")
    minutes.index = pd.to_datetime(minutes.index, utc=True)
    span = pd.date_range(minutes.index.min(), minutes.index.max(), freq="min")
    minutes = minutes.groupby(level=0).sum().reindex(span, fill_value=0)
    hover = "%{x|%H:%M} UTC: %{y:,} calls<extra></extra>"
    fig = go.Figure(go.Bar(x=minutes.index, y=minutes.to_numpy(), hovertemplate=hover))
    fig.update_traces(marker_color=FINISHED, name="Calls finished")
    # Bars a minute wide, and an axis at least a few minutes wide, even for a single minute.
    fig.update_traces(width=60_000 * 0.9)
    start, end = span[0] - pd.Timedelta(minutes=1), span[-1] + pd.Timedelta(minutes=1)
    fig.update_layout(yaxis_title="Calls", xaxis_title="Minute (UTC)", bargap=0.1)
    fig.update_xaxes(range=[start, end], tickformat="%H:%M", dtick=60_000 * max(1, len(span) // 10))
    return style(fig, title, height=300)


def finished_per_minute(samples: pd.DataFrame) -> go.Figure:
    """Calls ended per minute from the batch's counters over time (``ProgressLog.frame``):
    a big batch's calls are never all listed, but its counters are polled anyway."""
    title = "Calls finished per minute"
    if samples.empty or "t" not in samples:
        return empty_figure(title, "Waiting for the first progress sample.")
    spelled = {c: str(normalize_call_status(str(c))) for c in samples.columns if c != "t"}
    ended = [c for c, status in spelled.items() if status in DIALLED_OUTCOMES]
    counts = samples[ended].sum(axis=1) if ended else pd.Series(0, index=samples.index)
    by_minute = pd.Series(counts.to_numpy(), index=pd.to_datetime(samples["t"], utc=True))
    totals = by_minute.resample("min").max().ffill()
    per_minute = totals.diff().fillna(totals.iloc[0]).clip(lower=0)
    if not (per_minute > 0).any():
        return empty_figure(title, "No calls have ended yet.")
    hover = "%{x|%H:%M} UTC: %{y:,} calls<extra></extra>"
    fig = go.Figure(go.Bar(x=per_minute.index, y=per_minute.to_numpy(), hovertemplate=hover))
    fig.update_traces(marker_color=FINISHED, name="Calls finished", width=60_000 * 0.9)
    fig.update_layout(yaxis_title="Calls", xaxis_title="Minute (UTC)", bargap=0.1)
    fig.update_xaxes(tickformat="%H:%M")
    return style(fig, title, height=300)


@dataclass(frozen=True)
class ProgressNumbers:
    """The headline numbers of a batch."""

    total: int
    finished: int
    """Calls placed that have ended (completed, no answer, busy, failed)."""
    completed: int
    unsuccessful: int
    """Ended without a conversation: no answer, busy, failed."""
    cancelled: int
    """Never dialled: cancelled before their turn."""
    remaining: int
    """Still to be placed or still in progress."""
    completion: float
    """Ended calls / total, 0..1: cancelled calls are not done, so a cancelled batch
    never reads 100%."""
    elapsed: timedelta | None
    calls_per_minute: float | None
    """Ended calls per minute over the time calls ran; None before the start is known."""
    eta: datetime | None
    """When the last call should end at the pace so far; only while calls remain."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def progress_numbers(
    status_counts: Mapping[str, int], total: int, started_at: datetime | None, now: datetime
) -> ProgressNumbers:
    """Completion, pace and ETA. ``now`` is the end of the running period (a finished
    batch's end, else the present); naive datetimes are read as UTC, the contract's zone."""
    counts = _merge_statuses(status_counts)
    finished = sum(counts.get(s, 0) for s in DIALLED_OUTCOMES)
    completed, cancelled = counts.get("completed", 0), counts.get("cancelled", 0)
    total = int(total) if total else sum(counts.values())
    remaining = max(total - finished - cancelled, 0)
    elapsed = _aware(now) - _aware(started_at) if started_at else None
    minutes = elapsed.total_seconds() / 60 if elapsed else 0.0
    rate = finished / minutes if minutes > 0 else None
    eta = now + timedelta(minutes=remaining / rate) if remaining and rate else None
    completion = min(finished / total, 1.0) if total else 0.0
    return ProgressNumbers(
        total, finished, completed, finished - completed, cancelled, remaining, completion,
        elapsed, rate, eta,
    )  # fmt: skip


def progress_headline(numbers: ProgressNumbers, *, cancelled: bool, finished: bool) -> str:
    """The batch in one line, true at any state: never "100% done" for a cancelled batch."""
    outcome = f"{numbers.completed:,} completed, {numbers.unsuccessful:,} failed"
    if cancelled:
        never = numbers.cancelled + (numbers.remaining if finished else 0)
        still = "" if finished else f", {numbers.remaining:,} finishing"
        return f"Cancelled — {outcome}, {never:,} never dialled{still}"
    if finished:
        return f"Finished — {outcome}"
    percent = math.floor(numbers.completion * 100)  # never "100%" while a call is left
    return f"{percent}% done — {numbers.finished:,} of {numbers.total:,} calls"
