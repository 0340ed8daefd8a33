"""``GET /v1/calls`` filters: both spellings of a status, numbers through the real client."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from batchcall.api.client import BatchCallClient

from tests.sandbox_server import (
    API_KEY,
    RunningSandbox,
    create,
    csv_file,
    indian_mobiles,
    sandbox_settings,
    serve_sandbox,
    wait_for,
)
from tests.workspace_data import IN_NUMBER

NUMBERS = indian_mobiles(60, start=9_500_000_000)


@pytest.fixture(scope="module")
def finished() -> Iterator[tuple[RunningSandbox, dict]]:
    """A sandbox holding one finished 60-lead batch."""
    with serve_sandbox() as sandbox:
        content = csv_file(*(f"{number},Lead {i}" for i, number in enumerate(NUMBERS)))
        batch = wait_for(sandbox.http, create(sandbox.http, content).json()["id"])
        yield sandbox, batch


def total(api: httpx.Client, **params: str) -> int:
    return api.get("/v1/calls", params={"limit": 100, **params}).json()["meta"]["total"]


@pytest.mark.parametrize("spelling", ["no_answer", "no-answer", "No-Answer"])
def test_no_answer_matches_in_either_spelling(
    finished: tuple[RunningSandbox, dict], spelling: str
) -> None:
    sandbox, batch = finished
    expected = batch["status_counts"]["no_answer"]
    assert expected > 0
    body = sandbox.http.get("/v1/calls", params={"status": spelling, "limit": 100}).json()
    assert body["meta"]["total"] == expected
    assert {call["status"] for call in body["data"]} == {"no_answer"}


def test_an_unknown_status_still_matches_nothing(finished: tuple[RunningSandbox, dict]) -> None:
    sandbox, _ = finished
    assert total(sandbox.http, status="no answer at all") == 0
    assert total(sandbox.http, status="completed") > 0


def test_in_progress_matches_in_either_spelling() -> None:
    with serve_sandbox(sandbox_settings(speed=20)) as slow:
        content = csv_file(*(f"{number},x" for number in NUMBERS[:10]))
        batch_id = create(slow.http, content, max_concurrent_calls=5).json()["id"]
        deadline = time.monotonic() + 10
        while not total(slow.http, status="in-progress"):
            assert time.monotonic() < deadline, "no call reached in-progress"
            time.sleep(0.02)
        for spelling in ("in_progress", "IN_PROGRESS"):
            body = slow.http.get("/v1/calls", params={"status": spelling}).json()
            assert body["data"], spelling
            assert {call["status"] for call in body["data"]} == {"in-progress"}
            assert {call["batch_id"] for call in body["data"]} == {batch_id}


def test_the_client_filters_by_from_and_to_numbers(
    finished: tuple[RunningSandbox, dict],
) -> None:
    sandbox, batch = finished
    target = f"+91{NUMBERS[3]}"
    with BatchCallClient(sandbox.base_url, API_KEY, max_retries=0) as client:
        calls = list(client.iter_calls(from_=IN_NUMBER, to=target))
        assert [(call.position, call.to_phone_number) for call in calls] == [(5, target)]
        assert client.list_calls(from_="+919999999999", limit=5).meta.total == 0
        everyone = list(client.iter_calls(from_=IN_NUMBER, limit=25))
        assert len(everyone) == batch["total_leads"] == 60
        no_answer = client.list_calls(status="no-answer", limit=100)
        assert no_answer.meta.total == batch["status_counts"]["no_answer"]
