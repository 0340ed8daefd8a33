"""``/v1/calls``: every call, filterable by batch, status, agent, numbers and time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from batchcall.sandbox.deps import PaginationDep, StoreDep
from batchcall.sandbox.errors import ApiProblem
from batchcall.sandbox.schemas import (
    BOUND_SCHEMA,
    CALL_STATUSES,
    BadRequestBody,
    Call,
    ErrorBody,
    Page,
    parse_moment,
)
from batchcall.sandbox.security import require_api_key
from batchcall.sandbox.views import call_view
from batchcall.sandbox.workspace import normalise_number

router = APIRouter(
    prefix="/calls",
    tags=["calls"],
    dependencies=[Depends(require_api_key)],
    responses={401: {"model": ErrorBody, "description": "Missing or wrong API key."}},
)

_BOUND = "An ISO 8601 time bounds created_at ({}); a value starting with '+' matches {} instead."


def _spelling(status: str) -> str:
    return status.strip().lower().replace("-", "_")


_STORED_STATUS = {_spelling(status): status for status in CALL_STATUSES}


def stored_status(status: str) -> str:
    """The stored spelling of a status the contract spells two ways (``no-answer``/``no_answer``,
    ``in_progress``/``in-progress``); an unknown status is kept, and matches nothing."""
    return _STORED_STATUS.get(_spelling(status), status)


def _bound(name: str, value: str | None, number_key: str, time_key: str) -> dict[str, Any]:
    """``from``/``to``: a phone number (``+91...``) or a time, whichever the value is."""
    if value is None or not value.strip():
        return {}
    text = value.strip()
    if text.startswith("+"):
        return {number_key: normalise_number(text)}
    try:
        moment = parse_moment(text)
    except (ValueError, OverflowError):
        raise ApiProblem(
            400, f"{name} must be an ISO 8601 time or a phone number starting with +"
        ) from None
    return {time_key: moment.timestamp()}


@router.get(
    "",
    response_model=Page[Call],
    summary="List calls",
    responses={400: {"model": BadRequestBody, "description": "A filter is out of range."}},
)
def list_calls(
    store: StoreDep,
    pages: PaginationDep,
    batch_id: Annotated[str | None, Query(max_length=64, description="Only this batch.")] = None,
    status: Annotated[
        str | None,
        Query(
            max_length=32,
            description="Only this status; either spelling of no_answer "
            "(no-answer) and in-progress (in_progress).",
        ),
    ] = None,
    agent_id: Annotated[str | None, Query(max_length=128)] = None,
    from_: Annotated[
        str | None,
        Query(
            alias="from",
            max_length=64,
            description=_BOUND.format("inclusive", "from_phone_number"),
            json_schema_extra=BOUND_SCHEMA,
        ),
    ] = None,
    to: Annotated[
        str | None,
        Query(
            max_length=64,
            description=_BOUND.format("exclusive", "to_phone_number"),
            json_schema_extra=BOUND_SCHEMA,
        ),
    ] = None,
) -> dict[str, Any]:
    """Newest batch first, then by spreadsheet row; each call has ``batch_id``/``position``."""
    filters: dict[str, Any] = {
        "batch_id": batch_id or None,
        "status": stored_status(status) if status else None,
        "agent_id": agent_id or None,
        **_bound("from", from_, "from_phone_number", "created_from"),
        **_bound("to", to, "to_phone_number", "created_to"),
    }
    rows, total = store.list_calls(filters, page=pages.page, limit=pages.limit)
    return pages.body([call_view(row) for row in rows], total)
