"""Every row's one fate at launch: precheck's disposition turned by the operator's choices.

Why apart from ``precheck``: the report says what is true of each row (on the
DNC list, a repeat, outside its hours); what is *sent* also depends on what the
operator decided (keep the last copy, call outside hours anyway) and on the rows
they dropped. Deciding it here, once, means the counts shown, the rows left out
of the file and the downloadable list of fates can never disagree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from batchcall.checks.dispositions import Disposition
from batchcall.checks.duplicates import Keep, resolve_duplicates
from batchcall.checks.report import PrecheckReport
from batchcall.checks.waves import never_open
from batchcall.digests import digest

__all__ = ["LEFT_OUT", "Fates", "row_fates"]

LEFT_OUT = frozenset(
    {Disposition.DO_NOT_CALL, Disposition.DUPLICATE, Disposition.OUTSIDE_CALLING_HOURS}
)
"""The fates the operator's checks decide: rows that pass the platform but are not sent."""


@dataclass(frozen=True)
class Fates:
    """One disposition per original row, and the passing rows the checks leave out."""

    dispositions: pd.Series
    """Original spreadsheet row -> ``Disposition`` value, for every row of the file."""
    excluded: tuple[int, ...]
    """Rows the checks leave out (DNC, duplicates, outside hours), whatever the platform's
    verdict on them: once every row passes, exactly the rows whose fate is one of those."""
    digest: str
    """Of ``excluded``: a cache key for the file sent and part of the idempotency key."""

    @cached_property
    def counts(self) -> dict[Disposition, int]:
        """Rows per fate, every disposition listed (zeros included), in precedence order."""
        found = self.dispositions.value_counts()
        return {d: int(found.get(d.value, 0)) for d in Disposition}

    @property
    def to_call(self) -> int:
        return self.counts[Disposition.TO_CALL]


def row_fates(
    report: PrecheckReport,
    rows: pd.Index,
    *,
    keep: Keep = "first",
    leave_out_outside_hours: bool = True,
    leave_out_unknown_zone: bool = False,
    leave_out_never_open: bool = False,
) -> Fates:
    """The fate of each of ``rows`` (the file's rows); ``report`` covers those not dropped.

    Precedence as in ``Disposition``: dropped, the platform's reason, do-not-call
    (always left out), the duplicates ``keep`` leaves out, outside hours when
    ``leave_out_outside_hours``, else to call. ``leave_out_unknown_zone`` (time-zone
    waves, which call each row when its hours open) leaves out the rows no zone is known
    for: there is no wave to place them in, and their fate says they were not called;
    ``leave_out_never_open`` (waves too) the rows whose hours open on none of the next 7
    days in every zone of theirs, for the same reason.
    """
    checked = report.rows
    fate = pd.Series(Disposition.DROPPED.value, index=rows, dtype=object)
    result = np.full(len(checked), Disposition.TO_CALL.value, dtype=object)
    if leave_out_outside_hours:
        outside = checked["in_window"].isin(["no", "partly"]).to_numpy()
        result[outside] = Disposition.OUTSIDE_CALLING_HOURS.value
    if leave_out_unknown_zone:
        result[(checked["in_window"] == "unknown").to_numpy()] = (
            Disposition.OUTSIDE_CALLING_HOURS.value
        )
    if leave_out_never_open:
        result[never_open(report)] = Disposition.OUTSIDE_CALLING_HOURS.value
    repeats = checked.index.isin(resolve_duplicates(checked, keep))
    result[repeats] = Disposition.DUPLICATE.value
    result[checked["dnc"].to_numpy(dtype=bool)] = Disposition.DO_NOT_CALL.value
    # Left out by the checks whatever the platform says: a refusal that re-judges rows
    # as failing must not change which rows the same request leaves out.
    left_out = checked.index[np.isin(result, [str(d) for d in LEFT_OUT])]
    excluded = tuple(sorted(int(row) for row in left_out))
    reason = checked["reason"].to_numpy(dtype=object)
    failing = pd.notna(reason)
    result[failing] = reason[failing]
    fate.loc[checked.index] = result
    return Fates(fate, excluded, exclusion_digest(excluded))


def exclusion_digest(excluded: Collection[int]) -> str:
    """The same set of rows always gives the same text; no rows gives ``""``."""
    if not excluded:
        return ""
    return digest(",".join(str(row) for row in sorted(excluded)).encode())[:32]
