"""A group of numbered batches against the real sandbox on loopback: each batch once, even
when a run fails half-way and is run again; the record follows them together."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from batchcall.api.client import BatchCallClient
from batchcall.api.errors import ApiConnectionError
from batchcall.checks import precheck
from batchcall.checks.waves import plan_waves
from batchcall.work.groups import (
    GroupRecord,
    GroupStore,
    group_base_key,
    item_keys,
    items_from_parts,
    items_from_waves,
    submit_group,
)
from batchcall.work.parts import split_rows

from tests.sandbox_server import API_KEY, RunningSandbox, serve_sandbox
from tests.workspace_data import AGENT, IN_NUMBER, SIP_NUMBER, SIP_ROUTE, TELEPHONY_CONFIG


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    """An empty sandbox per test: the tests count every batch it holds."""
    with serve_sandbox() as running:
        yield running


def indian_list(count: int) -> pd.DataFrame:
    numbers = [f"+91{n}" for n in np.arange(9_800_000_000, 9_800_000_000 + count * 7, 7)]
    names = [f"Customer {i}" for i in range(count)]
    return pd.DataFrame(
        {"phone_number": numbers, "customer_name": names},
        index=pd.RangeIndex(2, 2 + count, name="row"),
    )


def faulty_client(base_url: str, fail_on_create: int) -> BatchCallClient:
    """The real HTTP client, except that the ``fail_on_create``-th create never connects."""
    real = httpx.HTTPTransport()
    creates = 0

    def forward(request: httpx.Request) -> httpx.Response:
        nonlocal creates
        if request.method == "POST" and request.url.path.endswith("/batch-calls"):
            creates += 1
            if creates == fail_on_create:
                raise httpx.ConnectError("injected: the network dropped", request=request)
        return real.handle_request(request)

    http = httpx.Client(transport=httpx.MockTransport(forward))
    return BatchCallClient(base_url, API_KEY, http_client=http, max_retries=0)


def batches_held(sandbox: RunningSandbox) -> int:
    return int(sandbox.http.get("/v1/batch-calls", params={"limit": 1}).json()["meta"]["total"])


def test_keys_are_numbered_from_one_base_and_a_single_batch_keeps_the_plain_key() -> None:
    assert item_keys("wb-abc", 3) == ["wb-abc-1of3", "wb-abc-2of3", "wb-abc-3of3"]
    assert item_keys("wb-abc", 1) == ["wb-abc"]
    parts = split_rows(indian_list(300), limit_bytes=4_000)
    items = items_from_parts("May", parts)
    base = group_base_key(items, "wb-plain")
    assert base.startswith("wb-") and base != "wb-plain"
    assert group_base_key(items, "wb-plain") == base  # deterministic
    other = items_from_parts("May", split_rows(indian_list(300), limit_bytes=5_000))
    assert group_base_key(other, "wb-plain") != base  # another split: other keys
    single = items_from_parts("May", split_rows(indian_list(10)))
    assert group_base_key(single, "wb-plain") == "wb-plain"


def test_a_group_is_created_in_order_and_a_rerun_after_a_failure_creates_only_the_rest(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    rows = indian_list(900)
    parts = split_rows(rows, limit_bytes=12_000)
    assert len(parts) == 3
    items = items_from_parts("May campaign", parts)
    base = group_base_key(items, "wb-test-group")
    store = GroupStore(tmp_path)
    common = {"base_key": base, "agent_id": AGENT, "from_phone_number": IN_NUMBER}

    kept: list[dict] = []
    flaky = faulty_client(sandbox.base_url, fail_on_create=3)
    with flaky, pytest.raises(ApiConnectionError):
        submit_group(flaky, items, **common, on_created=lambda r: kept.append(r.to_dict()))
    assert batches_held(sandbox) == 2
    half = GroupRecord.from_dict(kept[-1])
    assert len(half.batch_ids) == 2 and not half.complete

    with BatchCallClient(sandbox.base_url, API_KEY) as api:
        done = submit_group(api, items, **common, name="May campaign", on_created=store.save)
        again = submit_group(api, items, **common)
    ids = [batch.id for batch in done.batches]
    assert ids[:2] == half.batch_ids  # the first two came back as they were
    assert [batch.id for batch in again.batches] == ids
    assert batches_held(sandbox) == 3  # three batches, none twice
    assert [b.name for b in done.batches] == [f"May campaign ({n}/3)" for n in (1, 2, 3)]
    assert [b.total_leads for b in done.batches] == [len(p.row_map) for p in parts]

    record = store.load(base)
    assert record is not None and record.complete and record.batch_ids == ids
    assert json.loads(json.dumps(record.to_dict())) == done.record.to_dict()
    assert [e.idempotency_key for e in record.entries] == item_keys(base, 3)
    assert [row for e in record.entries for row in e.rows] == list(rows.index)
    second = record.entries[1]
    assert second.row_map[2] == parts[1].rows[0]  # the platform's row 2 of batch 2


def test_waves_are_batches_scheduled_at_their_opening(sandbox: RunningSandbox) -> None:
    at = datetime.now(UTC).replace(microsecond=0)
    numbers = ["+12125550143", "+13105550199", "+919876543210", "+61291234567"]
    rows = pd.DataFrame(
        {"phone_number": numbers, "customer_name": ["Ann", "Bob", "Chitra", "Dan"]},
        index=pd.RangeIndex(2, 6, name="row"),
    )
    report = precheck(rows, SIP_ROUTE, TELEPHONY_CONFIG, at=at)
    plan = plan_waves(report, rows=rows.index)
    items = items_from_waves("Launch", rows, plan)
    assert [item.scheduled_at for item in items] == [w.scheduled_at for w in plan.waves]
    base = group_base_key(items, "wb-waves")
    with BatchCallClient(sandbox.base_url, API_KEY) as api:
        common = {"base_key": base, "agent_id": AGENT, "from_phone_number": SIP_NUMBER}
        done = submit_group(api, items, **common)
        again = submit_group(api, items, **common)
        stored = [api.get_batch(batch.id) for batch in done.batches]
    assert [b.id for b in again.batches] == [b.id for b in done.batches]
    assert batches_held(sandbox) == len(plan.waves)
    # 09:00-20:00 in Los Angeles and in Sydney never overlap: one wave at least waits.
    assert any(wave.scheduled_at is not None for wave in plan.waves)
    for batch, wave in zip(stored, plan.waves, strict=True):
        assert batch.name == f"Launch — {wave.label}"
        if wave.scheduled_at is not None:
            assert batch.scheduled_at is not None and wave.scheduled_at > at
            assert abs(batch.scheduled_at - wave.scheduled_at) < timedelta(seconds=1)
    assert sorted(r for e in done.record.entries for r in e.rows) == [2, 3, 4, 5]
