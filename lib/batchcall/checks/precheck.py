"""``precheck``: what the operator answers for before launch, row by row. Never edits the table.

Why one pass: calling hours, do-not-call, duplicates, look-alikes and number types
all start from the same parsed numbers, and the platform's verdict comes first
in every row's disposition. So ``validate`` (the single source of truth) runs
once, and everything else is computed per *distinct* E.164, per distinct zone
set and per distinct cell, then spread to the rows with numpy indexing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number
from batchcall.checks.dispositions import Disposition
from batchcall.checks.dnc import DncSource, load_dnc
from batchcall.checks.hours import ZoneGroups, local_clocks, statuses
from batchcall.checks.lookalikes import country_column, find_lookalikes
from batchcall.checks.report import PrecheckReport
from batchcall.checks.window import CallingWindow
from batchcall.checks.zones import calling_code, zone_sets_for
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import ValidationReport, distinct_cells, validate

__all__ = ["UNUSUAL_TYPES", "precheck", "retime"]

UNUSUAL_TYPES = frozenset({"toll_free", "premium_rate", "shared_cost", "voip", "pager", "uan"})
"""Number types an outbound campaign rarely means to call: flagged in ``unusual_type``."""


def precheck(
    table: pd.DataFrame,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
    *,
    at: datetime | None = None,
    window: CallingWindow | None = None,
    dnc: DncSource | None = None,
    expect_mobile: bool = False,
    validation: ValidationReport | None = None,
) -> PrecheckReport:
    """Check every row of ``table`` (as ``read_contacts`` returns it) for a launch at ``at``.

    ``at`` must be timezone-aware (default: now, UTC); ``window`` defaults to
    09:00-20:00 every day; ``dnc`` is a path or an iterable of numbers, matched by
    E.164. With ``expect_mobile`` fixed-line numbers are flagged (``not_mobile``).
    ``validation`` is the platform's verdict on exactly these rows on ``route`` with
    ``config``, when the caller has it (a working table keeps it up to date): trusted
    instead of judging every row again, which is most of a check's time.
    """
    at = moment(at)
    window = window or CallingWindow()
    route = as_phone_number(route)
    if validation is None or not validation.rows.index.equals(table.index):
        validation = validate(table, route, config)
    verdicts = validation.rows
    n = len(verdicts)
    e164 = verdicts["e164"].to_numpy(dtype=object)
    region = verdicts["region"].to_numpy(dtype=object)
    kinds = verdicts["number_type"].to_numpy(dtype=object)
    codes, numbers = pd.factorize(e164)  # -1: invalid, which picks each per-number
    valid = codes >= 0  # array's trailing sentinel below
    first = first_rows(codes)  # one per code
    numbers = pa.array(numbers, pa.string())
    row_code = np.append(calling_code(numbers), 0)[codes]
    zone_key, zone_sets = zone_sets_for(numbers, kinds[first])
    row_zone = np.append(zone_key, 0)[codes]
    groups, row_group = _groups(row_zone, region, zone_sets)
    clocks, _ = local_clocks(zone_sets, at)
    sets = np.empty(len(zone_sets), dtype=object)
    sets[:] = zone_sets

    blocked = load_dnc(dnc, route.region) if dnc is not None else frozenset()
    on_dnc = np.zeros(n, dtype=bool)
    if blocked:
        on_dnc[valid] = pd.Series(e164[valid], dtype=object).isin(blocked).to_numpy()

    duplicate_of = repeats_of(codes, first, verdicts.index.to_numpy())

    in_window = statuses(window, groups, at)[row_group]
    countries = table[column] if (column := country_column(table)) else None
    distinct = distinct_cells(validation)
    lookalike, lookalike_e164 = find_lookalikes(
        distinct.texts, distinct.codes, row_code, region, route.region, countries
    )
    number_type = np.where(valid, kinds, "unknown").astype(object)
    rows = pd.DataFrame(
        {
            PHONE_COLUMN: None,  # set below
            "e164": e164,
            "region": region,
            "reason": verdicts["reason"].to_numpy(dtype=object),
            "time_zones": sets[row_zone],
            "local_times": clocks[row_zone],
            "in_window": in_window,
            "dnc": on_dnc,
            "duplicate_of": duplicate_of,
            "number_type": number_type,
            "unusual_type": np.isin(number_type, list(UNUSUAL_TYPES)),
            "not_mobile": (number_type == "fixed_line") & expect_mobile,
            "lookalike": lookalike,
            "lookalike_e164": lookalike_e164,
        },
        index=verdicts.index,
        dtype=object,  # None stays None (pandas would infer text columns with NaN)
    )
    rows = rows.astype({"dnc": bool, "unusual_type": bool, "not_mobile": bool})
    # The cells as the table holds them (arrow text), not 150,000 new Python strings: ~10 MB.
    rows[PHONE_COLUMN] = verdicts[PHONE_COLUMN]
    rows["disposition"] = pd.Series(dispositions(rows), index=rows.index, dtype=object)
    return PrecheckReport(
        rows, at=at, window=window, groups=groups, validation=validation, row_group=row_group
    )


def retime(
    report: PrecheckReport, at: datetime | None = None, window: CallingWindow | None = None
) -> PrecheckReport:
    """``report`` for another launch moment or calling window, without checking again.

    Only the calling hours depend on the moment and the window, and they are answered
    per group of rows sharing zones and country: a page that shows the checks for "now"
    re-times one report every minute instead of parsing every number again.
    """
    if report.row_group is None:
        raise ValueError("this report was not made by precheck: check the table again")
    at = moment(at)
    window = window or report.window
    zones = list(report.groups.zones)
    clocks, _ = local_clocks(zones, at)
    rows = report.rows.copy(deep=False)  # copy-on-write: the columns set below are new
    rows["in_window"] = pd.Series(
        statuses(window, report.groups, at)[report.row_group], index=rows.index, dtype=object
    )
    rows["local_times"] = pd.Series(clocks[report.row_group], index=rows.index, dtype=object)
    rows["disposition"] = pd.Series(dispositions(rows), index=rows.index, dtype=object)
    return replace(report, rows=rows, at=at, window=window)


def repeats_of(codes: np.ndarray, first: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each row's earlier copy (its spreadsheet row), None for a first or an invalid number.

    ``codes``: each row's distinct number (-1: invalid), numbered in order of first
    appearance (``pd.factorize``); ``first``: the row of each code's first appearance.
    """
    n = len(codes)
    duplicate_of = np.full(n, None, dtype=object)
    first_of_row = np.append(first, -1)[codes]
    repeat = (codes >= 0) & (first_of_row != np.arange(n))
    duplicate_of[repeat] = [int(label) for label in labels[first_of_row[repeat]]]
    return duplicate_of


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The row of each valid code's first appearance, in code order."""
    return np.flatnonzero((codes >= 0) & ~pd.Series(codes).duplicated().to_numpy())


