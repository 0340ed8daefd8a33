"""Follow a batch's change feed into the local progress store, a bounded slice at a time.

Why bounded: the Progress page follows the feed from a fragment that redraws every
couple of seconds, and each redraw blocks its session. A batch cancelled with
119,000 calls queued turns them all into changes at once; taking them a few
thousand a refresh keeps every refresh short, and the store catches up within a
few refreshes. ``caught_up`` says when the copy is complete as of this moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from batchcall.api.client import BatchCallClient
from batchcall.tracking.store import ProgressStore

__all__ = ["FollowResult", "follow_changes"]

PAGE_SIZE = 2_000
BUDGET_SECONDS = 0.4


@dataclass(frozen=True)
class FollowResult:
    """What one slice did: calls saved, and whether nothing more was waiting after it."""

    saved: int
    caught_up: bool
    revision: int


def follow_changes(
    client: BatchCallClient,
    store: ProgressStore,
    workspace: str,
    batch_id: str,
    *,
    row_map: Mapping[int, int] | None = None,
    budget_seconds: float = BUDGET_SECONDS,
    page_size: int = PAGE_SIZE,
    clock: Callable[[], float] = time.monotonic,
) -> FollowResult:
    """Fetch and keep the calls changed since the store's cursor, until caught up or out
    of time (at least one page is always taken). Raises the client's ``ApiError``s;
    ``NotSupportedError`` where the platform has no change feed."""
    deadline = clock() + budget_seconds
    saved = 0
    revision = store.cursor(workspace, batch_id)
    while True:
        changes = client.call_changes(batch_id, after=revision, limit=page_size)
        saved += store.save_changes(
            workspace, batch_id, changes.data, changes.next_revision, row_map
        )
        revision = changes.next_revision
        if changes.remaining <= 0 or not changes.data:
            return FollowResult(saved, True, revision)
        if clock() >= deadline:
            return FollowResult(saved, False, revision)
