"""read_contacts on workbook cells as text: numbers, dates, booleans, formulas, text cells."""

from __future__ import annotations

import datetime as dt

import pytest
from batchcall.contacts import cells as cell_text
from batchcall.contacts import read_contacts

from tests.contacts_support import table, xlsx_bytes

NUMBERS_HEADER = [
    "phone_number",
    "name",
    "whole",
    "half",
    "noise",
    "big",
    "neg",
    "pct",
    "date",
    "when",
    "flag",
    "formula",
    "ftext",
    "tiny",
    "time",
]
NUMBERS_ROWS = {
    2: [
        "9876543210",
        "Priya Sharma",
        "42",
        "12500.5",
        "0.3",
        "123456789012345",
        "-17",
        "0.15",
        "2024-05-01",
        "2024-05-01 10:30:15",
        "TRUE",
        "84",
        "9876543210",
        "0.000000000000000000015",
        "10:30:00",
    ],
    3: [
        "+91 98765 43210",
        "",
        "",
        "3.14159265358979",
        "0.333333333333333",
        "1000000000000000",
        "-0.5",
        "1",
        "1999-12-31",
        "2024-05-01",
        "FALSE",
        "1",
        "xy",
        "0.0001234",
        "",
    ],
    5: ["09876543210", "Ravi", *[""] * 13],
    6: ["9876543210.0", "Text float", *[""] * 13],
    7: ["9.87654321E+9", "Text sci", *[""] * 13],
}


@pytest.mark.parametrize("name", ["numbers.xlsx", "numbers.xls"])
def test_numbers_dates_booleans_formulas(fixture_path, name: str):
    """Whole numbers as digits, no float noise, ISO dates, cached formula values, blank row 4."""
    frame = read_contacts(fixture_path(name))
    assert table(frame) == (list(NUMBERS_ROWS), NUMBERS_HEADER, list(NUMBERS_ROWS.values()))


def test_openpyxl_numbers_ints_and_floats():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "as_float", "noise", "neg", "big", "date", "when", "flag"],
                [
                    9876543210,
                    9876543210.0,
                    0.1 + 0.2,
                    -42.0,
                    123456789012345.0,
                    dt.date(2024, 5, 1),
                    dt.datetime(2024, 5, 1, 9, 5),
                    False,
                ],
                [
                    919876543210,
                    1e20,
                    1 / 3,
                    -0.25,
                    999999999999999,
                    dt.datetime(2024, 12, 31),
                    dt.datetime(2024, 1, 2, 23, 59, 59),
                    True,
                ],
            ],
        )
    )
    assert table(read_contacts(data, "n.xlsx")) == (
        [2, 3],
        ["phone_number", "as_float", "noise", "neg", "big", "date", "when", "flag"],
        [
            [
                "9876543210",
                "9876543210",
                "0.3",
                "-42",
                "123456789012345",
                "2024-05-01",
                "2024-05-01 09:05:00",
                "FALSE",
            ],
            [
                "919876543210",
                "100000000000000000000",
                "0.333333333333333",
                "-0.25",
                "999999999999999",
                "2024-12-31",
                "2024-01-02 23:59:59",
                "TRUE",
            ],
        ],
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9876543210.0, "9876543210"),
        (12500.5, "12500.5"),
        (0.1 + 0.2, "0.3"),
        (-17.0, "-17"),
        (-0.0, "0"),
        (123456789012345.0, "123456789012345"),
        (0.15, "0.15"),
        (1e-7, "0.0000001"),
        (1.5e-20, "0.000000000000000000015"),
        (-2.5e-9, "-0.0000000025"),
        (1.234567890123456e-5, "0.0000123456789012346"),
        (float("nan"), ""),
    ],
)
def test_number_text(value: float, text: str):
    assert cell_text.number_text(value) == text


def test_cell_text_kinds():
    assert cell_text.cell_text(True) == "TRUE"
    assert cell_text.cell_text(7) == "7"
    assert cell_text.cell_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text.cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text.cell_text(dt.datetime(2024, 5, 1, 10, 30)) == "2024-05-01 10:30:00"
    assert cell_text.cell_text(dt.time(10, 30)) == "10:30:00"
    assert cell_text.cell_text(None) == ""
    assert cell_text.cell_text("  x ") == "  x "


def test_text_cells_in_a_workbook_are_not_rewritten():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "code"],
                ["9876543210.0", "007"],
                ["09876543210", "1e5"],
                ["+91 98765 43210", " padded "],
            ],
        )
    )
    assert table(read_contacts(data, "t.xlsx")) == (
        [2, 3, 4],
        ["phone_number", "code"],
        [["9876543210.0", "007"], ["09876543210", "1e5"], ["+91 98765 43210", " padded "]],
    )
