"""Each workspace's do-not-call list on disk, with the day it was uploaded.

Why per workspace and kept: a DNC list belongs to the account that places the
calls, not to one contact file, and it must outlive a browser session. Why the
upload date: a list must be scrubbed again regularly (the FTC's rule is every
31 days), so an old one is flagged rather than trusted. The entries are kept as
written (not as E.164) because numbers without a country code are read
relative to the route, which may change after the upload. Files are named by
the workspace token (a digest), never by anything secret.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from batchcall.digests import digest

__all__ = ["MAX_AGE", "DncList", "DncStore"]

MAX_AGE = timedelta(days=31)
"""Older than this, a list is out of date (the FTC's scrub interval)."""
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class DncList:
    """One workspace's list: the entries as uploaded, where from and when."""

    filename: str
    uploaded_at: datetime
    entries: tuple[str, ...]
    digest: str
    """Of the entries: a cache key for the checks that use them."""

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or datetime.now(UTC)) - self.uploaded_at

    def is_stale(self, now: datetime | None = None) -> bool:
        return self.age(now) > MAX_AGE


class DncStore:
    """One JSON file per workspace under ``root``; tokens are checked before use as names."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def save(
        self,
        workspace: str,
        filename: str,
        entries: list[str] | tuple[str, ...],
        uploaded_at: datetime | None = None,
    ) -> DncList:
        """Keep ``entries`` as the workspace's list, replacing any earlier one."""
        path = self._path(workspace)
        moment = (uploaded_at or datetime.now(UTC)).astimezone(UTC)
        kept = DncList(filename, moment, tuple(entries), _entries_digest(entries))
        record = {"filename": filename, "uploaded_at": moment.isoformat(), "entries": kept.entries}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(record), encoding="utf-8")
        os.replace(partial, path)  # a reader never sees half a list
        return kept

    def load(self, workspace: str) -> DncList | None:
        """The workspace's list, or None when there is none (or it is damaged)."""
        try:
            record = json.loads(self._path(workspace).read_text(encoding="utf-8"))
            entries = tuple(str(entry) for entry in record["entries"])
            moment = datetime.fromisoformat(record["uploaded_at"]).astimezone(UTC)
            return DncList(str(record["filename"]), moment, entries, _entries_digest(entries))
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def stamp(self, workspace: str) -> tuple[int, int, int] | None:
        """(file id, modified time, size) of the stored list: a cheap key to reload it only
        when it changed (every save writes a new file, so two saves within the clock's
        resolution still differ)."""
        try:
            stat = self._path(workspace).stat()
        except OSError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def remove(self, workspace: str) -> None:
        self._path(workspace).unlink(missing_ok=True)

    def _path(self, workspace: str) -> Path:
        if not _TOKEN.match(workspace or ""):
            raise ValueError(f"not a workspace token: {workspace!r}")
        return self.root / f"{workspace}.json"


def _entries_digest(entries: list[str] | tuple[str, ...]) -> str:
    return digest("\n".join(entries).encode("utf-8"))
