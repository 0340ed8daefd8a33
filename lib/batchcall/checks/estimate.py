"""How long a batch will take, what it may cost, and whether it outruns its calling hours.

Why an estimate at all: a batch of 100,000 calls at 10 at a time runs for days,
and a launch at 18:00 local time leaves two hours before the window closes. The
figures are expectations from the operator's own guesses (connect rate, call
length), not promises: the page shows the inputs next to the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from batchcall.checks.local_time import zone_info
from batchcall.checks.report import PrecheckReport
from batchcall.checks.window import CallingWindow

__all__ = ["Estimate", "estimate_batch", "outrun_rows"]

RING_SECONDS = 30.0
"""An unanswered, busy or failed attempt still holds a line about this long."""


@dataclass(frozen=True)
class Estimate:
    """Expected attempts, line time, duration, end and cost of one batch."""

    calls: int
    attempts: float
    """First attempts plus the expected retries of calls that did not connect."""
    line_minutes: float
    """Minutes the lines are held: connected calls talk, the others ring."""
    talk_minutes: float
    """Minutes of connected calls (what a per-minute price is charged on)."""
    duration: timedelta
    finish_at: datetime
    cost: float | None


def estimate_batch(
    calls: int,
    *,
    concurrency: int,
    start: datetime,
    connect_rate: float = 0.5,
    mean_call_seconds: float = 90.0,
    max_retries: int = 0,
    retry_interval_minutes: float = 0.0,
    price_per_minute: float | None = None,
) -> Estimate:
    """calls × connect rate × call length (plus ring time of the rest, retried up to
    ``max_retries`` times) ÷ concurrency. A retry waits its interval: a batch with
    retries ends no earlier than ``max_retries × retry_interval_minutes`` after start."""
    if not 0 <= connect_rate <= 1:
        raise ValueError(f"connect_rate must be between 0 and 1, not {connect_rate}")
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, not {concurrency}")
    missed, attempts, connected = float(calls), 0.0, 0.0
    for _ in range(max_retries + 1):  # each round dials the calls still not connected
        attempts += missed
        connected += missed * connect_rate
        missed *= 1 - connect_rate
    talk = connected * mean_call_seconds / 60
    ring = (attempts - connected) * RING_SECONDS / 60
    line = talk + ring
    minutes = line / concurrency
    if max_retries and calls:
        minutes = max(minutes, max_retries * retry_interval_minutes)
    duration = timedelta(minutes=math.ceil(minutes * 60) / 60)
    cost = None if price_per_minute is None else round(talk * price_per_minute, 2)
    return Estimate(calls, attempts, line, talk, duration, start + duration, cost)


def outrun_rows(report: PrecheckReport, window: CallingWindow, finish_at: datetime) -> int:
    """Rows to call (inside their window at launch) whose window closes before
    ``finish_at`` in one of their zones: the strictest reading, as ``in_window``."""
    rows = report.rows
    inside = (rows["disposition"].to_numpy(dtype=object) == "to_call") & (
        rows["in_window"].to_numpy(dtype=object) == "yes"
    )
    if not inside.any():
        return 0
    if report.row_group is None:  # not made by precheck: count the zone sets themselves
        counted = rows.loc[inside, "time_zones"].value_counts()
        per_zones = list(zip(counted.index, counted.to_numpy(), strict=True))
    else:  # per group of rows sharing zones: no copy of the rows
        counts = np.bincount(report.row_group[inside], minlength=len(report.groups.zones))
        per_zones = [(report.groups.zones[g], counts[g]) for g in np.flatnonzero(counts)]
    closes: dict[str, datetime] = {}
    outrun = 0
    for zones, count in per_zones:
        for zone in zones:
            if zone not in closes:
                closes[zone] = _closes(zone, report.at, window)
        if any(closes[zone] < finish_at for zone in zones):
            outrun += int(count)
    return outrun


def _closes(zone: str, at: datetime, window: CallingWindow) -> datetime:
    """When the window that is open at ``at`` closes in ``zone``."""
    local = pd.Timestamp(at).tz_convert(zone_info(zone))
    end = local.normalize() + pd.Timedelta(hours=window.end.hour, minutes=window.end.minute)
    if end <= local:  # a window across midnight closes tomorrow
        end += pd.Timedelta(days=1)
    return end.to_pydatetime()
