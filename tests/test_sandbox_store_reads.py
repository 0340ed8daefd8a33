"""A file-backed sandbox store reads the last commit while a change is being written."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest
from batchcall.sandbox import launch
from batchcall.sandbox.store import Store


def _create(store: Store, batch_id: str, rows: int = 3) -> None:
    batch = {
        "id": batch_id, "name": None, "status": "initiated", "agent_id": "agt",
        "from_phone_number": "+912234567890", "total_leads": rows,
        "max_concurrent_calls": 1, "retry_config": None, "rng_seed": 1, "file_sha256": "x",
        "status_counts": "{}", "live": 1, "created_at": 3.0, "scheduled_at": None,
    }  # fmt: skip
    index = pd.Index(range(2, 2 + rows), name="row")
    variables = pd.DataFrame({"name": [f"P{i}" for i in index]}, index=index)
    e164 = pd.Series([f"+91987654{i:04d}" for i in index], index=index)
    store.create_batch(batch, launch.new_calls(variables, e164, f"call_{batch_id}", 5.0), None)


def test_reads_do_not_wait_for_a_change_being_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "sandbox.db")
    _create(store, "batch_one")
    writing, release = threading.Event(), threading.Event()

    def long_change() -> None:
        with store.transaction() as conn:
            conn.execute("UPDATE batches SET name = 'renamed' WHERE id = 'batch_one'")
            writing.set()
            release.wait(10)

    writer = threading.Thread(target=long_change)
    writer.start()
    try:
        assert writing.wait(5)
        read: dict[str, object] = {}
        reader = threading.Thread(
            target=lambda: read.update(
                batch=store.get_batch("batch_one"),
                calls=store.list_calls({"batch_id": "batch_one"}, page=1, limit=10),
                changes=store.changed_calls("batch_one", 0, 10),
                batches=store.list_batches(page=1, limit=10),
            )
        )
        reader.start()
        reader.join(2)
        assert not reader.is_alive(), "a read waited for the change being written"
        assert read["batch"]["name"] is None  # the last commit, not the change in progress
        assert read["calls"][1] == 3 and read["batches"][1] == 1
        assert read["changes"] == ([], 0)
    finally:
        release.set()
        writer.join(5)
    assert store.get_batch("batch_one")["name"] == "renamed"  # committed: read at once
    store.close()


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_create_is_read_back_at_once(tmp_path: Path, where: str) -> None:
    store = Store(":memory:" if where == "memory" else tmp_path / "sandbox.db")
    _create(store, "batch_two", rows=5)
    calls, total = store.list_calls({"batch_id": "batch_two"}, page=1, limit=10)
    assert total == 5 and [call["position"] for call in calls] == [2, 3, 4, 5, 6]
    assert store.batch_for_key("nothing") is None
    assert store.live_batch_ids() == ["batch_two"]
    store.close()
