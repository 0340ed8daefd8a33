"""The batch lifecycle the sandbox plays: initiated -> active -> running -> completed."""

from __future__ import annotations

import json
import time
from typing import Any

from batchcall.sandbox.launch import LaunchRequest, launch
from batchcall.sandbox.simulator import Simulator
from batchcall.sandbox.store import Store
from batchcall.sandbox.workspace import Workspace

from tests.sandbox_server import create, csv_file, indian_mobiles, sandbox_settings, serve_sandbox
from tests.workspace_data import AGENT, IN_NUMBER, WORKSPACE


def leads(count: int) -> bytes:
    return csv_file(*(f"{number},Lead {i}" for i, number in enumerate(indian_mobiles(count))))


def _state(store: Store, batch_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    row = dict(store.get_batch(batch_id))  # type: ignore[arg-type]
    calls, _ = store.list_calls({"batch_id": batch_id}, page=1, limit=100)
    return row, [dict(call) for call in calls]


def test_the_first_tick_only_accepts_the_batch_and_the_next_one_dials() -> None:
    store = Store(":memory:")
    try:
        request = LaunchRequest(AGENT, IN_NUMBER, "t", None, 3, None, "c.csv", leads(8))
        batch, _ = launch(store, Workspace.from_dict(WORKSPACE), 5, request, None)
        simulator = Simulator(store, speed=1.0, tick_seconds=1.0)
        base = batch["created_at"]

        simulator.tick(base + 1.0)  # late enough for three calls to be ringing
        accepted, calls = _state(store, batch["id"])
        assert accepted["status"] == "active"
        assert json.loads(accepted["status_counts"])["queued"] == 8
        assert accepted["started_at"] is None and accepted["live"] == 1
        assert all(c["status"] == "queued" and c["attempts"] == 0 for c in calls)

        simulator.tick(base + 2.0)
        running, calls = _state(store, batch["id"])
        assert running["status"] == "running"
        counts = json.loads(running["status_counts"])
        assert counts["initiated"] + counts["in-progress"] == 3 and counts["queued"] <= 5
        # Simulated time still starts at the batch's start: ticks only decide when it is seen.
        assert running["started_at"] == base
        assert sorted(c["started_at"] for c in calls if c["attempts"])[0] == base

        simulator.tick(base + 1e6)
        done, calls = _state(store, batch["id"])
        assert done["status"] == "completed" and done["live"] == 0
        assert all(c["attempts"] >= 1 and c["ended_at"] for c in calls)
    finally:
        store.close()


def test_over_http_active_shows_between_the_ack_and_the_end() -> None:
    with serve_sandbox(sandbox_settings(tick_seconds=0.25)) as sandbox:
        api = sandbox.http
        created = create(api, leads(3)).json()
        seen = [created["status"]]
        deadline = time.monotonic() + 10
        while seen[-1] != "completed":
            assert time.monotonic() < deadline, seen
            batch = api.get(f"/v1/batch-calls/{created['id']}").json()
            if batch["status"] != seen[-1]:
                seen.append(batch["status"])
                if batch["status"] == "active":
                    assert batch["status_counts"]["queued"] == 3
                    assert batch["started_at"] is None
            time.sleep(0.01)
        assert seen[:2] == ["initiated", "active"]
        assert set(seen[2:]) <= {"running", "completed"}
