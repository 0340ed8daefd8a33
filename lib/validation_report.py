"""The vocabulary and shape of a validation verdict: reasons, failure groups, the report.

Kept apart from the rules in ``lib.validation`` so the rules read on their own;
nothing here judges a number. ``lib.validation`` re-exports every name, so
callers keep importing from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa


class Reason(StrEnum):
    """Why the platform rejects a row. The value is the contract's stable slug.

    Members are listed in rule order, which is also the order of the report's groups.
    """

    INVALID_PHONE_NUMBER = "invalid_phone_number"
    NO_ENABLED_COUNTRIES = "no_enabled_countries"
    UNSUPPORTED_DESTINATION_COUNTRY = "unsupported_destination_country"
    UNSUPPORTED_PREFIX = "unsupported_prefix"

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def hint(self) -> str:
        """What the operator can do about it."""
        return _HINTS[self]

    @property
    def order(self) -> int:
        return list(Reason).index(self)

    @property
    def has_country(self) -> bool:
        return self in (Reason.UNSUPPORTED_DESTINATION_COUNTRY, Reason.UNSUPPORTED_PREFIX)


_TITLES = {
    Reason.INVALID_PHONE_NUMBER: "Invalid phone number",
    Reason.NO_ENABLED_COUNTRIES: "No enabled countries",
    Reason.UNSUPPORTED_DESTINATION_COUNTRY: "Country not enabled",
    Reason.UNSUPPORTED_PREFIX: "Prefix not enabled",
}
_HINTS = {
    Reason.INVALID_PHONE_NUMBER: (
        "Check the digits. Add the country code (e.g. +91) for numbers outside the "
        "route's country, and remove letters, extra digits or spreadsheet damage like '.0'."
    ),
    Reason.NO_ENABLED_COUNTRIES: (
        "Enable at least one network group in Workspace Settings > Telephony Config, "
        "or choose a SIP route."
    ),
    Reason.UNSUPPORTED_DESTINATION_COUNTRY: (
        "Enable this country in Workspace Settings > Telephony Config, "
        "or choose a route that allows it (a SIP route checks format only)."
    ),
    Reason.UNSUPPORTED_PREFIX: (
        "Enable the network group whose prefix covers this number in Workspace Settings > "
        "Telephony Config, or choose a SIP route."
    ),
}


class DistinctCells(NamedTuple):
    """The distinct phone cells behind a report, kept for ``lib.profile`` to reuse.

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
    _distinct: DistinctCells | None = field(default=None, init=False, repr=False, compare=False)
    """Set by :func:`lib.validation.validate`: the cells behind ``rows``, for the profile."""

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
