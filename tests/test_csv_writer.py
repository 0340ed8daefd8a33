"""The arrow CSV writer: the csv module's bytes, every cell read back exactly.

Compared with what Python's csv module writes for the same cells (``QUOTE_MINIMAL``,
``\\n`` line ends): identical, except that cells holding a line break the csv module
does not quote are quoted too; pandas and the csv module read every cell back.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from batchcall.contacts import read_contacts
from batchcall.text import ARROW_TEXT
from batchcall.work import csv_writer
from batchcall.work.csv_writer import LINE_BREAKS, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st


def csv_module(frame: pd.DataFrame) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(name) for name in frame.columns])
    cells = frame.astype(object).where(frame.notna(), "")
    writer.writerows([[str(cell) for cell in row] for row in cells.to_numpy()])
    return out.getvalue().encode("utf-8")


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters=LINE_BREAKS))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=0, max_size=30))
def test_the_same_bytes_as_the_csv_module(rows: list[tuple[str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["phone_number", 'note, with "quotes"'], dtype=object)
    assert write_csv(frame.astype(ARROW_TEXT)) == csv_module(frame)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"])), max_size=30))
def test_any_cell_reads_back_exactly_in_one_and_two_columns(cells: list[str]) -> None:
    for frame in (
        pd.DataFrame({"phone_number": cells}, dtype=ARROW_TEXT),
        pd.DataFrame({"phone_number": cells, "note": cells[::-1]}, dtype=ARROW_TEXT),
    ):
        data = write_csv(frame)
        assert read_back(data) == [list(frame.columns), *frame.to_numpy().tolist()]


@pytest.mark.parametrize("brk", list(LINE_BREAKS), ids=lambda b: f"U+{ord(b):04X}")
def test_every_line_break_is_quoted_where_it_stands(brk: str) -> None:
    frame = pd.DataFrame({"phone_number": ["9876543210", "9876543211"], "note": [f"a{brk}b", "c"]})
    data = write_csv(frame)
    assert data == f'phone_number,note\n9876543210,"a{brk}b"\n9876543211,c\n'.encode()
    assert read_contacts(data, "sent.csv")["note"].tolist() == [f"a{brk}b", "c"]


def test_an_empty_cell_alone_on_its_row_is_not_a_blank_line() -> None:
    frame = pd.DataFrame({"phone_number": ["1", None, "", "2"]}, dtype=ARROW_TEXT)
    assert write_csv(frame) == b'phone_number\n1\n""\n""\n2\n'
    assert pd.read_csv(io.BytesIO(write_csv(frame)), dtype=str).shape == (4, 1)


def test_missing_cells_and_other_types_are_written_as_pandas_writes_them() -> None:
    frame = pd.DataFrame(
        {"row": [2, 3, 4], "amount": [1.5, np.nan, 3.0], "flag": [True, False, None]},
    )
    assert write_csv(frame) == b"row,amount,flag\n2,1.5,True\n3,,False\n4,3.0,\n"


def test_rows_across_chunks_and_a_header_only_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_writer, "CHUNK_ROWS", 7)
    frame = pd.DataFrame(
        {"phone_number": [f"98765{i:05d}" for i in range(50)], "note": ["x,y"] * 50},
        index=range(2, 52),
    ).iloc[3:]  # a slice: the arrays start past their buffers' beginning
    assert write_csv(frame) == csv_module(frame)
    assert write_csv(frame.iloc[:0]) == b"phone_number,note\n"
