"""The sandbox writes a batch's calls a slice of rows at a time: every call keeps its row."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from batchcall.sandbox import launch


@pytest.mark.parametrize("chunk", [1, 3, 4, 10, 1000])
def test_each_call_carries_its_own_rows_number_and_variables(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(launch, "CHUNK_ROWS", chunk)
    rows = range(2, 12)  # spreadsheet rows: the header is row 1
    contacts = pd.DataFrame(
        {
            "phone_number": [f"98765432{r:02d}" for r in rows],
            "name": [f"Person {r}" for r in rows],
            "note": ["line\nbreak" if r == 5 else f"note {r}" for r in rows],
        },
        index=pd.Index(rows, name="row"),
    )
    e164 = pd.Series([f"+9198765432{r:02d}" for r in rows], index=contacts.index)
    batch = {"id": "batch_x", "agent_id": "agt", "from_phone_number": "+1", "created_at": 0.0}

    calls = list(launch._call_rows(contacts, e164, batch, start_at=5.0))

    assert [call[2] for call in calls] == list(rows)
    assert [call[5] for call in calls] == e164.tolist()
    assert [json.loads(call[6]) for call in calls] == [
        {"name": f"Person {r}", "note": "line\nbreak" if r == 5 else f"note {r}"} for r in rows
    ]
    ids = [call[0] for call in calls]
    assert all(re.fullmatch(r"call_[0-9a-f]{24}", i) for i in ids)
    assert ids == sorted(set(ids))  # one each, in row order: the id index grows at its end
    again = [call[0] for call in launch._call_rows(contacts, e164, batch, start_at=5.0)]
    assert not set(again) & set(ids)  # another batch of the same rows: other ids
