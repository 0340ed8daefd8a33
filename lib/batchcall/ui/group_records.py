"""Where Submit keeps each group of numbered batches, and how Progress finds them again.

Why on disk (``work.groups.GroupStore``, the same folder the ``batchcall`` command
uses) and not only in the session: a reload, a second tab or a restart must find
the group to follow it, and a Submit run after a half-failed group must find the
moment its waves were planned, so it asks for exactly the same batches again.

A stored record carries every batch's spreadsheet rows (a 100 MB list: megabytes of
JSON). Progress needs only names, ids and schedules, so it reads a small
``GroupSummary``, parsed once per change of the file for the whole server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from batchcall.settings import data_dir
from batchcall.work.groups import GroupRecord, GroupStore

GROUPS_FOLDER = "groups"
RECENT_GROUPS = 20
WORKSPACE_FIELD = "workspace"


def counted(count: int, word: str) -> str:
    """``"1 batch"``, ``"3 batches"``, ``"2 waves"``: how the pages count a group."""
    plural = f"{word}es" if word.endswith("ch") else f"{word}s"
    return f"{count:,} {word if count == 1 else plural}"


def group_store() -> GroupStore:
    """The data folder's group records (shared with ``batchcall submit``)."""
    return GroupStore(data_dir() / GROUPS_FOLDER)


@dataclass(frozen=True)
class GroupBatch:
    """One batch of a group, as Progress lists it."""

    number: int
    name: str
    batch_id: str | None
    scheduled_at: datetime | None


@dataclass(frozen=True)
class GroupSummary:
    """A group without its rows: enough to follow its batches together."""

    key: str
    name: str
    batches: tuple[GroupBatch, ...]
    workspace: str = ""
    kind: str = ""
    """"waves" or "parts" (empty for a group the command line made)."""
    saved_at: datetime | None = None
    planned_at: datetime | None = None
    """Waves: the moment they were planned from, so a second attempt plans the same ones."""

    @property
    def batch_ids(self) -> list[str]:
        return [batch.batch_id for batch in self.batches if batch.batch_id]

    @property
    def complete(self) -> bool:
        return all(batch.batch_id for batch in self.batches)

    @property
    def label(self) -> str:
        """How the picker names it: unique (the key's start) and fixed for the group's life."""
        saved = f" · {self.saved_at:%Y-%m-%d %H:%M} UTC" if self.saved_at else ""
        count = counted(len(self.batches), "batch")
        return f"{self.name or 'Unnamed'} · {count}{saved} · {self.key[:11]}"


def summarize(record: GroupRecord, key: str, saved_at: datetime | None = None) -> GroupSummary:
    """The record's batches without their rows."""
    batches = tuple(
        GroupBatch(entry.number, entry.name, entry.batch_id, _moment(entry.scheduled_at))
        for entry in record.entries
    )
    extra = record.extra
    return GroupSummary(
        key,
        record.name,
        batches,
        str(extra.get(WORKSPACE_FIELD) or ""),
        str(extra.get("kind") or ""),
        saved_at,
        _moment(str(extra.get("at") or "")),
    )


def load_summary(key: str) -> GroupSummary | None:
    """The kept group ``key``, or None when there is none (or it is damaged)."""
    path = group_store().root / f"{key}.json"
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return _summary_at(str(path), key, stat.st_mtime_ns)


def recent_groups(workspace: str, limit: int = RECENT_GROUPS) -> list[GroupSummary]:
    """The latest groups of ``workspace`` that were created in full, newest first."""
    root = group_store().root
    try:
        files = [entry for entry in os.scandir(root) if entry.name.endswith(".json")]
    except OSError:
        return []
    files.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    found = []
    for entry in files[: limit * 2]:  # a few may be another workspace's, or incomplete
        summary = _summary_at(entry.path, entry.name[: -len(".json")], entry.stat().st_mtime_ns)
        if summary is not None and summary.complete and summary.workspace == workspace:
            found.append(summary)
    return found[:limit]


@st.cache_resource(max_entries=64, show_spinner=False)
def _summary_at(path: str, key: str, mtime_ns: int) -> GroupSummary | None:
    """Parsed once per version of the file for the whole server (immutable, so shared)."""
    record = GroupStore(Path(path).parent).load(key)
    if record is None:
        return None
    return summarize(record, key, datetime.fromtimestamp(mtime_ns / 1e9, UTC))


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
