"""read_contacts refusals: unsupported types, empty files, misnamed files, broken quoting."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from batchcall.contacts import (
    MAX_FILE_BYTES,
    ContactFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    UnreadableFileError,
    UnsupportedFileTypeError,
    read_contacts,
)

from tests.contacts_support import SIMPLE, read, table


@pytest.mark.parametrize("name", ["contacts.pdf", "contacts.json", "contacts", "list.numbers"])
def test_unsupported_type(name: str):
    with pytest.raises(UnsupportedFileTypeError) as caught:
        read(SIMPLE, name)
    assert str(caught.value).startswith(f"{name}:")
    assert "CSV" in str(caught.value) and "XLSX" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "is empty"),
        (b"phone_number,customer_name\n", "no contacts"),
        (b"phone_number,customer_name\r\n,\r\n\r\n,,\r\n", "no contacts"),
        (b"\n\n\n", "no rows"),
    ],
    ids=["zero-bytes", "header-only", "only-blank-rows", "only-newlines"],
)
def test_empty_files(data: bytes, what: str):
    with pytest.raises(EmptyFileError) as caught:
        read(data, "empty.csv")
    assert str(caught.value).startswith("empty.csv")
    assert what in str(caught.value)


def test_refusals_are_value_errors():
    for cls in (
        FileTooLargeError,
        UnsupportedFileTypeError,
        EmptyFileError,
        UnreadableFileError,
        MissingPhoneColumnError,
    ):
        assert issubclass(cls, ContactFileError)
    assert issubclass(ContactFileError, ValueError)


def test_csv_named_as_workbook_is_unreadable():
    with pytest.raises(UnreadableFileError, match=r"^list\.xlsx is named \.xlsx but holds plain"):
        read(SIMPLE, "list.xlsx")
    with pytest.raises(UnreadableFileError, match=r"^list\.xls is named \.xls but holds plain"):
        read(SIMPLE, "list.xls")


def test_workbook_named_csv_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(UnreadableFileError, match=r"^list\.csv is named \.csv but holds an XLSX"):
        read(buffer.getvalue(), "list.csv")


def test_missing_and_directory_paths_are_unreadable(tmp_path: Path):
    with pytest.raises(UnreadableFileError, match=r"^nope\.csv: cannot open"):
        read_contacts(tmp_path / "nope.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UnreadableFileError, match=r"^folder\.csv: cannot open"):
        read_contacts(folder)


def test_unclosed_quote_is_refused_not_swallowed():
    # Without the refusal the parser reads rows 3-4 into row 2's name cell.
    data = 'phone_number,name\n9876543210,"Priya\n9123456789,Rahul\n9988776655,Anil\n'
    with pytest.raises(UnreadableFileError) as caught:
        read(data, "quotes.csv")
    assert str(caught.value).startswith("quotes.csv: row 2")
    assert "quote" in str(caught.value)
    assert caught.value.row == 2


def test_an_open_quote_never_swallows_rows_even_when_the_quotes_pair_up():
    # Row 4's stray quote closes row 2's: the count is even, yet rows 3-4 would vanish
    # into row 2's name cell and Sam would be numbered row 3.
    data = (
        "phone_number,name\n"
        '9876543210,"Priya\n'
        "9123456789,Rahul\n"
        '9988776655,Anil"s\n'
        "9000000000,Sam\n"
    )
    with pytest.raises(UnreadableFileError) as caught:
        read(data, "quotes.csv")
    assert str(caught.value).startswith("quotes.csv: row 2 opens a double quote")
    assert caught.value.row == 2
    phones_only = 'phone_number\n"9876543210\n9123456789\n99887"76655\n'
    with pytest.raises(UnreadableFileError, match=r"^p\.csv: row 2 opens a double quote"):
        read(phones_only, "p.csv")


def test_a_quoted_cell_over_several_lines_is_still_one_cell():
    data = 'phone_number,name,address\n9876543210,Priya,"12 Main St,\nFlat 4\nPune"\n'
    assert read(data)["address"].tolist() == ["12 Main St,\nFlat 4\nPune"]


def test_a_stray_quote_inside_a_cell_is_text():
    frame = read('phone_number,name\n9876543210,6" ruler\n9123456789,"say ""hi"""\n')
    assert table(frame) == (
        [2, 3],
        ["phone_number", "name"],
        [["9876543210", '6" ruler'], ["9123456789", 'say "hi"']],
    )


# ------------------------------------------------------------------ size


def over_limit_by(extra: int) -> bytes:
    return b"phone_number\n" + b"9" * (MAX_FILE_BYTES - 13 + extra)


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like a socket: its size is known only once read."""

    def __init__(self, data: bytes):
        self.source = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self.source.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_size_refusal_shows_a_file_just_over_the_limit_exactly():
    with pytest.raises(FileTooLargeError) as caught:
        read(over_limit_by(14), "big.csv")
    assert str(caught.value) == (
        "big.csv is 10.00 MB (10,485,774 bytes); the platform accepts at most 10 MB "
        "(10,485,760 bytes). Split the list into smaller files, or remove columns the agent "
        "does not use."
    )


@pytest.mark.parametrize("stream", [io.BytesIO, _Pipe], ids=["seekable", "pipe"])
def test_size_refusal_of_a_stream_counts_all_of_it(stream):
    with pytest.raises(FileTooLargeError, match=r"^big\.csv is 12\.00 MB \(12,582,912 bytes\);"):
        read_contacts(stream(over_limit_by(2 * 1024 * 1024)), "big.csv")


def test_a_well_quoted_cell_holding_row_like_lines_is_read():
    """The workbench's own CSV of an XLSX cell like "x\n1,2" must read back, not be refused."""
    data = 'phone_number,note\n9876543210,"x\n9123456789,y"\n'
    assert read(data)["note"].tolist() == ["x\n9123456789,y"]
