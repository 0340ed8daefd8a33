"""Typed views of the platform's batches, calls and list pages.

Why a module of its own: the platform speaks several dialects (``total_leads`` or
``total_calls``, ``no-answer`` or ``no_answer``, legacy ``queued``/``processing``)
and may add statuses nobody has seen yet. These models absorb the dialects once,
so the UI compares against one vocabulary, and they pass anything unknown
through as plain text instead of crashing a progress page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from batchcall.api.errors import ApiResponseError

_CONTENT_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}
FileInput = str | os.PathLike[str] | bytes | tuple[str, bytes]


class BatchState(StrEnum):
    """The batch lifecycle the UI reasons about; legacy spellings map onto it."""

    INITIATED = "initiated"
    DRAFT = "draft"
    ACTIVE = "active"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class CallState(StrEnum):
    """One spelling per call outcome, so two spellings never split a chart's bar."""

    QUEUED = "queued"
    CREATED = "created"
    INITIATED = "initiated"
    SENT = "sent"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_BATCH_STATES = frozenset({BatchState.COMPLETED, BatchState.CANCELLED, BatchState.FAILED})
# Calls not ended yet: a cancelled batch goes on until none is left (calls in flight finish).
PENDING_CALL_STATES = frozenset(
    {
        CallState.QUEUED,
        CallState.CREATED,
        CallState.INITIATED,
        CallState.SENT,
        CallState.RECEIVED,
        CallState.IN_PROGRESS,
    }
)

_BATCH_ALIASES = {
    "queued": BatchState.ACTIVE,  # legacy: accepted, waiting for its turn
    "processing": BatchState.RUNNING,  # legacy: dialing
    "in_progress": BatchState.RUNNING,
    "canceled": BatchState.CANCELLED,
}
_CALL_ALIASES = {
    "did_not_pick": CallState.NO_ANSWER,
    "did_not_pick_up": CallState.NO_ANSWER,
    "canceled": CallState.CANCELLED,
}


def _lookup(raw: str, states: type[StrEnum], aliases: dict[str, Any]) -> StrEnum | str:
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    if key in aliases:
        return aliases[key]
    try:
        return states(key)
    except ValueError:
        return raw  # unknown: shown as the platform said it


def normalize_batch_status(raw: str) -> BatchState | str:
    """A known :class:`BatchState`, or ``raw`` unchanged when the status is new to us."""
    return _lookup(raw, BatchState, _BATCH_ALIASES)  # type: ignore[return-value]


def normalize_call_status(raw: str) -> CallState | str:
    """A known :class:`CallState` (``no-answer`` → ``no_answer``), or ``raw`` unchanged."""
    return _lookup(raw, CallState, _CALL_ALIASES)  # type: ignore[return-value]


def _parse_time(value: Any) -> datetime | None:
    """ISO 8601 with or without millis, ``Z`` or an offset; naive means UTC (the contract's zone).

    Lenient on purpose: an odd timestamp should blank one cell, not break a page.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


Timestamp = Annotated[datetime | None, BeforeValidator(_parse_time)]
Count = Annotated[int, BeforeValidator(lambda value: 0 if value is None else value)]
Text = Annotated[str, BeforeValidator(lambda value: "" if value is None else str(value))]


class _ApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Batch(_ApiModel):
    """A batch as the platform reports it: ``status`` verbatim, ``state`` normalised."""

    id: str
    name: str | None = None
    status: Text = ""
    total_leads: Count = Field(0, validation_alias=AliasChoices("total_leads", "total_calls"))
    completed: Count = Field(0, validation_alias=AliasChoices("completed", "completed_calls"))
    failed: Count = Field(0, validation_alias=AliasChoices("failed", "failed_calls"))
    agent_id: str | None = None
    from_phone_number: str | None = None
    max_concurrent_calls: int | None = None
    created_at: Timestamp = None
    scheduled_at: Timestamp = None
    started_at: Timestamp = None
    completed_at: Timestamp = None
    cancelled_at: Timestamp = None
    status_counts: dict[str, int] | None = None

    @property
    def state(self) -> BatchState | str:
        return normalize_batch_status(self.status)

    @property
    def is_finished(self) -> bool:
        """True once nothing will change: completed or failed, or cancelled and settled.

        A cancelled batch still has its calls in flight finishing; it is settled once
        ``completed_at`` is set or ``status_counts`` shows no call pending. A platform
        that says neither is taken at its word: cancelled is all it will tell.
        """
        if self.state not in FINISHED_BATCH_STATES:
            return False
        if self.state != BatchState.CANCELLED or self.completed_at is not None:
            return True
        return not any(
            count > 0 and normalize_call_status(raw) in PENDING_CALL_STATES
            for raw, count in (self.status_counts or {}).items()
        )

    def status_counts_or_derived(self) -> dict[str, int]:
        """Calls per normalised status; derived from the counters when the platform omits them.

        The derived form has ``completed``, ``failed`` and ``pending`` (neither yet).
        """
        if self.status_counts:
            counts: dict[str, int] = {}
            for raw, count in self.status_counts.items():
                key = str(normalize_call_status(raw))
                counts[key] = counts.get(key, 0) + count
            return counts
        pending = max(self.total_leads - self.completed - self.failed, 0)
        return {"completed": self.completed, "failed": self.failed, "pending": pending}


def _call_status(value: Any) -> str:
    return "" if value is None else str(normalize_call_status(str(value)))


class Call(_ApiModel):
    """One call of a batch; ``status`` is normalised (unknown statuses pass through)."""

    id: str
    batch_id: str | None = None
    position: int | None = None
    agent_id: str | None = None
    to_phone_number: str | None = None
    from_phone_number: str | None = None
    status: Annotated[str, BeforeValidator(_call_status)] = ""
    duration_seconds: float | None = None
    metadata: Annotated[dict[str, Any], BeforeValidator(lambda value: value or {})] = Field(
        default_factory=dict
    )
    created_at: Timestamp = None
    ended_at: Timestamp = None
    end_reason: str | None = None
    revision: int = 0
    """Extension: where this call's latest change sits in its batch's change feed."""

    @property
    def state(self) -> CallState | str:
        return normalize_call_status(self.status)


class CallChanges(_ApiModel):
    """Extension: one page of a batch's change feed (``GET /batch-calls/{id}/changes``)."""

    data: list[Call] = Field(default_factory=list)
    next_revision: int = 0
    """Where the next page starts (``after``)."""
    remaining: int = 0
    """Changes waiting after this page."""


