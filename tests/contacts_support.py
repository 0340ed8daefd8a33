"""Helpers shared by the contact-reading tests: reading text, flattening frames, workbooks."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from batchcall.contacts import read_contacts

SIMPLE = "phone_number,customer_name\n9876543210,Priya Sharma\n9123456789,Rahul Mehra\n"
SIMPLE_TABLE = (
    [2, 3],
    ["phone_number", "customer_name"],
    [["9876543210", "Priya Sharma"], ["9123456789", "Rahul Mehra"]],
)


def read(data: str | bytes, name: str = "contacts.csv", **options) -> pd.DataFrame:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_contacts(raw, name, **options)


def table(frame: pd.DataFrame) -> tuple[list[int], list[str], list[list[str]]]:
    """(row numbers, headers, cells) — the whole frame as plain values."""
    return list(frame.index), list(frame.columns), frame.to_numpy().tolist()


def xlsx_bytes(*sheets_rows: tuple[str, list[list[object]]], at: str = "A1") -> bytes:
    """An openpyxl workbook (no cached formula values) with rows written from ``at``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    start = openpyxl.utils.cell.coordinate_to_tuple(at)
    for title, rows in sheets_rows:
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(start[0] + r, start[1] + c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
