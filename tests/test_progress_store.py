"""The change feed (a sandbox extension) and the local progress store it fills.

A follower that only asks for what changed since its last page must end with the
same calls, in the same states, as a full listing; a reload (a new store object on
the same file) keeps the counters over time and the calls; workspaces never mix.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from batchcall.api.client import BatchCallClient
from batchcall.api.errors import NotSupportedError
from batchcall.tracking.follow import follow_changes
from batchcall.tracking.store import CallFilter, ProgressStore, workspace_token

from tests.sandbox_server import (
    API_KEY,
    all_calls,
    create,
    csv_file,
    indian_mobiles,
    sandbox_settings,
    serve_sandbox,
    wait_for,
)

NUMBERS = indian_mobiles(120, start=9_600_000_000)
CITIES = ("Pune", "Delhi", "Agra")


def contacts() -> bytes:
    return csv_file(
        *(f"{n},Lead {i},{CITIES[i % 3]}" for i, n in enumerate(NUMBERS)),
        header="phone_number,customer_name,city",
    )


def test_following_the_feed_while_the_batch_runs_ends_with_every_call_as_listed(
    tmp_path: Path,
) -> None:
    with serve_sandbox(sandbox_settings(speed=400)) as sandbox:
        batch_id = create(sandbox.http, contacts(), max_concurrent_calls=5).json()["id"]
        store = ProgressStore(tmp_path / "progress.db")
        workspace = workspace_token(sandbox.base_url, API_KEY)
        pages = 0
        with BatchCallClient(sandbox.base_url, API_KEY) as client:
            while client.get_batch(batch_id).is_finished is False:
                follow_changes(client, store, workspace, batch_id, page_size=7)
                pages += 1
                time.sleep(0.05)
            result = follow_changes(client, store, workspace, batch_id, page_size=7)
        assert result.caught_up and pages > 1
        listed = {c["id"]: c for c in all_calls(sandbox.http, batch_id)}
        kept = store.calls_frame(workspace, batch_id)
        assert len(kept) == len(listed) == len(NUMBERS)
        assert sorted(kept["submitted_row"]) == sorted(c["position"] for c in listed.values())
        by_row = {c["position"]: c for c in listed.values()}
        for row, status, city in kept[["submitted_row", "status", "city"]].itertuples(index=False):
            assert status == by_row[row]["status"].replace("-", "_")
            assert city == by_row[row]["metadata"]["city"]
        finished = wait_for(sandbox.http, batch_id)
        assert store.status_counts(workspace, batch_id) == {
            status: count for status, count in finished["status_counts"].items() if count
        }


def test_queued_calls_are_never_sent_and_a_cancel_sends_each_once(tmp_path: Path) -> None:
    with serve_sandbox(sandbox_settings(speed=1)) as sandbox:
        batch_id = create(sandbox.http, contacts(), max_concurrent_calls=1).json()["id"]
        store = ProgressStore(":memory:")
        workspace = "w"
        with BatchCallClient(sandbox.base_url, API_KEY) as client:
            follow_changes(client, store, workspace, batch_id)
            assert store.count(workspace, batch_id) <= 1  # at most the one call dialling
            client.cancel_batch(batch_id)
            result = follow_changes(client, store, workspace, batch_id, page_size=50)
            while not result.caught_up:
                result = follow_changes(client, store, workspace, batch_id, page_size=50)
            again = client.call_changes(batch_id, after=result.revision)
        counts = store.status_counts(workspace, batch_id)
        assert counts["cancelled"] >= len(NUMBERS) - 1
        assert again.data == [] and again.next_revision == result.revision


def test_a_reload_draws_the_same_history_and_calls_and_workspaces_never_mix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "progress.db"
    first = ProgressStore(path)
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert first.add_sample("a", "b1", start, {"queued": 3})
    assert not first.add_sample("a", "b1", start + timedelta(seconds=2), {"queued": 3})
    assert first.add_sample("a", "b1", start + timedelta(seconds=4), {"queued": 2, "no-answer": 1})
    assert not first.add_sample("a", "b1", start + timedelta(seconds=1), {"queued": 1})
    first.add_sample("other", "b1", start, {"completed": 9})
    first.close()
    again = ProgressStore(path)
    frame = again.samples_frame("a", "b1")
    assert list(frame.columns) == ["t", "queued", "no_answer"]
    assert frame["queued"].tolist() == [3, 2] and frame["no_answer"].tolist() == [0, 1]
    assert again.samples_frame("a", "nothing").empty
    assert again.samples_frame("other", "b1")["completed"].tolist() == [9]


def test_the_history_thins_itself_but_keeps_the_first_and_latest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("batchcall.tracking.store.MAX_SAMPLES", 10)
    store = ProgressStore(":memory:")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(40):
        store.add_sample("w", "b", start + timedelta(seconds=i), {"completed": i})
    frame = store.samples_frame("w", "b")
    assert len(frame) <= 11
    assert frame["completed"].iloc[0] == 0 and frame["completed"].iloc[-1] == 39
    assert frame["t"].is_monotonic_increasing


def test_rows_map_to_the_operators_spreadsheet_and_filters_read_the_variables() -> None:
    with serve_sandbox() as sandbox:
        batch_id = create(sandbox.http, contacts()).json()["id"]
        wait_for(sandbox.http, batch_id)
        store = ProgressStore(":memory:")
        row_map = {position: position + 100 for position in range(2, len(NUMBERS) + 2)}
        with BatchCallClient(sandbox.base_url, API_KEY) as client:
            follow_changes(client, store, "w", batch_id, row_map=row_map)
    table = store.calls_frame("w", batch_id, offset=0, limit=10)
    assert table["row"].tolist() == list(range(102, 112))
    pune = store.calls_frame("w", batch_id, CallFilter(column="city", value="Pune"))
    assert len(pune) == store.count("w", batch_id, CallFilter(column="city", value="Pune")) == 40
    assert set(pune["city"]) == {"Pune"}
    assert store.variables("w", batch_id) == ["customer_name", "city"]
    assert set(store.column_values("w", batch_id, "city")) == set(CITIES)
    no_answer = store.count("w", batch_id, CallFilter(status="no-answer"))
    assert no_answer == store.status_counts("w", batch_id).get("no_answer", 0)


def test_a_platform_without_the_feed_is_told_apart_from_a_failure() -> None:
    def ignores_after(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/changes"):
            return httpx.Response(404, json={"statusCode": 404, "message": "Cannot GET"})
        return httpx.Response(500)

    def old_calls(request: httpx.Request) -> httpx.Response:
        calls = [{"id": "c1", "status": "completed"}]  # no revision: `after` was ignored
        return httpx.Response(200, json={"data": calls, "next_revision": 5, "remaining": 0})

    for handler in (ignores_after, old_calls):
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = BatchCallClient("http://platform.test", API_KEY, http_client=http)
        with client, pytest.raises(NotSupportedError):
            client.call_changes("batch_1", after=0)
