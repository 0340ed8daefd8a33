"""SQLite state of the sandbox: batches, their calls, and idempotency keys.

One connection for every change, shared by the request threads and the simulator,
guarded by a re-entrant lock (``check_same_thread=False``); every change happens in
one transaction, so a read never sees ``status_counts`` that do not sum to
``total_leads``. A file database is read through a second connection (WAL lets it
read the last commit while a change is being written): a page that reads one batch
never waits for another batch's create, which writes 120,000 calls in ~0.7 s, or for
the simulator's tick. All SQL is constant text with ``?`` parameters: nothing from a
request is ever spliced into a statement. A file database survives restarts;
``:memory:`` lives as long as the app.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from batchcall.sandbox.schemas import CALL_STATUSES
from batchcall.sqlite import Database, json_key_path

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    name TEXT,
    status TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    from_phone_number TEXT NOT NULL,
    total_leads INTEGER NOT NULL,
    max_concurrent_calls INTEGER NOT NULL,
    retry_config TEXT,
    rng_seed INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL,
    status_counts TEXT NOT NULL,
    live INTEGER NOT NULL DEFAULT 1,
    created_at REAL NOT NULL,
    scheduled_at REAL,
    started_at REAL,
    completed_at REAL,
    cancelled_at REAL
);
CREATE INDEX IF NOT EXISTS batches_newest ON batches (created_at DESC);
CREATE INDEX IF NOT EXISTS batches_live ON batches (live);
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches (id),
    position INTEGER NOT NULL,
    agent_id TEXT NOT NULL,
    from_phone_number TEXT NOT NULL,
    to_phone_number TEXT NOT NULL,
    metadata TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL,
    phase_ends_at REAL,
    created_at REAL NOT NULL,
    started_at REAL,
    ended_at REAL,
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    end_reason TEXT,
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS calls_by_batch ON calls (batch_id, position);
CREATE INDEX IF NOT EXISTS calls_queue ON calls (batch_id, status, not_before, position);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches (id),
    fingerprint TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""

_BATCH_COLUMNS = (
    "id, name, status, agent_id, from_phone_number, total_leads, max_concurrent_calls, "
    "retry_config, rng_seed, file_sha256, status_counts, live, created_at, scheduled_at"
)
# A chunk of new calls, expanded by SQLite: ``value`` is one call's variables with its row
# and number, ``key`` its place in the chunk; ids are the batch's prefix and the call's place
# in the batch.
_INSERT_CALLS = """
INSERT INTO calls (id, batch_id, position, agent_id, from_phone_number, to_phone_number,
                   metadata, status, not_before, created_at)
SELECT printf('%s%012x', :prefix, :first + key), :batch_id, json_extract(value, :row_path),
       :agent_id, :from_phone_number, json_extract(value, :to_path),
       json_remove(value, :row_path, :to_path), 'queued', :not_before, :created_at
FROM json_each(:chunk)
"""
# Only changed calls (revision > 0) enter this index: a new batch's calls add nothing to it.
_CHANGES_INDEX = (
    "CREATE INDEX IF NOT EXISTS calls_changes ON calls (batch_id, revision) WHERE revision > 0"
)
_SIM_COLUMNS = (
    "status, attempts, not_before, phase_ends_at, started_at, ended_at, duration_seconds, "
    "end_reason"
)
# Fixed WHERE fragments for the calls list; only their values come from the request.
_CALL_FILTERS = {
    "batch_id": "batch_id = ?",
    "status": "status = ?",
    "agent_id": "agent_id = ?",
    "from_phone_number": "from_phone_number = ?",
    "to_phone_number": "to_phone_number = ?",
    "created_from": "created_at >= ?",
    "created_to": "created_at < ?",
}


class BatchNotFound(LookupError):
    pass


class BatchFinished(RuntimeError):
    """The batch already completed or was cancelled."""


@dataclass(frozen=True)
class NewCalls:
    """A new batch's queued calls, as :meth:`Store.create_batch` writes them.

    ``chunks`` yields (offset of the chunk's first call, JSON array of one object per call:
    its variables, its spreadsheet row under ``row_key`` and its E.164 number under
    ``to_key``, two names none of the variables has). A call's id is ``id_prefix``
    (random, one per batch) then its place in the batch in hex: unique and opaque, and a
    batch's calls enter the id index in order (a quarter less time than random ids).
    """

    id_prefix: str
    not_before: float
    chunks: Iterable[tuple[int, str]]
    row_key: str = "__row__"
    to_key: str = "__to__"


@dataclass
class SimCall:
    """The simulator's view of one call (the columns it changes)."""

    id: str
    position: int
    status: str
    attempts: int
    not_before: float
    phase_ends_at: float | None
    started_at: float | None
    ended_at: float | None
    duration_seconds: int
    end_reason: str | None


def empty_counts(queued: int = 0) -> dict[str, int]:
    return {status: (queued if status == "queued" else 0) for status in CALL_STATUSES}


