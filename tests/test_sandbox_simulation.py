"""Batches play out as the contract says: lifecycle, concurrency, cancel, restart, replay."""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from batchcall.sandbox import close_app, create_app
from batchcall.sandbox.launch import LaunchRequest, launch
from batchcall.sandbox.outcomes import plan_attempt
from batchcall.sandbox.schemas import RetryConfig
from batchcall.sandbox.simulator import Simulator
from batchcall.sandbox.store import Store
from batchcall.sandbox.workspace import Workspace
from starlette.applications import Starlette
from starlette.routing import Mount

from tests.sandbox_server import (
    API_KEY,
    RunningSandbox,
    all_calls,
    create,
    csv_file,
    indian_mobiles,
    sandbox_settings,
    serve_asgi,
    serve_sandbox,
    wait_for,
)
from tests.workspace_data import AGENT, IN_NUMBER, WORKSPACE

IN_FLIGHT = ("initiated", "in-progress")
ENDED = {"completed", "no_answer", "busy", "failed"}
END_REASONS = {
    "completed": {"user_disconnected", "agent_disconnected"},
    "no_answer": {"user_did_not_pick_up"},
    "busy": {"user_busy"},
    "failed": {"user_unreachable"},
}


def leads(count: int, start: int = 9_800_000_000) -> bytes:
    numbers = indian_mobiles(count, start)
    return csv_file(*(f"{number},Lead {i}" for i, number in enumerate(numbers)))


def outcomes(calls: list[dict[str, Any]]) -> dict[int, tuple[Any, ...]]:
    return {
        c["position"]: (c["status"], c["duration_seconds"], c["end_reason"], c["attempts"])
        for c in calls
    }


@pytest.fixture(scope="module")
def fast() -> Iterator[RunningSandbox]:
    with serve_sandbox() as running:
        yield running


# ---- the store and the simulator alone, on a fake clock ---------------------------------------


def _launch(
    store: Store, content: bytes, *, mcc: int, retry: RetryConfig | None = None, seed: int = 5
) -> dict[str, Any]:
    request = LaunchRequest(AGENT, IN_NUMBER, "t", None, mcc, retry, "c.csv", content)
    batch, created = launch(store, Workspace.from_dict(WORKSPACE), seed, request, None)
    assert created
    return batch


def _timeline(ticks: list[float], content: bytes, mcc: int) -> tuple[dict[str, Any], list[Any]]:
    """Run a batch at speed 1 with ticks at these offsets (s) from its creation."""
    store = Store(":memory:")
    try:
        batch = _launch(store, content, mcc=mcc)
        simulator = Simulator(store, speed=1.0, tick_seconds=1.0)
        for offset in ticks:
            simulator.tick(batch["created_at"] + offset)
        row = dict(store.get_batch(batch["id"]))  # type: ignore[arg-type]
        calls, _ = store.list_calls({"batch_id": batch["id"]}, page=1, limit=100)
        base = batch["created_at"]
        return row, [
            (c["position"], c["status"], c["started_at"] - base, c["ended_at"] - base)
            for c in calls
        ]
    finally:
        store.close()


def test_a_key_that_raced_in_meanwhile_still_yields_one_batch() -> None:
    """Two creates with one Idempotency-Key that both passed the route's early check."""
    store = Store(":memory:")
    try:
        request = LaunchRequest(AGENT, IN_NUMBER, "t", None, 10, None, "c.csv", leads(2))
        work = Workspace.from_dict(WORKSPACE)
        first, created = launch(store, work, 1, request, "key-1")
        second, created_again = launch(store, work, 1, request, "key-1")
        assert (created, created_again) == (True, False)
        assert second["id"] == first["id"]
        assert store.list_batches(page=1, limit=10)[1] == 1
    finally:
        store.close()


