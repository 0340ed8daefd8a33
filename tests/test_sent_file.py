"""What Submit sends reads back as exactly the rows and cells the operator saw.

A cell may hold any character a spreadsheet allows, line breaks included (a CSV
quoted cell, Excel's ``_x000D_``). Every character some CSV reader treats as a
line break must reach the platform inside quotes, or one contact becomes two.
"""

from __future__ import annotations

import csv
import io

import pytest
import xlsxwriter
from batchcall.api.client import BatchCallClient
from batchcall.contacts import read_contacts
from batchcall.work.exports import LINE_BREAKS
from batchcall.work.table import WorkTable

from tests.sandbox_server import API_KEY, serve_sandbox
from tests.workspace_data import AGENT, IN_NUMBER, IN_ROUTE, TELEPHONY_CONFIG

BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_every_line_break_python_knows_is_in_the_list() -> None:
    found = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) > 1}
    assert found == set(LINE_BREAKS)


def csv_with_cell(cell: str) -> bytes:
    quoted = '"' + cell.replace('"', '""') + '"'
    return f"phone_number,customer_name\n9876543210,{quoted}\n9876543211,Rahul\n".encode()


def xlsx_with_cell(cell: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for row, values in enumerate([["phone_number", "customer_name"], ["9876543210", cell]]):
        sheet.write_row(row, 0, values)  # control characters become _x000D_ and the like
    sheet.write_row(2, 0, ["9876543211", "Rahul"])
    book.close()
    return buffer.getvalue()


def assert_sent_as_shown(table: WorkTable) -> bytes:
    data, row_map = table.cleaned_csv()
    shown = table.active
    assert read_contacts(data, "sent.csv").equals(shown)
    text = data.decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records == [list(shown.columns), *shown.astype(str).values.tolist()]
    for cell in shown.to_numpy().ravel():
        if any(ch in cell for ch in LINE_BREAKS):
            assert '"' + cell.replace('"', '""') + '"' in text, f"{cell!r} is not quoted"
    assert len(row_map) == len(shown)
    return data


@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(b[-1]):04X}" for b in BREAKS])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_line_break_inside_a_cell_is_sent_quoted(kind: str, brk: str) -> None:
    cell = f"Priya{brk}+919876543211"
    data = csv_with_cell(cell) if kind == "csv" else xlsx_with_cell(cell)
    contacts = read_contacts(data, f"list.{kind}")
    assert contacts["customer_name"].tolist() == [cell, "Rahul"]
    assert_sent_as_shown(WorkTable(contacts, IN_ROUTE, TELEPHONY_CONFIG))


def test_the_platform_dials_one_contact_per_row_shown() -> None:
    """End to end: a CR in a name cell does not become a second lead on the sandbox."""
    contacts = read_contacts(xlsx_with_cell("Priya\r+919876543212"), "list.xlsx")
    table = WorkTable(contacts, IN_ROUTE, TELEPHONY_CONFIG)
    data = assert_sent_as_shown(table)
    with serve_sandbox() as sandbox, BatchCallClient(sandbox.base_url, API_KEY) as client:
        batch = client.create_batch(("list.csv", data), agent_id=AGENT, from_phone_number=IN_NUMBER)
        assert batch.total_leads == len(table.active) == 2
