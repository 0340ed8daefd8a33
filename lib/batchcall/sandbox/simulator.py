"""Plays batches in simulated time: calls ring, talk, end, retry; batches finish.

Why it is built this way:

* Outcomes come from :mod:`batchcall.sandbox.outcomes`, seeded per row and attempt,
  so a replay gives every row the same outcome whatever the tick timing.
* Each tick replays every event due since the last one in time order (a call
  ending frees its slot at that instant, the next queued call dials then), so a
  fast test run is as faithful as a slow demo and ticks can be coarse.
* A batch's first tick only accepts it (``initiated`` -> ``active``, the state a
  scheduled batch waits in); the ticks after it dial. Simulated time still runs
  from the batch's start, so when ticks happen never changes a call's times.
* One SQLite transaction per batch per tick keeps ``status_counts`` summing to
  ``total_leads`` at every read. State lives only in the database, so a new app
  on the same file resumes a running batch.
* The ticker is a daemon thread started on first use: it works whether the app
  runs under uvicorn or is mounted in another Starlette app (no lifespan there).
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from batchcall.sandbox.outcomes import RETRIED, plan_attempt
from batchcall.sandbox.schemas import FINISHED_BATCH, IN_FLIGHT
from batchcall.sandbox.store import BatchFinished, BatchNotFound, SimCall, Store

log = logging.getLogger("batchcall.sandbox.simulator")

_FAR_PAST = -1e18


class _Queue:
    """Due queued calls in (not_before, position) order: the database's, merged with the
    retries requeued during this tick (not yet written)."""

    CHUNK = 512

    def __init__(self, conn: sqlite3.Connection, batch_id: str, now: float) -> None:
        self._conn, self._batch_id, self._now = conn, batch_id, now
        self._stored: deque[SimCall] = deque()
        self._cursor = (_FAR_PAST, -1)
        self._exhausted = False
        self._retries: list[tuple[float, int, SimCall]] = []

    def peek(self) -> SimCall | None:
        if not self._stored and not self._exhausted:
            rows = Store.queued_calls(
                self._conn, self._batch_id, self._cursor, self._now, self.CHUNK
            )
            self._stored.extend(rows)
            self._exhausted = len(rows) < self.CHUNK
            if rows:
                self._cursor = (rows[-1].not_before, rows[-1].position)
        stored = self._stored[0] if self._stored else None
        retry = self._retries[0][2] if self._retries else None
        if stored is None or retry is None:
            return stored or retry
        return (
            retry
            if (retry.not_before, retry.position) < (stored.not_before, stored.position)
            else stored
        )

    def pop(self, call: SimCall) -> None:
        if self._stored and self._stored[0] is call:
            self._stored.popleft()
        else:
            heapq.heappop(self._retries)

    def push(self, call: SimCall) -> None:
        heapq.heappush(self._retries, (call.not_before, call.position, call))


class _BatchRun:
    """One tick of one batch: replays the events due by ``now`` and writes them back."""

    def __init__(
        self, store: Store, conn: sqlite3.Connection, batch: sqlite3.Row, speed: float
    ) -> None:
        self.store, self.conn, self.batch, self.speed = store, conn, batch, speed
        self.counts: dict[str, int] = json.loads(batch["status_counts"])
        self.status: str = batch["status"]
        self.started_at: float | None = batch["started_at"]
        self.seed: int = batch["rng_seed"]
        retry = json.loads(batch["retry_config"]) if batch["retry_config"] else {}
        self.max_retries = int(retry.get("max_retries", 0))
        self.retry_delay = float(retry.get("retry_interval_minutes", 0)) * 60 / speed
        self.dirty: dict[str, SimCall] = {}
        self.last_end: float | None = None

    def move(self, call: SimCall, status: str) -> None:
        self.counts[call.status] -= 1
        self.counts[status] += 1
        call.status = status
        self.dirty[call.id] = call

    def run(self, now: float) -> None:
        if self.status == "initiated":  # the first tick accepts it; dialling starts next tick
            Store.save_batch(self.conn, self.batch["id"], status="active")
            return
        in_flight = Store.in_flight_calls(self.conn, self.batch["id"])
        ends = [(call.phase_ends_at or now, call.position, call) for call in in_flight]
        heapq.heapify(ends)
        free = [_FAR_PAST] * max(self.batch["max_concurrent_calls"] - len(in_flight), 0)
        cancelled = self.status == "cancelled"
        queue = None if cancelled else _Queue(self.conn, self.batch["id"], now)
        while True:
            candidate = queue.peek() if queue is not None and free else None
            start_at = max(free[0], candidate.not_before) if candidate else math.inf
            end_at = ends[0][0] if ends else math.inf
            if min(start_at, end_at) > now:
                break
            if end_at <= start_at:
                call = heapq.heappop(ends)[2]
                self.phase_end(call, end_at, retry_allowed=not cancelled)
                if call.status in IN_FLIGHT:
                    heapq.heappush(ends, (call.phase_ends_at, call.position, call))
                else:
                    heapq.heappush(free, end_at)
                    if call.status == "queued" and queue is not None:
                        queue.push(call)
            elif candidate is not None:
                queue.pop(candidate)  # type: ignore[union-attr]
                heapq.heappop(free)
                self.dial(candidate, start_at)
                heapq.heappush(ends, (candidate.phase_ends_at, candidate.position, candidate))
        self.finish(now)

    def dial(self, call: SimCall, at: float) -> None:
        call.attempts += 1
        plan = plan_attempt(self.seed, call.position, call.attempts - 1)
        self.move(call, "initiated")
        call.started_at, call.ended_at = at, None
        call.phase_ends_at = at + plan.ring_seconds / self.speed
        if self.started_at is None:
            self.started_at = at
        if self.status == "active":
            self.status = "running"

    def phase_end(self, call: SimCall, at: float, *, retry_allowed: bool) -> None:
        plan = plan_attempt(self.seed, call.position, call.attempts - 1)
        if call.status == "initiated" and plan.outcome == "completed":
            self.move(call, "in-progress")
            call.phase_ends_at = at + plan.talk_seconds / self.speed
            return
        call.phase_ends_at = None
        if retry_allowed and plan.outcome in RETRIED and call.attempts <= self.max_retries:
            self.move(call, "queued")
            call.not_before = at + self.retry_delay
            return
        self.move(call, plan.outcome)
        call.ended_at = at
        call.duration_seconds = plan.duration_seconds
        call.end_reason = plan.end_reason
        self.last_end = at if self.last_end is None else max(self.last_end, at)

    def finish(self, now: float) -> None:
        changes: dict[str, Any] = {}
        pending = self.counts["queued"] + sum(self.counts[status] for status in IN_FLIGHT)
        if pending == 0:
            if self.status != "cancelled":
                self.status = "completed"
            changes.update(live=0, completed_at=self.last_end or now)
        if self.dirty:
            self.store.save_calls(self.conn, self.dirty.values())
        if self.dirty or changes or self.status != self.batch["status"]:
            Store.save_batch(
                self.conn,
                self.batch["id"],
                status=self.status,
                status_counts=self.counts,
                started_at=self.started_at,
                **changes,
            )


class Simulator:
    """Advances every live batch; ``stop()`` ends the ticker for good."""

    def __init__(
        self,
        store: Store,
        *,
        speed: float,
        tick_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.speed, self.tick_seconds, self.clock = store, speed, tick_seconds, clock
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._start_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def ensure_running(self) -> None:
        """Start the ticker on first use (cheap to call on every request)."""
        if self._thread is not None or self._stopping.is_set():
            return
        with self._start_lock:
            if self._thread is None and not self._stopping.is_set():
                self._thread = threading.Thread(
                    target=self._loop, name="sandbox-simulator", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.wait(self.tick_seconds):
            try:
                self.tick()
            except Exception:  # keep ticking: one bad batch must not freeze the others
                log.exception("simulator tick failed")

    def tick(self, now: float | None = None) -> None:
        now = self.clock() if now is None else now
        for batch_id in self.store.live_batch_ids():
            if self._stopping.is_set():
                return
            self.advance(batch_id, now)

    def advance(self, batch_id: str, now: float) -> None:
        with self.store.transaction() as conn:
            batch = Store.batch_row(conn, batch_id)
            if batch is not None and batch["live"]:
                _BatchRun(self.store, conn, batch, self.speed).run(now)

    def cancel(self, batch_id: str, now: float | None = None) -> None:
        """Queued calls -> cancelled, calls in flight finish; BatchFinished when too late."""
        now = self.clock() if now is None else now
        with self.store.lock:
            self.advance(batch_id, now)  # play what happened before the click first
            with self.store.transaction() as conn:
                batch = Store.batch_row(conn, batch_id)
                if batch is None:
                    raise BatchNotFound(batch_id)
                if batch["status"] in FINISHED_BATCH:
                    raise BatchFinished(batch["status"])
                counts = json.loads(batch["status_counts"])
                cancelled = self.store.cancel_queued(conn, batch_id, now)
                counts["queued"] -= cancelled
                counts["cancelled"] += cancelled
                settled = not any(counts[status] for status in IN_FLIGHT)
                Store.save_batch(
                    conn,
                    batch_id,
                    status="cancelled",
                    status_counts=counts,
                    cancelled_at=now,
                    live=0 if settled else 1,
                    completed_at=now if settled else None,
                )
