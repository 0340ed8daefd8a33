"""The sandbox writes a batch's calls a slice of rows at a time: every call keeps its row."""

from __future__ import annotations

import json
import re
import sqlite3

import pandas as pd
import pytest
from batchcall.sandbox import launch
from batchcall.sandbox.store import Store

ROWS = range(2, 12)  # spreadsheet rows: the header is row 1


def _contacts(**extra: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    contacts = pd.DataFrame(
        {"phone_number": [f"98765432{r:02d}" for r in ROWS], **extra},
        index=pd.Index(ROWS, name="row"),
    )
    return contacts, pd.Series([f"+9198765432{r:02d}" for r in ROWS], index=contacts.index)


def _write(store: Store, batch_id: str, contacts: pd.DataFrame, e164: pd.Series) -> list:
    batch = {
        "id": batch_id, "name": None, "status": "initiated", "agent_id": "agt",
        "from_phone_number": "+912234567890", "total_leads": len(contacts),
        "max_concurrent_calls": 1, "retry_config": None, "rng_seed": 1, "file_sha256": "x",
        "status_counts": "{}", "live": 1, "created_at": 3.0, "scheduled_at": None,
    }  # fmt: skip
    variables = contacts.drop(columns="phone_number")
    calls = launch.new_calls(variables, e164, f"call_{batch_id[-6:]}", 5.0)
    store.create_batch(batch, calls, None)
    return store.list_calls({"batch_id": batch_id}, page=1, limit=100)[0]


@pytest.mark.parametrize("chunk", [1, 3, 4, 10, 1000])
def test_each_call_carries_its_own_rows_number_and_variables(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(launch, "CHUNK_ROWS", chunk)
    notes = ['line\nbreak "quoted" \\ back', "emoji 😀 / slash", *[f"note {r}" for r in ROWS][2:]]
    contacts, e164 = _contacts(name=[f"Person {r}" for r in ROWS], note=notes)
    store = Store(":memory:")

    calls = _write(store, "batch_aaaaaa", contacts, e164)

    assert [call["position"] for call in calls] == list(ROWS)
    assert [call["to_phone_number"] for call in calls] == e164.tolist()
    assert [json.loads(call["metadata"]) for call in calls] == [
        {"name": f"Person {r}", "note": note} for r, note in zip(ROWS, notes, strict=True)
    ]
    assert {(c["status"], c["not_before"], c["created_at"], c["revision"]) for c in calls} == {
        ("queued", 5.0, 3.0, 0)
    }
    ids = [call["id"] for call in calls]
    assert all(re.fullmatch(r"call_aaaaaa[0-9a-f]{12}", i) for i in ids)
    assert ids == sorted(set(ids))  # one each, in row order: the id index grows at its end
    again = [call["id"] for call in _write(store, "batch_bbbbbb", contacts, e164)]
    assert not set(again) & set(ids)  # another batch of the same rows: other ids


def test_a_list_with_only_phone_numbers_gives_each_call_empty_variables() -> None:
    contacts, e164 = _contacts()
    calls = _write(Store(":memory:"), "batch_cccccc", contacts, e164)
    assert [json.loads(call["metadata"]) for call in calls] == [{}] * len(ROWS)


def test_columns_named_like_the_calls_own_fields_stay_variables() -> None:
    contacts, e164 = _contacts(__row__=["r"] * len(ROWS), __to__=["t"] * len(ROWS))
    contacts["_row_"] = "x"
    calls = _write(Store(":memory:"), "batch_dddddd", contacts, e164)
    assert [call["position"] for call in calls] == list(ROWS)
    assert [call["to_phone_number"] for call in calls] == e164.tolist()
    assert {call["metadata"] for call in calls} == {
        json.dumps({"__row__": "r", "__to__": "t", "_row_": "x"}, separators=(",", ":"))
    }


def test_an_older_database_gets_the_lighter_index_of_changes(tmp_path) -> None:
    path = tmp_path / "sandbox.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:  # as databases written before the index was partial
        conn.execute("DROP INDEX calls_changes")
        conn.execute("CREATE INDEX calls_changes ON calls (batch_id, revision)")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'calls_changes'"
        ).fetchone()
    assert "WHERE revision > 0" in sql


def test_chunks_made_ahead_come_in_order_and_a_failure_reaches_the_writer() -> None:
    made: list[int] = []

    def chunks(fail_at: int | None = None):
        for n in range(5):
            if n == fail_at:
                raise ValueError(f"chunk {n} could not be encoded")
            made.append(n)
            yield n

    assert list(launch.made_ahead(chunks())) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="chunk 2 could not be encoded"):
        list(launch.made_ahead(chunks(fail_at=2)))

    made.clear()
    ahead = launch.made_ahead(chunks())
    assert next(ahead) == 0
    ahead.close()  # the writer stopped (its transaction failed): nothing more is made
    assert made == [0, 1]


def test_a_failing_chunk_leaves_no_batch_and_no_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "CHUNK_ROWS", 3)
    contacts, e164 = _contacts(name=[f"Person {r}" for r in ROWS])
    real = launch._call_chunks

    def failing(*args: object, **kwargs: object):
        for number, chunk in enumerate(real(*args, **kwargs)):  # type: ignore[arg-type]
            if number == 2:
                raise MemoryError("no room for the third chunk")
            yield chunk

    monkeypatch.setattr(launch, "_call_chunks", failing)
    store = Store(":memory:")
    with pytest.raises(MemoryError):
        _write(store, "batch_cccccc", contacts, e164)
    assert store.get_batch("batch_cccccc") is None
    assert store.list_calls({"batch_id": "batch_cccccc"}, page=1, limit=100)[0] == []
