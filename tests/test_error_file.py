"""The error file round trip: written by the library, edited with openpyxl as a spreadsheet
program would, read back and merged by row number as undoable, re-checked edits."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from batchcall.contacts import read_contacts
from batchcall.samples import sample_path
from batchcall.work.error_file import (
    CORRECTED_HEADER,
    ROW_HEADER,
    ErrorFileError,
    error_file_bytes,
    merge_corrections,
    read_corrections,
)
from batchcall.work.exports import csv_bytes
from batchcall.work.table import WorkTable

WORKSPACE = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
ROUTE = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+912234567890")
MESSY = sample_path("messy_contacts.xlsx")


def messy_table() -> WorkTable:
    return WorkTable(read_contacts(MESSY), ROUTE, WORKSPACE["telephony_config"])


def corrected(data: bytes, fill: dict[int, object], *, sort: bool = False) -> bytes:
    """The error file as Excel would save it: corrections typed (some as numbers) by row."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    row_col, fix_col = headers.index(ROW_HEADER) + 1, headers.index(CORRECTED_HEADER) + 1
    for line in range(2, sheet.max_row + 1):
        row = int(sheet.cell(line, row_col).value)
        if row in fill:
            sheet.cell(line, fix_col).value = fill[row]
    if sort:  # the operator sorted by reason: lines move, row numbers go with them
        values = [[c.value for c in line] for line in sheet.iter_rows(min_row=2)]
        values.sort(key=lambda line: (str(line[headers.index("Why it fails")]), line[0]))
        for line, cells in enumerate(values, start=2):
            for column, value in enumerate(cells, start=1):
                sheet.cell(line, column).value = value
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def test_the_error_file_holds_each_failing_row_with_its_original_cells() -> None:
    table = messy_table()
    table.edit({12: {"phone_number": "still wrong"}}, "Edit in grid")
    data = error_file_bytes(table)
    headers = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(data)).active[1]]
    assert headers[:5] == [
        ROW_HEADER, "phone_number", CORRECTED_HEADER, "Why it fails", "What to do",
    ]  # fmt: skip
    assert headers[5:] == [c for c in table.original.columns if c != "phone_number"]
    sheet = read_contacts(data, "errors.xlsx")
    assert sheet[ROW_HEADER].astype(int).tolist() == list(table.failing_rows().index)
    line = sheet[sheet[ROW_HEADER] == "12"].iloc[0]
    assert line["phone_number"] == "12345"  # the original cell, not the edit
    assert line["Why it fails"] == "Invalid phone number" and line[CORRECTED_HEADER] == ""
    assert line["customer_name"] == table.original.at[12, "customer_name"]


def test_corrections_merge_by_row_number_as_one_undoable_checked_edit() -> None:
    table = messy_table()
    columns = list(table.original.columns)
    data = corrected(
        error_file_bytes(table),
        {12: "9812345678", 43: 919876543210, 45: "still not a number"},
        sort=True,
    )
    corrections = read_corrections(data, "errors.xlsx")
    assert sorted(corrections.changes) == [
        (12, "9812345678"), (43, "919876543210"), (45, "still not a number"),
    ]  # fmt: skip
    merged = merge_corrections(table, corrections)
    assert table.current.at[12, "phone_number"] == "9812345678"
    assert table.current.at[43, "phone_number"] == "919876543210"
    assert 12 not in table.failing_rows().index and 43 not in table.failing_rows().index
    assert merged.still_failing == [45]
    assert 10 in corrections.empty  # listed, left empty: reported, untouched
    assert list(table.original.columns) == columns == list(table.current.columns)
    assert table.history[-1].label == "Corrections from errors.xlsx"
    lines = merged.lines()
    assert lines[0] == "3 corrections applied from errors.xlsx."
    assert any(line.startswith("Still failing after the correction") for line in lines)
    assert any(line.startswith("No corrected number, left as they are") for line in lines)
    table.undo()
    assert table.edits == {}


def test_unknown_rows_and_lines_without_a_row_number_are_reported_not_guessed() -> None:
    table = messy_table()
    book = openpyxl.load_workbook(io.BytesIO(error_file_bytes(table)))
    sheet = book.active
    sheet.cell(2, 1).value = "999"
    sheet.cell(2, 3).value = "+919812345678"
    sheet.cell(3, 1).value = "twelve"
    sheet.cell(3, 3).value = "+919812345679"
    saved = io.BytesIO()
    book.save(saved)
    merged = merge_corrections(table, read_corrections(saved.getvalue(), "errors.xlsx"))
    assert merged.unknown == [999] and merged.applied == []
    assert merged.corrections.unreadable == [(3, "twelve")]
    assert table.edits == {}
    said = " ".join(merged.lines())
    assert "Not rows of this file (check the row numbers): 1 row (999)" in said
    assert "'Row in your file' (its rows 3)" in said


def test_a_csv_saved_from_the_error_file_reads_back_the_same() -> None:
    table = messy_table()
    sheet = read_contacts(error_file_bytes(table), "errors.xlsx")
    sheet.loc[sheet[ROW_HEADER] == "25", CORRECTED_HEADER] = "9823456710"
    corrections = read_corrections(csv_bytes(sheet), "errors.csv")
    assert corrections.changes == [(25, "9823456710")]


def test_a_file_without_the_corrected_column_is_refused_naming_it() -> None:
    table = messy_table()
    sheet = read_contacts(error_file_bytes(table), "errors.xlsx").drop(columns=[CORRECTED_HEADER])
    with pytest.raises(ErrorFileError) as refused:
        read_corrections(csv_bytes(sheet), "my_fixes.csv")
    assert "my_fixes.csv has no 'Corrected number' column" in str(refused.value)
    assert refused.value.column == CORRECTED_HEADER


def test_an_original_column_named_like_an_annotation_keeps_its_cells() -> None:
    contacts = read_contacts(MESSY).rename(columns={"city": "What to do"})
    table = WorkTable(contacts, ROUTE, WORKSPACE["telephony_config"])
    sheet = read_contacts(error_file_bytes(table), "errors.xlsx")
    assert "What to do (workbench)" in sheet.columns
    assert (
        sheet["What to do"].tolist()
        == contacts.loc[table.failing_rows().index, "What to do"].tolist()
    )