class Store:
    def __init__(self, path: Path | str) -> None:
        self._db = Database(path, rows=True)
        self.lock, self._conn = self._db.lock, self._db.conn
        with self.lock:
            self._conn.executescript(SCHEMA)
            self._migrate()
            self._conn.execute(_CHANGES_INDEX)
            found = self._conn.execute("SELECT MAX(revision) FROM calls").fetchone()[0]
            self._revision = int(found or 0)
        self._reads = self._db if str(path) == ":memory:" else Database(path, rows=True)

    def _migrate(self) -> None:
        """Databases written before calls had a ``revision``: add it (0, "never changed")."""
        columns = {row["name"] for row in self._conn.execute("PRAGMA table_info(calls)")}
        if "revision" not in columns:
            self._conn.execute("ALTER TABLE calls ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
        found = self._conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'calls_changes'"
        ).fetchone()
        if found is not None and "WHERE" not in found[0].upper():  # the older, full index
            self._conn.execute("DROP INDEX calls_changes")

    def next_revisions(self, count: int) -> int:
        """Reserve ``count`` revisions; returns the first. Call inside ``transaction()``.

        Why a counter and not a time: one simulator tick changes many calls at the same
        instant, so times can not order them; a feed that resumes "after revision N"
        neither skips nor repeats a change.
        """
        first = self._revision + 1
        self._revision += count
        return first

    def close(self) -> None:
        if self._reads is not self._db:
            self._reads.close()
        self._db.close()

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection to read from; every statement inside sees the same commit."""
        with self._reads.lock:
            conn = self._reads.conn
            if self._reads is self._db:  # in memory: one connection, behind the one lock
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """All-or-nothing, and exclusive with every other user of the store."""
        return self._db.transaction()

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._snapshot() as conn:
            return conn.execute(sql, tuple(params)).fetchall()

    # ---- batches --------------------------------------------------------------------------

    def create_batch(
        self,
        batch: dict[str, Any],
        calls: NewCalls,
        idempotency_key: str | None,
        fingerprint: str = "",
    ) -> tuple[str, bool]:
        """Insert a batch with its calls; (existing id, False) when the key was used before."""
        with self.transaction() as conn:
            if idempotency_key is not None:
                row = conn.execute(
                    "SELECT batch_id FROM idempotency_keys WHERE key = ?", (idempotency_key,)
                ).fetchone()
                if row is not None:
                    return row["batch_id"], False
            values = [batch[column.strip()] for column in _BATCH_COLUMNS.split(",")]
            conn.execute(
                f"INSERT INTO batches ({_BATCH_COLUMNS}) VALUES ({', '.join('?' * len(values))})",
                values,
            )
            common = {
                "prefix": calls.id_prefix,
                "batch_id": batch["id"],
                "agent_id": batch["agent_id"],
                "from_phone_number": batch["from_phone_number"],
                "not_before": calls.not_before,
                "created_at": batch["created_at"],
                "row_path": json_key_path(calls.row_key),
                "to_path": json_key_path(calls.to_key),
            }
            for first, chunk in calls.chunks:
                conn.execute(_INSERT_CALLS, {**common, "first": first, "chunk": chunk})
            if idempotency_key is not None:
                conn.execute(
                    "INSERT INTO idempotency_keys (key, batch_id, fingerprint, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (idempotency_key, batch["id"], fingerprint, batch["created_at"]),
                )
        return batch["id"], True

    def batch_for_key(self, idempotency_key: str) -> tuple[str, str] | None:
        """(batch id, request fingerprint) of the first request with this key."""
        rows = self._query(
            "SELECT batch_id, fingerprint FROM idempotency_keys WHERE key = ?", (idempotency_key,)
        )
        return (rows[0]["batch_id"], rows[0]["fingerprint"]) if rows else None

    def get_batch(self, batch_id: str) -> sqlite3.Row | None:
        rows = self._query("SELECT * FROM batches WHERE id = ?", (batch_id,))
        return rows[0] if rows else None

    def list_batches(
        self, *, page: int, limit: int, status: str | None = None
    ) -> tuple[list[sqlite3.Row], int]:
        """Newest first."""
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        with self._snapshot() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM batches {where}", params).fetchone()
            rows = conn.execute(
                f"SELECT * FROM batches {where} ORDER BY created_at DESC, rowid DESC "
                "LIMIT ? OFFSET ?",
                [*params, limit, (page - 1) * limit],
            ).fetchall()
        return rows, int(total[0])

    def live_batch_ids(self) -> list[str]:
        return [row["id"] for row in self._query("SELECT id FROM batches WHERE live = 1")]

    # ---- calls ----------------------------------------------------------------------------

    def list_calls(
        self, filters: dict[str, Any], *, page: int, limit: int
    ) -> tuple[list[sqlite3.Row], int]:
        """Newest batch first, then by spreadsheet row; ``filters`` keys are ``_CALL_FILTERS``."""
        clauses = [_CALL_FILTERS[key] for key, value in filters.items() if value is not None]
        params = [value for value in filters.values() if value is not None]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        # One batch: walk its (batch_id, position) index instead of sorting every call.
        order = "position" if filters.get("batch_id") else "created_at DESC, batch_id, position"
        with self._snapshot() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM calls {where}", params).fetchone()
            rows = conn.execute(
                f"SELECT * FROM calls {where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, limit, (page - 1) * limit],
            ).fetchall()
        return rows, int(total[0])

    # ---- the simulator's statements (run inside its transactions) ---------------------------

    @staticmethod
    def batch_row(conn: sqlite3.Connection, batch_id: str) -> sqlite3.Row | None:
        return conn.execute("SELECT * FROM batches WHERE id = ?", (batch_id,)).fetchone()

    @staticmethod
    def in_flight_calls(conn: sqlite3.Connection, batch_id: str) -> list[SimCall]:
        rows = conn.execute(
            f"SELECT id, position, {_SIM_COLUMNS} FROM calls "
            "WHERE batch_id = ? AND status IN ('initiated', 'in-progress')",
            (batch_id,),
        ).fetchall()
        return [SimCall(**dict(row)) for row in rows]

    @staticmethod
    def queued_calls(
        conn: sqlite3.Connection, batch_id: str, after: tuple[float, int], until: float, limit: int
    ) -> list[SimCall]:
        """Queued calls due by ``until``, in (not_before, position) order, after a cursor."""
        rows = conn.execute(
            f"SELECT id, position, {_SIM_COLUMNS} FROM calls "
            "WHERE batch_id = ? AND status = 'queued' AND (not_before, position) > (?, ?) "
            "AND not_before <= ? ORDER BY not_before, position LIMIT ?",
            (batch_id, after[0], after[1], until, limit),
        ).fetchall()
        return [SimCall(**dict(row)) for row in rows]

    def save_calls(self, conn: sqlite3.Connection, calls: Iterable[SimCall]) -> None:
        """Write the calls the simulator changed, each with a fresh revision."""
        changed = list(calls)
        first = self.next_revisions(len(changed))
        conn.executemany(
            "UPDATE calls SET status = ?, attempts = ?, not_before = ?, phase_ends_at = ?, "
            "started_at = ?, ended_at = ?, duration_seconds = ?, end_reason = ?, revision = ? "
            "WHERE id = ?",
            [
                (
                    c.status,
                    c.attempts,
                    c.not_before,
                    c.phase_ends_at,
                    c.started_at,
                    c.ended_at,
                    c.duration_seconds,
                    c.end_reason,
                    first + offset,
                    c.id,
                )
                for offset, c in enumerate(changed)
            ],
        )

    @staticmethod
    def save_batch(conn: sqlite3.Connection, batch_id: str, **changes: Any) -> None:
        """Update the simulator-owned columns of one batch."""
        allowed = ("status", "status_counts", "started_at", "completed_at", "cancelled_at", "live")
        unknown = set(changes) - set(allowed)
        if unknown:
            raise ValueError(f"not simulator-owned: {sorted(unknown)}")
        if "status_counts" in changes:
            changes["status_counts"] = json.dumps(changes["status_counts"])
        columns = [column for column in allowed if column in changes]
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.execute(
            f"UPDATE batches SET {assignments} WHERE id = ?",
            [*(changes[column] for column in columns), batch_id],
        )

    def cancel_queued(self, conn: sqlite3.Connection, batch_id: str, now: float) -> int:
        """Queued calls -> cancelled; revisions follow the spreadsheet rows (unique in a batch)."""
        (last,) = conn.execute(
            "SELECT MAX(position) FROM calls WHERE batch_id = ?", (batch_id,)
        ).fetchone()
        base = self.next_revisions(int(last or 0) + 1) - 1
        cursor = conn.execute(
            "UPDATE calls SET status = 'cancelled', ended_at = ?, phase_ends_at = NULL, "
            "revision = ? + position WHERE batch_id = ? AND status = 'queued'",
            (now, base, batch_id),
        )
        return cursor.rowcount

    def changed_calls(self, batch_id: str, after: int, limit: int) -> tuple[list[sqlite3.Row], int]:
        """Calls of a batch changed after revision ``after``, oldest change first, and the
        number of such changes left after this page."""
        with self._snapshot() as conn:
            rows = conn.execute(
                "SELECT * FROM calls WHERE batch_id = ? AND revision > 0 AND revision > ? "
                "ORDER BY revision LIMIT ?",
                (batch_id, after, limit),
            ).fetchall()
            last = rows[-1]["revision"] if rows else after
            (left,) = conn.execute(
                "SELECT COUNT(*) FROM calls WHERE batch_id = ? AND revision > 0 AND revision > ?",
                (batch_id, last),
            ).fetchone()
        return rows, int(left)
