"""The Progress page's pieces: choosing a batch, the live panel, cancel and the calls table.

Why the live panel is a fragment: only the numbers and charts need redrawing
every couple of seconds, not the whole page. It is scheduled (``run_every``)
only while the batch runs; the tick that sees it finish reruns the whole page
once, which draws the final state with no schedule, so a finished batch costs
no more requests.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from itertools import islice

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from batchcall.api.batches import Batch, BatchState
from batchcall.api.errors import ApiError, NotFoundError
from batchcall.charts.progress import (
    calls_per_minute,
    finished_per_minute,
    outcomes_donut,
    per_minute_bars,
    progress_headline,
    progress_numbers,
    status_area,
)
from batchcall.insight.display import clock_text, human, when_text
from batchcall.insight.progress import ProgressLog, log_for
from batchcall.ui.calls_view import calls_section, calls_snapshot, listed_counts
from batchcall.ui.cancelling import cancel
from batchcall.ui.following import Followed, follow, progress_store
from batchcall.ui.prechecks_inputs import browser_zone
from batchcall.ui.results_view import outcomes_section
from batchcall.ui.session import current_connection, open_client
from batchcall.ui.state import Session
from batchcall.ui.tracked_calls import tracked_calls_section

REFRESH_SECONDS = 2.0
DETAIL_REFRESH_SECONDS = 30.0  # the charts and tables of a big batch (drawing them takes ~1 s)
SMALL_BATCH = 2_000  # calls: below this everything is redrawn every REFRESH_SECONDS
WAITING_REFRESH_SECONDS = 30.0  # a scheduled batch that has not started changes rarely
HISTORY_SIZE = 50


def history(session: Session) -> list[Batch]:
    """The latest batches, newest first; empty (with an error shown) when unreachable."""
    try:
        with open_client(session) as client:
            return list(islice(client.iter_batches(limit=HISTORY_SIZE), HISTORY_SIZE))
    except ApiError as exc:
        st.error(f"Could not list the batches: {exc}")
        return []


HISTORY_COUNTS = ("Calls", "Completed", "Failed")


def history_table(batches: list[Batch]) -> Styler:
    """The history as read: headed in words, statuses in words, counts with thousands
    separators, the creation time once with its zone. Styled rather than turned into text,
    so the counts and times still sort as numbers and times; nothing here is downloaded."""
    table = pd.DataFrame(
        {
            "Name": [batch.name or "" for batch in batches],
            "Status": [human(batch.status) for batch in batches],
            "Calls": [batch.total_leads for batch in batches],
            "Completed": [batch.completed for batch in batches],
            "Failed": [batch.failed for batch in batches],
            "Created": pd.to_datetime([b.created_at for b in batches], utc=True),
            "Id": [batch.id for batch in batches],
        }
    )
    shown = {column: "{:,}" for column in HISTORY_COUNTS} | {"Created": when_text}
    return table.style.format(shown, na_rep="")


def pick_batch(session: Session, batches: list[Batch]) -> None:
    """A selectbox over the history that follows, and sets, ``session.batch_id``."""
    labels = {batch.id: _batch_label(batch) for batch in batches}
    options = list(labels)
    if session.batch_id and session.batch_id not in labels:
        options.insert(0, session.batch_id)
    if not options:
        return
    if st.session_state.get("progress-pick") != session.batch_id:
        st.session_state["progress-pick"] = session.batch_id

    def chosen() -> None:
        session.batch_id = st.session_state["progress-pick"]

    st.selectbox(
        "Batch",
        options,
        format_func=lambda batch_id: labels.get(batch_id, batch_id),
        placeholder="Choose a batch from the history",
        key="progress-pick",
        on_change=chosen,
    )


def _batch_label(batch: Batch) -> str:
    """Unique and fixed for the batch's life: the selectbox identifies options by label (so
    the time is said in UTC, which no browser setting changes)."""
    created = f" · {when_text(batch.created_at)}" if batch.created_at else ""
    return f"{batch.name or 'Unnamed'}{created} · {batch.id}"


def current_batch(session: Session) -> Batch | None:
    """The selected batch; a batch the platform does not know is cleared with a message."""
    if not session.batch_id:
        return None
    try:
        with open_client(session) as client:
            return client.get_batch(session.batch_id)
    except NotFoundError:
        label = current_connection(session).label
        st.warning(f"Batch `{session.batch_id}` was not found on {label}; it was cleared.")
        session.progress.logs.pop(session.batch_id, None)
        session.batch_id = None
        if "batch" in st.query_params:
            del st.query_params["batch"]
    except ApiError as exc:
        st.error(f"Could not read batch `{session.batch_id}`: {exc}")
    return None


def refresh_interval(batch: Batch, now: datetime) -> float | None:
    """Seconds between redraws: none once finished, slow while waiting for its schedule."""
    if batch.is_finished:
        return None
    if batch.scheduled_at and batch.scheduled_at > now and not batch.started_at:
        return WAITING_REFRESH_SECONDS
    return REFRESH_SECONDS


def live_panel(session: Session, first: Batch) -> None:
    """Numbers, charts, cancel and calls; redrawn while the batch runs, and while the
    local copy of its calls is still catching up.

    Three fragments, so that what changes often is all that is redrawn often: the
    numbers (and the feed) every ``REFRESH_SECONDS``; the charts and the outcomes every
    ``DETAIL_REFRESH_SECONDS`` for a big batch (the browser takes about a second to
    redraw them); the calls table when the operator filters or pages it (a table that
    moves under the cursor can not be read), and with the whole page.
    """
    batch_id, running = first.id, not first.is_finished
    catching_up = batch_id in session.progress.catching_up
    full_run = [True]  # the first draw is part of the page's run: a rerun would drop its flashes
    interval = refresh_interval(first, datetime.now(UTC))
    if interval is None and catching_up:
        interval = REFRESH_SECONDS
    detail_interval = interval
    if interval is not None and first.total_leads > SMALL_BATCH:
        detail_interval = max(interval, DETAIL_REFRESH_SECONDS)

    @st.fragment(run_every=interval)
    def headline() -> None:
        batch = first if full_run[0] else _refreshed(session, batch_id)
        if batch is None:
            return
        if running and batch.is_finished and not full_run[0]:
            st.rerun(scope="app")  # draw the final state once, unscheduled
        for kind, message in session.flash:  # raised by a button of this fragment
            getattr(st, kind)(message)
        session.flash.clear()
        created_notice(session, batch)
        session.progress.latest[batch_id] = batch
        followed = follow(session, batch)
        if followed is None:
            session.progress.followed.pop(batch_id, None)
            return listed_panel(session, batch)
        if followed.caught_up:
            session.progress.catching_up.discard(batch_id)
            if catching_up and batch.is_finished and not full_run[0]:
                st.rerun(scope="app")  # the copy is complete: the final draw, unscheduled
        else:
            session.progress.catching_up.add(batch_id)
        numbers(session, batch, followed.counts)
        session.progress.followed[batch_id] = followed

    @st.fragment(run_every=detail_interval)
    def charts() -> None:
        followed, batch = _followed(session, batch_id)
        if followed is None or batch is None:
            return
        store = progress_store()
        left, right = st.columns(2)
        left.plotly_chart(
            status_area(store.samples_frame(followed.workspace, batch_id)), key="progress-area"
        )
        right.plotly_chart(outcomes_donut(followed.counts), key="progress-donut")
        per_minute = store.ended_per_minute(followed.workspace, batch_id)
        st.plotly_chart(per_minute_bars(per_minute), key="progress-per-minute")
        outcomes_section(session, batch, followed)

    @st.fragment
    def calls() -> None:
        followed, batch = _followed(session, batch_id)
        if followed is None or batch is None:
            return
        tracked_calls_section(session, batch, followed)

    headline()
    charts()
    calls()
    full_run[0] = False  # from here on, each call is a scheduled refresh of a fragment


def _refreshed(session: Session, batch_id: str) -> Batch | None:
    """The batch read again for a refresh; None (with a warning) when it can not be."""
    try:
        with open_client(session) as client:
            return client.get_batch(batch_id)
    except NotFoundError:
        st.rerun(scope="app")  # the page clears it and says so
    except ApiError as exc:
        st.warning(f"Could not refresh the batch, retrying: {exc}")
    return None


def _followed(session: Session, batch_id: str) -> tuple[Followed | None, Batch | None]:
    """The numbers' latest view of the batch, for the charts and tables drawn from it."""
    return session.progress.followed.get(batch_id), session.progress.latest.get(batch_id)


