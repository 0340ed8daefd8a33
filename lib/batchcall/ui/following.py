"""Progress through the local progress store: counters over time and the calls that moved.

Each refresh of the live panel records the batch's counters (a sample of the
status-over-time chart) and follows the batch's change feed for a bounded slice,
into one store shared by every session of this server (``st.cache_resource``).
A reload, a second tab or a restart therefore draws the same history, and no
refresh re-lists the batch's calls. Where the platform has no change feed the
page falls back to listing calls (``ui.calls_view``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from batchcall.api.batches import Batch
from batchcall.api.errors import ApiError, NotSupportedError
from batchcall.settings import progress_db_path, sandbox_db_path
from batchcall.tracking.follow import follow_changes
from batchcall.tracking.store import ProgressStore, workspace_token
from batchcall.ui.session import current_connection, open_client, row_map
from batchcall.ui.state import Session

FOLLOW_EVERY_SECONDS = 2.5


@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> ProgressStore:
    return ProgressStore(path)


def progress_store() -> ProgressStore:
    """The server's one progress store (one SQLite connection, shared by its sessions)."""
    return _store_at(str(progress_db_path()))


def workspace_of(session: Session) -> str:
    """The store's key for this session's workspace. The sandbox's key is new on every
    start, so the sandbox is known by its database instead: its history survives a restart."""
    connection = current_connection(session)
    if connection.sandbox:
        return workspace_token("sandbox", str(sandbox_db_path()))
    return workspace_token(connection.base_url, connection.api_key)


@dataclass(frozen=True)
class Followed:
    """One refresh's view of a batch from the store."""

    workspace: str
    counts: dict[str, int]
    """Calls per status: from the kept calls when the copy is complete (so the numbers
    match the table below them), else from the batch's counters."""
    caught_up: bool
    revision: int
    """The feed's position: a new value means the calls changed (a cache key)."""
    kept: int
    """Calls in the store (every call that left the queue)."""


def follow(session: Session, batch: Batch) -> Followed | None:
    """Record the counters, follow the feed a slice; None where there is no feed.

    A rerun for a filter or a page of the calls (``reading``) reads the store only, when
    the feed was followed within ``FOLLOW_EVERY_SECONDS``: the answer to a click must not
    wait on the feed.
    """
    if session.progress.feed_unsupported:
        return None
    store, workspace = progress_store(), workspace_of(session)
    last = session.progress.followed.get(batch.id)
    recent = time.monotonic() - session.progress.followed_at.get(batch.id, -1e9)
    reading, session.progress.reading = session.progress.reading, False
    same = last is not None and last.workspace == workspace
    if reading and same and recent < FOLLOW_EVERY_SECONDS:
        assert last is not None
        return _view(store, workspace, batch, last.caught_up)
    session.progress.followed_at[batch.id] = time.monotonic()
    caught_up = False
    try:
        with open_client(session) as client:
            result = follow_changes(
                client, store, workspace, batch.id, row_map=row_map(session, batch.id)
            )
        caught_up = result.caught_up
    except NotSupportedError:
        session.progress.feed_unsupported = True
        return None
    except ApiError as exc:
        st.warning(f"Could not fetch the latest calls, retrying: {exc}")
    return _view(store, workspace, batch, caught_up, sample=True)


def _view(
    store: ProgressStore, workspace: str, batch: Batch, caught_up: bool, *, sample: bool = False
) -> Followed:
    """The batch as the store holds it; ``sample`` records its counts in the history."""
    kept_counts = store.status_counts(workspace, batch.id)
    kept = sum(kept_counts.values())
    if caught_up and batch.total_leads >= kept:
        counts = dict(kept_counts)
        counts["queued"] = counts.get("queued", 0) + batch.total_leads - kept
    else:
        counts = batch.status_counts_or_derived()
    if sample:
        store.add_sample(workspace, batch.id, datetime.now(UTC), counts)
    return Followed(workspace, counts, caught_up, store.cursor(workspace, batch.id), kept)


def reading(session: Session) -> None:
    """``on_change`` of the calls' filters and pages: the rerun only reads the store."""
    session.progress.reading = True
