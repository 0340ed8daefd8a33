"""A group of numbered batches (parts of a large list, or time-zone waves), sent exactly once.

Why each batch has its own key from one base: the platform returns the first
batch for a repeated ``Idempotency-Key``, so if a run fails after batch 2 of 3,
running it again returns batches 1 and 2 as they are and creates only the third.
Keys are ``f"{base}-{n}of{N}"``; the base covers every batch's exact bytes, name
and schedule, so a different split never reuses a key for other rows (which the
platform would refuse as a conflict). A group of one batch keeps the plain
submission key (``work.submission.idempotency_key``), so a small list is the same
request it always was.

The ``GroupRecord`` is what a caller keeps to follow the batches together (JSON,
in a ``GroupStore``): ids, names, schedules and each batch's rows in the
operator's spreadsheet. Nothing here draws or prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from batchcall.api.batches import Batch, iso_utc
from batchcall.api.client import BatchCallClient
from batchcall.checks.waves import WavePlan
from batchcall.contacts import MAX_FILE_BYTES
from batchcall.digests import digest
from batchcall.work.parts import Part, numbered_name, split_rows
from batchcall.work.row_map import RowMap
from batchcall.work.submission import KEY_PREFIX

__all__ = [
    "GroupEntry",
    "GroupItem",
    "GroupRecord",
    "GroupStore",
    "GroupSubmission",
    "group_base_key",
    "item_keys",
    "items_from_parts",
    "items_from_waves",
    "submit_group",
]

MAX_NAME = 200
"""The longest batch name the platform takes."""
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")


@dataclass(frozen=True, eq=False)
class GroupItem:
    """One batch to create: its name, the CSV sent, its row map and when it starts."""

    name: str
    data: bytes = field(repr=False)
    row_map: RowMap = field(repr=False)
    scheduled_at: datetime | None = None
    filename: str = "contacts.csv"


def items_from_parts(
    name: str,
    parts: Sequence[Part],
    *,
    scheduled_at: datetime | None = None,
    stem: str = "contacts",
) -> list[GroupItem]:
    """Parts as batches named ``"<name> (n/N)"`` (the name alone for one part)."""
    return [
        GroupItem(
            _fit(part.label(name)),
            part.data,
            part.row_map,
            scheduled_at,
            f"{stem}.csv" if part.of == 1 else f"{stem}-{part.number}of{part.of}.csv",
        )
        for part in parts
    ]


def items_from_waves(
    name: str,
    rows: pd.DataFrame,
    plan: WavePlan,
    *,
    limit_bytes: int = MAX_FILE_BYTES,
    stem: str = "contacts",
) -> list[GroupItem]:
    """Each wave's rows (taken from ``rows``, indexed by spreadsheet row, as sent) as one
    batch named ``"<name> — Wave 2/4 — <zones> (09:00 local)"``, scheduled at the wave's
    opening; a wave over ``limit_bytes`` becomes numbered parts of it."""
    items = []
    for wave in plan.waves:
        parts = split_rows(rows.loc[wave.rows], limit_bytes=limit_bytes, name=stem)
        for part in parts:
            label = numbered_name(f"{name} — {wave.label}", part.number, part.of)
            filename = f"{stem}-wave{wave.number}of{wave.of}"
            filename += f"-{part.number}of{part.of}.csv" if part.of > 1 else ".csv"
            items.append(
                GroupItem(_fit(label), part.data, part.row_map, wave.scheduled_at, filename)
            )
    return items


def group_base_key(items: Sequence[GroupItem], submission_key: str) -> str:
    """The base of the items' keys: ``submission_key`` (the plain key of the whole list and
    its settings) for one unscheduled item, else a digest of it and every item's exact
    bytes, name and schedule."""
    if len(items) == 1 and items[0].scheduled_at is None:
        return submission_key
    canonical = json.dumps(
        [submission_key]
        + [
            [
                digest(item.data),
                item.name,
                iso_utc(item.scheduled_at) if item.scheduled_at else None,
            ]
            for item in items
        ],
        separators=(",", ":"),
    )
    return KEY_PREFIX + digest(canonical.encode("utf-8"))[:40]


def item_keys(base: str, count: int) -> list[str]:
    """``[f"{base}-1of3", ...]``; ``[base]`` for a group of one."""
    return [base] if count == 1 else [f"{base}-{n}of{count}" for n in range(1, count + 1)]


@dataclass
class GroupEntry:
    """One batch of a group, as kept: enough to follow it and map its calls back."""

    number: int
    name: str
    idempotency_key: str
    scheduled_at: str | None
    rows: list[int]
    """The operator's spreadsheet rows, in the order sent (submitted row 2, 3, …)."""
    batch_id: str | None = None

    @property
    def row_map(self) -> RowMap:
        return RowMap(self.rows)


