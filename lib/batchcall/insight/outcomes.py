"""Call outcomes broken down by one uploaded variable (product, city, branch...).

The batch's overall numbers say *how many* calls connected; the operator's next
question is *where*: which product or city answers, which never does. This
module turns a calls table (:func:`batchcall.insight.progress.calls_table`)
into one row per value of a variable, as plain data the Progress page can show
as a table and :mod:`batchcall.charts.outcomes` can draw.

Statuses are counted in one spelling each (``no-answer`` and ``no_answer`` are
one column) and in the fixed lifecycle order of :class:`CallState`, the order
the charts stack them in, so a table and its chart read alike.
"""

from __future__ import annotations

import pandas as pd

from batchcall.api.batches import CallState, normalize_call_status
from batchcall.insight.progress import CALL_COLUMNS

__all__ = [
    "BLANK",
    "CALLS",
    "CONNECT_RATE",
    "DIALLED",
    "DIALLED_STATUSES",
    "MEAN_DURATION",
    "STATUS_ORDER",
    "outcome_columns",
    "outcomes_by",
    "status_columns",
]

STATUS_ORDER: tuple[str, ...] = tuple(str(state) for state in CallState)
"""Lifecycle order of call statuses. From ``CallState`` because insight may not import
charts (charts imports insight); ``charts.progress.STATUS_ORDER`` is the same order with
``pending`` added, a status only the batch counters use."""
DIALLED_STATUSES: tuple[str, ...] = ("completed", "no_answer", "busy", "failed")
"""Calls that were placed and ended: the base of the connect rate. A cancelled call was
never dialled and a queued or ringing one has no outcome yet; counting either would
drag the rate down while a batch is still running."""
UNKNOWN_STATUS = "unknown"
"""A call with no status at all; kept as a column so the counts still add up to ``calls``."""

CALLS, DIALLED, CONNECT_RATE, MEAN_DURATION = "calls", "dialled", "connect_rate", "mean_duration_s"
SUMMARY_COLUMNS = (CALLS, DIALLED, CONNECT_RATE, MEAN_DURATION)
BLANK = "(blank)"
DEFAULT_TOP = 20

FIXED_COLUMNS = frozenset({"row", "submitted_row", *CALL_COLUMNS})
IDENTIFIER_MIN_ROWS = 50
IDENTIFIER_SHARE = 0.5


def _values(column: pd.Series) -> pd.Series:
    """The column as text, every empty or missing cell as ``BLANK``: a variable left
    empty in the upload is one group of its own, not a hundred NaN rows."""
    text = column.astype(object).where(column.notna(), None)
    return text.map(lambda v: BLANK if v is None or not str(v).strip() else str(v))


def _statuses(column: pd.Series) -> pd.Series:
    def spelled(raw: object) -> str:
        if raw is None or pd.isna(raw) or not str(raw).strip():  # type: ignore[call-overload]
            return UNKNOWN_STATUS
        return str(normalize_call_status(str(raw)))

    return column.astype(object).map(spelled)


def _other_label(folded: int) -> str:
    return f"Other ({folded:,} value{'s' if folded != 1 else ''})"


def _groups(values: pd.Series, top: int) -> tuple[pd.Series, str | None]:
    """Each call's row label: its value, or the Other label past the ``top`` busiest.

    ``BLANK`` is never folded: empty cells are a data problem worth seeing at any size.
    A single value past ``top`` is shown as itself: an "Other (1 value)" row would take
    the same space and hide its name.
    """
    counts = values[values != BLANK].value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    folded = [value for value, _ in ranked[top:]]
    if len(folded) < 2:
        return values, None
    label = _other_label(len(folded))
    return values.where(~values.isin(folded), label), label


