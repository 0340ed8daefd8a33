"""Parts: a list cut between rows into files that each fit the limit, written exactly as
Submit writes them, each leading back to the operator's own rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from batchcall.contacts import FileTooLargeError, read_contacts
from batchcall.work.exports import submission_csv
from batchcall.work.groups import items_from_parts
from batchcall.work.parts import parts_summary, split_rows, split_table
from batchcall.work.sending import sent_csv
from batchcall.work.table import WorkTable


def contacts(count: int, *, awkward_every: int = 0, first_row: int = 2) -> pd.DataFrame:
    """Indian mobiles with names and notes; every ``awkward_every``-th note holds quotes, a
    delimiter and line breaks (the csv writer quotes it, and its newline is no record end)."""
    rng = np.random.default_rng(5)
    numbers = [f"+91{n}" for n in rng.integers(6_000_000_000, 9_999_999_999, count)]
    notes = ["called before; wants the afternoon"] * count
    if awkward_every:
        for i in range(0, count, awkward_every):
            notes[i] = 'said "call back",\nafter 5 pm\n'
    return pd.DataFrame(
        {"phone_number": numbers, "customer_name": [f"Priya {i}" for i in range(count)],
         "note": notes},
        index=pd.RangeIndex(first_row, first_row + count, name="row"),
    )  # fmt: skip


def test_a_list_that_fits_is_one_part_identical_to_the_file_submit_sends() -> None:
    rows = contacts(50)
    (part,) = split_rows(rows)
    assert (part.number, part.of) == (1, 1)
    assert part.data == submission_csv(rows)
    assert part.rows == list(range(2, 52))
    assert part.label("May") == "May"


@pytest.mark.parametrize("awkward_every", [0, 7])
def test_parts_fit_the_limit_never_split_a_row_and_map_back(awkward_every: int) -> None:
    rows = contacts(3_000, awkward_every=awkward_every, first_row=5)
    rows = rows.drop(index=[9, 10, 400])  # rows dropped earlier keep their numbers
    whole = submission_csv(rows)
    limit = 40_000
    parts = split_rows(rows, limit_bytes=limit)
    assert len(parts) == -(-len(whole) // limit) or len(parts) == -(-len(whole) // limit) + 1
    assert [p.number for p in parts] == list(range(1, len(parts) + 1))
    assert {p.of for p in parts} == {len(parts)}
    sent: list[int] = []
    for part in parts:
        assert part.size <= limit
        assert part.data == submission_csv(rows.loc[part.rows])  # exactly as Submit writes
        back = read_contacts(part.data, "part.csv")
        assert back.to_dict("list") == rows.loc[part.rows].to_dict("list")  # no row cut
        assert [part.row_map[r] for r in range(2, 2 + len(part.row_map))] == part.rows
        sent += part.rows
    assert sent == list(rows.index)  # every row once, in order
    sizes = [p.size for p in parts]
    assert max(sizes) - min(sizes) < 0.05 * limit  # even parts, not 10 + 10 + 0.3
    summary = parts_summary(parts)
    assert summary[0]["first_row"] == 5 and summary[-1]["last_row"] == int(rows.index[-1])


def test_a_cell_that_needs_quoting_is_quoted_in_its_part_only() -> None:
    """A lone CR is quoted where it stands; every part is its rows' records byte for byte
    as the whole file has them, so the parts add up to the whole."""
    rows = contacts(2_000)
    rows.loc[1_000, "note"] = "line\rbreak"
    parts = split_rows(rows, limit_bytes=30_000)
    assert all(p.size <= 30_000 for p in parts)
    assert b'"line\rbreak"' in next(p for p in parts if 1_000 in p.rows).data
    assert sum(b'"' in p.data for p in parts) == 1
    header, _, body = submission_csv(rows).partition(b"\n")
    assert b"".join(p.data.partition(b"\n")[2] for p in parts) == body
    assert all(p.data.partition(b"\n")[0] == header for p in parts)


def test_a_row_that_cannot_fit_any_part_is_refused_naming_row_and_column() -> None:
    rows = contacts(20)
    rows.loc[7, "note"] = "x" * 5_000
    with pytest.raises(FileTooLargeError) as refused:
        split_rows(rows, limit_bytes=2_000, name="leads.csv")
    message = str(refused.value)
    assert message.startswith("leads.csv: row 7 alone")
    assert "'note'" in message and "2,000 bytes" in message
    assert (refused.value.row, refused.value.column) == (7, "note")


def test_a_work_table_splits_what_sent_csv_would_send(in_route, config) -> None:
    rows = contacts(600)
    table = WorkTable(rows, in_route, config)
    exclude, rename = [3, 4], {"customer_name": "name"}
    whole, row_map = sent_csv(table, exclude, rename)
    parts = split_table(table, exclude, rename, limit_bytes=len(whole) // 3 + 200)
    assert len(parts) == 3
    assert [row for p in parts for row in p.rows] == list(row_map.values())
    assert all(p.data.startswith(b"phone_number,name,note\n") for p in parts)
    items = items_from_parts("May", parts, stem="leads")
    assert [i.name for i in items] == ["May (1/3)", "May (2/3)", "May (3/3)"]
    assert [i.filename for i in items] == ["leads-1of3.csv", "leads-2of3.csv", "leads-3of3.csv"]
