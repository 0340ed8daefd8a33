"""The fast workbook reader (calamine) against the reference readers, sheet by sheet.

Every shipped sample workbook (``batchcall.samples``) and ``tests/fixtures/`` is read with
``batchcall.contacts.read.read_contacts`` and, independently, with openpyxl
(``load_workbook(read_only=True, data_only=True)``) for XLSX and xlrd for XLS.
Reference values go through the same text rules — whole floats as digits, other
numbers to 15 significant digits, dates as ISO, booleans TRUE/FALSE — and the two
tables must be identical: the same row numbers, headers and cells.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlrd
from batchcall.contacts import EmptyFileError, UnreadableFileError, list_sheets, read_contacts
from batchcall.samples import sample_path

HERE = Path(__file__).resolve().parent
WORKBOOKS = sorted(
    [*sample_path("workspace.json").parent.glob("*.xls*"), *(HERE / "fixtures").glob("*.xls*")]
)
ENCRYPTED = {"encrypted.xlsx"}


# ------------------------------------------------------------------ reference text rules


def ref_number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(f"{value:.15g}"), "f")


def ref_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):  # openpyxl: the digits as stored in the XML
        return str(value)
    if isinstance(value, float):
        return ref_number(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def openpyxl_rows(path: Path, sheet: str) -> dict[int, list[str]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = {}
        for cells in workbook[sheet].iter_rows():
            for cell in cells:
                if getattr(cell, "value", None) is None:
                    continue
                rows.setdefault(cell.row, {})[cell.column] = ref_text(cell.value)
        return _grid(rows)
    finally:
        workbook.close()


def xlrd_rows(path: Path, sheet: str) -> dict[int, list[str]]:
    book = xlrd.open_workbook(str(path))
    worksheet = book.sheet_by_name(sheet)
    rows: dict[int, dict[int, str]] = {}
    for r in range(worksheet.nrows):
        for c in range(worksheet.ncols):
            cell = worksheet.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if cell.ctype == xlrd.XL_CELL_DATE:
                when = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                value: object = when.time() if cell.value < 1 else when
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(cell.value, "")
            else:
                value = cell.value
            text = ref_text(value)
            if text != "":
                rows.setdefault(r + 1, {})[c + 1] = text
    return _grid(rows)


def _grid(cells: dict[int, dict[int, str]]) -> dict[int, list[str]]:
    """Row number -> cells from the first to the last used column, '' where empty."""
    cells = {r: {c: v for c, v in row.items() if v != ""} for r, row in cells.items()}
    cells = {r: row for r, row in cells.items() if row}
    if not cells:
        return {}
    first = min(min(row) for row in cells.values())
    last = max(max(row) for row in cells.values())
    top, bottom = min(cells), max(cells)
    return {
        r: [cells.get(r, {}).get(c, "") for c in range(first, last + 1)]
        for r in range(top, bottom + 1)
    }


def reference_grid(path: Path, sheet: str) -> dict[int, list[str]]:
    return (openpyxl_rows if path.suffix == ".xlsx" else xlrd_rows)(path, sheet)


def cases() -> list[tuple[Path, str]]:
    found = []
    for path in WORKBOOKS:
        if path.name not in ENCRYPTED:
            found.extend((path, sheet) for sheet in list_sheets(path))
    return found


def test_every_workbook_is_covered():
    names = {path.name for path in WORKBOOKS}
    assert {
        "numbers.xls",
        "numbers.xlsx",
        "offset.xls",
        "offset.xlsx",
        "multi.xls",
        "multi.xlsx",
    } <= names
    assert len(cases()) >= 12


@pytest.mark.parametrize(
    ("path", "sheet"), cases(), ids=[f"{p.parent.name}/{p.name}:{s}" for p, s in cases()]
)
def test_fast_reader_matches_reference(path: Path, sheet: str):
    grid = reference_grid(path, sheet)
    if not grid:
        with pytest.raises(EmptyFileError):
            read_contacts(path, sheet=sheet)
        return
    header_row = min(grid)
    headers = [h.strip() for h in grid[header_row]]
    body = {r: row for r, row in grid.items() if r > header_row}
    named = [h for h in headers if h]
    if len(set(named)) != len(named) or any(
        not h and any(row[i] for row in body.values()) for i, h in enumerate(headers)
    ):
        with pytest.raises(UnreadableFileError):  # duplicate or unnamed columns with values
            read_contacts(path, sheet=sheet)
        return
    keep = [i for i, h in enumerate(headers) if h]
    rows = {r: [row[i] for i in keep] for r, row in body.items() if any(row[i] for i in keep)}
    if not rows:
        with pytest.raises(EmptyFileError):
            read_contacts(path, sheet=sheet)
        return
    phone = "phone_number" if "phone_number" in named else named[0]
    fast = read_contacts(path, sheet=sheet, phone_column=phone)
    expected = pd.DataFrame(list(rows.values()), index=list(rows), columns=named, dtype=object)
    expected = expected.rename(columns={phone: "phone_number"})
    expected = expected[["phone_number", *(c for c in expected.columns if c != "phone_number")]]
    assert list(fast.columns) == list(expected.columns)
    assert list(fast.index) == list(expected.index)
    assert fast.to_numpy().tolist() == expected.to_numpy().tolist()
