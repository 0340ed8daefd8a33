"""Downloads: the cleaned file as CSV and as XLSX, read back by other programs.

The XLSX is written by ``batchcall.work.xlsx_writer``; openpyxl, python-calamine (through
``read_contacts``) and, when installed, LibreOffice must all read back exactly
the text that went in: no number reformatting, no lost characters.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from batchcall.contacts import read_contacts
from batchcall.work.exports import csv_bytes, submission_csv, xlsx_bytes

AWKWARD = [
    "9876543210",
    "+91 98765 43210",
    "0.30",
    "1E+5",
    "  padded  ",
    "Tom & Jerry <tj@example.com>",
    'say "hi"',
    "line one\nline two",
    "_x0041_ stays literal",
    "bell\x07 and nul\x00",
    "नमस्ते प्रिया",
    "emoji 📞",
    "=1+1",
    "TRUE",
    "2024-05-01",
]


def awkward_table() -> pd.DataFrame:
    rows = len(AWKWARD)
    return pd.DataFrame(
        {
            "phone_number": [f"98765{i:05d}" for i in range(rows)],
            "note": AWKWARD,
            "maybe": [None if i % 3 == 0 else f"v{i}" for i in range(rows)],
        },
        index=pd.Index(range(2, rows + 2), name="row"),
    )


def openpyxl_rows(data: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [[cell.value for cell in row] for row in book.active.iter_rows()]
    finally:
        book.close()


ESCAPED = {"_x0041_ stays literal", "bell\x07 and nul\x00"}
"""Cells OOXML stores as ``_xHHHH_`` escapes: Excel, LibreOffice and calamine decode
them, openpyxl leaves them as stored."""


def test_xlsx_cells_read_back_by_openpyxl_exactly():
    table = awkward_table()
    rows = openpyxl_rows(xlsx_bytes(table))
    assert rows[0] == ["phone_number", "note", "maybe"]
    assert [row[0] for row in rows[1:]] == table["phone_number"].tolist()
    notes = [row[1] for row in rows[1:]]
    assert [n for n, a in zip(notes, AWKWARD, strict=True) if a not in ESCAPED] == [
        a for a in AWKWARD if a not in ESCAPED
    ]
    assert "_x005F_x0041_ stays literal" in notes and "bell_x0007_ and nul_x0000_" in notes
    maybe = [row[2] if len(row) > 2 else None for row in rows[1:]]
    assert [value or "" for value in maybe] == table["maybe"].fillna("").tolist()


def test_xlsx_read_back_by_the_workbench_itself():
    table = awkward_table()
    back = read_contacts(xlsx_bytes(table), "cleaned.xlsx")
    assert back["note"].tolist() == [text.strip() if text.isspace() else text for text in AWKWARD]
    assert back["maybe"].fillna("").tolist() == table["maybe"].fillna("").tolist()
    assert list(back.index) == list(range(2, len(AWKWARD) + 2))


def test_xlsx_with_the_index_and_an_awkward_sheet_name():
    table = awkward_table().head(3)
    data = xlsx_bytes(table, index=True, sheet="Leads: [North/South] & more, a long name")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["Leads_ _North_South_ & more, a "]
    rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert rows[0] == ["row", "phone_number", "note", "maybe"]
    assert rows[1][:3] == ["2", "9876500000", "9876543210"]


def test_xlsx_of_a_header_only_table_and_of_wide_tables():
    empty = pd.DataFrame({"phone_number": pd.Series([], dtype=object)})
    assert openpyxl_rows(xlsx_bytes(empty)) == [["phone_number"]]
    wide = pd.DataFrame({f"col{i}": [f"r{i}"] for i in range(30)})
    rows = openpyxl_rows(xlsx_bytes(wide))
    assert rows[1][26:28] == ["r26", "r27"]  # columns AA and AB
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(wide))) as archive:
        assert b'r="AB2"' in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_xlsx_and_sees_the_same_text(tmp_path: Path):
    table = awkward_table().drop(index=[11])  # the NUL cell: LibreOffice's CSV drops it
    source = tmp_path / "cleaned.xlsx"
    source.write_bytes(xlsx_bytes(table))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    back = pd.read_csv(tmp_path / "out" / "cleaned.csv", dtype=str, keep_default_na=False)
    assert back["phone_number"].tolist() == table["phone_number"].tolist()
    assert back["note"].tolist() == table["note"].tolist()


def test_csv_keeps_text_and_the_order_of_columns():
    table = awkward_table().head(4)
    back = pd.read_csv(io.BytesIO(csv_bytes(table)), dtype=str, keep_default_na=False)
    assert list(back.columns) == ["phone_number", "note", "maybe"]
    assert back["note"].tolist() == AWKWARD[:4]


FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|x", "@SUM(A1:A2)", "\t=1", "\r=1"]
NUMBERS = ["+919876543210", "+91 98765 43210", "-5", "-0.25", "+1 (646) 555-0198", "9876543210"]


def test_csv_downloads_neutralise_formulas_but_keep_numbers_exact():
    table = pd.DataFrame(
        {"phone_number": NUMBERS, "note": FORMULAS}, index=pd.RangeIndex(2, 8, name="row")
    )
    back = pd.read_csv(io.BytesIO(csv_bytes(table)), dtype=str, keep_default_na=False)
    assert back["note"].tolist() == ["'" + cell for cell in FORMULAS]
    assert back["phone_number"].tolist() == NUMBERS
    with_index = pd.read_csv(io.BytesIO(csv_bytes(table, index=True)), dtype=str)
    assert with_index["row"].tolist() == [str(row) for row in range(2, 8)]
    # The file sent to the platform and the XLSX download keep every value as it is.
    assert read_contacts(submission_csv(table), "sent.csv")["note"].tolist() == FORMULAS
    assert read_contacts(xlsx_bytes(table), "download.xlsx")["note"].tolist() == FORMULAS