def test_coarse_ticks_replay_the_same_timeline_as_fine_ones() -> None:
    content = leads(25)
    coarse_batch, coarse = _timeline([0.5, 100_000.0], content, mcc=4)  # accept, then play all
    fine_batch, fine = _timeline([i * 7.0 for i in range(1, 3000)], content, mcc=4)
    assert coarse_batch["status"] == fine_batch["status"] == "completed"
    assert [c[:2] for c in coarse] == [f[:2] for f in fine]
    for (_, _, *times), (_, _, *expected) in zip(coarse, fine, strict=True):
        assert times == pytest.approx(expected, abs=1e-6)


def test_slots_refill_the_instant_a_call_ends() -> None:
    """Completion time equals list scheduling of the planned durations on mcc lines."""
    content, mcc = leads(30), 3
    batch, timeline = _timeline([0.5, 1e6], content, mcc=mcc)
    store = Store(":memory:")
    seed = _launch(store, content, mcc=mcc)["rng_seed"]
    store.close()
    lines = [0.0] * mcc
    for position in range(2, 32):
        plan = plan_attempt(seed, position, 0)
        heapq.heappush(lines, heapq.heappop(lines) + plan.ring_seconds + plan.talk_seconds)
    assert batch["completed_at"] - batch["created_at"] == pytest.approx(max(lines), abs=1e-6)
    events = sorted(
        [(start, 1) for _, _, start, _ in timeline] + [(end, -1) for _, _, _, end in timeline]
    )
    in_flight = peak = 0
    for _, step in events:
        in_flight += step
        peak = max(peak, in_flight)
    assert peak == mcc


def test_retries_wait_the_interval_in_simulated_time() -> None:
    store = Store(":memory:")
    try:
        content = leads(40)
        retry = RetryConfig(max_retries=1, retry_interval_minutes=2)
        batch = _launch(store, content, mcc=100, retry=retry)
        simulator = Simulator(store, speed=1.0, tick_seconds=1.0)
        simulator.tick(batch["created_at"])  # initiated -> active
        simulator.tick(batch["created_at"] + 1e6)
        calls, _ = store.list_calls({"batch_id": batch["id"]}, page=1, limit=100)
        retried = [c for c in calls if c["attempts"] == 2]
        assert retried
        for call in retried:
            first = plan_attempt(batch["rng_seed"], call["position"], 0)
            assert first.outcome in ("no_answer", "busy")
            expected = batch["created_at"] + first.ring_seconds + 120
            assert call["started_at"] == pytest.approx(expected, abs=1e-6)
    finally:
        store.close()


def test_outcomes_follow_the_seed_not_the_clock() -> None:
    assert plan_attempt(42, 7, 0) == plan_attempt(42, 7, 0)
    plans = [plan_attempt(42, position, 0) for position in range(2, 2002)]
    shares = {name: sum(p.outcome == name for p in plans) / len(plans) for name in END_REASONS}
    assert 0.74 < shares["completed"] < 0.86 and shares["no_answer"] > 0.06
    for plan in plans:
        assert plan.end_reason in END_REASONS[plan.outcome]
        assert (30 <= plan.duration_seconds <= 180) == (plan.outcome == "completed")


# ---- over HTTP ---------------------------------------------------------------------------


def test_a_batch_runs_to_completed_and_counts_always_sum() -> None:
    with serve_sandbox(sandbox_settings(speed=1500)) as sandbox:
        api = sandbox.http
        created = create(api, leads(40), max_concurrent_calls=4).json()
        seen: list[str] = [created["status"]]
        reads = 0
        deadline = time.monotonic() + 15
        while seen[-1] != "completed" and time.monotonic() < deadline:
            batch = api.get(f"/v1/batch-calls/{created['id']}").json()
            counts = batch["status_counts"]
            assert sum(counts.values()) == batch["total_leads"] == 40, counts
            assert counts["initiated"] + counts["in-progress"] <= 4, counts
            assert batch["completed"] == counts["completed"]
            assert batch["failed"] == counts["no_answer"] + counts["busy"] + counts["failed"]
            if batch["status"] != seen[-1]:
                seen.append(batch["status"])
            reads += 1
        assert reads > 20  # it was watched while running, not only at the end
        assert seen[0] == "initiated" and seen[-1] == "completed"
        assert set(seen) <= {"initiated", "active", "running", "completed"}
        assert "running" in seen
        assert batch["completed"] + batch["failed"] == 40
        assert batch["started_at"] <= batch["completed_at"]
        calls = all_calls(api, created["id"])
        assert sorted(c["position"] for c in calls) == list(range(2, 42))
        for call in calls:
            assert call["status"] in ENDED
            assert call["end_reason"] in END_REASONS[call["status"]]
            assert (call["duration_seconds"] > 0) == (call["status"] == "completed")
            assert call["metadata"] == {"customer_name": f"Lead {call['position'] - 2}"}


