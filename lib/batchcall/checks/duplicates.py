"""Which rows to drop for duplicate numbers, given the operator's choice.

Why a helper: ``duplicate_of`` says each repeat's first row; "keep the last" or
"keep every copy" are decisions of the operator, turned here into the rows the
working table drops (the checks never drop anything themselves).
"""

from __future__ import annotations

from typing import Literal, Protocol

import pandas as pd

__all__ = ["KEEP_CHOICES", "resolve_duplicates"]

Keep = Literal["first", "last", "all"]
KEEP_CHOICES: tuple[Keep, ...] = ("first", "last", "all")


class _HasRows(Protocol):
    rows: pd.DataFrame


def resolve_duplicates(report_or_rows: _HasRows | pd.DataFrame, keep: Keep = "first") -> list[int]:
    """The rows to drop so one row per number remains (``keep="all"``: none), ascending.

    Groups are the rows sharing an E.164 (``duplicate_of``); "first" and "last"
    are by table order.
    """
    if keep not in KEEP_CHOICES:
        raise ValueError(f"keep must be one of {', '.join(KEEP_CHOICES)}, not {keep!r}")
    rows = report_or_rows if isinstance(report_or_rows, pd.DataFrame) else report_or_rows.rows
    repeats = rows["duplicate_of"].dropna()
    if keep == "all" or repeats.empty:
        return []
    if keep == "first":
        return sorted(int(row) for row in repeats.index)
    group = pd.Series(repeats.to_numpy(), index=repeats.index)
    firsts = pd.Series(group.unique(), index=group.unique())
    members = pd.concat([firsts, group])  # each group: its first row, then its repeats
    position = pd.Series(range(len(rows)), index=rows.index)
    members = members.to_frame("group").assign(position=position.loc[members.index].to_numpy())
    last = members.groupby("group")["position"].transform("max")
    return sorted(int(row) for row in members.index[members["position"] != last])
