"""The submission: the key that makes sending it twice harmless, and a refusal in the
operator's own rows.

The file sent is ``work.sending.sent_csv`` (the passing rows minus those the
pre-launch checks leave out) with its submitted row -> original row map; the
platform numbers the rows of what it received, so a 400 is mapped back through
that map before anyone reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from batchcall.api.batches import iso_utc
from batchcall.api.errors import BatchValidationError, ValidationGroup
from batchcall.digests import digest
from batchcall.work.row_map import FIRST_ROW, RowMap

KEY_PREFIX = "wb-"
_BATCH_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")


class RejectedGroup(NamedTuple):
    """Rows the platform refused for one reason (and country), numbered as in the original file."""

    reason: str
    country: str | None
    original_rows: list[int]


def idempotency_key(
    *,
    file_digest: str,
    content_digest: str,
    agent_id: str,
    from_phone_number: str,
    name: str | None,
    scheduled_at: datetime | str | None,
    max_concurrent_calls: int,
    retry_config: Mapping[str, Any] | None,
    exclusions: str = "",
) -> str:
    """The same submission always gets the same key, so a repeat returns the first batch.

    ``content_digest`` is the SHA-256 of the exact bytes sent: unlike a table
    version it can not collide between two browser sessions that edited the same
    file differently, and it survives a refresh that rebuilds the table.
    ``exclusions`` names the rows the pre-launch checks left out (``checks.fates``):
    another choice there is another request even where the bytes happen to match.
    """
    fields = {
        "file": file_digest,
        "content": content_digest,
        "agent": agent_id,
        "from": from_phone_number,
        "name": name or "",
        "scheduled_at": iso_utc(scheduled_at) if scheduled_at is not None else None,
        "max_concurrent_calls": int(max_concurrent_calls),
        "retry": dict(sorted(retry_config.items())) if retry_config else None,
    }
    if exclusions:  # absent when nothing is left out: such keys stay as they were
        fields["excluded"] = exclusions
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return KEY_PREFIX + digest(canonical.encode("utf-8"))[:40]


def map_rejected_rows(
    error_or_groups: BatchValidationError | Sequence[ValidationGroup],
    row_map: Mapping[int, int],
) -> list[RejectedGroup]:
    """The platform's row numbers (of the submitted file) as the operator's original rows.

    A group may list fewer rows than its ``count`` (the platform may truncate);
    then the error's full row list fills it in where the reason has one group.
    Rows the submitted file does not have are left out rather than guessed.
    """
    if isinstance(error_or_groups, BatchValidationError):
        groups, failed_rows = error_or_groups.groups, error_or_groups.rows
    else:
        groups, failed_rows = list(error_or_groups), []
    per_reason = _count_groups_per_reason(groups)
    mapped = []
    for group in groups:
        rows = set(group.rows)
        if len(rows) < group.count and per_reason[group.reason] == 1:
            rows |= {row.position for row in failed_rows if row.reason == group.reason}
        original = sorted({row_map[row] for row in rows if row in row_map})
        mapped.append(RejectedGroup(group.reason, group.country, original))
    return mapped


def rejected_rows(groups: Sequence[RejectedGroup]) -> list[int]:
    """Every original row in any group, ascending, once."""
    return sorted({row for group in groups for row in group.original_rows})


def _count_groups_per_reason(groups: Sequence[ValidationGroup]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for group in groups:
        counts[group.reason] = counts.get(group.reason, 0) + 1
    return counts


class RowMapStore:
    """Each submitted batch's map from the rows the platform numbers (those of the file it
    received) to the operator's own spreadsheet rows, on disk: a reload, a second tab or
    a restart shows calls by the operator's rows still. Paths come from checked ids only."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def save(self, batch_id: str, row_map: Mapping[int, int]) -> None:
        """Written as the list of original rows when the submitted rows run from 2 without
        gaps (every map the workbench makes): 120,000 rows in ~10 ms, not a dict of
        strings in ~0.1 s. Any other map is written as pairs."""
        path = self._path(batch_id)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        compact = RowMap.of(row_map)
        if isinstance(compact, RowMap):
            body: object = {"first": FIRST_ROW, "rows": compact.originals.tolist()}
        else:
            body = {str(k): int(v) for k, v in row_map.items()}
        path.write_text(json.dumps(body))

    def load(self, batch_id: str) -> Mapping[int, int] | None:
        path = self._path(batch_id)
        try:
            stored = json.loads(path.read_text()) if path is not None else None
            if isinstance(stored, dict) and stored.get("first") == FIRST_ROW:
                rows = stored["rows"]
                return RowMap([int(row) for row in rows]) if rows else None
            return {int(k): int(v) for k, v in stored.items()} if stored else None
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return None  # none kept, or damaged: the calls keep the submitted file's rows

    def _path(self, batch_id: str) -> Path | None:
        return self.root / f"{batch_id}.json" if _BATCH_ID.match(batch_id or "") else None