def test_cancel_mid_run_lets_calls_in_flight_finish() -> None:
    with serve_sandbox(sandbox_settings(speed=600)) as sandbox:
        api = sandbox.http
        batch_id = create(api, leads(40), max_concurrent_calls=3).json()["id"]
        deadline = time.monotonic() + 10
        while True:
            batch = api.get(f"/v1/batch-calls/{batch_id}").json()
            counts = batch["status_counts"]
            if counts["completed"] + counts["failed"] >= 2 and counts["in-progress"]:
                break
            assert time.monotonic() < deadline, counts
            time.sleep(0.005)
        cancelled = api.post(f"/v1/batch-calls/{batch_id}/cancel")
        assert cancelled.status_code == 200
        after = cancelled.json()
        assert after["status"] == "cancelled" and after["cancelled_at"]
        counts = after["status_counts"]
        flying = counts["initiated"] + counts["in-progress"]
        assert counts["queued"] == 0 and counts["cancelled"] > 0 and flying > 0
        assert sum(counts.values()) == 40
        deadline = time.monotonic() + 10
        while True:
            final = api.get(f"/v1/batch-calls/{batch_id}").json()
            assert final["status"] == "cancelled"
            assert sum(final["status_counts"].values()) == 40
            if final["completed_at"]:
                break
            assert time.monotonic() < deadline
            time.sleep(0.01)
        end_counts = final["status_counts"]
        assert end_counts["cancelled"] == counts["cancelled"]  # no call restarted
        assert end_counts["initiated"] == end_counts["in-progress"] == 0
        ended = sum(end_counts[s] for s in ENDED)
        assert ended == sum(counts[s] for s in ENDED) + flying
        calls = all_calls(api, batch_id)
        assert all(c["end_reason"] is None for c in calls if c["status"] == "cancelled")
        assert api.post(f"/v1/batch-calls/{batch_id}/cancel").status_code == 409


def test_batches_survive_a_restart_and_resume(tmp_path: Any) -> None:
    db = tmp_path / "sandbox.db"
    with serve_sandbox(sandbox_settings(db_path=db, speed=800)) as first:
        done = wait_for(first.http, create(first.http, leads(2), name="yesterday").json()["id"])
        running_id = create(first.http, leads(30), max_concurrent_calls=2).json()["id"]
        time.sleep(0.3)
        before = first.http.get(f"/v1/batch-calls/{running_id}").json()
        assert before["status"] == "running"
    with serve_sandbox(sandbox_settings(db_path=db)) as second:
        assert second.http.get(f"/v1/batch-calls/{done['id']}").json() == done
        listed = second.http.get("/v1/batch-calls").json()
        assert [b["id"] for b in listed["data"]] == [running_id, done["id"]]
        resumed = wait_for(second.http, running_id)
        assert resumed["completed"] + resumed["failed"] == 30
        assert resumed["started_at"] == before["started_at"]
        assert len(all_calls(second.http, running_id)) == 30


