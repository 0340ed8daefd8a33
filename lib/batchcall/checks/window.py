"""Calling hours: when, in the contact's own local time, a call may be placed.

Why a value object: the same window is applied to thousands of rows in many time
zones, now and at every 15-minute step of the next week (``earliest_start``), so
it is parsed once and then evaluated per *zone* over whole arrays of instants.

The window is ``start <= local time < end`` (09:00 is inside, 20:00 is outside);
``start > end`` means a window across midnight. ``days`` are the local weekdays
allowed (Monday = 0). With ``holidays`` a public holiday of the contact's country
(the ``holidays`` package) is outside the window all day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache

import holidays as holiday_calendars
import numpy as np
import pandas as pd

from batchcall.checks.local_time import zone_info

__all__ = ["PRESETS", "WEEKDAYS", "CallingWindow"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALL_DAYS = frozenset(range(7))
_ALL_COUNTRIES = "*"
_TICKS_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_EPOCH_WEEKDAY = 3
"""1970-01-01, day 0 of the epoch, was a Thursday (Monday = 0)."""

HolidaySpec = bool | str | Iterable[str] | None
"""``True``: each contact's own country; ``"US"``, ``"US-NY"`` or several of them: only
those countries (with the subdivision's own holidays); ``False``/``None``: none."""


@dataclass(frozen=True)
class CallingWindow:
    """Local hours and weekdays when contacts may be called.

    ``CallingWindow(start="09:00", end="20:00", days=("mon", "fri"), holidays=True)``.
    Bad values raise ``ValueError`` at construction, not deep inside a check.
    """

    start: time | str = "09:00"
    end: time | str = "20:00"
    days: Iterable[int | str] = field(default=_ALL_DAYS)
    holidays: HolidaySpec = False

    def __post_init__(self) -> None:
        start, end = _clock(self.start, "start"), _clock(self.end, "end")
        if start == end:
            raise ValueError(f"calling window start and end are both {start:%H:%M}: empty window")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "days", _weekdays(self.days))
        object.__setattr__(self, "holidays", _holiday_spec(self.holidays))

    # ---------------------------------------------------------------- presets

    @classmethod
    def tcpa(cls, **options: object) -> CallingWindow:
        """US TCPA: no calls before 08:00 or after 21:00 at the called party's location."""
        return cls(start="08:00", end="21:00", **options)  # type: ignore[arg-type]

    @classmethod
    def india(cls, **options: object) -> CallingWindow:
        """India (TRAI commercial communications): 09:00-21:00 local time."""
        return cls(start="09:00", end="21:00", **options)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        days = (
            "every day"
            if self.days == _ALL_DAYS
            else ", ".join(
                WEEKDAYS[day]
                for day in sorted(self.days)  # type: ignore[union-attr]
            )
        )
        return f"{self.start:%H:%M}–{self.end:%H:%M} local, {days}"

    # ------------------------------------------------------------ evaluation

    def inside(self, zone: str, country: str | None, instants: pd.DatetimeIndex) -> np.ndarray:
        """Whether each UTC instant falls inside the window in ``zone`` (a bool array).

        ``country`` (a region code) only matters with ``holidays``.
        """
        # Local wall-clock nanoseconds, then plain integer arithmetic: ~13x faster than
        # pandas' hour/minute/day_of_week fields, and this runs per zone for every
        # quarter-hour of a week each time the checks are answered for a new minute.
        wall = instants.tz_convert(zone_info(zone)).tz_localize(None)
        clock = np.asarray(wall.asi8) // _TICKS_PER_SECOND[wall.unit]  # local epoch seconds
        days = clock // 86_400
        seconds = clock % 86_400
        start, end = _seconds(self.start), _seconds(self.end)  # type: ignore[arg-type]
        if start < end:
            inside = (seconds >= start) & (seconds < end)
        else:  # across midnight
            inside = (seconds >= start) | (seconds < end)
        if self.days != _ALL_DAYS:
            weekday = (days + _EPOCH_WEEKDAY) % 7
            inside &= np.isin(weekday, sorted(self.days))  # type: ignore[arg-type]
        subdivision = self.holiday_subdivision(country)
        if subdivision is not False and inside.any():
            dates = days.astype("datetime64[D]")
            first, last = dates.min().astype(object).year, dates.max().astype(object).year
            years = tuple(range(first, last + 1))
            closed = _holiday_dates(country or "", subdivision or None, years)
            if len(closed):
                inside &= ~np.isin(dates, closed)
        return inside

    def holiday_subdivision(self, country: str | None) -> str | bool | None:
        """False when ``country``'s holidays are not checked; else its subdivision (or None)."""
        spec: tuple[str, ...] = self.holidays  # type: ignore[assignment]
        if not spec or not country:
            return False
        if spec == (_ALL_COUNTRIES,):
            return None
        for entry in spec:
            code, _, subdivision = entry.partition("-")
            if code == country.upper():
                return subdivision or None
        return False


def _clock(value: time | str, name: str) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    try:
        hours, minutes = str(value).strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"calling window {name} {value!r} is not a time like '09:00'") from None


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _weekdays(values: Iterable[int | str]) -> frozenset[int]:
    if isinstance(values, str | int):
        values = [values]
    days: set[int] = set()
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            days.add(value)
        elif isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
            days.add(WEEKDAYS.index(value.strip().lower()[:3]))
        else:
            raise ValueError(f"calling window day {value!r}: use 'mon'..'sun' or 0 (Monday)-6")
    if not days:
        raise ValueError("calling window has no days: name at least one weekday")
    return frozenset(days)


def _holiday_spec(spec: HolidaySpec) -> tuple[str, ...]:
    """Normalised: () for none, ("*",) for every contact's country, else ("US-NY", "IN")."""
    if spec is None or spec is False:
        return ()
    if spec is True:
        return (_ALL_COUNTRIES,)
    entries = [spec] if isinstance(spec, str) else list(spec)
    normalised = []
    for entry in entries:
        code, _, subdivision = str(entry).strip().upper().partition("-")
        try:  # refuse a country or subdivision the holidays package does not know, now
            holiday_calendars.country_holidays(code, subdiv=subdivision or None, years=2000)
        except NotImplementedError as exc:
            raise ValueError(f"calling window holidays {entry!r}: {exc}") from None
        normalised.append(f"{code}-{subdivision}" if subdivision else code)
    return tuple(normalised)


@lru_cache(maxsize=512)
def _holiday_dates(country: str, subdivision: str | None, years: tuple[int, ...]) -> np.ndarray:
    """Public holidays as ``datetime64[D]``; empty for a country the package lacks."""
    try:
        calendar = holiday_calendars.country_holidays(country, subdiv=subdivision, years=years)
    except NotImplementedError:
        return np.array([], dtype="datetime64[D]")
    days: list[date] = sorted(calendar.keys())
    return np.array(days, dtype="datetime64[D]")


PRESETS: dict[str, CallingWindow] = {
    "default": CallingWindow(),
    "tcpa": CallingWindow.tcpa(),
    "india": CallingWindow.india(),
}
"""Named windows for a picker: the default 09:00-20:00, US TCPA and India's."""
