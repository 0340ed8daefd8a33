"""The calls table of a followed batch, read from the local progress store a page at a time.

Why from the store: the page never re-lists a 120,000-call batch. Filters (a
status, one uploaded column's value) and paging are SQL on the store, so each
redraw sends one page of rows to the browser, whatever the batch's size. The
downloads are built only when clicked (Streamlit runs a callable ``data`` then),
from every kept call.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from batchcall.api.batches import Batch, CallState
from batchcall.insight.display import human, plural
from batchcall.insight.preflight import escape_markdown
from batchcall.tracking.store import CallFilter, ProgressStore
from batchcall.ui.calls_view import show_calls
from batchcall.ui.following import Followed, progress_store
from batchcall.ui.state import Session
from batchcall.work.exports import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes

PAGE_ROWS = 100
STATUS_KEY, COLUMN_KEY, VALUE_KEY = "calls-status", "calls-column", "calls-value"
PAGE_KEY = "calls-page"
ALL = ""
STATUSES = [str(state) for state in CallState if state is not CallState.QUEUED]


def chosen_filter(
    session: Session, store: ProgressStore, followed: Followed, batch: Batch
) -> CallFilter:
    """Status, column and value pickers over what the store holds; the filter they make."""
    kept = store.status_counts(followed.workspace, batch.id)
    # The same options on every redraw (a status with no call yet is still offered): new
    # options would make a new widget, and a pick on the old one is lost until a refresh.
    statuses = [ALL, *STATUSES, *sorted(set(kept) - set(STATUSES))]
    variables = [ALL, *store.variables(followed.workspace, batch.id)]
    left, middle, right = st.columns(3)
    status = left.selectbox(
        "Status",
        statuses,
        key=STATUS_KEY,
        format_func=lambda s: _label(s) or "All statuses",
    )
    column = middle.selectbox(
        "Uploaded column",
        variables,
        key=COLUMN_KEY,
        format_func=lambda c: c or "Any column",
    )
    value = None
    if column:
        values = store.column_values(followed.workspace, batch.id, column)
        value = right.selectbox(
            f"{column} is",
            values,
            key=VALUE_KEY,
            index=None,
            placeholder="Any value",
            format_func=lambda v: v if v != "" else "(blank)",
        )
    return CallFilter(status or None, column or None, value)


_label = human


def matching_words(matching: int, where: CallFilter) -> str:
    """ "1,204 calls match status No answer and city = Pune.": the count says what it
    counts, so a pick is seen to have been taken even while the numbers move."""
    said = [f"status {_label(where.status)}"] if where.status else []
    if where.column and where.value is not None:
        said.append(escape_markdown(f"{where.column} = {where.value or '(blank)'}"))
    verb = "matches" if matching == 1 else "match"
    return f"{plural(matching, 'call')} {verb}{' ' + ' and '.join(said) if said else ''}."


def tracked_calls_section(session: Session, batch: Batch, followed: Followed) -> None:
    """One page of the kept calls, filtered; downloads of every kept call."""
    st.subheader("Calls")
    store = progress_store()
    where = chosen_filter(session, store, followed, batch)
    matching = store.count(followed.workspace, batch.id, where)
    pages = max((matching + PAGE_ROWS - 1) // PAGE_ROWS, 1)
    if int(st.session_state.get(PAGE_KEY) or 1) > pages:
        st.session_state[PAGE_KEY] = pages  # a narrower filter: stay within its pages
    page = st.number_input(f"Page (of {pages:,}, {PAGE_ROWS} calls each)", 1, pages, key=PAGE_KEY)
    table = store.calls_frame(
        followed.workspace, batch.id, where, offset=(int(page) - 1) * PAGE_ROWS, limit=PAGE_ROWS
    )
    queued = max(batch.total_leads - followed.kept, 0)
    caption = matching_words(matching, where)
    if queued:
        caption += (
            f" {plural(queued, 'call')} still queued since the start "
            f"{'is' if queued == 1 else 'are'} listed once dialled."
        )
    if len(table) and "submitted_row" in table:
        caption += " Row numbers are those of the file the platform received."
    st.caption(caption)
    show_calls(table)
    every_call = _every_call(store, followed, batch.id)
    left, right = st.columns(2)
    stem = f"{batch.id}_calls"
    left.download_button(
        f"All {plural(followed.kept, 'call')} (CSV)",
        lambda: csv_bytes(every_call()),
        f"{stem}.csv",
        CSV_MIME,
        key="calls-csv",
        on_click="ignore",
        disabled=not followed.kept,
    )
    right.download_button(
        f"All {plural(followed.kept, 'call')} (XLSX)",
        lambda: xlsx_bytes(every_call(), sheet="calls"),
        f"{stem}.xlsx",
        XLSX_MIME,
        key="calls-xlsx",
        on_click="ignore",
        disabled=not followed.kept,
    )


def _every_call(store: ProgressStore, followed: Followed, batch_id: str) -> Callable:
    return lambda: store.calls_frame(followed.workspace, batch_id)
