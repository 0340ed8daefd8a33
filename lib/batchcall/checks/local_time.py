"""The operator's own clock: a date and time typed in their zone, and the UTC it means.

Why: the platform takes ``scheduled_at`` in UTC, but people think in their own
local time; asking them for UTC invites an off-by-hours schedule. The browser
names its IANA zone (it may not), and a wall time may not exist or exist twice
when the clocks change, so the conversion says so instead of guessing silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from zoneinfo._zoneinfo import ZoneInfo as _PurePythonZoneInfo

__all__ = ["LocalMoment", "from_local", "operator_zone", "to_local", "zone_info"]


@cache
def zone_info(name: str) -> ZoneInfo:
    """The IANA zone ``name``, loaded once per process.

    ``ZoneInfo`` keeps only the few zones used last (and those still referenced), and
    pandas reads a zone's transitions from the pure-Python ``ZoneInfo`` of the same name,
    made again for every conversion: a check over a list's ~40-80 zones read each zone's
    file twice on every answer, a tenth of its time. Both are kept here (``ZoneInfo``
    returns a kept instance by name); a few hundred zones exist, so keeping them is cheap.
    """
    _TWINS[name] = _PurePythonZoneInfo(name)
    return ZoneInfo(name)


_TWINS: dict[str, tzinfo] = {}


def operator_zone(name: str | None) -> tuple[tzinfo, str]:
    """(zone, its name) for the browser's zone name; UTC when it is missing or unknown."""
    if name:
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC, "UTC"


@dataclass(frozen=True)
class LocalMoment:
    """A wall time typed in ``zone_name`` and the UTC instant sent for it."""

    utc: datetime
    zone_name: str
    note: str | None = None
    """Set when the clocks change around that wall time (skipped or repeated)."""

    @property
    def caption(self) -> str:
        return f"Sends {self.utc:%Y-%m-%d %H:%M} UTC (your time zone: {self.zone_name})"


def from_local(day: date, clock: time, zone: tzinfo, zone_name: str) -> LocalMoment:
    """The UTC instant for ``day`` ``clock`` on the wall in ``zone``.

    A time skipped by a spring-forward change is read as the clocks' new time (an
    hour later on the wall); a repeated one (autumn) as its first occurrence.
    """
    wall = datetime.combine(day, clock.replace(tzinfo=None))
    local = wall.replace(tzinfo=zone, fold=0)
    utc = local.astimezone(UTC)
    back = utc.astimezone(zone).replace(tzinfo=None)
    note = None
    if back != wall:
        note = (
            f"{wall:%H:%M} does not exist on {wall:%Y-%m-%d} in {zone_name} (the clocks go "
            f"forward): it is sent as {back:%H:%M} local."
        )
    elif wall.replace(tzinfo=zone, fold=1).utcoffset() != local.utcoffset():
        note = (
            f"{wall:%H:%M} happens twice on {wall:%Y-%m-%d} in {zone_name} (the clocks go "
            "back): the first one is used."
        )
    return LocalMoment(utc, zone_name, note)


def to_local(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` (aware) on the wall in ``zone``, without its tzinfo, for date/time inputs."""
    return moment.astimezone(zone).replace(tzinfo=None)
