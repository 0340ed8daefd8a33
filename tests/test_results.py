"""``batchcall.call_results``: each call beside the spreadsheet row it was made for.

The end-to-end tests send a cleaned subset of a file to a real sandbox on loopback,
so the platform's row numbers differ from the operator's and only the row map can
join them; the small tests build calls by hand to pin the edges.
"""

from __future__ import annotations

from datetime import UTC, datetime

import batchcall
import pandas as pd
import pytest
from batchcall import call_results, outcomes_by
from batchcall.api.batches import Call
from batchcall.insight.results import NOT_SENT, RESULT_COLUMNS
from batchcall.sandbox import running

FROM_NUMBER = "+912234567890"
AGENT = "agt_abc123"

FILE = (
    b"phone_number,customer_name,product,status\n"
    b"9876543210,Priya Sharma,home,gold\n"  # row 2
    b"12345,Broken Number,car,silver\n"  # row 3: fails, dropped before sending
    b"9123456789,Rahul Mehra,car,gold\n"  # row 4
    b"9.84512367E+9,Fixable Float,home,bronze\n"  # row 5: fixed to 9845123670
    b"9812345678,Asha Rao,gold,silver\n"  # row 6
)


@pytest.fixture(scope="module")
def sent() -> tuple[pd.DataFrame, list[Call], object]:
    """The file read, fixed, its failing row dropped, sent, and the batch's calls."""
    contacts = batchcall.read_contacts(FILE, "contacts.csv")
    with running(speed=200_000, seed=5) as sandbox, sandbox.client() as client:
        route = next(n for n in client.list_phone_numbers() if n.phone_number == FROM_NUMBER)
        table = batchcall.WorkTable(contacts, route, client.get_telephony_config())
        assert table.apply_fixes() == 1
        table.drop_reason("invalid_phone_number")
        data, row_map = table.cleaned_csv()
        batch = client.create_batch(
            ("clean.csv", data), agent_id=AGENT, from_phone_number=FROM_NUMBER
        )
        client.wait_for_batch(batch.id, poll_seconds=0.05, timeout=30)
        calls = list(client.iter_calls(batch_id=batch.id))
    return contacts, calls, row_map


def test_calls_land_on_the_operators_own_rows(sent: tuple) -> None:
    contacts, calls, row_map = sent
    results = call_results(calls, contacts, row_map)
    assert list(results.columns[: len(RESULT_COLUMNS)]) == RESULT_COLUMNS
    assert results["row"].tolist() == [2, 4, 5, 6]  # row 3 was never sent
    assert results["customer_name"].tolist() == [
        "Priya Sharma",
        "Rahul Mehra",
        "Fixable Float",
        "Asha Rao",
    ]
    # The cell as the operator typed it, beside the number that was called.
    fixed = results.set_index("row").loc[5]
    assert (fixed["phone_number"], fixed["to_phone_number"]) == ("9.84512367E+9", "+919845123670")
    # A file column named like a call column is kept under a prefix, not lost.
    assert results["var_status"].tolist() == ["gold", "gold", "bronze", "silver"]
    assert set(results["status"]) <= {"completed", "no_answer", "busy", "failed"}
    assert str(results["row"].dtype) == "Int64"
    assert str(results["ended_at"].dt.tz) == "UTC"


def test_without_the_row_map_the_platforms_rows_are_kept(sent: tuple) -> None:
    contacts, calls, _ = sent
    results = call_results(calls, contacts)
    assert results["row"].tolist() == [2, 3, 4, 5]  # rows of the file the platform received
    assert results.loc[1, "customer_name"] == "Broken Number"  # hence: pass the map


def test_uncalled_rows_account_for_the_whole_file(sent: tuple) -> None:
    contacts, calls, row_map = sent
    results = call_results(calls, contacts, row_map, uncalled=True)
    assert results["row"].tolist() == [2, 3, 4, 5, 6]
    missing = results.set_index("row").loc[3]
    assert missing["status"] == NOT_SENT and pd.isna(missing["call_id"])
    assert results.groupby("status").size()[NOT_SENT] == 1


def test_without_contacts_the_echoed_variables_are_used(sent: tuple) -> None:
    _, calls, row_map = sent
    results = call_results(calls, row_map=row_map)
    assert results["customer_name"].tolist()[0] == "Priya Sharma"
    assert "var_status" in results.columns and "phone_number" not in results.columns


def test_outcomes_by_reads_the_result_as_it_is(sent: tuple) -> None:
    contacts, calls, row_map = sent
    table = outcomes_by(call_results(calls, contacts, row_map), "product")
    assert dict(zip(table["product"], table["calls"], strict=True)) == {
        "home": 2,
        "car": 1,
        "gold": 1,
    }


def call(position: int | None, status: str, **metadata: str) -> Call:
    return Call(
        id=f"call_{position}_{status}",
        position=position,
        status=status,
        duration_seconds=30 if status == "completed" else 0,
        ended_at="2024-03-01T10:00:00.000Z",
        metadata=metadata,
    )


def test_spellings_unknown_rows_and_an_empty_batch() -> None:
    contacts = pd.DataFrame({"phone_number": ["1", "2"], "city": ["Pune", "Delhi"]}, index=[2, 3])
    results = call_results(
        [call(3, "no-answer"), call(None, "completed"), call(9, "busy")], contacts
    )
    assert results["status"].tolist() == ["no_answer", "busy", "completed"]
    assert results["row"].tolist()[:2] == [3, 9] and pd.isna(results["row"].iloc[2])
    assert results["city"].tolist()[0] == "Delhi" and results["city"].isna().tolist()[1:] == [
        True,
        True,
    ]
    assert results["ended_at"].iloc[0] == datetime(2024, 3, 1, 10, tzinfo=UTC)

    empty = call_results([], contacts)
    assert empty.empty and list(empty.columns) == [*RESULT_COLUMNS, "phone_number", "city"]
    everything = call_results([], contacts, uncalled=True)
    assert everything["status"].tolist() == [NOT_SENT, NOT_SENT]


def test_a_row_map_without_the_position_leaves_the_row_blank() -> None:
    results = call_results([call(2, "completed", city="Pune")], row_map={3: 7})
    assert pd.isna(results["row"].iloc[0]) and results["city"].iloc[0] == "Pune"
