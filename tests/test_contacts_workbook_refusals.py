"""read_contacts refusals for workbooks: corrupt, misnamed, password-protected, damaged files."""

from __future__ import annotations

import contextlib
import io
import random
import zipfile

import pytest
from batchcall.contacts import (
    ContactFileError,
    UnreadableFileError,
    list_sheets,
    read_contacts,
)


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "start"),
    [
        (b"PK\x03\x04" + b"\x00garbage" * 50, "broken.xlsx", "broken.xlsx could not be opened"),
        (zip_without_workbook(), "broken.xlsx", "broken.xlsx could not be opened"),
        (
            bytes(random.Random(1).randrange(256) for _ in range(3000)),
            "random.xls",
            "random.xls is named .xls but holds",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000), "ole.xls", "ole.xls could not be"),
        (b"phone_number\n9876543210\n", "text.xlsx", "text.xlsx is named .xlsx but holds plain"),
    ],
    ids=["corrupt-zip", "zip-not-workbook", "random-bytes-xls", "ole-garbage", "csv-as-xlsx"],
)
def test_unreadable_workbooks(data: bytes, name: str, start: str):
    with pytest.raises(UnreadableFileError) as caught:
        read_contacts(data, name)
    assert str(caught.value).startswith(start)
    with pytest.raises(UnreadableFileError):
        list_sheets(data, name)


def test_xls_named_xlsx_and_back(fixture_path):
    xls = fixture_path("numbers.xls").read_bytes()
    xlsx = fixture_path("numbers.xlsx").read_bytes()
    with pytest.raises(UnreadableFileError, match=r"^n\.xlsx is named \.xlsx but holds an XLS "):
        read_contacts(xls, "n.xlsx")
    with pytest.raises(UnreadableFileError, match=r"^n\.xls is named \.xls but holds an XLSX "):
        read_contacts(xlsx, "n.xls")


@pytest.mark.parametrize("name", ["secret.xlsx", "secret.xls"])
def test_password_protected_workbook(fixture_path, name: str):
    data = fixture_path("encrypted.xlsx").read_bytes()
    with pytest.raises(UnreadableFileError) as caught:
        read_contacts(data, name)
    assert str(caught.value).startswith(f"{name} is password-protected. Remove the password")


@pytest.mark.parametrize("name", ["numbers.xlsx", "numbers.xls", "multi.xlsx", "multi.xls"])
def test_damaged_workbooks_raise_only_contact_file_errors(fixture_path, name: str):
    data = fixture_path(name).read_bytes()
    rng = random.Random(name)
    damaged = [data[:cut] for cut in (8, 64, 512, len(data) // 3, len(data) // 2, len(data) - 9)]
    for _ in range(25):
        flipped = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        damaged.append(bytes(flipped))
    for sample in damaged:
        for call in (lambda s: read_contacts(s, name), lambda s: list_sheets(s, name)):
            with contextlib.suppress(ContactFileError):  # anything else fails the test
                call(sample)
