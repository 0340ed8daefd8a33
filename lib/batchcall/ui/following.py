"""Progress through the local progress store: counters over time and the calls that moved.

Each refresh of the live panel records the batch's counters (a sample of the
status-over-time chart) and follows the batch's change feed for a bounded slice,
into one store shared by every session of this server (``st.cache_resource``).
A reload, a second tab or a restart therefore draws the same history, and no
refresh re-lists the batch's calls. Where the platform has no change feed the
page falls back to listing calls (``ui.calls_view``).
"""

from __future__ import annotations

import threading
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

FOLLOW_EVERY_SECONDS = 1.5


class FollowGate:
    """When each batch's feed was last followed, by any session of this server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], tuple[float, bool]] = {}

    def claim(self, key: tuple[str, str]) -> bool | None:
        """None: follow it now (claimed). Else the store is fresh enough: whether it had
        caught up with the feed when it was last followed."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last[0] < FOLLOW_EVERY_SECONDS:
                return last[1]
            self._last[key] = (now, last[1] if last else False)
            return None

    def followed(self, key: tuple[str, str], caught_up: bool) -> None:
        with self._lock:
            self._last[key] = (time.monotonic(), caught_up)


@st.cache_resource(show_spinner=False)
def follow_gate() -> FollowGate:
    return FollowGate()


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

    The feed of a running batch is followed at most once per ``FOLLOW_EVERY_SECONDS``
    by the whole server: a reload, a second tab or another operator watching the same
    batch reads the store the last follower filled instead of waiting on the feed
    again (the next refresh follows it). A finished batch's page is drawn once, with no
    refresh to come: it is always followed.
    """
    if session.progress.feed_unsupported:
        return None
    store, workspace = progress_store(), workspace_of(session)
    key, gate = (workspace, batch.id), follow_gate()
    fresh = None if batch.is_finished else gate.claim(key)  # a finished batch is not redrawn
    if fresh is not None:
        return _view(store, workspace, batch, fresh)
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
    gate.followed(key, caught_up)
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