def test_same_seed_and_file_replay_the_same_outcomes(fast: RunningSandbox) -> None:
    content = leads(40, start=7_000_000_000)
    retry = '{"max_retries": 1, "retry_interval_minutes": 5}'
    first_id = create(fast.http, content, retry_config=retry).json()["id"]
    wait_for(fast.http, first_id)
    first = outcomes(all_calls(fast.http, first_id))
    with serve_sandbox(sandbox_settings()) as twin:  # same seed, fresh database
        twin_id = create(twin.http, content, retry_config=retry).json()["id"]
        wait_for(twin.http, twin_id)
        assert outcomes(all_calls(twin.http, twin_id)) == first
    again_id = create(fast.http, content, retry_config=retry).json()["id"]
    wait_for(fast.http, again_id)
    assert outcomes(all_calls(fast.http, again_id)) == first  # not seeded by the batch id
    with serve_sandbox(sandbox_settings(seed=8)) as other:
        other_id = create(other.http, content, retry_config=retry).json()["id"]
        wait_for(other.http, other_id)
        assert outcomes(all_calls(other.http, other_id)) != first


def test_a_future_scheduled_at_keeps_the_batch_waiting(fast: RunningSandbox) -> None:
    start = datetime.now(UTC) + timedelta(seconds=1.2)
    stamp = start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    batch_id = create(fast.http, leads(5), scheduled_at=stamp).json()["id"]
    for _ in range(4):
        time.sleep(0.15)
        batch = fast.http.get(f"/v1/batch-calls/{batch_id}").json()
        assert batch["status"] in ("initiated", "active")
        assert batch["status_counts"]["queued"] == 5 and batch["started_at"] is None
        assert batch["scheduled_at"] == stamp
    assert batch["status"] == "active"
    done = wait_for(fast.http, batch_id, timeout=5)
    assert done["started_at"] >= stamp


def test_retry_config_redials_no_answer_and_busy(fast: RunningSandbox) -> None:
    content = leads(60, start=6_000_000_000)
    plain_id = create(fast.http, content).json()["id"]
    retried_id = create(
        fast.http, content, retry_config='{"max_retries": 2, "retry_interval_minutes": 30}'
    ).json()["id"]
    plain = {c["position"]: c for c in all_calls(fast.http, wait_for(fast.http, plain_id)["id"])}
    retried = all_calls(fast.http, wait_for(fast.http, retried_id)["id"])
    redialled = 0
    for call in retried:
        first_try = plain[call["position"]]
        if first_try["status"] in ("no_answer", "busy"):
            assert call["attempts"] >= 2
            redialled += 1
        else:
            assert call["attempts"] == 1 and call["status"] == first_try["status"]
        if call["status"] in ("no_answer", "busy"):
            assert call["attempts"] == 3  # gave up only after max_retries
    assert redialled > 0
    summary = fast.http.get(f"/v1/batch-calls/{retried_id}").json()
    assert summary["retry_config"] == {"max_retries": 2, "retry_interval_minutes": 30}
    assert summary["failed"] < fast.http.get(f"/v1/batch-calls/{plain_id}").json()["failed"]


def test_the_simulator_starts_without_a_lifespan() -> None:
    """Mounted in Streamlit's server, no lifespan runs: the first request starts the ticks."""
    api = create_app(sandbox_settings())
    outer = Starlette(routes=[Mount("/sandbox", app=api)])
    try:
        with (
            serve_asgi(outer) as base_url,
            httpx.Client(
                base_url=f"{base_url}/sandbox", headers={"Authorization": f"Bearer {API_KEY}"}
            ) as client,
        ):
            assert not api.state.simulator.running
            response = create(client, leads(3))
            assert response.status_code == 201
            assert api.state.simulator.running
            assert wait_for(client, response.json()["id"])["completed_at"]
            assert client.get("/openapi.json").status_code == 200
            unauthorised = client.get("/v1/agents", headers={"Authorization": "Bearer nope"})
            assert unauthorised.status_code == 401
            assert client.get("/v1/nowhere").json()["statusCode"] == 404
    finally:
        close_app(api)
    assert not api.state.simulator.running
