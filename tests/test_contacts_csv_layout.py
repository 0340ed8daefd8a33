"""read_contacts on CSV layout: row numbers, blank and multi-line rows, headers, ragged rows."""

from __future__ import annotations

import pytest
from batchcall.contacts import UnreadableFileError

from tests.contacts_support import read, table

# ------------------------------------------------------------------ row numbers


def test_blank_rows_are_dropped_and_later_rows_keep_their_numbers():
    frame = read("phone_number,name\n9876543210,a\n\n\n9123456789,b\n,\n9988776655,c\n\n")
    assert list(frame.index) == [2, 5, 7]
    assert frame["name"].tolist() == ["a", "b", "c"]


def test_rows_count_records_not_lines():
    data = (
        "phone_number,address\n"
        '9876543210,"12 MG Road\nBengaluru\n560001"\n'
        '9123456789,"Flat 4, ""Sea View""\r\nMumbai"\n'
        "9988776655,Delhi\n"
    )
    frame = read(data)
    assert list(frame.index) == [2, 3, 4]
    assert frame.loc[2, "address"] == "12 MG Road\nBengaluru\n560001"
    assert frame.loc[3, "address"] == 'Flat 4, "Sea View"\r\nMumbai'


def test_crlf_line_endings():
    frame = read(b"phone_number,name\r\n9876543210,a\r\n\r\n9123456789,b\r\n")
    assert table(frame) == (
        [2, 4],
        ["phone_number", "name"],
        [["9876543210", "a"], ["9123456789", "b"]],
    )


def test_blank_lines_above_the_header_keep_the_sheet_numbering():
    frame = read("\n\nphone_number,name\n9876543210,a\n9123456789,b\n")
    assert table(frame) == (
        [4, 5],
        ["phone_number", "name"],
        [["9876543210", "a"], ["9123456789", "b"]],
    )
    ragged = read("\r\n\r\nphone_number,name\r\n9876543210,a,\r\n9123456789\r\n")
    assert table(ragged) == (
        [4, 5],
        ["phone_number", "name"],
        [["9876543210", "a"], ["9123456789", ""]],
    )
    delimiters_only = read(",,\nphone_number,name\n9876543210,a\n")
    assert table(delimiters_only) == ([3], ["phone_number", "name"], [["9876543210", "a"]])
    with pytest.raises(UnreadableFileError, match=r"^c\.csv: row 5 has 3 cells"):
        read("\n \nphone_number,name\n9876543210,a\n9123456789,b,c\n", "c.csv")
    with pytest.raises(UnreadableFileError, match=r"^c\.csv: row 4 opens a double quote"):
        read('\r\n\r\nphone_number,name\r\n9876543210,"a\r\n9123456789,b\r\n', "c.csv")


# ------------------------------------------------------------------ headers


def test_header_whitespace_is_stripped_cells_are_not():
    frame = read("  phone_number\t, customer name ,\u00a0city\u00a0\n 9876543210 , a ,b\n")
    assert table(frame) == (
        [2],
        ["phone_number", "customer name", "city"],
        [[" 9876543210 ", " a ", "b"]],
    )


@pytest.mark.parametrize(
    "header", ["phone_number,name,name", "phone_number,name, name ", "name,phone_number,name"]
)
def test_duplicate_header_is_refused(header: str):
    with pytest.raises(UnreadableFileError) as caught:
        read(f"{header}\n9876543210,a,b\n", "dupes.csv")
    message = str(caught.value)
    assert message.startswith("dupes.csv: columns ")
    assert "both named 'name'" in message
    assert caught.value.row == 1


def test_duplicate_header_names_the_columns():
    with pytest.raises(UnreadableFileError, match="columns B and D are both named 'city'"):
        read("phone_number,city,name,city\n9876543210,a,b,c\n", "dupes.csv")


def test_blank_header_with_values_is_refused():
    with pytest.raises(UnreadableFileError) as caught:
        read("phone_number,,name\n9876543210,,a\n9123456789,x,b\n", "blank.csv")
    assert str(caught.value).startswith("blank.csv: column B has values (first in row 3)")
    assert caught.value.column == "B"


def test_blank_header_without_values_is_dropped():
    frame = read("phone_number, ,name\n9876543210,,a\n9123456789,,b\n")
    assert table(frame) == (
        [2, 3],
        ["phone_number", "name"],
        [["9876543210", "a"], ["9123456789", "b"]],
    )


def test_trailing_delimiters_add_no_columns():
    frame = read("phone_number,name,,\n9876543210,a,,\n9123456789,b,,\n,,,\n")
    assert table(frame) == (
        [2, 3],
        ["phone_number", "name"],
        [["9876543210", "a"], ["9123456789", "b"]],
    )
    semicolons = read("phone_number;name;\n9876543210;a;\n")
    assert table(semicolons) == ([2], ["phone_number", "name"], [["9876543210", "a"]])


def test_ragged_rows_short_are_padded_long_with_empty_extras_are_fine():
    frame = read("phone_number,name,city\n9876543210,a\n9123456789\n9988776655,c,d,,\n")
    assert table(frame) == (
        [2, 3, 4],
        ["phone_number", "name", "city"],
        [["9876543210", "a", ""], ["9123456789", "", ""], ["9988776655", "c", "d"]],
    )


def test_ragged_row_with_extra_values_is_refused():
    with pytest.raises(UnreadableFileError) as caught:
        read("phone_number,name\n9876543210,a\n9123456789,Sharma, Rahul\n", "ragged.csv")
    assert str(caught.value).startswith("ragged.csv: row 3 has 3 cells but the header has 2.")
    assert caught.value.row == 3