class PageMeta(_ApiModel):
    page: int = 1
    limit: int = 0
    total: int = 0
    totalPages: int = Field(1, validation_alias=AliasChoices("totalPages", "total_pages"))

    @model_validator(mode="before")
    @classmethod
    def _derive_total_pages(cls, data: Any) -> Any:
        """A meta with ``total`` and ``limit`` but no ``totalPages`` still walks every page."""
        if isinstance(data, dict) and not {"totalPages", "total_pages"} & data.keys():
            total, limit = data.get("total"), data.get("limit")
            if isinstance(total, int) and isinstance(limit, int) and limit > 0:
                return {**data, "totalPages": -(-total // limit)}
        return data


ItemT = TypeVar("ItemT", bound=BaseModel)


class Page(_ApiModel, Generic[ItemT]):
    """One page of a list endpoint: ``data`` plus the contract's ``meta``."""

    data: list[ItemT] = Field(default_factory=list)
    meta: PageMeta = Field(default_factory=PageMeta)

    @property
    def has_next(self) -> bool:
        return self.meta.page < self.meta.totalPages


def parse_page(item_model: type[ItemT], payload: Any, *, page: int, limit: int) -> Page[ItemT]:
    """Build a ``Page`` even from a bare list or a body without ``meta`` (one page, then)."""
    if isinstance(payload, list):
        payload = {"data": payload}
    if not isinstance(payload, dict):
        raise TypeError(f"expected a JSON object with 'data', got {type(payload).__name__}")
    if not isinstance(payload.get("meta"), dict):
        items = payload.get("data") or []
        payload = {
            **payload,
            "meta": {"page": page, "limit": limit, "total": len(items), "totalPages": page},
        }
    return Page[item_model].model_validate(payload)  # type: ignore[valid-type]


MAX_PAGES = 20_000
"""More pages than any batch has (2 million calls at 100 a page): a server past it is looping."""


def walk_pages(fetch_page: Callable[[int], Page[ItemT]]) -> Iterator[ItemT]:
    """Items of page 1, 2, ... until ``meta.totalPages``; a page that is empty or brings
    nothing new (a server ignoring ``?page``) ends the walk, and past ``MAX_PAGES`` it
    stops with an ``ApiResponseError`` rather than loop for ever."""
    seen: set[object] = set()
    for page in range(1, MAX_PAGES + 1):
        result = fetch_page(page)
        keys = [_identity(item) for item in result.data]
        fresh = [item for item, key in zip(result.data, keys, strict=True) if key not in seen]
        seen.update(keys)
        yield from fresh
        if not fresh or not result.has_next:
            return
    raise ApiResponseError(
        f"The platform kept paging: more than {MAX_PAGES:,} pages, each with new items. "
        "Stopped there; narrow the listing (a batch, a status or a time range)."
    )


def _identity(item: object) -> object:
    """What tells two listed items apart: their id, else everything they hold."""
    ident = getattr(item, "id", None)
    if ident:
        return ("id", ident)
    dump = item.model_dump_json() if isinstance(item, BaseModel) else repr(item)
    return ("dump", dump)


def iso_utc(moment: datetime | str) -> str:
    """The contract's form, ``2024-03-01T10:00:00.000Z``; a naive datetime is taken as UTC."""
    if isinstance(moment, str):
        return moment
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def file_part(file: FileInput) -> tuple[str, bytes, str]:
    """The create form's ``file`` as (name, bytes, content type); bare bytes go as contacts.csv."""
    if isinstance(file, tuple):
        filename, content = str(file[0]), bytes(file[1])
    elif isinstance(file, bytes | bytearray | memoryview):
        filename, content = "contacts.csv", bytes(file)
    else:
        path = Path(file)
        filename, content = path.name, path.read_bytes()
    content_type = _CONTENT_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
    return filename, content, content_type
