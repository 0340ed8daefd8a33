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
from batchcall.insight.display import call_headers, calls_display, human, plural
from batchcall.insight.progress import calls_table
from batchcall.ui.downloads import table_files
from batchcall.ui.session import open_client, row_map
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
    pages: int = 0
    """Set for a big batch: the table is one page of ``pages``, of ``matching`` calls."""
    matching: int = 0


def refresh_seconds(total: int) -> float:
    return SMALL_REFRESH_SECONDS if total <= SMALL_BATCH else CALLS_REFRESH_SECONDS


def calls_snapshot(session: Session, batch: Batch) -> CallsSnapshot | None:
    """The batch's calls, listed again when due; None where the platform does not list them.

    A listing taken while the batch ran is never reused once it has finished, so the
    final numbers and table are the final ones.
    """
    if session.progress.calls_unsupported:
        return None
    if batch.total_leads > SMALL_BATCH:
        return calls_page(session, batch)
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
    batch_rows = row_map(session, batch.id)
    table = calls_table(calls[:CALLS_LIMIT], batch_rows)
    truncated = len(calls) > CALLS_LIMIT
    snapshot = CallsSnapshot(table, time.monotonic(), batch.is_finished, truncated, taken_at)
    snapshots[batch.id] = snapshot
    return snapshot


PAGE_ROWS = 100
PAGE_KEY, STATUS_KEY = "progress-calls-page", "progress-calls-status"


def calls_page(session: Session, batch: Batch) -> CallsSnapshot | None:
    """A big batch: one page of its calls (the page and status the operator chose), never
    the whole list; the headline and charts come from the batch's counters."""
    page = max(int(st.session_state.get(PAGE_KEY) or 1), 1)
    status = st.session_state.get(STATUS_KEY) or None
    taken_at = datetime.now(UTC)
    try:
        with open_client(session) as client:
            listed = client.list_calls(batch_id=batch.id, status=status, page=page, limit=PAGE_ROWS)
    except NotSupportedError:
        session.progress.calls_unsupported = True
        return None
    except ApiError as exc:
        st.warning(f"Could not list the calls: {exc}")
        return None
    table = calls_table(listed.data, row_map(session, batch.id))
    snapshot = CallsSnapshot(table, time.monotonic(), batch.is_finished, True, taken_at)
    snapshot.pages, snapshot.matching = listed.meta.totalPages, listed.meta.total
    return snapshot


def listed_counts(batch: Batch, snapshot: CallsSnapshot | None) -> dict[str, int] | None:
    """Calls per status from the listing, when it holds every call of the batch."""
    if snapshot is None or snapshot.truncated or len(snapshot.table) != batch.total_leads:
        return None
    statuses = snapshot.table["status"].dropna().map(lambda s: str(normalize_call_status(s)))
    return {str(status): int(count) for status, count in statuses.value_counts().items()}


def calls_column_config(table: pd.DataFrame) -> dict[str, object]:
    """How the calls table is shown: headers in words, statuses and end reasons in words,
    row numbers with thousands separators, durations in seconds, end times once with
    their zone. Only the display: the frame (filtered and downloaded) keeps the
    contract's columns and values."""
    return {column: _setting(table, column, label) for column, label in call_headers(table).items()}


def _setting(table: pd.DataFrame, column: str, label: str) -> object:
    config = st.column_config
    if column == "row":
        return config.NumberColumn(label, format="localized")
    if column == "submitted_row":
        return config.NumberColumn(
            label, format="localized", help="The row in the file the platform received"
        )
    if column == "duration_seconds":
        return config.NumberColumn(label, format="%d s")
    if column == "ended_at":
        return config.DatetimeColumn(label, format="D MMM HH:mm:ss [UTC]", timezone="UTC")
    if column in ("status", "end_reason"):
        options = sorted(map(str, table[column].dropna().unique()))
        return config.SelectboxColumn(label, options=options, format_func=human)
    return config.Column(label)


def show_calls(table: pd.DataFrame) -> None:
    """The calls as a person reads them; the downloads keep the contract's columns."""
    shown = calls_display(table)
    st.dataframe(shown, hide_index=True, placeholder="", column_config=calls_column_config(shown))


def calls_section(session: Session, batch: Batch, snapshot: CallsSnapshot) -> None:
    """The per-call table, filterable by status, downloadable as CSV and XLSX."""
    st.subheader("Calls")
    if snapshot.pages:
        return calls_page_section(session, batch, snapshot)
    table = snapshot.table
    statuses = sorted(table["status"].dropna().unique())
    chosen = st.multiselect(
        "Status", statuses, key="progress-status", placeholder="All statuses", format_func=human
    )
    shown = table[table["status"].isin(chosen)] if chosen else table
    if "row" not in table:
        st.caption("Row numbers are those of the file the platform received.")
    if snapshot.truncated:
        st.caption(f"Showing the first {CALLS_LIMIT:,} calls.")
    if snapshot.taken_at is not None:
        st.caption(f"As listed at {snapshot.taken_at.astimezone(UTC):%H:%M:%S} UTC.")
    show_calls(shown)
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


def calls_page_section(session: Session, batch: Batch, snapshot: CallsSnapshot) -> None:
    """One page of a big batch's calls, paged and filtered by status on the platform."""
    left, right = st.columns(2)
    statuses = [
        "",
        "queued",
        "in-progress",
        "completed",
        "no_answer",
        "busy",
        "failed",
        "cancelled",
    ]
    right.selectbox("Status", statuses, key=STATUS_KEY, format_func=_status_option)
    pages = max(snapshot.pages, 1)
    left.number_input(f"Page (of {pages:,}, {PAGE_ROWS} calls each)", 1, pages, key=PAGE_KEY)
    verb = "matches" if snapshot.matching == 1 else "match"
    st.caption(f"{plural(snapshot.matching, 'call')} {verb}; one page is listed at a time.")
    show_calls(snapshot.table)
    key = (batch.id, snapshot.fetched_at)
    csv, xlsx = table_files(session, key, snapshot.table)
    left, right = st.columns(2)
    stem = f"{batch.id}_calls_page"
    left.download_button(
        "This page (CSV)", csv, f"{stem}.csv", CSV_MIME, key="progress-csv", on_click="ignore"
    )
    right.download_button(
        "This page (XLSX)", xlsx, f"{stem}.xlsx", XLSX_MIME, key="progress-xlsx", on_click="ignore"
    )


def _status_option(status: str) -> str:
    return human(status) or "All statuses"
