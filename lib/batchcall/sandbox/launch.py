"""Turning a create request into a batch: the checks the platform makes, in its order.

Each refusal is an :class:`ApiProblem` with the contract's status: 404 for an
unknown agent or number, 422 for a number that cannot place outbound calls,
400/413 for the file (a name ending in .csv, .xlsx or .xls, then ``ContactFileError``
messages, already written for an operator), and the destination-validation 400 straight from
``ValidationReport.to_error_body()`` — one source of truth with the workbench.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import pandas as pd
from pydantic import ValidationError

from batchcall.api.models import PhoneNumber
from batchcall.contacts import ContactFileError, FileTooLargeError, read_contacts
from batchcall.digests import digest
from batchcall.rules import validate
from batchcall.sandbox.errors import ApiProblem
from batchcall.sandbox.outcomes import batch_seed
from batchcall.sandbox.schemas import RetryConfig, parse_moment
from batchcall.sandbox.store import NewCalls, Store, empty_counts
from batchcall.sandbox.uploads import check_file_type
from batchcall.sandbox.workspace import Workspace

DEFAULT_MAX_CONCURRENT_CALLS = 10
T = TypeVar("T")


@dataclass(frozen=True)
class LaunchRequest:
    agent_id: str
    from_phone_number: str
    name: str | None
    scheduled_at: float | None
    max_concurrent_calls: int
    retry_config: RetryConfig | None
    filename: str
    data: bytes


def fingerprint(request: LaunchRequest) -> str:
    """What makes two creates "the same request" for an Idempotency-Key."""
    fields = [
        request.agent_id,
        request.from_phone_number,
        request.name,
        request.scheduled_at,
        request.max_concurrent_calls,
        request.retry_config.model_dump() if request.retry_config else None,
        request.filename,
        digest(request.data),
    ]
    return digest(json.dumps(fields).encode())


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def parse_scheduled_at(text: str | None) -> float | None:
    """ISO 8601 -> epoch seconds; a time without a zone is UTC."""
    if text is None or not text.strip():
        return None
    try:
        moment = parse_moment(text)
    except ValueError:
        raise ApiProblem(
            400, "scheduled_at must be an ISO 8601 date-time, e.g. 2024-03-01T10:00:00.000Z"
        ) from None
    except OverflowError:
        moment = None
    try:  # stored as epoch seconds and served as UTC: both must exist for this moment
        assert moment is not None
        return datetime.fromtimestamp(moment.timestamp(), UTC).timestamp()
    except (AssertionError, OverflowError, ValueError, OSError):
        raise ApiProblem(
            400, f"scheduled_at {text.strip()} is outside the years 1 to 9999 once in UTC"
        ) from None


def parse_retry_config(text: str | None) -> RetryConfig | None:
    """JSON text ``{"max_retries": 2, "retry_interval_minutes": 60}``."""
    if text is None or not text.strip():
        return None
    try:
        return RetryConfig.model_validate_json(text)
    except ValidationError as exc:
        messages = [
            f"retry_config.{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            if error["loc"]
            else f"retry_config: {error['msg']}"
            for error in exc.errors()
        ]
        raise ApiProblem(400, messages) from None


def outbound_route(workspace: Workspace, agent_id: str, from_phone_number: str) -> PhoneNumber:
    if workspace.agent(agent_id) is None:
        raise ApiProblem(404, f"Agent {agent_id} not found")
    number = workspace.number(from_phone_number)
    if number is None:
        raise ApiProblem(404, f"Phone number {from_phone_number} not found in this workspace")
    if number.status != "active":
        raise ApiProblem(
            422, f"Phone number {number.phone_number} is {number.status}: it cannot place calls"
        )
    if not number.outbound_agent_id:
        raise ApiProblem(
            422,
            f"Phone number {number.phone_number} has no outbound agent: assign one before "
            "launching a batch from it",
        )
    return number


CHUNK_ROWS = 10_000
"""Rows encoded at a time when a batch's calls are written."""


def load_contacts(data: bytes, filename: str) -> pd.DataFrame:
    check_file_type(filename)
    try:
        return read_contacts(data, filename)
    except FileTooLargeError as exc:
        raise ApiProblem(413, exc.message) from None
    except ContactFileError as exc:
        raise ApiProblem(400, exc.message) from None