def outcomes_by(calls: pd.DataFrame, column: str, *, top: int = DEFAULT_TOP) -> pd.DataFrame:
    """One row per value of ``column``: how its calls ended.

    Columns: ``column`` (the value; ``"<column> (value)"`` if the variable's name is also
    an output column), ``calls``, one count per status present in the whole table (fixed
    order, then unknown statuses by name), ``dialled`` (completed + no answer + busy +
    failed), ``connect_rate`` = completed / dialled (NaN when nothing was dialled yet:
    no rate rather than a false 0%), and ``mean_duration_s`` over completed calls with a
    duration (NaN when none: a no-answer's 0 s would say nothing about conversations).

    Values past the ``top`` busiest are summed into one ``"Other (N values)"`` row, always
    last, with its rate and mean recomputed from its calls (not averaged over values);
    empty cells are one ``"(blank)"`` row. Other rows: calls descending, ties by value.
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    if column not in calls.columns:
        raise KeyError(f"no column {column!r} in the calls table")
    values = _values(calls[column])
    groups, other = _groups(values, top)
    missing = pd.Series(None, calls.index, dtype=object)
    statuses = _statuses(calls.get("status", missing))
    present = set(statuses)
    order = [s for s in STATUS_ORDER if s in present] + sorted(present - set(STATUS_ORDER))
    label = f"{column} (value)" if column in (*SUMMARY_COLUMNS, *order) else column
    if calls.empty:
        return pd.DataFrame({c: [] for c in (label, *SUMMARY_COLUMNS)})

    frame = pd.DataFrame({"group": groups.to_numpy(), "status": statuses.to_numpy()})
    counts = pd.crosstab(frame["group"], frame["status"]).reindex(columns=order, fill_value=0)
    table = pd.DataFrame({CALLS: counts.sum(axis=1)}, index=counts.index)
    table[order] = counts
    table[DIALLED] = counts.reindex(columns=list(DIALLED_STATUSES), fill_value=0).sum(axis=1)
    table = table.astype("int64")
    completed = counts.get("completed", 0)
    table[CONNECT_RATE] = (completed / table[DIALLED].where(table[DIALLED] > 0)).astype(float)
    seconds = pd.to_numeric(calls.get("duration_seconds", missing), errors="coerce")
    frame["duration"] = seconds.astype(float).to_numpy()
    done = frame[frame["status"] == "completed"]
    mean = done.groupby("group")["duration"].mean().reindex(table.index)
    table[MEAN_DURATION] = mean.astype(float)

    table = table.rename_axis(label).reset_index()
    table[label] = table[label].astype(object)
    is_other = table[label] == other if other else pd.Series(False, index=table.index)
    table = table.assign(_other=is_other, _neg=-table[CALLS])
    table = table.sort_values(["_other", "_neg", label], kind="stable")
    return table.drop(columns=["_other", "_neg"]).reset_index(drop=True)


def status_columns(table: pd.DataFrame) -> list[str]:
    """The status count columns of an :func:`outcomes_by` table, in stacking order."""
    return [c for c in table.columns[1:] if c not in SUMMARY_COLUMNS]


def outcome_columns(calls: pd.DataFrame, *, min_rows: int = IDENTIFIER_MIN_ROWS) -> list[str]:
    """The uploaded variables worth breaking outcomes down by, in the table's order.

    Not the fixed call columns (row, number, status...), which are the outcome itself.
    Not a column whose cells are all empty: it would be one "(blank)" bar. And, past
    ``min_rows`` calls, not a column that looks like an identifier (names, account
    numbers, emails): one where distinct values are at least half its filled cells.
    Grouping by those gives a call or two per bar, which says nothing; common first
    names repeat often enough that "every value distinct" would let them back in. Below
    ``min_rows`` calls even a real category (10 calls, 10 cities) can be all distinct,
    so small batches offer every variable.
    """
    offered = []
    for column in calls.columns:
        if column in FIXED_COLUMNS:
            continue
        values = _values(calls[column])
        filled = values[values != BLANK]
        if filled.empty:
            continue
        many = len(calls) > min_rows
        if many and filled.nunique() >= IDENTIFIER_SHARE * len(filled):
            continue
        offered.append(str(column))
    return offered
