"""How batchcall.api.client reads answers: dialects, statuses, times, pages, resources, 400 details.

What it sends (form fields, URLs, polling) is in ``test_client_requests``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from batchcall.api import batches as batches_module
from batchcall.api.batches import Batch, Call, parse_page
from batchcall.api.errors import (
    ApiResponseError,
    BadRequestError,
    BatchValidationError,
    NotFoundError,
    NotSupportedError,
)
from batchcall.api.models import Agent, PhoneNumber, TelephonyConfig

from tests.client_support import CSV, serve


def test_both_counter_spellings_fill_the_same_fields() -> None:
    documented = Batch.model_validate(
        {"id": "b", "total_leads": 250, "completed": 235, "failed": 15}
    )
    legacy = Batch.model_validate(
        {"id": "b", "total_calls": 250, "completed_calls": 235, "failed_calls": 15}
    )
    for batch in (documented, legacy):
        assert (batch.total_leads, batch.completed, batch.failed) == (250, 235, 15)


@pytest.mark.parametrize(
    ("status", "state", "finished"),
    [
        ("initiated", "initiated", False),
        ("draft", "draft", False),
        ("active", "active", False),
        ("running", "running", False),
        ("paused", "paused", False),
        ("completed", "completed", True),
        ("cancelled", "cancelled", True),
        ("queued", "active", False),
        ("processing", "running", False),
        ("failed", "failed", True),
        ("Canceled", "cancelled", True),
        ("archived_v9", "archived_v9", False),
    ],
)
def test_every_batch_status_maps_to_a_state(status: str, state: str, finished: bool) -> None:
    batch = Batch.model_validate({"id": "b", "status": status})
    assert (batch.status, batch.state, batch.is_finished) == (status, state, finished)


def test_unknown_status_passes_through_the_client() -> None:
    client, _ = serve({"/v1/batch-calls/b1": {"id": "b1", "status": "warming_up"}})
    batch = client.get_batch("b1")
    assert batch.status == "warming_up" and batch.state == "warming_up"
    assert type(batch.status) is str


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("no-answer", "no_answer"),
        ("no_answer", "no_answer"),
        ("did_not_pick", "no_answer"),
        ("in-progress", "in_progress"),
        ("completed", "completed"),
        ("voicemail_box", "voicemail_box"),
    ],
)
def test_call_status_is_normalised_and_unknown_passes(raw: str, normal: str) -> None:
    call = Call.model_validate({"id": "c", "status": raw, "metadata": None})
    assert call.status == normal and call.state == normal and call.metadata == {}


@pytest.mark.parametrize(
    "stamp",
    [
        "2024-03-01T10:00:00.000Z",
        "2024-03-01T10:00:00Z",
        "2024-03-01T15:30:00+05:30",
        "2024-03-01T10:00:00",
    ],
)
def test_times_parse_with_or_without_millis_and_zone(stamp: str) -> None:
    batch = Batch.model_validate({"id": "b", "created_at": stamp, "started_at": ""})
    assert batch.created_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert batch.started_at is None and batch.completed_at is None


def test_status_counts_are_normalised_or_derived() -> None:
    served = Batch.model_validate(
        {
            "id": "b",
            "total_leads": 20,
            "status_counts": {
                "queued": 5,
                "in-progress": 2,
                "no-answer": 1,
                "no_answer": 2,
                "completed": 10,
            },
        }
    )
    assert served.status_counts_or_derived() == {
        "queued": 5,
        "in_progress": 2,
        "no_answer": 3,
        "completed": 10,
    }
    derived = Batch.model_validate({"id": "b", "total_calls": 250, "completed": 200, "failed": 10})
    assert derived.status_counts_or_derived() == {"completed": 200, "failed": 10, "pending": 40}


def paged(items: list[dict[str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        page, limit = int(request.url.params["page"]), int(request.url.params["limit"])
        chunk = items[(page - 1) * limit : page * limit]
        meta = {
            "page": page,
            "limit": limit,
            "total": len(items),
            "totalPages": -(-len(items) // limit),
        }
        return httpx.Response(200, json={"data": chunk, "meta": meta})

    return answer


def test_iter_batches_walks_every_page() -> None:
    batches = [{"id": f"b{i}", "status": "completed"} for i in range(5)]
    client, seen = serve({"/v1/batch-calls": paged(batches)})
    assert [batch.id for batch in client.iter_batches(status="completed", limit=2)] == [
        "b0",
        "b1",
        "b2",
        "b3",
        "b4",
    ]
    assert [dict(r.url.params) for r in seen] == [
        {"status": "completed", "page": str(page), "limit": "2"} for page in (1, 2, 3)
    ]
    first = client.list_batches(page=3, limit=2)
    assert [b.id for b in first.data] == ["b4"] and first.meta.totalPages == 3
    assert (first.meta.page, first.meta.total, first.has_next) == (3, 5, False)


def test_pages_without_total_pages_or_meta_still_parse() -> None:
    meta = {"page": 1, "limit": 20, "total": 150}
    assert parse_page(Batch, {"data": [], "meta": meta}, page=1, limit=20).meta.totalPages == 8
    bare = parse_page(Batch, [{"id": "b1"}], page=1, limit=20)
    assert [b.id for b in bare.data] == ["b1"] and not bare.has_next


def test_iter_calls_walks_every_page_of_one_batch() -> None:
    calls = [
        {"id": f"c{i}", "batch_id": "b1", "position": i + 2, "status": "no-answer"}
        for i in range(7)
    ]
    client, seen = serve({"/v1/calls": paged(calls)})
    got = list(client.iter_calls(batch_id="b1", limit=3))
    assert [call.position for call in got] == [2, 3, 4, 5, 6, 7, 8]
    assert {call.status for call in got} == {"no_answer"}
    assert len(seen) == 3 and seen[0].url.params["batch_id"] == "b1"


def test_paging_stops_when_a_server_ignores_the_page_it_was_asked_for() -> None:
    first = [{"id": f"b{i}"} for i in range(3)]
    meta = {"page": 1, "limit": 3, "total": 3_000_000_000, "totalPages": 1_000_000_000}
    client, seen = serve({"/v1/batch-calls": {"data": first, "meta": meta}})
    assert [batch.id for batch in client.iter_batches(limit=3)] == ["b0", "b1", "b2"]
    assert len(seen) == 2  # the second page repeated the first: nothing new, so stop


def test_paging_stops_on_a_page_that_brings_nothing_new_or_nothing() -> None:
    pages = {1: ["c1", "c2"], 2: ["c2", "c1"], 3: ["c3"]}  # page 2 repeats page 1 reordered
    meta = {"limit": 2, "total": 10**12, "totalPages": 10**9}

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        data = [{"id": i, "status": "completed"} for i in pages.get(page, [])]
        return httpx.Response(200, json={"data": data, "meta": {**meta, "page": page}})

    client, seen = serve({"/v1/calls": answer})
    assert [call.id for call in client.iter_calls(limit=2)] == ["c1", "c2"]
    assert len(seen) == 2


def test_paging_is_bounded_when_every_page_is_new(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches_module, "MAX_PAGES", 50)

    def endless(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        meta = {"page": page, "limit": 1, "total": 10**9, "totalPages": 10**9}
        return httpx.Response(200, json={"data": [{"id": f"b{page}"}], "meta": meta})

    client, seen = serve({"/v1/batch-calls": endless})
    with pytest.raises(ApiResponseError, match="more than 50 pages"):
        list(client.iter_batches(limit=1))
    assert len(seen) == 50


def test_a_platform_ignoring_the_batch_filter_is_not_supported() -> None:
    client, _ = serve({"/v1/calls": {"data": [{"id": "c1", "status": "completed"}]}})
    with pytest.raises(NotSupportedError):
        client.list_calls(batch_id="b1")
    assert [call.id for call in client.list_calls().data] == ["c1"]


def test_workspace_resources_are_typed() -> None:
    agents = [{"id": f"agt_{i}", "name": f"Agent {i}", "prompt": "Hi {{name}}"} for i in range(3)]
    client, _ = serve(
        {
            "/v1/agents": paged(agents),
            "/v1/phone-numbers": {
                "data": [{"id": "pn_1", "phone_number": "+912234567890", "provider": "sip_trunk"}]
            },
            "/v1/telephony-config": {
                "provider": "plivo",
                "sip_byoc_enabled": True,
                "countries": [],
            },
        }
    )
    listed = client.list_agents()
    assert [a.id for a in listed] == ["agt_0", "agt_1", "agt_2"]
    assert all(isinstance(agent, Agent) for agent in listed)
    assert client.get_agent("agt_2").name == "Agent 2"  # no /agents/{id}: found in the list
    with pytest.raises(NotFoundError):
        client.get_agent("agt_missing")
    (number,) = client.list_phone_numbers()
    assert isinstance(number, PhoneNumber) and number.is_sip
    config = client.get_telephony_config()
    assert isinstance(config, TelephonyConfig) and config.sip_byoc_enabled


def rejected(body: dict[str, Any]) -> BadRequestError:
    client, _ = serve({"/v1/batch-calls": lambda r: httpx.Response(400, json=body)})
    with pytest.raises(BadRequestError) as caught:
        client.create_batch(CSV, agent_id="agt_1", from_phone_number="+91")
    return caught.value


def test_400_with_details_groups_is_a_batch_validation_error() -> None:
    error = rejected(
        {
            "statusCode": 400,
            "error": "Bad Request",
            "message": "15 of 250 rows failed destination validation",
            "details": {
                "groups": [
                    {"reason": "invalid_phone_number", "count": 3, "rows": [77, 4, 18]},
                    {
                        "reason": "unsupported_destination_country",
                        "country": "GB",
                        "count": 10,
                        "rows": [5, 6, 9],
                    },
                ],
                "rows": [
                    {
                        "position": 18,
                        "phone_number": "abc",
                        "failed_parsing_reason": "invalid_phone_number",
                    },
                    {
                        "position": 4,
                        "phone_number": "12345",
                        "failed_parsing_reason": "invalid_phone_number",
                    },
                ],
            },
        }
    )
    assert isinstance(error, BatchValidationError)
    assert error.message == "15 of 250 rows failed destination validation"
    assert [(g.reason, g.rows, g.count, g.country) for g in error.groups] == [
        ("invalid_phone_number", [4, 18, 77], 3, None),
        ("unsupported_destination_country", [5, 6, 9], 10, "GB"),
    ]
    assert [(r.position, r.phone_number, r.reason) for r in error.rows] == [
        (4, "12345", "invalid_phone_number"),
        (18, "abc", "invalid_phone_number"),
    ]


def test_400_message_lines_are_parsed_into_groups() -> None:
    message = (
        "Row 4: invalid_phone_number\nRow 9: unsupported_destination_country\nRow 2: "
        "invalid_phone_number"
    )
    error = rejected({"statusCode": 400, "message": message})
    assert isinstance(error, BatchValidationError) and error.message == message
    assert {g.reason: g.rows for g in error.groups} == {
        "invalid_phone_number": [2, 4],
        "unsupported_destination_country": [9],
    }
    assert [row.position for row in error.rows] == [2, 4, 9]


def test_400_message_array_is_parsed_and_joined() -> None:
    error = rejected({"message": ["Row 9: unsupported_prefix", "Row 4: invalid_phone_number"]})
    assert isinstance(error, BatchValidationError)
    assert error.message == "Row 9: unsupported_prefix; Row 4: invalid_phone_number"
    assert [(g.reason, g.rows, g.count) for g in error.groups] == [
        ("invalid_phone_number", [4], 1),
        ("unsupported_prefix", [9], 1),
    ]


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("no phone_number column\nsee the docs", "no phone_number column\nsee the docs"),
        (
            ["agent_id should not be empty", "file is required"],
            "agent_id should not be empty; file is required",
        ),
    ],
)
def test_400_without_rows_is_a_plain_bad_request_shown_as_is(message: Any, shown: str) -> None:
    error = rejected({"statusCode": 400, "message": message, "error": "Bad Request"})
    assert type(error) is BadRequestError and error.message == shown
