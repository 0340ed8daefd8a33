"""``/v1/batch-calls``: create (multipart), list, read, cancel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Response, UploadFile

from batchcall.sandbox.deps import PaginationDep, SettingsDep, SimulatorDep, StoreDep, WorkspaceDep
from batchcall.sandbox.errors import ApiProblem
from batchcall.sandbox.launch import (
    DEFAULT_MAX_CONCURRENT_CALLS,
    LaunchRequest,
    fingerprint,
    launch,
    parse_retry_config,
    parse_scheduled_at,
)
from batchcall.sandbox.schemas import (
    MOMENT_SCHEMA,
    BadRequestBody,
    Batch,
    BatchCreated,
    CallChanges,
    ErrorBody,
    Page,
)
from batchcall.sandbox.security import require_api_key
from batchcall.sandbox.store import BatchFinished, BatchNotFound
from batchcall.sandbox.uploads import read_upload
from batchcall.sandbox.views import batch_view, call_view

router = APIRouter(
    prefix="/batch-calls",
    tags=["batch-calls"],
    dependencies=[Depends(require_api_key)],
    responses={401: {"model": ErrorBody, "description": "Missing or wrong API key."}},
)
_NOT_FOUND = {404: {"model": ErrorBody, "description": "No such batch."}}
_CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": BatchCreated, "description": "Repeat of an Idempotency-Key: the first batch."},
    400: {
        "model": BadRequestBody,
        "description": "A missing or malformed field; a file that is empty, of an unsupported "
        "type, unreadable or without a phone_number column; or rows that failed destination "
        "validation (then `details` groups them by reason with their row numbers).",
    },
    404: {"model": ErrorBody, "description": "Unknown agent or from_phone_number."},
    409: {
        "model": ErrorBody,
        "description": "The Idempotency-Key was already used with a different request.",
    },
    413: {"model": ErrorBody, "description": "File over 10 MB."},
    422: {
        "model": ErrorBody,
        "description": "from_phone_number cannot place outbound calls (inactive, or no "
        "outbound agent).",
    },
}


@router.post(
    "",
    status_code=201,
    response_model=BatchCreated,
    responses=_CREATE_RESPONSES,
    summary="Create a batch call",
    response_description="Batch created.",
)
def create_batch(
    response: Response,
    store: StoreDep,
    workspace: WorkspaceDep,
    settings: SettingsDep,
    agent_id: Annotated[str, Form(min_length=1, max_length=128, examples=["agt_abc123"])],
    file: Annotated[
        UploadFile,
        File(
            description="CSV, XLSX or XLS, max 10 MB. Required column: phone_number. All "
            "other columns become dynamic variables."
        ),
    ],
    from_phone_number: Annotated[
        str,
        Form(
            min_length=1,
            max_length=32,
            examples=["+912234567890"],
            description="The workspace number that places the calls; it selects the route.",
        ),
    ],
    name: Annotated[str | None, Form(max_length=200, examples=["May Follow-Up Campaign"])] = None,
    scheduled_at: Annotated[
        str | None,
        Form(
            max_length=64,
            description="ISO 8601; omitted = start now.",
            json_schema_extra=MOMENT_SCHEMA,
        ),
    ] = None,
    max_concurrent_calls: Annotated[
        int | None, Form(ge=1, le=100, examples=[10], description="Default 10.")
    ] = None,
    retry_config: Annotated[
        str | None,
        Form(
            max_length=1000,
            examples=['{"max_retries": 2, "retry_interval_minutes": 60}'],
            description="JSON text; retries no_answer and busy calls (max_retries 0-5).",
        ),
    ] = None,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=255,
            description="A repeat with the same key returns the first batch (200).",
        ),
    ] = None,
) -> dict[str, Any]:
    """Upload a contact list and launch one outbound call per row."""
    required = {"agent_id": agent_id, "from_phone_number": from_phone_number}
    blank = [f"{field} is required" for field, value in required.items() if not value.strip()]
    if blank:  # spaces only: as missing as an absent field, not an unknown agent or number
        raise ApiProblem(400, blank)
    request = LaunchRequest(
        agent_id=agent_id.strip(),
        from_phone_number=from_phone_number.strip(),
        name=name.strip() if name and name.strip() else None,
        scheduled_at=parse_scheduled_at(scheduled_at),
        max_concurrent_calls=max_concurrent_calls or DEFAULT_MAX_CONCURRENT_CALLS,
        retry_config=parse_retry_config(retry_config),
        filename=(file.filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip(),
        data=read_upload(file, settings.max_file_bytes),
    )
    key = idempotency_key.strip() if idempotency_key and idempotency_key.strip() else None
    if key is not None and store.batch_for_key(key) is not None:
        return _repeat(response, store, key, request)
    batch, created = launch(store, workspace, settings.seed, request, key)
    if not created:  # the same key raced in while this file was being checked
        return _repeat(response, store, key, request)
    return batch_view(batch)


def _repeat(
    response: Response, store: StoreDep, key: str | None, request: LaunchRequest
) -> dict[str, Any]:
    """The first batch of this key (200), or 409 when the key came with another request."""
    first = store.batch_for_key(key) if key else None
    if first is None:  # unreachable: only called once the key is known
        raise ApiProblem(500, "The idempotency record vanished.")
    batch_id, first_fingerprint = first
    if first_fingerprint != fingerprint(request):
        raise ApiProblem(
            409,
            "This Idempotency-Key was already used for a different request (another file or "
            f"other fields; its batch is {batch_id}). Use a new key for a new batch.",
        )
    response.status_code = 200
    return batch_view(_found(store, batch_id))


def _found(store: StoreDep, batch_id: str) -> Any:
    row = store.get_batch(batch_id)
    if row is None:
        raise ApiProblem(404, f"Batch {batch_id} not found")
    return row


@router.get(
    "",
    response_model=Page[Batch],
    summary="List batch calls",
    responses={400: {"model": BadRequestBody, "description": "page or limit out of range."}},
)
def list_batches(
    store: StoreDep,
    pages: PaginationDep,
    status: Annotated[str | None, Query(max_length=32, description="Only this status.")] = None,
) -> dict[str, Any]:
    """Newest first."""
    rows, total = store.list_batches(page=pages.page, limit=pages.limit, status=status or None)
    return pages.body([batch_view(row) for row in rows], total)


@router.get("/{batch_id}", response_model=Batch, responses=_NOT_FOUND, summary="Get a batch call")
def get_batch(batch_id: str, store: StoreDep) -> dict[str, Any]:
    """One batch with ``status_counts`` (summing to ``total_leads``)."""
    return batch_view(_found(store, batch_id))


MAX_CHANGES_PAGE = 5_000


@router.get(
    "/{batch_id}/changes",
    response_model=CallChanges,
    responses={
        **_NOT_FOUND,
        400: {"model": BadRequestBody, "description": "`after` or `limit` is out of range."},
    },
    summary="Follow a batch's calls (extension)",
)
def call_changes(
    batch_id: str,
    store: StoreDep,
    after: Annotated[
        int, Query(ge=0, description="The `next_revision` of the previous page; 0 at first.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_PAGE)] = 1_000,
) -> dict[str, Any]:
    """Calls changed since revision ``after``, each once, in its latest state.

    A follower keeps a copy of the batch's calls by asking only for what changed since
    its last page, instead of listing every call on every refresh. Calls still queued
    since the batch was created have not changed (revision 0), so they are never sent.
    """
    _found(store, batch_id)
    rows, remaining = store.changed_calls(batch_id, after, limit)
    last = rows[-1]["revision"] if rows else after
    return {"data": [call_view(row) for row in rows], "next_revision": last, "remaining": remaining}


@router.post(
    "/{batch_id}/cancel",
    response_model=Batch,
    summary="Cancel a batch call",
    responses={
        **_NOT_FOUND,
        409: {"model": ErrorBody, "description": "The batch already completed or was cancelled."},
    },
)
def cancel_batch(batch_id: str, store: StoreDep, simulator: SimulatorDep) -> dict[str, Any]:
    """Queued calls become ``cancelled``; calls in flight finish."""
    try:
        simulator.cancel(batch_id)
    except BatchNotFound:
        raise ApiProblem(404, f"Batch {batch_id} not found") from None
    except BatchFinished as exc:
        raise ApiProblem(409, f"Batch {batch_id} is already {exc}: nothing to cancel") from None
    return batch_view(_found(store, batch_id))
