"""The local progress store: what this workbench has seen of each batch, on disk.

The platform reports a batch's counters of *now* and, through its change feed,
the calls that changed since a revision. The Progress page needs more: the
counters over time (the status-over-time chart), every call that has moved (the
calls table, outcomes by column, "call again"), and where the feed was left.
Kept in one SQLite file under the data folder, a reload, a second tab or a
restart draws the same charts without asking the platform for the past again,
and a 120,000-call batch costs the server's memory nothing between refreshes.

Everything is keyed by a *workspace* token (a digest of the base URL and the
key, never the key itself) and the batch id, so two workspaces never mix.
Calls still queued since creation are not in the store: the feed never sends
them (they have not changed); ``queued`` is the batch's total minus the calls kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from batchcall.api.batches import Call, iso_utc, normalize_call_status
from batchcall.digests import digest
from batchcall.sqlite import Database, json_key_path

__all__ = ["CALL_COLUMNS", "CallFilter", "ProgressStore", "workspace_token"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS samples (
    workspace TEXT NOT NULL, batch_id TEXT NOT NULL, at REAL NOT NULL, counts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS samples_by_batch ON samples (workspace, batch_id, at);
CREATE TABLE IF NOT EXISTS calls (
    workspace TEXT NOT NULL, batch_id TEXT NOT NULL, call_id TEXT NOT NULL,
    position INTEGER, row INTEGER, to_phone_number TEXT, status TEXT NOT NULL,
    duration_seconds REAL, end_reason TEXT, ended_at TEXT, metadata TEXT NOT NULL,
    revision INTEGER NOT NULL, sort_row INTEGER NOT NULL,
    PRIMARY KEY (workspace, batch_id, call_id)
);
CREATE INDEX IF NOT EXISTS calls_in_order ON calls (workspace, batch_id, sort_row);
CREATE INDEX IF NOT EXISTS calls_by_status ON calls (workspace, batch_id, status, sort_row);
CREATE TABLE IF NOT EXISTS cursors (
    workspace TEXT NOT NULL, batch_id TEXT NOT NULL, revision INTEGER NOT NULL,
    PRIMARY KEY (workspace, batch_id)
);
"""
SCHEMA_VERSION = 2
CALL_COLUMNS = ["to_phone_number", "status", "duration_seconds", "end_reason", "ended_at"]
"""The fixed columns of a call, after its row and before its variables."""
DIALLED = ("completed", "no_answer", "busy", "failed")
"""Statuses of calls that were placed and ended."""
MAX_SAMPLES = 2_000
"""Past this many samples of one batch, every other old one is dropped: the chart keeps
the whole run at a coarser grain, and the store stays small."""


def workspace_token(base_url: str, api_key: str) -> str:
    """Which workspace a batch belongs to, without keeping the key: a digest of both."""
    return digest(f"{base_url}\n{api_key}".encode())[:32]


@dataclass(frozen=True)
class CallFilter:
    """Which stored calls to show: a status, and/or one uploaded column's value."""

    status: str | None = None
    column: str | None = None
    value: str | None = None
    statuses: tuple[str, ...] = ()
    """Any of these statuses (with ``status``, both must hold)."""

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.status:
            clauses.append("status = ?")
            params.append(str(normalize_call_status(self.status)))
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' * len(self.statuses))})")
            params.extend(str(normalize_call_status(s)) for s in self.statuses)
        if self.column and self.value is not None:
            clauses.append("COALESCE(json_extract(metadata, ?), '') = ?")
            params.extend([json_key_path(self.column), self.value])
        return "".join(f" AND {clause}" for clause in clauses), params


