"""A batch's calls on the Progress page: one listing drives the numbers, charts and table.

Why one snapshot: the batch's counters and the list of its calls are two requests.
Drawn from both, the header could say "4 of 250 calls" above a table with 5
completed. When the listing covers every call of the batch, the headline counts
are taken from it; the counters are used only where calls are not listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

import pandas as pd
import streamlit as st

from batchcall.api.batches import Batch, normalize_call_status
from batchcall.api.errors import ApiError, NotSupportedError
from batchcall.insight.progress import calls_table
from batchcall.ui.downloads import table_files
from batchcall.ui.session import open_client
from batchcall.ui.state import Session
from batchcall.work.exports import CSV_MIME, XLSX_MIME

CALLS_LIMIT = 50_000
SMALL_BATCH = 1_000  # up to ten pages of calls: listed again on every refresh
SMALL_REFRESH_SECONDS = 1.0  # below the live panel's 2 s, so each refresh lists them
CALLS_REFRESH_SECONDS = 6.0  # listing every call of a big batch is heavier


@dataclass
class CallsSnapshot:
    """The calls of one batch as last fetched; ``final`` once fetched after it ended."""

    table: pd.DataFrame
    fetched_at: float
    final: bool
    truncated: bool
    taken_at: datetime | None = None


def refresh_seconds(total: int) -> float:
    return SMALL_REFRESH_SECONDS if total <= SMALL_BATCH else CALLS_REFRESH_SECONDS


def calls_snapshot(session: Session, batch: Batch) -> CallsSnapshot | None:
    """The batch's calls, listed again when due; None where the platform does not list them.

    A listing taken while the batch ran is never reused once it has finished, so the
    final numbers and table are the final ones.
    """
    if session.progress.calls_unsupported:
        return None
    snapshots = session.progress.calls
    cached = snapshots.get(batch.id)
    if cached is not None and (
        cached.final
        or (
            not batch.is_finished
            and time.monotonic() - cached.fetched_at < refresh_seconds(batch.total_leads)
        )
    ):
        return cached
    taken_at = datetime.now(UTC)
    try:
        with open_client(session) as client:
            calls = list(islice(client.iter_calls(batch_id=batch.id), CALLS_LIMIT + 1))
    except NotSupportedError:
        session.progress.calls_unsupported = True
        return None
    except ApiError as exc:
        st.warning(f"Could not list the calls: {exc}")
        return cached
    row_map = session.submit.row_maps.get(batch.id)
    table = calls_table(calls[:CALLS_LIMIT], row_map)
    truncated = len(calls) > CALLS_LIMIT
    snapshot = CallsSnapshot(table, time.monotonic(), batch.is_finished, truncated, taken_at)
    snapshots[batch.id] = snapshot
    return snapshot


def listed_counts(batch: Batch, snapshot: CallsSnapshot | None) -> dict[str, int] | None:
    """Calls per status from the listing, when it holds every call of the batch."""
    if snapshot is None or snapshot.truncated or len(snapshot.table) != batch.total_leads:
        return None
    statuses = snapshot.table["status"].dropna().map(lambda s: str(normalize_call_status(s)))
    return {str(status): int(count) for status, count in statuses.value_counts().items()}


def calls_section(session: Session, batch: Batch, snapshot: CallsSnapshot) -> None:
    """The per-call table, filterable by status, downloadable as CSV and XLSX."""
    st.subheader("Calls")
    table = snapshot.table
    statuses = sorted(table["status"].dropna().unique())
    chosen = st.multiselect("Status", statuses, key="progress-status", placeholder="All statuses")
    shown = table[table["status"].isin(chosen)] if chosen else table
    if "row" not in table:
        st.caption("Row numbers are those of the file the platform received.")
    if snapshot.truncated:
        st.caption(f"Showing the first {CALLS_LIMIT:,} calls.")
    if snapshot.taken_at is not None:
        st.caption(f"As listed at {snapshot.taken_at:%H:%M:%S} UTC.")
    st.dataframe(shown, hide_index=True, placeholder="")
    key = (batch.id, snapshot.fetched_at, tuple(chosen))
    csv, xlsx = table_files(session, key, shown)
    left, right = st.columns(2)
    stem = f"{batch.id}_calls"
    left.download_button(
        "Calls (CSV)", csv, f"{stem}.csv", CSV_MIME, key="progress-csv", on_click="ignore"
    )
    right.download_button(
        "Calls (XLSX)", xlsx, f"{stem}.xlsx", XLSX_MIME, key="progress-xlsx", on_click="ignore"
    )
