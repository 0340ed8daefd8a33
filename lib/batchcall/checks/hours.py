"""Calling hours over groups of rows: the window evaluated per zone, not per row.

Why groups: rows that share a zone set and a country (for holidays) share every
answer about time, and a list of 150,000 rows has a few dozen such groups. Each
(zone, country) is converted once for a whole array of instants (``pandas``'
vectorised ``tz_convert``), so "now" and the 672 quarter-hours of the next week
cost about the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from batchcall.checks.local_time import zone_info
from batchcall.checks.window import CallingWindow

__all__ = [
    "HORIZON",
    "IN_WINDOW",
    "STEP",
    "ZoneGroups",
    "local_clocks",
    "quarter_hours",
    "statuses",
    "window_matrix",
]

IN_WINDOW = ("yes", "no", "partly", "unknown")
"""``in_window`` values: inside in every zone, in none, in some only, no zone known."""

STEP = timedelta(minutes=15)
HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class ZoneGroups:
    """Rows grouped by (zone set, country); ``counts`` rows per group."""

    zones: tuple[tuple[str, ...], ...]
    countries: tuple[str | None, ...]
    counts: np.ndarray

    def __len__(self) -> int:
        return len(self.zones)


def window_matrix(
    window: CallingWindow, groups: ZoneGroups, instants: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """(inside in every zone, inside in some zone): bool arrays, group x instant.

    A group without zones is inside in no zone and, vacuously, in every zone; callers
    treat it as unknown.
    """
    every = np.ones((len(groups), len(instants)), dtype=bool)
    some = np.zeros((len(groups), len(instants)), dtype=bool)
    memo: dict[tuple[str, str | None], np.ndarray] = {}
    for group, (zones, country) in enumerate(zip(groups.zones, groups.countries, strict=True)):
        holiday_country = country if window.holiday_subdivision(country) is not False else None
        for zone in zones:
            key = (zone, holiday_country)
            if key not in memo:
                memo[key] = window.inside(zone, holiday_country, instants)
            every[group] &= memo[key]
            some[group] |= memo[key]
    return every, some


def statuses(window: CallingWindow, groups: ZoneGroups, at: datetime) -> np.ndarray:
    """``in_window`` per group at ``at`` (object array of ``IN_WINDOW`` values)."""
    every, some = window_matrix(window, groups, pd.DatetimeIndex([at]).tz_convert("UTC"))
    known = np.array([bool(zones) for zones in groups.zones], dtype=bool)
    status = np.where(every[:, 0], "yes", np.where(some[:, 0], "partly", "no")).astype(object)
    status[~known] = "unknown"
    return status


def quarter_hours(at: datetime) -> pd.DatetimeIndex:
    """``at`` itself, then every quarter-hour boundary (UTC) up to ``at`` + 7 days."""
    start = pd.Timestamp(at).tz_convert("UTC")
    grid = pd.date_range(start.ceil("15min"), start + HORIZON, freq="15min")
    return grid if len(grid) and grid[0] == start else grid.insert(0, start)


def local_clocks(zone_sets: list[tuple[str, ...]], at: datetime) -> tuple[np.ndarray, np.ndarray]:
    """("HH:MM" tuple, local-hour tuple) per zone set at ``at``; one conversion per zone."""
    moment = pd.DatetimeIndex([at]).tz_convert("UTC")
    clock: dict[str, tuple[str, int]] = {}
    for zone in {zone for zones in zone_sets for zone in zones}:
        local = moment.tz_convert(zone_info(zone))[0]
        clock[zone] = (f"{local.hour:02d}:{local.minute:02d}", int(local.hour))
    texts = np.empty(len(zone_sets), dtype=object)
    hours = np.empty(len(zone_sets), dtype=object)
    for position, zones in enumerate(zone_sets):
        texts[position] = tuple(clock[zone][0] for zone in zones)
        hours[position] = tuple(clock[zone][1] for zone in zones)
    return texts, hours
