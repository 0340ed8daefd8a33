"""The pre-launch report: one row per contact, and the questions the Submit page asks of it.

Kept apart from :mod:`batchcall.checks.precheck` so the shape reads on its own;
nothing here parses a number. Everything is read-only: a new check means a new
report, the table is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import numpy as np
import pandas as pd

from batchcall.checks.dispositions import Disposition
from batchcall.checks.hours import (
    IN_WINDOW,
    ZoneGroups,
    local_clocks,
    quarter_hours,
    statuses,
    window_matrix,
)
from batchcall.checks.lookalikes import advice
from batchcall.checks.window import CallingWindow
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import ValidationReport

__all__ = ["PrecheckReport"]


@dataclass(frozen=True)
class PrecheckReport:
    """Per-row checks (``rows``, indexed by spreadsheet row) for a launch at ``at``."""

    rows: pd.DataFrame = field(repr=False)
    at: datetime
    window: CallingWindow
    groups: ZoneGroups = field(repr=False, compare=False)
    """Rows by (zone set, country), what the time questions below are answered from."""
    validation: ValidationReport | None = field(default=None, repr=False, compare=False)
    """``validate``'s own report for the same rows, for callers that need its groups."""
    row_group: np.ndarray | None = field(default=None, repr=False, compare=False)
    """Each row's position in ``groups``: a new moment or window is answered per group."""

    @property
    def total(self) -> int:
        return len(self.rows)

    @cached_property
    def counts(self) -> dict[Disposition, int]:
        """Rows per disposition, in precedence order, zeros included."""
        found = self.rows["disposition"].value_counts()
        return {d: int(found.get(d.value, 0)) for d in Disposition.from_precheck()}

    def rows_with(self, disposition: Disposition | str) -> list[int]:
        """The spreadsheet rows with ``disposition``, ascending."""
        chosen = self.rows.index[self.rows["disposition"] == str(Disposition(disposition))]
        return sorted(int(row) for row in chosen)

    @property
    def to_call(self) -> list[int]:
        return self.rows_with(Disposition.TO_CALL)

    def earliest_start(self, share: float = 1.0) -> datetime | None:
        """The first moment (at or after ``at``, quarter-hour steps, within 7 days) when
        ``share`` of the rows with a known time zone are inside the window in every zone
        of theirs; None if that never happens. With no zone known at all: ``at``.

        Multi-zone numbers count as inside only when inside in all their zones, the
        strictest reading, as in ``in_window``.
        """
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        known = np.array([bool(zones) for zones in self.groups.zones], dtype=bool)
        counts = self.groups.counts[known]
        if not counts.sum():
            return self.at
        groups = ZoneGroups(
            tuple(z for z, k in zip(self.groups.zones, known, strict=True) if k),
            tuple(c for c, k in zip(self.groups.countries, known, strict=True) if k),
            counts,
        )
        instants = quarter_hours(self.at)
        every, _ = window_matrix(self.window, groups, instants)
        inside = counts @ every
        enough = np.flatnonzero(inside >= share * counts.sum() - 1e-9)
        if not len(enough):
            return None
        return instants[int(enough[0])].to_pydatetime().astimezone(self.at.tzinfo)

    def by_local_hour(self) -> pd.DataFrame:
        """Contacts by their local hour at ``at`` (index 0-23), split by ``in_window``.

        A multi-zone number is counted once under each distinct local hour of its
        zones; rows without a known zone are left out. For a bar chart.
        """
        table = pd.DataFrame(0, index=pd.RangeIndex(24, name="hour"), columns=list(IN_WINDOW[:3]))
        zones = list(self.groups.zones)
        _, hours = local_clocks(zones, self.at)
        status = statuses(self.window, self.groups, self.at)
        for group, count in enumerate(self.groups.counts.tolist()):
            if status[group] == "unknown":
                continue
            for hour in set(hours[group]):
                table.loc[hour, status[group]] += count
        table["contacts"] = table.sum(axis=1)
        return table

    @cached_property
    def lookalikes(self) -> pd.DataFrame:
        """Rows whose number probably belongs to another country: the number as read,
        the other country's reading and a sentence of what the cell would need."""
        flagged = self.rows[self.rows["lookalike"].notna()]
        details = flagged[[PHONE_COLUMN, "e164", "lookalike", "lookalike_e164"]].copy()
        details["advice"] = [
            advice(raw, other, region)
            for raw, other, region in zip(
                details[PHONE_COLUMN], details["lookalike_e164"], details["lookalike"], strict=True
            )
        ]
        return details

    @cached_property
    def flagged_types(self) -> pd.DataFrame:
        """Rows of an unusual number type, or fixed lines when mobiles were expected."""
        rows = self.rows
        return rows.loc[rows["unusual_type"] | rows["not_mobile"], [PHONE_COLUMN, "number_type"]]
