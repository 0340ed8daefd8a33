"""Time-zone waves: the rows to call as batches that each start when their window opens.

Why: a list spanning Sydney, Moscow and New York has no single moment when every
contact is inside calling hours; one batch launched "now" rings someone at 03:00.
A wave is the rows whose window (in every zone of theirs, the strictest reading,
as ``in_window``) first opens at the same instant at or after ``at``; it is sent as
its own batch with that instant as ``scheduled_at``, or at once (``None``) when the
window is open already. The instants come from the same grouping and evaluation
as the pre-launch report (``checks.hours``: rows by zone set and country, the
window per zone over quarter-hours), refined to the minute, so a wave never starts
before the report would call its rows inside.

Rows whose number has no known zone cannot be timed: they form no wave and are
listed in ``WavePlan.unknown_rows``; rows whose window does not open within the
next 7 days (holidays and weekdays allowing none) in ``WavePlan.closed_rows``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from batchcall.checks.dispositions import Disposition
from batchcall.checks.hours import STEP, ZoneGroups, quarter_hours, window_matrix
from batchcall.checks.local_time import zone_info
from batchcall.checks.report import PrecheckReport
from batchcall.checks.window import CallingWindow

__all__ = ["WAVE_DISPOSITIONS", "Wave", "WavePlan", "plan_waves"]

WAVE_DISPOSITIONS = (Disposition.TO_CALL, Disposition.OUTSIDE_CALLING_HOURS)
"""The rows waves carry by default: those to call now, and those waiting for their hours."""
_ZONES_SHOWN = 3
_UNKNOWN, _CLOSED = -1, -2


@dataclass(frozen=True, eq=False)
class Wave:
    """One wave: its rows (spreadsheet rows, ascending) and when it starts."""

    number: int
    of: int
    opens_at: datetime
    """When the window opens for every row of the wave (``at`` when open already), UTC."""
    scheduled_at: datetime | None
    """``opens_at`` when later than ``at``; None: start now."""
    zones: tuple[str, ...]
    local_opening: tuple[str, ...]
    """``"HH:MM"`` on the wall of each of ``zones`` at ``opens_at``."""
    rows: list[int] = field(repr=False)

    @property
    def label(self) -> str:
        """``"Wave 2/4 — America/New_York, America/Toronto (09:00 local)"``."""
        shown = ", ".join(self.zones[:_ZONES_SHOWN])
        if len(self.zones) > _ZONES_SHOWN:
            shown += f" and {len(self.zones) - _ZONES_SHOWN} more"
        if self.scheduled_at is None:
            when = "now"
        else:
            clocks = sorted(set(self.local_opening))
            when = f"{clocks[0]} local" if len(clocks) == 1 else f"{clocks[0]}–{clocks[-1]} local"
        return f"Wave {self.number}/{self.of} — {shown} ({when})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "wave": self.number,
            "of": self.of,
            "label": self.label,
            "scheduled_at": _iso(self.scheduled_at),
            "opens_at": _iso(self.opens_at),
            "zones": list(self.zones),
            "rows": list(self.rows),
        }


@dataclass(frozen=True, eq=False)
class WavePlan:
    """The waves in start order, and the rows no wave can carry."""

    at: datetime
    window: CallingWindow
    waves: tuple[Wave, ...]
    unknown_rows: list[int] = field(default_factory=list, repr=False)
    """Rows whose number has no known time zone: not timed, not in any wave."""
    closed_rows: list[int] = field(default_factory=list, repr=False)
    """Rows whose window does not open within 7 days of ``at``."""

    def __len__(self) -> int:
        return len(self.waves)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": _iso(self.at),
            "window": self.window.label,
            "waves": [wave.to_dict() for wave in self.waves],
            "unknown_rows": list(self.unknown_rows),
            "closed_rows": list(self.closed_rows),
        }


def plan_waves(
    report: PrecheckReport,
    *,
    at: datetime | None = None,
    window: CallingWindow | None = None,
    rows: Iterable[int] | None = None,
) -> WavePlan:
    """Split ``rows`` of ``report`` into waves by when their calling window opens.

    ``at`` (aware; default: the report's moment) and ``window`` (default: the
    report's) may differ from the report's: the zones are what it contributes.
    ``rows`` are spreadsheet rows (default: those whose disposition is to call or
    outside calling hours, ``WAVE_DISPOSITIONS``); rows the platform would refuse
    are never in a wave.
    """
    if report.row_group is None:
        raise ValueError("this report was not made by precheck: check the table again")
    at = _moment(at or report.at)
    window = window or report.window
    table = report.rows
    if rows is None:
        chosen = table["disposition"].isin([str(d) for d in WAVE_DISPOSITIONS]).to_numpy()
    else:
        chosen = table.index.isin(list(rows))
    chosen = chosen & table["reason"].isna().to_numpy()
    labels = table.index.to_numpy()
    row_group = report.row_group
    opening = _openings(report.groups, window, at)
    instants = sorted({moment for moment in opening.values() if moment is not None})
    wave_of = {moment: index for index, moment in enumerate(instants)}
    group_wave = np.full(len(report.groups), _UNKNOWN, dtype=np.int64)  # groups without zones
    for group, moment in opening.items():
        group_wave[group] = _CLOSED if moment is None else wave_of[moment]
    row_wave = group_wave[row_group]
    waves = []
    for index, instant in enumerate(instants):
        members = chosen & (row_wave == index)
        if not members.any():
            continue
        groups = np.unique(row_group[members]).tolist()
        zones = sorted({zone for group in groups for zone in report.groups.zones[group]})
        waves.append((instant, tuple(zones), sorted(int(r) for r in labels[members])))
    count = len(waves)
    plan = tuple(
        Wave(
            number=position,
            of=count,
            opens_at=instant,
            scheduled_at=None if instant <= at else instant,
            zones=zones,
            local_opening=tuple(_wall(instant, zone) for zone in zones),
            rows=members,
        )
        for position, (instant, zones, members) in enumerate(waves, start=1)
    )
    return WavePlan(
        at=at,
        window=window,
        waves=plan,
        unknown_rows=sorted(int(r) for r in labels[chosen & (row_wave == _UNKNOWN)]),
        closed_rows=sorted(int(r) for r in labels[chosen & (row_wave == _CLOSED)]),
    )


def never_open(report: PrecheckReport) -> np.ndarray:
    """Per row of ``report``: True when its calling window opens in none of the next 7 days
    in every zone of its, so no wave can call it (a row with no known zone is False)."""
    if report.row_group is None:
        raise ValueError("this report was not made by precheck: check the table again")
    opening = _openings(report.groups, report.window, report.at)
    closed = np.zeros(len(report.groups), dtype=bool)
    closed[[group for group, moment in opening.items() if moment is None]] = True
    return closed[report.row_group]


def _openings(
    groups: ZoneGroups, window: CallingWindow, at: datetime
) -> dict[int, datetime | None]:
    """Per group with zones: the first instant at or after ``at`` inside the window in
    every zone of its (quarter-hour steps for 7 days, then to the minute); None: never."""
    instants = quarter_hours(at)
    every, _ = window_matrix(window, groups, instants)
    found: dict[int, datetime | None] = {}
    for group, zones in enumerate(groups.zones):
        if not zones:
            continue
        hits = np.flatnonzero(every[group])
        if not len(hits):
            found[group] = None
            continue
        first = int(hits[0])
        moment = instants[first]
        if first > 0:  # the window opened within the quarter-hour before: find the minute
            moment = _refined(window, groups, group, instants[first - 1], moment)
        found[group] = moment.to_pydatetime().astimezone(UTC)
    return found


def _refined(
    window: CallingWindow, groups: ZoneGroups, group: int, before: pd.Timestamp, hit: pd.Timestamp
) -> pd.Timestamp:
    """The first whole minute after ``before`` (outside) up to ``hit`` (inside) that is inside."""
    minutes = pd.date_range(before.floor("min") + timedelta(minutes=1), hit, freq="1min")
    minutes = minutes[(minutes > before) & (minutes <= hit)]
    if not len(minutes) or len(minutes) > STEP / timedelta(minutes=1):
        return hit
    one = ZoneGroups((groups.zones[group],), (groups.countries[group],), groups.counts[[group]])
    every, _ = window_matrix(window, one, pd.DatetimeIndex(minutes))
    inside = np.flatnonzero(every[0])
    return minutes[int(inside[0])] if len(inside) else hit


def _wall(moment: datetime, zone: str) -> str:
    local = pd.Timestamp(moment).tz_convert(zone_info(zone))
    return f"{local.hour:02d}:{local.minute:02d}"


def _moment(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"at={at.isoformat()} has no time zone: waves start at exact moments; pass an "
            "aware datetime, e.g. datetime.now(UTC)"
        )
    return at.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
