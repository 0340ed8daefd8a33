"""The shape of a validation verdict: failure groups and the report.

Kept apart from the rules in :mod:`batchcall.rules.validate` so the rules read on
their own; nothing here judges a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from batchcall.rules.reasons import Reason


class DistinctCells(NamedTuple):
    """The distinct phone cells behind a report, kept for ``batchcall.insight.profile`` to reuse.

    ``codes`` maps each row to its cell in ``texts``; ``e164`` is per cell.
    ``source`` is the phone column the report was made from (by identity).
    """

    codes: np.ndarray
    texts: pa.Array
    e164: pa.Array
    source: object = None


@dataclass(frozen=True)
class FailureGroup:
    """Rows failing for one reason (and one country, for the country and prefix reasons)."""

    reason: Reason
    rows: list[int]
    country: str | None = None

    @property
    def count(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"reason": str(self.reason)}
        if self.reason.has_country:
            body["country"] = self.country
        body["count"] = self.count
        body["rows"] = list(self.rows)
        return body


@dataclass(frozen=True)
class ValidationReport:
    """The platform's verdict on a table, row by row and grouped by reason."""

    rows: pd.DataFrame = field(repr=False)
    distinct: DistinctCells | None = field(default=None, repr=False, compare=False)
    """The distinct phone cells behind ``rows`` (from :func:`batchcall.rules.validate.validate`):
    the profile counts duplicates and formats per distinct cell instead of per row."""

    @property
    def total(self) -> int:
        return len(self.rows)

    @cached_property
    def failing(self) -> pd.DataFrame:
        """The failing rows, in ascending row order."""
        return self.rows[self.rows["reason"].notna()].sort_index()

    @property
    def failed_count(self) -> int:
        return len(self.failing)

    @property
    def ok(self) -> bool:
        return self.failed_count == 0

    @cached_property
    def groups(self) -> list[FailureGroup]:
        """Ordered by rule, then country; rows ascend."""
        failing = self.failing
        if failing.empty:
            return []
        keys = failing[["reason", "country"]].fillna({"country": ""})
        groups = [
            FailureGroup(
                reason=Reason(reason),
                rows=sorted(map(int, members.index.tolist())),
                country=country or None,
            )
            for (reason, country), members in keys.groupby(["reason", "country"], sort=False)
        ]
        return sorted(groups, key=lambda g: (g.reason.order, g.country or ""))

    def counts_by_reason(self) -> dict[Reason, int]:
        counts: dict[Reason, int] = {}
        for group in self.groups:
            counts[group.reason] = counts.get(group.reason, 0) + group.count
        return counts

    def to_tuples(self) -> list[tuple[int, str, str | None]]:
        """(row, reason, country) for each failing row, ascending: handy in tests."""
        return [
            (int(row), str(reason), country if isinstance(country, str) else None)
            for row, reason, country in zip(
                self.failing.index, self.failing["reason"], self.failing["country"], strict=True
            )
        ]

    def to_error_body(self) -> dict[str, Any]:
        """Exactly the contract's 400 body for this report."""
        failing = self.failing
        return {
            "statusCode": 400,
            "error": "Bad Request",
            "message": f"{self.failed_count} of {self.total} rows failed destination validation",
            "details": {
                "groups": [group.to_dict() for group in self.groups],
                "rows": [
                    {
                        "position": int(row),
                        "phone_number": phone,
                        "failed_parsing_reason": reason,
                    }
                    for row, phone, reason in zip(
                        failing.index, failing["phone_number"], failing["reason"], strict=True
                    )
                ],
            },
        }
