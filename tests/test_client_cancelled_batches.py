"""A cancelled batch is finished only once its calls in flight have ended."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from batchcall.api.batches import Batch
from batchcall.ui.cancelling import can_cancel
from batchcall.ui.progress_view import REFRESH_SECONDS, refresh_interval

from tests.client_support import serve

ENDED_COUNTS = {"queued": 0, "completed": 5, "no_answer": 1, "cancelled": 4}


@pytest.mark.parametrize(
    ("fields", "finished"),
    [
        ({}, True),  # a platform that says no more: cancelled is all we will learn
        ({"status_counts": {}}, True),
        ({"completed_at": "2024-03-01T10:05:00.000Z"}, True),
        ({"status_counts": ENDED_COUNTS}, True),
        ({"status_counts": {**ENDED_COUNTS, "in-progress": 2}}, False),
        ({"status_counts": {**ENDED_COUNTS, "in_progress": 1}}, False),
        ({"status_counts": {**ENDED_COUNTS, "initiated": 1}}, False),
        ({"status_counts": {**ENDED_COUNTS, "queued": 3}}, False),
        ({"status_counts": {**ENDED_COUNTS, "In-Progress": 1}}, False),
        ({"status_counts": {**ENDED_COUNTS, "in-progress": 0, "initiated": 0}}, True),
        ({"status_counts": {**ENDED_COUNTS, "mystery": 2}}, True),
        (
            {
                "status_counts": {**ENDED_COUNTS, "in-progress": 2},
                "completed_at": "2024-03-01T10:05:00.000Z",
            },
            True,
        ),
    ],
)
def test_cancelled_is_finished_only_when_nothing_is_in_flight(
    fields: dict[str, Any], finished: bool
) -> None:
    for status in ("cancelled", "canceled"):
        batch = Batch.model_validate({"id": "b", "status": status, **fields})
        assert batch.state == "cancelled"
        assert batch.is_finished is finished, (status, fields)


@pytest.mark.parametrize("status", ["completed", "failed"])
def test_other_final_states_stay_finished_whatever_the_counts(status: str) -> None:
    counts = {**ENDED_COUNTS, "in-progress": 2}
    assert Batch.model_validate({"id": "b", "status": status, "status_counts": counts}).is_finished


def test_wait_for_batch_keeps_polling_while_cancelled_calls_finish() -> None:
    answers = iter(
        [
            {"status": "running", "status_counts": {"queued": 6, "in-progress": 2}},
            {"status": "cancelled", "status_counts": {"cancelled": 6, "in-progress": 2}},
            {
                "status": "cancelled",
                "status_counts": {"cancelled": 6, "in-progress": 1, "completed": 1},
            },
            {
                "status": "cancelled",
                "status_counts": {"cancelled": 6, "completed": 2},
                "completed_at": "2024-03-01T10:05:00.000Z",
            },
        ]
    )
    client, seen = serve(
        {"/v1/batch-calls/b1": lambda r: httpx.Response(200, json={"id": "b1", **next(answers)})}
    )
    done = client.wait_for_batch("b1", poll_seconds=1)
    assert len(seen) == 4
    assert done.completed_at is not None and done.status_counts == {"cancelled": 6, "completed": 2}


def test_wait_for_batch_stops_at_a_bare_cancelled() -> None:
    client, seen = serve({"/v1/batch-calls/b1": {"id": "b1", "status": "cancelled"}})
    assert client.wait_for_batch("b1", poll_seconds=1).state == "cancelled"
    assert len(seen) == 1


def test_the_progress_page_refreshes_until_a_cancelled_batch_settles() -> None:
    now = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    flying = Batch(id="b", status="cancelled", status_counts={"cancelled": 6, "in-progress": 2})
    settled = Batch(id="b", status="cancelled", status_counts={"cancelled": 6, "completed": 2})
    assert refresh_interval(flying, now) == REFRESH_SECONDS
    assert refresh_interval(settled, now) is None
    assert refresh_interval(Batch(id="b", status="cancelled"), now) is None


@pytest.mark.parametrize(
    ("status", "counts", "offered"),
    [
        ("running", {"queued": 6, "in-progress": 2}, True),
        ("active", {"queued": 8}, True),
        ("cancelled", {"cancelled": 6, "in-progress": 2}, False),
        ("cancelled", {"cancelled": 6, "completed": 2}, False),
        ("completed", {"completed": 8}, False),
    ],
)
def test_cancel_is_offered_only_before_a_cancel(
    status: str, counts: dict[str, int], offered: bool
) -> None:
    assert can_cancel(Batch(id="b", status=status, status_counts=counts)) is offered