@dataclass
class GroupRecord:
    """Numbered batches sent together; ``to_dict``/``from_dict`` round-trip through JSON."""

    base_key: str
    name: str
    entries: list[GroupEntry]
    extra: dict[str, Any] = field(default_factory=dict)
    """The caller's own facts (the planning moment of waves, the file), kept as given."""

    @property
    def batch_ids(self) -> list[str]:
        return [entry.batch_id for entry in self.entries if entry.batch_id]

    @property
    def complete(self) -> bool:
        return all(entry.batch_id for entry in self.entries)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupRecord:
        entries = [GroupEntry(**entry) for entry in data["entries"]]
        return cls(data["base_key"], data["name"], entries, dict(data.get("extra") or {}))


@dataclass(frozen=True)
class GroupSubmission:
    """What ``submit_group`` created (or found), in order, and the record to keep."""

    batches: list[Batch]
    record: GroupRecord


def submit_group(
    client: BatchCallClient,
    items: Sequence[GroupItem],
    *,
    base_key: str,
    agent_id: str,
    from_phone_number: str,
    max_concurrent_calls: int | None = None,
    retry_config: dict[str, Any] | None = None,
    name: str = "",
    extra: dict[str, Any] | None = None,
    on_created: Callable[[GroupRecord], None] | None = None,
) -> GroupSubmission:
    """Create each item as a batch, in order, each with its own key from ``base_key``.

    A re-run with the same items and base creates nothing twice: the platform answers
    a repeated key with the batch it made the first time. ``on_created`` sees the
    record after every batch, so a caller can keep it even when a later one fails
    (the error is raised as the client raised it).
    """
    keys = item_keys(base_key, len(items))
    record = GroupRecord(
        base_key,
        name,
        [
            GroupEntry(
                number,
                item.name,
                key,
                _when(item.scheduled_at),
                [item.row_map[row] for row in item.row_map],
            )
            for number, (item, key) in enumerate(zip(items, keys, strict=True), start=1)
        ],
        dict(extra or {}),
    )
    batches = []
    for item, entry in zip(items, record.entries, strict=True):
        batch = client.create_batch(
            (item.filename, item.data),
            agent_id=agent_id,
            from_phone_number=from_phone_number,
            name=item.name or None,
            scheduled_at=item.scheduled_at,
            max_concurrent_calls=max_concurrent_calls,
            retry_config=retry_config,
            idempotency_key=entry.idempotency_key,
        )
        entry.batch_id = batch.id
        batches.append(batch)
        if on_created is not None:
            on_created(record)
    return GroupSubmission(batches, record)


class GroupStore:
    """Group records on disk, one JSON file per base key (checked before it names a path)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def save(self, record: GroupRecord, key: str | None = None) -> None:
        """Keep ``record`` under ``key`` (default: its base key)."""
        path = self._path(key or record.base_key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record.to_dict()))
        temporary.replace(path)  # a reader never sees half a record

    def load(self, key: str) -> GroupRecord | None:
        path = self._path(key)
        try:
            return GroupRecord.from_dict(json.loads(path.read_text())) if path else None
        except (OSError, ValueError, TypeError, KeyError):
            return None  # none kept, or damaged: the caller plans again

    def _path(self, base_key: str) -> Path | None:
        return self.root / f"{base_key}.json" if _SAFE_KEY.match(base_key or "") else None


def _fit(name: str) -> str:
    """A name the platform takes: at most ``MAX_NAME`` characters, the numbering kept."""
    if len(name) <= MAX_NAME:
        return name
    head, tail = name[: MAX_NAME - 12], name[-11:]
    return f"{head}…{tail}"


def _when(moment: datetime | None) -> str | None:
    return iso_utc(moment) if moment is not None else None
