"""read_contacts on CSV text that Excel or a damaged export left behind: ``sep=`` lines,
stray bytes in a UTF-8 file, NUL characters."""

from __future__ import annotations

import pytest
from batchcall.contacts import UnreadableFileError

from tests.contacts_support import read, table

# ------------------------------------------------------------------ Excel's sep= line


@pytest.mark.parametrize(
    ("first_line", "delimiter"), [("sep=;", ";"), ("sep=,", ","), ("sep=\t", "\t"), ("SEP=|", "|")]
)
def test_sep_line_names_the_delimiter_and_is_not_the_header(first_line: str, delimiter: str):
    rows = [["phone_number", "note"], ["9876543210", "a, b; c"], ["9123456789", "d"]]
    body = "".join(
        delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row) + "\r\n"
        for row in rows
    )
    frame = read(f"{first_line}\r\n{body}")
    # Excel hides the sep= line, so the header is row 1 and the contacts rows 2 and 3.
    assert table(frame) == (
        [2, 3],
        ["phone_number", "note"],
        [["9876543210", "a, b; c"], ["9123456789", "d"]],
    )


def test_sep_line_wins_over_the_detected_delimiter():
    # Without the sep= line, commas split these rows as consistently as semicolons do.
    frame = read(b"\xef\xbb\xbfsep=;\nphone_number;a,b\n9876543210;x,y\n")
    assert table(frame) == ([2], ["phone_number", "a,b"], [["9876543210", "x,y"]])


def test_rows_after_a_sep_line_are_numbered_as_excel_shows_them():
    with pytest.raises(UnreadableFileError, match=r"^s\.csv: row 3 has 3 cells") as caught:
        read("sep=;\nphone_number;name\n9876543210;a\n9123456789;b;c\n", "s.csv")
    assert caught.value.row == 3
    assert list(read("sep=;\n\nphone_number;name\n9876543210;a\n").index) == [3]


def test_a_sep_line_anywhere_but_the_top_is_data():
    frame = read("phone_number,name\nsep=;,x\n")
    assert table(frame) == ([2], ["phone_number", "name"], [["sep=;", "x"]])


# ------------------------------------------------------------------ stray bytes in UTF-8


def test_a_stray_byte_in_a_utf8_file_is_refused_with_its_cell():
    data = b"phone_number,name\r\n9876543210,caf\xc3\xa9\r\n9123456789,\x81bad\r\n"
    with pytest.raises(UnreadableFileError) as caught:
        read(data, "m.csv")
    assert str(caught.value) == (
        "m.csv: row 3, column B holds a character that is not UTF-8 text, while the rest of "
        "the file is UTF-8, so it cannot be read without garbling. Re-type that cell, or save "
        "the file again as 'CSV UTF-8', and upload again."
    )
    assert (caught.value.row, caught.value.column) == (3, "B")


@pytest.mark.parametrize(
    ("data", "row", "column"),
    [
        # after a quoted cell spanning lines: rows count records
        (b'phone_number,note\n9876543210,"one\ntwo caf\xc3\xa9"\n9123456789,"x\xff"\n', 3, "B"),
        # the BOM, a sep= line and blank lines above the header
        (b"\xef\xbb\xbfsep=;\n\nphone_number;name\n9876543210;\xc3\xa9\n9123456789;\xe9\n", 4, "B"),
        # the first cell of a row, semicolons detected
        (b"phone_number;name\n9876543210;\xc3\xa9\n\xe99123456789;b\n", 3, "A"),
    ],
    ids=["after-multiline-cell", "bom-sep-blank-lines", "first-cell"],
)
def test_the_stray_byte_is_located_in_spreadsheet_rows(data: bytes, row: int, column: str):
    with pytest.raises(UnreadableFileError) as caught:
        read(data, "m.csv")
    assert (caught.value.row, caught.value.column) == (row, column)
    assert str(caught.value).startswith(f"m.csv: row {row}, column {column} holds a character")


def test_windows_1252_with_no_utf8_characters_still_reads():
    data = "phone_number,name,note\n9876543210,José,ça\n9123456789,Zoë,€5\n".encode("cp1252")
    frame = read(data)
    assert frame["name"].tolist() == ["José", "Zoë"]


def test_windows_1252_with_one_accidental_utf8_pair_still_reads():
    # 'Â£' in Windows-1252 is the bytes of UTF-8's '£': one such pair among many letters.
    text = "phone_number,name\n" + "".join(f"98765432{i:02d},Müller Ñoño Ä\n" for i in range(20))
    frame = read((text + "9123456789,Â£5\n").encode("cp1252"))
    assert frame.loc[2, "name"] == "Müller Ñoño Ä"
    assert frame.loc[22, "name"] == "Â£5"


# ------------------------------------------------------------------ NUL characters


def test_nul_characters_are_dropped():
    data = "phone_number\x00,name\r\n98765\x0043210,a\x00b\r\n9123456789,\x00\r\n"
    assert table(read(data)) == (
        [2, 3],
        ["phone_number", "name"],
        [["9876543210", "ab"], ["9123456789", ""]],
    )