class ProgressStore:
    """One SQLite file, safe to share between the sessions of one server process."""

    def __init__(self, path: Path | str) -> None:
        self._db = Database(path)
        self._lock, self._conn = self._db.lock, self._db.conn
        with self._lock:
            if self._conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                # An older layout: the store is a copy of what the platform has, so it is
                # started again rather than migrated (the feed refills it).
                self._conn.executescript(
                    "DROP TABLE IF EXISTS samples; DROP TABLE IF EXISTS calls; "
                    "DROP TABLE IF EXISTS cursors;"
                )
                self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.transaction()

    def _all(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    # ---- counters over time ------------------------------------------------------------

    def add_sample(
        self, workspace: str, batch_id: str, at: datetime, counts: Mapping[str, int]
    ) -> bool:
        """Record a poll of the counters; False when it repeats the latest (or is older)."""
        merged: dict[str, int] = {}
        for status, count in counts.items():
            key = str(normalize_call_status(str(status)))
            merged[key] = merged.get(key, 0) + int(count or 0)
        moment = _aware(at).timestamp()
        with self._transaction() as conn:
            latest = conn.execute(
                "SELECT at, counts FROM samples WHERE workspace = ? AND batch_id = ? "
                "ORDER BY at DESC LIMIT 1",
                (workspace, batch_id),
            ).fetchone()
            if latest and (moment < latest[0] or json.loads(latest[1]) == merged):
                return False
            conn.execute(
                "INSERT INTO samples VALUES (?, ?, ?, ?)",
                (workspace, batch_id, moment, json.dumps(merged)),
            )
            (kept,) = conn.execute(
                "SELECT COUNT(*) FROM samples WHERE workspace = ? AND batch_id = ?",
                (workspace, batch_id),
            ).fetchone()
            if kept > MAX_SAMPLES:
                self._thin(conn, workspace, batch_id)
        return True

    @staticmethod
    def _thin(conn: sqlite3.Connection, workspace: str, batch_id: str) -> None:
        """Drop every other sample but the first and the latest."""
        conn.execute(
            "DELETE FROM samples WHERE rowid IN (SELECT rowid FROM ("
            " SELECT rowid, ROW_NUMBER() OVER (ORDER BY at) AS n,"
            " COUNT(*) OVER () AS total FROM samples WHERE workspace = ? AND batch_id = ?"
            ") WHERE n % 2 = 0 AND n < total)",
            (workspace, batch_id),
        )

    def samples_frame(self, workspace: str, batch_id: str) -> pd.DataFrame:
        """A ``t`` column (UTC), then one column per status (first seen first), 0 if absent."""
        rows = self._all(
            "SELECT at, counts FROM samples WHERE workspace = ? AND batch_id = ? ORDER BY at",
            (workspace, batch_id),
        )
        parsed = [(at, json.loads(counts)) for at, counts in rows]
        statuses = list(dict.fromkeys(status for _, counts in parsed for status in counts))
        table = pd.DataFrame(
            [[counts.get(status, 0) for status in statuses] for _, counts in parsed],
            columns=statuses,
            dtype="int64",
        )
        table.insert(0, "t", pd.to_datetime([at for at, _ in parsed], unit="s", utc=True))
        return table

    # ---- the calls ---------------------------------------------------------------------

    def cursor(self, workspace: str, batch_id: str) -> int:
        """The revision the change feed was last followed to (0: never)."""
        rows = self._all(
            "SELECT revision FROM cursors WHERE workspace = ? AND batch_id = ?",
            (workspace, batch_id),
        )
        return int(rows[0][0]) if rows else 0

    def save_changes(
        self,
        workspace: str,
        batch_id: str,
        calls: Iterable[Call],
        next_revision: int,
        row_map: Mapping[int, int] | None = None,
    ) -> int:
        """Keep the latest state of each call and move the cursor, all or nothing.

        ``row_map`` turns the platform's rows (those of the submitted file) into the
        operator's spreadsheet rows; without it ``row`` stays empty.
        """
        records = [_record(workspace, batch_id, call, row_map) for call in calls]
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (workspace, batch_id, call_id) DO UPDATE SET "
                "status = excluded.status, duration_seconds = excluded.duration_seconds, "
                "end_reason = excluded.end_reason, ended_at = excluded.ended_at, "
                "row = COALESCE(excluded.row, row), revision = excluded.revision, "
                "sort_row = COALESCE(excluded.row, row, excluded.position) "
                "WHERE excluded.revision >= calls.revision",
                records,
            )
            conn.execute(
                "INSERT INTO cursors VALUES (?, ?, ?) ON CONFLICT (workspace, batch_id) "
                "DO UPDATE SET revision = MAX(revision, excluded.revision)",
                (workspace, batch_id, int(next_revision)),
            )
        return len(records)

    def status_counts(self, workspace: str, batch_id: str) -> dict[str, int]:
        """Kept calls per status (queued calls that never moved are not kept)."""
        rows = self._all(
            "SELECT status, COUNT(*) FROM calls WHERE workspace = ? AND batch_id = ? "
            "GROUP BY status",
            (workspace, batch_id),
        )
        return {str(status): int(count) for status, count in rows}

    def count(self, workspace: str, batch_id: str, where: CallFilter = CallFilter()) -> int:
        extra, params = where.where()
        rows = self._all(
            f"SELECT COUNT(*) FROM calls WHERE workspace = ? AND batch_id = ?{extra}",
            (workspace, batch_id, *params),
        )
        return int(rows[0][0])

    def calls_frame(
        self,
        workspace: str,
        batch_id: str,
        where: CallFilter = CallFilter(),
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Kept calls in spreadsheet-row order: ``row`` (the operator's, or ``submitted_row``
        when no row map was kept), the fixed call columns, then one column per variable."""
        extra, params = where.where()
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._all(
            "SELECT row, position, to_phone_number, status, duration_seconds, end_reason, "
            f"ended_at, metadata FROM calls WHERE workspace = ? AND batch_id = ?{extra} "
            f"ORDER BY sort_row{page}",
            (workspace, batch_id, *params),
        )
        return _calls_table(rows)

    def column_values(
        self, workspace: str, batch_id: str, column: str, top: int = 200
    ) -> list[str]:
        """The most frequent values of one uploaded column among the kept calls."""
        rows = self._all(
            "SELECT COALESCE(json_extract(metadata, ?), '') AS value, COUNT(*) AS n FROM calls "
            "WHERE workspace = ? AND batch_id = ? GROUP BY value ORDER BY n DESC, value LIMIT ?",
            (json_key_path(column), workspace, batch_id, top),
        )
        return [str(value) for value, _ in rows]

    def variables(self, workspace: str, batch_id: str) -> list[str]:
        """The uploaded columns (call variables), from one kept call."""
        rows = self._all(
            "SELECT metadata FROM calls WHERE workspace = ? AND batch_id = ? LIMIT 1",
            (workspace, batch_id),
        )
        return list(json.loads(rows[0][0])) if rows else []

    def outcomes_frame(self, workspace: str, batch_id: str, column: str) -> pd.DataFrame:
        """One row per kept call with just ``column``'s value, its status and duration: all
        that outcomes by column needs, without building the whole calls table."""
        rows = self._all(
            "SELECT COALESCE(json_extract(metadata, ?), ''), status, duration_seconds "
            "FROM calls WHERE workspace = ? AND batch_id = ?",
            (json_key_path(column), workspace, batch_id),
        )
        return pd.DataFrame(rows, columns=[column, "status", "duration_seconds"])

    def ended_per_minute(self, workspace: str, batch_id: str) -> pd.Series:
        """Dialled calls ended in each minute (UTC), from the calls' own end times: exact
        whoever watched when, and over the running period only (cancelled calls were
        never dialled, so the cancel's minute holds none of them)."""
        rows = self._all(
            "SELECT substr(ended_at, 1, 16) AS minute, COUNT(*) FROM calls "
            "WHERE workspace = ? AND batch_id = ? AND ended_at IS NOT NULL "
            f"AND status IN ({', '.join('?' * len(DIALLED))}) GROUP BY minute ORDER BY minute",
            (workspace, batch_id, *DIALLED),
        )
        index = pd.to_datetime([minute for minute, _ in rows], utc=True)
        return pd.Series([int(count) for _, count in rows], index=index, dtype="int64")

    def contacts(self, workspace: str, batch_id: str, where: CallFilter) -> pd.DataFrame:
        """The contacts behind the chosen calls, as a contact list to submit again:
        ``phone_number`` (as the platform dialled it) and the call's variables, in the
        operator's row order; variables keep the order they were uploaded in."""
        extra, params = where.where()
        rows = self._all(
            "SELECT to_phone_number, metadata FROM calls WHERE workspace = ? AND batch_id = ?"
            f"{extra} ORDER BY sort_row",
            (workspace, batch_id, *params),
        )
        records = [
            {"phone_number": number or ""}
            | {key: value for key, value in json.loads(meta).items() if key != "phone_number"}
            for number, meta in rows
        ]
        columns = list(dict.fromkeys(key for record in records for key in record))
        table = pd.DataFrame(records, columns=columns or ["phone_number"], dtype=object)
        return table.fillna("").astype(str)

    def forget(self, workspace: str, batch_id: str) -> None:
        with self._transaction() as conn:
            for table in ("samples", "calls", "cursors"):
                conn.execute(
                    f"DELETE FROM {table} WHERE workspace = ? AND batch_id = ?",
                    (workspace, batch_id),
                )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _record(
    workspace: str, batch_id: str, call: Call, row_map: Mapping[int, int] | None
) -> tuple[object, ...]:
    row = row_map.get(call.position) if row_map is not None and call.position else None
    ended = iso_utc(call.ended_at) if call.ended_at else None
    return (
        workspace, batch_id, call.id, call.position, row, call.to_phone_number,
        str(normalize_call_status(call.status)), call.duration_seconds, call.end_reason,
        ended, json.dumps(call.metadata, ensure_ascii=False), call.revision,
        row if row is not None else (call.position or 0),
    )  # fmt: skip


def _calls_table(rows: list[tuple]) -> pd.DataFrame:
    mapped = any(row[0] is not None for row in rows)
    row_column = "row" if mapped or not rows else "submitted_row"
    variables: dict[str, None] = {}
    records = []
    for row, position, number, status, duration, reason, ended, metadata in rows:
        record: dict[str, object] = {
            row_column: row if mapped else position,
            "to_phone_number": number,
            "status": status,
            "duration_seconds": duration,
            "end_reason": reason,
            "ended_at": ended,
        }
        for name, value in json.loads(metadata).items():
            column = f"var_{name}" if name in (row_column, *CALL_COLUMNS) else str(name)
            variables.setdefault(column, None)
            record[column] = "" if value is None else str(value)
        records.append(record)
    table = pd.DataFrame(records, columns=[row_column, *CALL_COLUMNS, *variables])
    table[row_column] = table[row_column].astype("Int64")
    table["ended_at"] = pd.to_datetime(table["ended_at"], utc=True, errors="coerce")
    return table
