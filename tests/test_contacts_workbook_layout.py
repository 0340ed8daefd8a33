"""read_contacts on workbook layout: the sheet's own row numbers and column letters, headers."""

from __future__ import annotations

import pytest
from batchcall.contacts import UnreadableFileError, read_contacts

from tests.contacts_support import table, xlsx_bytes

# ------------------------------------------------------------------ row numbers


@pytest.mark.parametrize("name", ["offset.xlsx", "offset.xls"])
def test_data_starting_at_b3_keeps_the_sheets_row_numbers(fixture_path, name: str):
    assert table(read_contacts(fixture_path(name))) == (
        [4, 5, 7],
        ["phone_number", "name", "city"],
        [
            ["9876543210", "Priya", "Delhi"],
            ["+91 91234 56789", "Rahul", "Mumbai"],
            ["12345", "Anil", ""],
        ],
    )


def test_offset_sheet_errors_name_the_sheets_column_letters():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "name", None],
                ["9876543210", "a", None],
                ["9123456789", "b", "stray"],
            ],
        ),
        at="B3",
    )
    with pytest.raises(UnreadableFileError) as caught:
        read_contacts(data, "offset.xlsx")
    assert str(caught.value).startswith(
        "offset.xlsx: column D has values (first in row 5) but no header. Give it a name in "
        "row 3 (it becomes a {{variable}})"
    )
    assert (caught.value.column, caught.value.row) == ("D", 3)


def test_blank_rows_in_a_workbook_keep_the_numbering():
    data = xlsx_bytes(
        (
            "S",
            [
                ["phone_number", "name"],
                [None, None],
                ["9876543210", "a"],
                [None, None],
                [None, None],
                ["9123456789", "b"],
            ],
        )
    )
    assert list(read_contacts(data, "b.xlsx").index) == [3, 6]


# ------------------------------------------------------------------ headers


def test_workbook_headers_are_stripped_and_empty_unnamed_columns_dropped():
    data = xlsx_bytes(
        (
            "S",
            [
                [" phone_number ", None, "\tname", 2024, None],
                ["9876543210", None, "a", 1, None],
                ["9123456789", None, "b", 2, None],
            ],
        )
    )
    assert table(read_contacts(data, "h.xlsx")) == (
        [2, 3],
        ["phone_number", "name", "2024"],
        [["9876543210", "a", "1"], ["9123456789", "b", "2"]],
    )


def test_workbook_duplicate_and_unnamed_headers_are_refused():
    dupes = xlsx_bytes(("S", [["phone_number", "name", "name "], ["9876543210", "a", "b"]]))
    with pytest.raises(UnreadableFileError, match="columns B and C are both named 'name'"):
        read_contacts(dupes, "d.xlsx")
    unnamed = xlsx_bytes(("S", [["phone_number", None], ["9876543210", "x"]]))
    with pytest.raises(UnreadableFileError, match=r"^u\.xlsx: column B has values"):
        read_contacts(unnamed, "u.xlsx")
