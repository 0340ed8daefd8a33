"""read_contacts on what every source kind shares: sources, cell types, the size limit, samples.

CSV parsing is in ``test_contacts_csv_encodings.py`` and ``test_contacts_csv_layout.py``,
refusals in ``test_contacts_refusals.py``, the phone column in
``test_contacts_phone_column.py``, and workbooks (XLSX, XLS) in ``test_contacts_workbook*.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
from pathlib import Path

import pytest
from batchcall.contacts import (
    MAX_FILE_BYTES,
    ContactFileError,
    FileTooLargeError,
    list_sheets,
    read_contacts,
)

from tests.contacts_support import SIMPLE, SIMPLE_TABLE, read, table


class Upload(io.BytesIO):
    """Streamlit's UploadedFile as far as the reader cares: a stream with .name and .size."""

    def __init__(self, data: bytes, name: str, size: int | None = None):
        super().__init__(data)
        self.name = name
        self.size = len(data) if size is None else size


# ------------------------------------------------------------------ sources


def test_every_source_kind_reads_the_same_table(tmp_path: Path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(SIMPLE.encode())
    consumed = Upload(SIMPLE.encode(), "contacts.csv")
    consumed.read()  # a stream someone already read: the reader rewinds it
    sources = [
        (path, None),
        (str(path), None),
        (SIMPLE.encode(), "contacts.csv"),
        (bytearray(SIMPLE.encode()), "contacts.csv"),
        (SIMPLE.encode(), None),  # unnamed bytes: the content decides
        (io.BytesIO(SIMPLE.encode()), "contacts.csv"),
        (Upload(SIMPLE.encode(), "contacts.csv"), None),
        (consumed, None),
    ]
    for source, filename in sources:
        assert table(read_contacts(source, filename)) == SIMPLE_TABLE, (source, filename)


def test_cells_are_str_and_the_index_is_named_row():
    frame = read("phone_number,age,note\n9876543210,,x\n")
    assert frame.index.name == "row"
    assert [type(v) for v in frame.iloc[0]] == [str, str, str]
    assert frame.loc[2, "age"] == ""


def test_phone_number_column_comes_first_others_keep_their_order():
    frame = read("name,city,phone_number,amount\nPriya,Delhi,9876543210,500\n")
    assert list(frame.columns) == ["phone_number", "name", "city", "amount"]
    assert frame.loc[2].tolist() == ["9876543210", "Priya", "Delhi", "500"]


# ------------------------------------------------------------------ size


def test_limit_is_ten_mebibytes():
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


def just_over_limit() -> bytes:
    header = b"phone_number\n"
    line = b"9876543210\n"
    count = (MAX_FILE_BYTES - len(header)) // len(line) + 1
    data = header + line * count
    assert MAX_FILE_BYTES < len(data) <= MAX_FILE_BYTES + len(line)
    return data


def test_too_large_path(tmp_path: Path):
    path = tmp_path / "huge.csv"
    path.write_bytes(just_over_limit())
    with pytest.raises(FileTooLargeError) as caught:
        read_contacts(path)
    assert "huge.csv" in str(caught.value)
    assert "10 MB" in str(caught.value)
    assert "Split" in str(caught.value)


def test_too_large_stream_without_size():
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv is .* at most 10 MB"):
        read_contacts(io.BytesIO(just_over_limit()), "huge.csv")


def test_too_large_upload_is_refused_from_its_size_before_reading():
    upload = Upload(b"phone_number\n9876543210\n", "big.xlsx", size=MAX_FILE_BYTES + 1)
    with pytest.raises(FileTooLargeError, match=r"^big\.xlsx"):
        read_contacts(upload)
    assert upload.tell() == 0


def test_too_large_bytes():
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv"):
        read_contacts(just_over_limit(), "huge.csv")
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv"):
        list_sheets(just_over_limit(), "huge.csv")


def test_exactly_ten_mebibytes_is_accepted():
    header = b"phone_number\n"
    data = header + b"9" * (MAX_FILE_BYTES - len(header) - 1) + b"\n"
    assert len(data) == MAX_FILE_BYTES
    frame = read_contacts(data, "edge.csv")
    assert list(frame.index) == [2]
    assert len(frame.loc[2, "phone_number"]) == MAX_FILE_BYTES - len(header) - 1


# ------------------------------------------------------------------ list_sheets, samples


def test_list_sheets_of_a_csv_is_empty():
    assert list_sheets(SIMPLE.encode(), "contacts.csv") == []


def test_sample_loan_followup(sample_path):
    frame = read_contacts(sample_path("loan_followup.csv"))
    assert list(frame.columns) == [
        "phone_number",
        "customer_name",
        "loan_amount",
        "product",
        "due_date",
        "city",
    ]
    assert list(frame.index) == list(range(2, 252))
    assert frame.loc[2].tolist() == [
        "9876543210",
        "Priya Sharma",
        "500000",
        "home_loan",
        "2024-05-10",
        "Delhi",
    ]
    assert frame.loc[3, "customer_name"] == "Rahul Mehra"
    assert all(
        any("\u0900" <= ch <= "\u097f" for ch in frame.loc[row, "customer_name"])
        for row in (43, 119, 205)
    )


def test_nothing_but_contact_file_errors_escape_on_random_bytes():
    rng = random.Random(7)
    for index in range(60):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        if index % 3 == 0:
            data = b"phone_number,name\n" + data
        for name in ("junk.csv", "junk.xlsx", "junk.xls", "junk.txt"):
            with contextlib.suppress(ContactFileError):  # anything else fails the test
                read_contacts(data, name)


def test_stream_position_and_os_paths(tmp_path: Path):
    path = tmp_path / "Contacts Final (2).CSV"
    path.write_bytes(SIMPLE.encode())
    assert table(read_contacts(os.fspath(path))) == SIMPLE_TABLE
    with open(path, "rb") as handle:
        assert table(read_contacts(handle)) == SIMPLE_TABLE
