"""read_contacts on very wide CSV rows: numbers pasted on one line, absurd column counts, and
ragged rows read at pandas' speed."""

from __future__ import annotations

import time

import pytest
from batchcall.contacts import UnreadableFileError, read_contacts

from tests.contacts_support import read, table, xlsx_bytes

NUMBERS = [f"98{j:08d}" for j in range(100_000)]


def refused_quickly(data: str, name: str = "w.csv") -> UnreadableFileError:
    start = time.perf_counter()
    with pytest.raises(UnreadableFileError) as caught:
        read(data, name)
    assert time.perf_counter() - start < 3  # a minute before the refusal was added
    return caught.value


def test_numbers_all_on_one_line_without_a_header():
    error = refused_quickly(",".join(NUMBERS) + "\n")
    assert str(error) == (
        "w.csv has 100,000 columns in row 1; a contact list has one contact per row and a "
        "column per variable, at most 1,000. Were the numbers all put on one line, or was the "
        "file saved with the wrong delimiter? Put each contact on its own row below a header "
        "row and upload again."
    )
    assert error.row == 1


def test_numbers_all_on_one_line_below_a_header():
    error = refused_quickly("phone_number\n" + ",".join(NUMBERS) + "\n")
    assert str(error).startswith("w.csv has 100,000 columns in row 2;")


def test_numbers_on_one_line_split_by_another_delimiter():
    error = refused_quickly("phone_number\n" + ";".join(NUMBERS) + "\n")
    assert str(error).startswith(
        "w.csv: row 2 holds 100,000 values separated by ';' in one cell; a contact list has "
        "one contact per row."
    )


def test_a_transposed_list_with_a_header_per_number():
    header = ",".join(["phone_number", *(f"c{j}" for j in range(1, 40_000))])
    error = refused_quickly(f"{header}\n{','.join(NUMBERS[:40_000])}\n")
    assert str(error).startswith("w.csv has 40,000 columns in row 1;")


def test_a_pasted_row_far_down_is_found():
    rows = [f"98765{i:05d},a" for i in range(5000)]
    rows[3000] = ",".join(NUMBERS[:2000])
    error = refused_quickly("phone_number,name\n" + "\n".join(rows) + "\n")
    assert str(error).startswith("w.csv has 2,000 columns in row 3002;")


def test_a_thousand_columns_are_read_and_one_more_is_refused():
    names = ["phone_number", *(f"v{j}" for j in range(1, 1000))]
    frame = read(",".join(names) + "\n" + ",".join(["9876543210"] + ["x"] * 999) + "\n")
    assert frame.shape == (1, 1000)
    error = refused_quickly(",".join([*names, "extra"]) + "\n9876543210\n")
    assert str(error).startswith("w.csv has 1,001 columns in row 1;")


def test_empty_trailing_cells_do_not_count_as_columns():
    # Excel saves a CSV as wide as the furthest formatted cell.
    blank = "," * 2000
    frame = read(f"phone_number,name{blank}\n9876543210,a{blank}\n")
    assert table(frame) == ([2], ["phone_number", "name"], [["9876543210", "a"]])


def test_a_workbook_with_too_many_named_columns():
    data = xlsx_bytes(("S", [[f"c{j}" for j in range(1001)], ["9876543210"] * 1001]))
    with pytest.raises(UnreadableFileError, match=r"^w\.xlsx has 1,001 columns in row 1;"):
        read_contacts(data, "w.xlsx")


# ------------------------------------------------------------------ ragged rows


def test_ragged_rows_read_as_the_row_by_row_reader_did():
    data = (
        "phone_number,name,city\n"
        "9876543210,a\n"  # short: padded
        "9123456789,b,c,,\n"  # empty extras: dropped
        "\n"
        '9988776655,"x\ny, z",Pune,\n'  # a quoted cell spanning lines
        "9000000000\n"
    )
    assert table(read(data)) == (
        [2, 3, 5, 6],
        ["phone_number", "name", "city"],
        [
            ["9876543210", "a", ""],
            ["9123456789", "b", "c"],
            ["9988776655", "x\ny, z", "Pune"],
            ["9000000000", "", ""],
        ],
    )


def test_a_quoted_record_wider_than_any_line_is_still_checked():
    data = 'phone_number,name\n9876543210,"a\nb",c,d,e\n9123456789,x,\n'
    with pytest.raises(
        UnreadableFileError, match=r"^r\.csv: row 2 has 5 cells but the header has 2"
    ):
        read(data, "r.csv")


def test_a_large_ragged_file_keeps_its_row_numbers():
    data = "p,phone_number\n" + "1,2\n1,2,\n" * 100_000
    frame = read(data)
    assert frame.shape == (200_000, 2)
    assert list(frame.index[-2:]) == [200_000, 200_001]
    with pytest.raises(UnreadableFileError, match=r"^r\.csv: row 200002 has 3 cells"):
        read(data + "1,2,3\n", "r.csv")


def test_cells_over_the_csv_modules_default_limit_are_read():
    huge = "x" * 200_000
    unclosed = f'phone_number,notes\n9876543210,"{huge}"\n9123456789,"y\n9988776655,z\n'
    with pytest.raises(UnreadableFileError, match=r"^h\.csv: row 3 opens a double quote"):
        read(unclosed, "h.csv")
    ragged = f'phone_number,notes\n9876543210,"{huge}"\n9123456789,"a\nb",c\n'
    with pytest.raises(UnreadableFileError, match=r"^h\.csv: row 3 has 3 cells"):
        read(ragged, "h.csv")
