"""Lists over the platform's 10 MB: refused by default, read with an explicit larger limit
up to the ceiling, and a workbook's own limits grow with its size on disk."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from batchcall.contacts import (
    LARGE_FILE_CEILING,
    MAX_FILE_BYTES,
    FileTooLargeError,
    UnreadableFileError,
    isolation,
    list_sheets,
    read_contacts,
)
from batchcall.contacts.formats.xlsx import guard

from tests.test_workbook_bombs import with_sheet

ROW = b"+919876543210,Priya Sharma,follow up on the May loan offer\n"


def csv_of(size: int) -> bytes:
    header = b"phone_number,customer_name,note\n"
    return header + ROW * ((size - len(header)) // len(ROW) + 1)


@pytest.fixture(scope="module")
def twelve_mb() -> bytes:
    return csv_of(12 * 2**20)


def test_the_default_limit_is_still_the_platforms(twelve_mb: bytes) -> None:
    with pytest.raises(FileTooLargeError, match=r"^big\.csv is 12\.00 MB .* at most 10 MB"):
        read_contacts(twelve_mb, "big.csv")


@pytest.mark.parametrize("source", ["bytes", "stream", "path"])
def test_an_explicit_larger_limit_reads_the_whole_list(
    twelve_mb: bytes, tmp_path: Path, source: str
) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(twelve_mb)
    given = {"bytes": twelve_mb, "stream": io.BytesIO(twelve_mb), "path": path}[source]
    contacts = read_contacts(given, "big.csv", max_bytes=20 * 2**20)
    assert len(contacts) == twelve_mb.count(b"\n") - 1
    assert contacts.index[-1] == len(contacts) + 1


def test_over_an_explicit_limit_the_refusal_names_it(twelve_mb: bytes) -> None:
    with pytest.raises(FileTooLargeError) as refused:
        read_contacts(io.BytesIO(twelve_mb), "big.csv", max_bytes=11 * 2**20)
    assert str(refused.value).startswith("big.csv is 12.00 MB (")
    assert "this read allows at most 11.00 MB (11,534,336 bytes)" in str(refused.value)
    assert "up to 100 MB" in str(refused.value)


def test_no_limit_passes_the_ceiling(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as sparse:  # the size is refused before a byte is read
        sparse.truncate(LARGE_FILE_CEILING + 1)
    for limit in (LARGE_FILE_CEILING, 10 * LARGE_FILE_CEILING):
        with pytest.raises(FileTooLargeError) as refused:
            read_contacts(path, max_bytes=limit)
        message = str(refused.value)
        assert message.startswith("huge.csv is 100.00 MB (104,857,601 bytes)")
        assert "at most 100 MB (104,857,600 bytes) even when it sends a list in parts" in message
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv"):
        list_sheets(path, max_bytes=LARGE_FILE_CEILING)


@pytest.mark.parametrize("limit", [0, -5, 2.5, True])
def test_a_limit_that_is_no_size_is_a_programming_error(limit: object) -> None:
    with pytest.raises(ValueError, match="max_bytes must be a positive number of bytes"):
        read_contacts(csv_of(100), "a.csv", max_bytes=limit)  # type: ignore[arg-type]


def test_a_workbooks_inflated_limit_grows_with_its_size_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a workbook may open to is set for 10 MB on disk; a file twice that size (read
    with a larger limit) may open to twice as much, a bomb of the same size may not."""
    padding = (b"<!--" + b" " * 1_000 + b"-->") * 3_000  # 3 MB of short comments
    data = with_sheet(lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>"))
    monkeypatch.setattr(guard, "MAX_INFLATED_BYTES", 2 * 2**20)
    monkeypatch.setattr(guard, "_BASE_FILE_BYTES", len(data))  # as if it were 10 MB
    with pytest.raises(UnreadableFileError, match=r"opens to more than 2 MB .* at most 10 MB"):
        guard.check_workbook(data, "bomb.xlsx")
    monkeypatch.setattr(guard, "_BASE_FILE_BYTES", len(data) // 2)  # as if it were 20 MB
    guard.check_workbook(data, "twice.xlsx")  # 4 MB allowed: accepted
    monkeypatch.setattr(guard, "_BASE_FILE_BYTES", len(data) * 4 // 5)  # as if 12.5 MB
    with pytest.raises(UnreadableFileError, match=r"opens to more than 2 MB") as refused:
        guard.check_workbook(data, "bomb.xlsx")  # 2.5 MB allowed, 2.9 MB inside
    assert "at most 10 MB" not in str(refused.value)


def _slow(seconds: float) -> str:
    time.sleep(seconds)
    return "read"


def test_a_larger_workbook_gets_more_time_in_its_own_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(isolation, "TIME_LIMIT_SECONDS", 0.5)
    with pytest.raises(UnreadableFileError, match=r"^slow\.xlsx took longer than"):
        isolation.run_isolated(_slow, 1.0, name="slow.xlsx")
    assert isolation.run_isolated(_slow, 1.0, name="slow.xlsx", scale=4) == "read"
    assert MAX_FILE_BYTES * 10 == LARGE_FILE_CEILING
