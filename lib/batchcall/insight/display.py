"""How the library's tables are headed and worded on screen, kept apart from the tables.

Why a separate mapping: ``calls_table``, ``network_groups_table``, ``outcomes_by`` and the
profile's duplicates keep the contract's snake_case names, because notebooks, the CLI,
tests and the exported CSV/XLSX files rely on them. A person reading a table wants
"Ended because", not ``end_reason``, and "No answer", not ``no_answer``. So the pages
show a copy made here, or head the original through column settings, and download
the original.

Only plain pandas: the pages turn these into Streamlit column settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo

import pandas as pd

__all__ = [
    "CALL_HEADERS",
    "DUPLICATE_HEADERS",
    "NETWORK_GROUP_HEADERS",
    "OUTCOME_HEADERS",
    "call_headers",
    "calls_display",
    "clock_text",
    "duplicates_display",
    "human",
    "network_groups_display",
    "outcome_headers",
    "plural",
    "rows_text",
    "when_text",
]

CALL_HEADERS = {
    "row": "Row",
    "submitted_row": "Row sent",
    "call_id": "Call",
    "to_phone_number": "To",
    "status": "Status",
    "duration_seconds": "Duration",
    "end_reason": "Ended because",
    "ended_at": "Ended at",
}
"""The fixed call columns; a call's variables keep the names of the file's columns, which
are the ``{{variables}}`` the operator wrote in the prompt."""

NETWORK_GROUP_HEADERS = {
    "country": "Country",
    "group": "Network group",
    "prefixes": "Prefixes",
    "enabled": "Enabled",
    "contacts": "Contacts",
}

DUPLICATE_HEADERS = {"number": "Number", "count": "Copies", "rows": "Rows"}

OUTCOME_HEADERS = {
    "calls": "Calls",
    "dialled": "Dialled",
    "connect_rate": "Connect rate",
    "mean_duration_s": "Mean completed call",
}


def human(word: object) -> str:
    """A slug as words: ``no_answer`` -> "No answer", ``in-progress`` -> "In progress"."""
    if word is None or (isinstance(word, float) and word != word):
        return ""
    text = str(word).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 edited row``, ``2 edited rows``, ``12,004 calls``: the count with its noun."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def rows_text(rows: Iterable[int], limit: int = 20) -> str:
    """Spreadsheet rows as one readable cell, "2 · 1,204 · 5,310" (commas are the
    thousands' own), the first ``limit`` then "… 12 more"."""
    rows = list(rows)
    shown = " · ".join(f"{int(row):,}" for row in rows[:limit])
    return shown + (f" … {len(rows) - limit:,} more" if len(rows) > limit else "")


def _renamed(frame: pd.DataFrame, headers: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with the mapped columns renamed, unless a header would clash with a
    column already there."""
    taken = set(map(str, frame.columns))
    names = {
        column: header
        for column, header in headers.items()
        if column in taken and (header == column or header not in taken)
    }
    return frame.rename(columns=names)


def calls_display(table: pd.DataFrame) -> pd.DataFrame:
    """A ``calls_table`` frame ready to show: its columns and values as they are (the page
    heads and words them through the table's column settings, so what is filtered and
    downloaded stays the contract's), ``ended_at`` as UTC timestamps, durations numbers."""
    shown = table.copy()
    if "ended_at" in shown:
        shown["ended_at"] = pd.to_datetime(shown["ended_at"], utc=True, errors="coerce")
    if "duration_seconds" in shown:
        shown["duration_seconds"] = pd.to_numeric(shown["duration_seconds"], errors="coerce")
    return shown


def call_headers(table: pd.DataFrame) -> dict[str, str]:
    """Column -> header for the fixed call columns of ``table``; a header an uploaded
    column already carries (a variable named "To") is left to that column."""
    taken = set(map(str, table.columns))
    return {
        column: header
        for column, header in CALL_HEADERS.items()
        if column in taken and header not in taken
    }


def network_groups_display(table: pd.DataFrame) -> pd.DataFrame:
    """``network_groups_table`` headed in words."""
    return _renamed(table, NETWORK_GROUP_HEADERS)


def duplicates_display(duplicates: pd.DataFrame) -> pd.DataFrame:
    """The profile's repeated numbers, their rows as one readable cell."""
    shown = duplicates.copy()
    if "rows" in shown:
        shown["rows"] = shown["rows"].map(rows_text)
    return _renamed(shown, DUPLICATE_HEADERS)


def outcome_headers(table: pd.DataFrame) -> dict[str, str]:
    """Column -> header for an ``outcomes_by`` table: the summary columns and each status
    in words; the first column (the variable's values) keeps the variable's name."""
    return {
        str(column): OUTCOME_HEADERS.get(str(column), human(column)) for column in table.columns[1:]
    }


def _day(moment: datetime, weekday: bool) -> str:
    """ "5 Dec", "Sat 5 Dec": the day without a zero-padded date or a year (a schedule is
    days away, not years)."""
    return f"{moment:%a} {moment.day} {moment:%b}" if weekday else f"{moment.day} {moment:%b}"


def _zoned(shown: str, zone_name: str) -> str:
    return f"{shown} UTC" if zone_name == "UTC" else f"{shown} ({zone_name})"


def when_text(
    moment: datetime,
    zone: tzinfo = UTC,
    zone_name: str = "UTC",
    *,
    weekday: bool = False,
    with_utc: bool = False,
) -> str:
    """A moment as the pages say it, its zone named once: "5 Dec 14:05 UTC",
    "Sat 5 Dec 09:00 (Asia/Kolkata)"; ``with_utc`` adds the UTC clock the platform is sent
    when the operator's zone is another ("… (Asia/Kolkata) · 03:30 UTC", its day too when
    the UTC date is another). Why: one style everywhere, never the same time twice in one
    zone, never a bare ``+00:00``. A naive ``moment`` is read as UTC."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    shown = _zoned(f"{_day(local, weekday)} {local:%H:%M}", zone_name)
    if not with_utc or zone_name == "UTC":
        return shown
    utc = moment.astimezone(UTC)
    day = "" if utc.date() == local.date() else f"{_day(utc, weekday)} "
    return f"{shown} · {day}{utc:%H:%M} UTC"


def clock_text(
    moment: datetime, zone: tzinfo = UTC, zone_name: str = "UTC", now: datetime | None = None
) -> str:
    """ "14:05 UTC", "19:35 (Asia/Kolkata)": a time later today, for a figure as short as an
    ETA; the day is added ("6 Dec 02:10 UTC") when it falls on another day than ``now``
    in that zone, so a clock is never read as today's when it is tomorrow's."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    if local.date() != today:
        return when_text(moment, zone, zone_name)
    return _zoned(f"{local:%H:%M}", zone_name)
