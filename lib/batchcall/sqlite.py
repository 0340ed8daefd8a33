"""One SQLite file shared by the threads of one process: the sandbox's database and the
workbench's progress store both open theirs this way.

Why one connection behind a lock: the server's sessions, the sandbox's request
threads and its simulator all write; SQLite serialises writers anyway, and a
single connection in autocommit mode with explicit ``BEGIN IMMEDIATE``
transactions makes "all or nothing, exclusive with every other user" one
``with`` block. WAL lets readers in other processes (a second server) read meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Database", "json_key_path"]


class Database:
    """A connection (``conn``) and the lock (``lock``) every use of it holds."""

    def __init__(self, path: Path | str, *, rows: bool = False) -> None:
        in_memory = str(path) == ":memory:"
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        if rows:
            self.conn.row_factory = sqlite3.Row
        if not in_memory:
            with self.lock:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing, and exclusive with every other user of the database."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")


def json_key_path(key: str) -> str:
    """The JSON path of one object key, quoted (``$."a key"``): any column name is a key."""
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
