"""The calls of a batch beside the spreadsheet rows they came from, as one pandas table.

Why a function of its own: the platform names a call's row by its place in the file
it *received* (``position``) and echoes only the variables it was *sent*. An analyst
asks questions of the file they own: which product, branch or due date answers,
including columns that were never sent and the cells as typed before any fix.
:func:`call_results` joins each call to its original row through the submission's
row map (``WorkTable.cleaned_csv()`` returns it), so ``groupby`` on any column of
the upload works, and :func:`batchcall.insight.outcomes.outcomes_by` reads the
result as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from batchcall.api.batches import Call

__all__ = ["NOT_SENT", "RESULT_COLUMNS", "ROW", "call_results"]

ROW = "row"
"""The original spreadsheet row (header = row 1), the key both sides share."""
RESULT_COLUMNS = [
    ROW,
    "call_id",
    "status",
    "duration_seconds",
    "end_reason",
    "ended_at",
    "to_phone_number",
]
"""What each call contributes, in this order, before the row's own columns."""
NOT_SENT = "not_sent"
"""The status of a row that has no call (``uncalled=True``): dropped, refused or left
out before launch. A word rather than a blank, so ``groupby("status")`` keeps it."""
CLASH_PREFIX = "var_"
"""Put before a file column named like a call column (a ``status`` variable, say)."""


def call_results(
    calls: Iterable[Call],
    contacts: pd.DataFrame | None = None,
    row_map: Mapping[int, int] | None = None,
    *,
    uncalled: bool = False,
) -> pd.DataFrame:
    """One row per call: its outcome, then every column of the row it was made for.

    ``calls`` are the batch's calls (``client.iter_calls(batch_id=...)``); ``contacts``
    is the table the rows came from, as :func:`batchcall.read_contacts` returns it
    (indexed by spreadsheet row). ``row_map`` leads the submitted file's rows back to
    those rows; leave it out when the file was sent as it was read. Without
    ``contacts`` the variables are those the platform echoed with each call.

    ``status`` is in one spelling per outcome (``no-answer`` reads ``no_answer``),
    ``duration_seconds`` is a float, ``ended_at`` a UTC timestamp and ``row`` a
    nullable integer: a call the platform did not number, or numbered outside the
    map, keeps ``<NA>`` there and blank variables rather than a guessed row. With
    ``uncalled`` every row of ``contacts`` without a call is added with status
    :data:`NOT_SENT`, so the table accounts for the whole file. Sorted by row.
    """
    records = [_record(call, row_map) for call in calls]
    frame = pd.DataFrame.from_records(
        [fields for fields, _ in records], columns=RESULT_COLUMNS
    ).astype({ROW: "Int64", "duration_seconds": "float64"})
    frame["ended_at"] = pd.to_datetime(frame["ended_at"], utc=True)
    if contacts is None:
        variables = pd.DataFrame.from_records([echoed for _, echoed in records], index=frame.index)
        frame = frame.join(_without_clashes(variables))
    else:
        frame = _join_rows(frame, contacts, uncalled=uncalled)
    return frame.sort_values(ROW, kind="stable", na_position="last").reset_index(drop=True)


def _record(
    call: Call, row_map: Mapping[int, int] | None
) -> tuple[dict[str, object], dict[str, str]]:
    row = call.position
    if row is not None and row_map is not None:
        row = row_map.get(row)
    fields: dict[str, object] = {
        ROW: row,
        "call_id": call.id,
        "status": call.status,
        "duration_seconds": call.duration_seconds,
        "end_reason": call.end_reason,
        "ended_at": call.ended_at,
        "to_phone_number": call.to_phone_number,
    }
    echoed = {
        str(name): "" if value is None else str(value) for name, value in call.metadata.items()
    }
    return fields, echoed


def _without_clashes(columns: pd.DataFrame) -> pd.DataFrame:
    """``columns`` with any name the call columns use prefixed, so neither side is lost."""
    taken = set(RESULT_COLUMNS)
    return columns.rename(columns=lambda name: f"{CLASH_PREFIX}{name}" if name in taken else name)


def _join_rows(frame: pd.DataFrame, contacts: pd.DataFrame, *, uncalled: bool) -> pd.DataFrame:
    """The calls with their rows' cells; with ``uncalled``, the rows no call came from."""
    rows = _without_clashes(contacts).copy()
    rows.index = pd.Index(rows.index, dtype="Int64", name=ROW)
    joined = frame.join(rows, on=ROW)
    if not uncalled:
        return joined
    called = set(frame[ROW].dropna().astype(int))
    missing = rows[~rows.index.isin(list(called))].reset_index()
    if missing.empty:
        return joined
    missing["status"] = NOT_SENT
    return pd.concat([joined, missing], ignore_index=True)[joined.columns]
