"""The workbench's real client against the real sandbox: one contract, both sides."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from batchcall import (
    AuthenticationError,
    BadRequestError,
    BatchCallClient,
    BatchValidationError,
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    UnprocessableError,
)
from batchcall.sandbox import close_app, create_app
from starlette.applications import Starlette
from starlette.routing import Mount

from tests.sandbox_server import (
    API_KEY,
    RunningSandbox,
    csv_file,
    indian_mobiles,
    sandbox_settings,
    serve_asgi,
    serve_sandbox,
)
from tests.workspace_data import AGENT, IN_NUMBER, INACTIVE_NUMBER, SIP_NUMBER, WORKSPACE


def leads(count: int) -> bytes:
    return csv_file(*(f"{number},Lead {i}" for i, number in enumerate(indian_mobiles(count))))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with serve_sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[BatchCallClient]:
    with BatchCallClient(sandbox.base_url, API_KEY, timeout=30, max_retries=0) as api:
        yield api


def test_workspace_reads(client: BatchCallClient) -> None:
    assert [agent.id for agent in client.list_agents()] == [AGENT, "agt_emi456"]
    assert "{{customer_name}}" in client.get_agent(AGENT).prompt
    numbers = {number.phone_number: number for number in client.list_phone_numbers()}
    assert numbers[SIP_NUMBER].is_sip and not numbers[IN_NUMBER].is_sip
    config = client.get_telephony_config()
    assert config.enabled_countries() == {"IN"}
    assert config.model_dump() == WORKSPACE["telephony_config"]


def test_create_wait_and_walk_the_calls(client: BatchCallClient) -> None:
    batch = client.create_batch(
        ("may.csv", leads(45)),
        agent_id=AGENT,
        from_phone_number=IN_NUMBER,
        name="May Follow-Up Campaign",
        max_concurrent_calls=10,
        retry_config={"max_retries": 1, "retry_interval_minutes": 60},
    )
    assert (batch.status, batch.total_leads, batch.name) == (
        "initiated",
        45,
        "May Follow-Up Campaign",
    )
    assert batch.created_at is not None and batch.created_at.tzinfo is not None
    done = client.wait_for_batch(batch.id, poll_seconds=0.02, timeout=10)
    assert done.is_finished and done.state == "completed"
    assert done.completed + done.failed == 45
    assert sum(done.status_counts_or_derived().values()) == 45
    assert done.from_phone_number == IN_NUMBER and done.max_concurrent_calls == 10
    calls = list(client.iter_calls(batch_id=batch.id, limit=20))
    assert sorted(call.position or 0 for call in calls) == list(range(2, 47))
    assert {call.batch_id for call in calls} == {batch.id}
    assert all(call.ended_at and call.end_reason for call in calls)
    completed = client.list_calls(batch_id=batch.id, status="completed", limit=100)
    assert completed.meta.total == done.completed
    assert {call.state for call in completed.data} == {"completed"}


def test_rows_failing_validation_arrive_grouped(client: BatchCallClient) -> None:
    content = csv_file("9876543210,a", "12345,b", "+442079460958,c", "+911800123456,d")
    with pytest.raises(BatchValidationError) as caught:
        client.create_batch(content, agent_id=AGENT, from_phone_number=IN_NUMBER)
    groups = [(g.reason, g.country, g.rows) for g in caught.value.groups]
    assert groups == [
        ("invalid_phone_number", None, [3]),
        ("unsupported_destination_country", "GB", [4]),
        ("unsupported_prefix", "IN", [5]),
    ]
    assert [row.position for row in caught.value.rows] == [3, 4, 5]
    assert caught.value.status_code == 400


def test_every_refusal_has_its_error_class(
    client: BatchCallClient, sandbox: RunningSandbox
) -> None:
    with pytest.raises(NotFoundError):
        client.get_batch("batch_missing")
    with pytest.raises(NotFoundError):
        client.create_batch(leads(1), agent_id="agt_missing", from_phone_number=IN_NUMBER)
    with pytest.raises(UnprocessableError):
        client.create_batch(leads(1), agent_id=AGENT, from_phone_number=INACTIVE_NUMBER)
    with pytest.raises(BadRequestError) as caught:
        client.create_batch(b"mobile\n9876543210\n", agent_id=AGENT, from_phone_number=IN_NUMBER)
    assert not isinstance(caught.value, BatchValidationError)
    assert "phone_number" in caught.value.message
    with pytest.raises(PayloadTooLargeError):
        client.create_batch(
            b"phone_number\n" + b"9876543210\n" * 1_050_000,
            agent_id=AGENT,
            from_phone_number=IN_NUMBER,
        )
    with (
        BatchCallClient(sandbox.base_url, "not-the-key", max_retries=0) as stranger,
        pytest.raises(AuthenticationError) as refused,
    ):
        stranger.list_agents()
    assert "not-the-key" not in str(refused.value)
    finished = client.create_batch(leads(1), agent_id=AGENT, from_phone_number=IN_NUMBER)
    client.wait_for_batch(finished.id, poll_seconds=0.02, timeout=10)
    with pytest.raises(ConflictError):
        client.cancel_batch(finished.id)


def test_idempotency_key_and_pages() -> None:
    with serve_sandbox() as fresh, BatchCallClient(fresh.base_url, API_KEY) as client:
        first = client.create_batch(
            leads(3), agent_id=AGENT, from_phone_number=IN_NUMBER, idempotency_key="form-42"
        )
        again = client.create_batch(
            leads(3), agent_id=AGENT, from_phone_number=IN_NUMBER, idempotency_key="form-42"
        )
        assert again.id == first.id
        for name in ("b", "c"):
            client.create_batch(leads(2), agent_id=AGENT, from_phone_number=IN_NUMBER, name=name)
        page = client.list_batches(page=1, limit=2)
        assert (page.meta.total, page.meta.totalPages, page.has_next) == (3, 2, True)
        assert [batch.name for batch in page.data] == ["c", "b"]
        assert [batch.id for batch in client.iter_batches(limit=2)][-1] == first.id


def test_cancel_through_the_client() -> None:
    with (
        serve_sandbox(sandbox_settings(speed=300)) as slow,
        BatchCallClient(slow.base_url, API_KEY) as client,
    ):
        batch = client.create_batch(
            leads(30), agent_id=AGENT, from_phone_number=IN_NUMBER, max_concurrent_calls=2
        )
        deadline = time.monotonic() + 10
        while client.get_batch(batch.id).state != "running":  # both lines busy from here on
            assert time.monotonic() < deadline
            time.sleep(0.01)
        cancelled = client.cancel_batch(batch.id)
        assert cancelled.state == "cancelled"
        counts = cancelled.status_counts or {}
        assert counts["queued"] == 0 and counts["initiated"] + counts["in-progress"] == 2
        assert not cancelled.is_finished  # the two calls in flight still finish
        final = client.wait_for_batch(batch.id, poll_seconds=0.02, timeout=10)
        assert final.state == "cancelled" and final.completed_at is not None
        assert final.is_finished
        assert final.status_counts == {
            **(final.status_counts or {}),
            "initiated": 0,
            "in-progress": 0,
            "queued": 0,
        }
        assert (final.status_counts or {})["cancelled"] == counts["cancelled"]


def test_scheduled_at_round_trips() -> None:
    when = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=123000)
    with serve_sandbox() as fresh, BatchCallClient(fresh.base_url, API_KEY) as client:
        batch = client.create_batch(
            leads(2), agent_id=AGENT, from_phone_number=IN_NUMBER, scheduled_at=when
        )
        time.sleep(0.1)
        waiting = client.get_batch(batch.id)
        assert waiting.scheduled_at == when
        assert waiting.state == "active" and waiting.started_at is None


def test_the_client_reaches_a_mounted_sandbox() -> None:
    api = create_app(sandbox_settings())
    try:
        outer = Starlette(routes=[Mount("/sandbox", app=api)])
        with (
            serve_asgi(outer) as base_url,
            BatchCallClient(f"{base_url}/sandbox", API_KEY) as client,
        ):
            batch = client.create_batch(leads(4), agent_id=AGENT, from_phone_number=IN_NUMBER)
            done = client.wait_for_batch(batch.id, poll_seconds=0.02, timeout=10)
            assert done.completed + done.failed == 4
            assert len(list(client.iter_calls(batch_id=batch.id))) == 4
    finally:
        close_app(api)