def launch(
    store: Store,
    workspace: Workspace,
    seed: int,
    request: LaunchRequest,
    idempotency_key: str | None,
) -> tuple[dict[str, Any], bool]:
    """Create the batch and its queued calls.

    Returns the batch as created (the create answer is an acknowledgement, status
    ``initiated``, even if the simulator has moved on since) and whether it is new:
    ``({"id": first_id}, False)`` when the idempotency key raced in meanwhile.
    """
    route = outbound_route(workspace, request.agent_id, request.from_phone_number)
    contacts = load_contacts(request.data, request.filename)
    report = validate(contacts, route, workspace.telephony_config)
    if not report.ok:
        raise ApiProblem(400, "destination validation failed", body=report.to_error_body())
    now = time.time()
    start_at = max(now, request.scheduled_at) if request.scheduled_at is not None else now
    sha256 = digest(request.data)
    batch_id = new_id("batch")
    batch: dict[str, Any] = {
        "id": batch_id,
        "name": request.name or request.filename or None,
        "status": "initiated",
        "agent_id": request.agent_id,
        "from_phone_number": route.phone_number,
        "total_leads": len(contacts),
        "max_concurrent_calls": request.max_concurrent_calls,
        "retry_config": request.retry_config.model_dump_json() if request.retry_config else None,
        "rng_seed": batch_seed(seed, sha256),
        "file_sha256": sha256,
        "status_counts": json.dumps(empty_counts(queued=len(contacts))),
        "live": 1,
        "created_at": now,
        "scheduled_at": request.scheduled_at,
    }
    # Only the variables and the numbers are written: the report (its verdicts and distinct
    # cells, ~15 MB for 120,000 rows) and the phone cells are let go before the insert.
    e164, variables = report.rows["e164"], contacts.drop(columns="phone_number")
    del report, contacts
    calls = new_calls(variables, e164, f"call_{secrets.token_hex(6)}", start_at)
    batch_id, created = store.create_batch(batch, calls, idempotency_key, fingerprint(request))
    if not created:
        return {"id": batch_id}, False
    return {**batch, "started_at": None, "completed_at": None, "cancelled_at": None}, True


def new_calls(
    variables: pd.DataFrame, e164: pd.Series, id_prefix: str, start_at: float
) -> NewCalls:
    """The queued calls of ``variables``' rows, their row and number under two names that
    no column of the file has."""
    taken = {str(name) for name in variables.columns}
    row_key, to_key = (_unused(name, taken) for name in ("__row__", "__to__"))
    chunks = made_ahead(_call_chunks(variables, e164, row_key, to_key))
    return NewCalls(id_prefix, start_at, chunks, row_key, to_key)


def made_ahead(items: Iterator[T]) -> Iterator[T]:
    """``items``, each next one made in a helper thread while the caller uses the last.

    Why: the store inserts a chunk of calls in SQLite, which lets go of the GIL, while
    pandas writes the next chunk's JSON, which holds it. Side by side, a batch's calls are
    written in about the time of the slower of the two, and the database's write lock,
    which another operator's new batch waits for, is held that much less.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="sandbox-calls") as pool:
        pending = pool.submit(next, items, _DONE)
        while (item := pending.result()) is not _DONE:
            pending = pool.submit(next, items, _DONE)
            yield item  # type: ignore[misc]


_DONE: Any = object()


def _unused(name: str, taken: set[str]) -> str:
    while name in taken:
        name = f"_{name}_"
    return name


def _call_chunks(
    variables: pd.DataFrame, e164: pd.Series, row_key: str, to_key: str
) -> Iterator[tuple[int, str]]:
    """One queued call per row, ``CHUNK_ROWS`` rows at a time: (offset of the chunk's first
    row, a JSON array of objects: the row's variables, plus its spreadsheet row and E.164
    number under ``row_key`` and ``to_key``); ``variables`` are the rows' columns but the
    phone number, indexed by spreadsheet row.

    Why JSON and not a tuple per call: SQLite expands the array itself (``json_each``)
    without holding Python's GIL, so another operator's page keeps running meanwhile; a
    tuple per call held it for the whole insert. Why the row and number inside each object:
    pandas then writes a whole slice in one call (no Python per row, a third of the time),
    and SQLite takes them out again (``json_remove``). Why slices: the JSON of 120,000 rows
    at once held ~25 MB of text while the store wrote them, for no gain in speed."""
    for begin in range(0, len(variables), CHUNK_ROWS):
        chunk = slice(begin, begin + CHUNK_ROWS)
        rows = variables.iloc[chunk]
        rows = rows.assign(
            **{row_key: rows.index.to_numpy(dtype="int64"), to_key: e164.iloc[chunk].to_numpy()}
        )
        yield begin, rows.to_json(orient="records", force_ascii=False)
