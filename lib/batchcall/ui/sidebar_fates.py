"""The sidebar's row fates: where every row of the file ends, on every page, for free.

Why only from caches: the sidebar is drawn on every rerun of every page, so it must
never check anything itself. Submit decides every row's fate (``checks.fates``) and
keeps it in ``session.caches.fates``; the counts are copied from there into a small
memo of their own, keyed by the table's version, which outlives Submit's heavy
caches (other pages let those go). When no fate is known for the table as it is now
(nothing checked yet, or an edit since), the sidebar shows what the working table
already knows, the platform's verdicts and the operator's drops, and says that
Submit checks more.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from itertools import pairwise

import streamlit as st

from batchcall.checks.dispositions import Disposition
from batchcall.checks.fates import Fates
from batchcall.ui.state import Session
from batchcall.work.table import WorkTable

MORE_CHECKS = "more checks on Submit"
"""The note under a split that knows only the platform's verdicts and the drops."""


@dataclass(frozen=True)
class FateCounts:
    """Rows per fate for one version of the working table; they add up to ``total``."""

    counts: tuple[tuple[Disposition, int], ...]
    """Only the fates some row has, "to call" first, the rest in precedence order."""
    total: int
    """Rows of the original file."""
    complete: bool
    """Every check of Submit applied (else: the platform's verdicts and drops only)."""

    def lines(self) -> list[str]:
        return [f"{disposition.title}: **{count:,}**" for disposition, count in self.counts]


def table_token(table: WorkTable) -> tuple[int, int]:
    """The table as it is now: what every cache built from it is keyed by."""
    return id(table), table.version


def keyed_on(key: Hashable, token: tuple[int, int]) -> bool:
    """True when a cache ``key`` names this table at this version.

    Submit's caches key on tuples that hold ``id(table), table.version`` side by side
    (with the route, window and choices around them); a key that does not is not
    trusted, so a change in their shape falls back to the cheap split, never to
    stale numbers.
    """
    if not isinstance(key, tuple):
        return False
    table_id, version = token
    for first, second in pairwise(key):
        if type(first) is int and type(second) is int and (first, second) == (table_id, version):
            return True
    return any(keyed_on(part, token) for part in key if isinstance(part, tuple))


def fate_counts(session: Session) -> FateCounts | None:
    """Rows per fate for the table as it is now; None without a file.

    Costs a key comparison when nothing changed: the counts are built once per table
    version (and per fates Submit computed for it).
    """
    table = session.table
    if table is None:
        return None
    token = table_token(table)
    memo, fates = session.caches.sidebar_fates, session.caches.fates
    if fates.value is not None and keyed_on(fates.key, token):
        return memo.get((token, fates.key), lambda: _from_fates(fates.value, table))
    if memo.value is not None and isinstance(memo.key, tuple) and memo.key[0] == token:
        return memo.value  # Submit's counts for this very version, or the split below
    return memo.get((token, None), lambda: platform_split(table))


def platform_split(table: WorkTable) -> FateCounts:
    """To call / dropped / each platform reason: what the working table knows already."""
    summary = table.summary()  # its failing rows are the page's too: built once a version
    counts = {Disposition.TO_CALL: summary["to_call"], Disposition.DROPPED: summary["dropped"]}
    for reason, count in table.report.failing["reason"].value_counts().items():
        counts[Disposition(reason)] = int(count)  # the failing rows only: a few thousand
    return FateCounts(_ordered(counts), summary["rows"], complete=False)


def _from_fates(fates: Fates | None, table: WorkTable) -> FateCounts:
    """Submit's fates as counts; the cheap split when they do not cover this file's rows."""
    counts = fates.counts if fates is not None else {}
    if sum(counts.values()) != len(table.original):
        return platform_split(table)
    return FateCounts(_ordered(counts), len(table.original), complete=True)


def _ordered(counts: dict[Disposition, int]) -> tuple[tuple[Disposition, int], ...]:
    """Non-zero fates, "to call" first, then in precedence order."""
    order = sorted(counts, key=lambda d: (d is not Disposition.TO_CALL, d.order))
    return tuple((d, int(counts[d])) for d in order if counts[d])


def show_fate_counts(session: Session) -> None:
    """Draw the counts in the sidebar's summary (the caller is inside the sidebar slot)."""
    counts = fate_counts(session)
    if counts is None:
        return
    st.markdown(f"{counts.total:,} rows  \n" + "  \n".join(counts.lines()))
    if not counts.complete:
        st.caption(MORE_CHECKS)
