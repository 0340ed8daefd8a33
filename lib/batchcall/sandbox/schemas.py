"""The wire shapes the sandbox serves, as pydantic models for FastAPI's OpenAPI.

They document the contract (``batch-calls-api.md``) and filter responses: the
create answer carries exactly the contract's eight fields, a read adds the rest.
Times are ISO 8601 UTC strings with milliseconds (:func:`iso`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from batchcall.api.batches import iso_utc

CALL_STATUSES = (
    "queued",
    "initiated",
    "in-progress",
    "completed",
    "no_answer",
    "busy",
    "failed",
    "cancelled",
)
IN_FLIGHT = ("initiated", "in-progress")
FAILED_OUTCOMES = ("no_answer", "busy", "failed")
FINISHED_BATCH = ("completed", "cancelled")


_TIME = {"type": "string", "maxLength": 64, "format": "date-time"}
MOMENT_SCHEMA = {"anyOf": [_TIME]}
"""An optional form field holding an RFC 3339 time (a form has no null: leave it out)."""
BOUND_SCHEMA = {
    "anyOf": [
        _TIME,
        {"type": "string", "maxLength": 64, "pattern": r"^\+"},
        {"type": "string", "maxLength": 0},
    ]
}
"""A ``from``/``to`` filter: such a time, a phone number starting with ``+``, or blank (none)."""


def parse_moment(text: str) -> datetime:
    """An RFC 3339 / ISO 8601 time, aware (UTC when it names no zone); ValueError otherwise.

    Lenient where RFC 3339 is and Python is not: lower-case ``t``/``z``, a leap second.
    """
    text = text.strip().upper()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text.replace(":60", ":59", 1))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    moment.astimezone(UTC)  # OverflowError for a moment outside the calendar once in UTC
    return moment


def iso(timestamp: float | None) -> str | None:
    """Epoch seconds -> ``2024-03-01T10:00:00.000Z``."""
    if timestamp is None:
        return None
    try:
        return iso_utc(datetime.fromtimestamp(timestamp, UTC))
    except (OverflowError, ValueError, OSError):  # stored by an older sandbox: show nothing
        return None


class ErrorBody(BaseModel):
    """Every error: ``message`` is a list when several fields fail."""

    statusCode: int = Field(examples=[404])
    message: str | list[str] = Field(examples=["Batch batch_123 not found"])
    error: str = Field(examples=["Not Found"])


class ValidationGroup(BaseModel):
    reason: str = Field(examples=["unsupported_destination_country"])
    country: str | None = Field(None, examples=["GB"])
    count: int
    rows: list[int] = Field(description="Spreadsheet rows (header = row 1), ascending.")


class FailedRow(BaseModel):
    position: int = Field(description="Spreadsheet row (header = row 1).")
    phone_number: str
    failed_parsing_reason: str


class ValidationDetails(BaseModel):
    groups: list[ValidationGroup]
    rows: list[FailedRow]


class BadRequestBody(ErrorBody):
    """400: a missing or malformed field, a refused file, or failed destination validation."""

    details: ValidationDetails | None = Field(
        None, description="Present when rows failed destination validation."
    )


class RetryConfig(BaseModel):
    """Retries of calls that ended ``no_answer`` or ``busy``."""

    model_config = ConfigDict(extra="forbid")

    max_retries: int = Field(0, ge=0, le=5)
    retry_interval_minutes: int = Field(60, ge=0, le=7 * 24 * 60, description="Whole minutes.")


class BatchCreated(BaseModel):
    """The create answer: exactly the contract's fields."""

    id: str = Field(examples=["batch_abc123"])
    name: str | None = Field(examples=["May Follow-Up Campaign"])
    status: str = Field(examples=["initiated"])
    total_leads: int = Field(examples=[250])
    completed: int = Field(examples=[0])
    failed: int = Field(examples=[0])
    agent_id: str = Field(examples=["agt_abc123"])
    created_at: str = Field(examples=["2024-03-01T10:00:00.000Z"])


class Batch(BatchCreated):
    """A batch read: lifecycle ``initiated, active, running, completed, cancelled``."""

    from_phone_number: str = Field(examples=["+912234567890"])
    max_concurrent_calls: int = Field(examples=[10])
    scheduled_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    cancelled_at: str | None = None
    retry_config: RetryConfig | None = None
    status_counts: dict[str, int] = Field(
        description="Calls per status; always sums to total_leads.",
        examples=[
            {
                "queued": 120,
                "initiated": 3,
                "in-progress": 7,
                "completed": 90,
                "no_answer": 10,
                "busy": 3,
                "failed": 2,
                "cancelled": 0,
            }
        ],
    )


class Call(BaseModel):
    """One lead's call; ``position`` is its spreadsheet row."""

    id: str = Field(examples=["call_abc123"])
    batch_id: str
    position: int
    agent_id: str
    to_phone_number: str = Field(examples=["+919876543210"])
    from_phone_number: str = Field(examples=["+912234567890"])
    status: str = Field(examples=["completed"])
    duration_seconds: int = Field(examples=[145])
    metadata: dict[str, str] = Field(examples=[{"customer_name": "Priya Sharma"}])
    attempts: int = Field(description="Dial attempts so far (retries included).")
    created_at: str
    started_at: str | None = None
    ended_at: str | None = None
    end_reason: str | None = Field(None, examples=["user_disconnected"])
    revision: int = Field(
        0,
        description="Extension: the change feed's sequence number of this call's latest "
        "change; 0 while it has not changed since the batch was created.",
    )


class CallChanges(BaseModel):
    """Extension: one page of a batch's change feed, oldest change first."""

    data: list[Call]
    next_revision: int = Field(
        description="Pass as `after` for the next page; equals `after` when nothing changed."
    )
    remaining: int = Field(description="Changes after this page, already waiting.")


class PageMeta(BaseModel):
    page: int = Field(examples=[1])
    limit: int = Field(examples=[20])
    total: int = Field(examples=[150])
    totalPages: int = Field(examples=[8])


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    meta: PageMeta