def moment(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if not isinstance(at, datetime):
        raise TypeError(f"at must be a datetime, not {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"at={at.isoformat()} has no time zone: calling hours depend on the exact "
            "moment; pass an aware datetime, e.g. datetime.now(UTC)"
        )
    return at


def _groups(
    row_zone: np.ndarray, region: np.ndarray, zone_sets: list[tuple[str, ...]]
) -> tuple[ZoneGroups, np.ndarray]:
    """Rows grouped by (zone set, country): the unit every time question is answered for."""
    country_codes, countries = pd.factorize(region)  # -1: no country
    keys = row_zone * (len(countries) + 1) + (country_codes + 1)
    row_group, distinct = pd.factorize(keys)  # hashing: no sort of every row
    zone_of, country_of = np.divmod(distinct, len(countries) + 1)
    groups = ZoneGroups(
        zones=tuple(zone_sets[z] for z in zone_of.tolist()),
        countries=tuple(countries[c - 1] if c else None for c in country_of.tolist()),
        counts=np.bincount(row_group.reshape(-1), minlength=len(distinct)),
    )
    return groups, row_group.reshape(-1)


def dispositions(rows: pd.DataFrame) -> np.ndarray:
    """First that applies: the platform's reason, DNC, duplicate, outside hours, to call."""
    reason = rows["reason"].to_numpy(dtype=object)
    result = np.full(len(rows), Disposition.TO_CALL.value, dtype=object)
    steps: Iterable[tuple[np.ndarray, str]] = (
        (rows["in_window"].isin(["no", "partly"]).to_numpy(), Disposition.OUTSIDE_CALLING_HOURS),
        (rows["duplicate_of"].notna().to_numpy(), Disposition.DUPLICATE),
        (rows["dnc"].to_numpy(dtype=bool), Disposition.DO_NOT_CALL),
    )
    for mask, disposition in steps:  # lowest precedence first: later steps overwrite
        result[mask] = str(disposition)
    failing = pd.notna(reason)
    result[failing] = reason[failing]
    return result