def created_notice(session: Session, batch: Batch) -> None:
    """Say "Batch … created" until the batch's first state change; then never again."""
    notice = session.progress.created_notice
    if notice is None or notice[0] != batch.id:
        return
    if batch.status != notice[1]:
        session.progress.created_notice = None
        return
    st.success(notice[2])


def listed_panel(session: Session, batch: Batch) -> None:
    """Where the platform has no change feed: counts and calls from listing them."""
    snapshot = calls_snapshot(session, batch)
    counts = listed_counts(batch, snapshot) or batch.status_counts_or_derived()
    log: ProgressLog = log_for(session.progress.logs, batch.id)
    taken_at = snapshot.taken_at if snapshot and snapshot.taken_at else datetime.now(UTC)
    log.add(taken_at, counts)
    numbers(session, batch, counts)
    left, right = st.columns(2)
    left.plotly_chart(status_area(log.frame()), key="progress-area")
    right.plotly_chart(outcomes_donut(counts), key="progress-donut")
    if snapshot is None:
        st.info("This platform does not list calls by batch: only the batch's counters are shown.")
        return
    per_minute = (
        finished_per_minute(log.frame())
        if snapshot.pages
        else calls_per_minute(snapshot.table["ended_at"])
    )
    st.plotly_chart(per_minute, key="progress-per-minute")
    calls_section(session, batch, snapshot)


def numbers(session: Session, batch: Batch, counts: dict[str, int]) -> None:
    """The headline, four figures and the cancel button."""
    ended = batch.completed_at or batch.cancelled_at if batch.is_finished else None
    figures = progress_numbers(counts, batch.total_leads, batch.started_at, ended or now_utc())
    cancelled = batch.state == BatchState.CANCELLED
    headline = progress_headline(figures, cancelled=cancelled, finished=batch.is_finished)
    st.progress(figures.completion, text=headline)
    cols = st.columns(4)
    percent = math.floor(figures.completion * 100)  # never "100%" while a call is left
    cols[0].metric("Completion", f"{percent}%")
    cols[1].metric("Remaining", f"{figures.remaining:,}")
    pace = figures.calls_per_minute
    cols[2].metric("Calls per minute", f"{pace:,.1f}" if pace is not None else "—")
    cols[3].metric("ETA", _eta(batch, figures.eta), help="When the last call should end.")
    cancel(session, batch, counts)


def now_utc() -> datetime:
    return datetime.now(UTC)


def _eta(batch: Batch, eta: datetime | None) -> str:
    """ "14:05 UTC", or in the operator's own zone when the browser names it: a minute is
    as close as a forecast of a batch's end can honestly be, and the zone is said once."""
    if batch.is_finished:
        return "cancelled" if batch.state == BatchState.CANCELLED else "finished"
    if eta is None:
        return "—"
    zone, zone_name = browser_zone()
    return clock_text(eta, zone, zone_name)
