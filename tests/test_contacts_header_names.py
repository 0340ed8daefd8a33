"""read_contacts on header names with invisible characters: trimmed at the edges, shown inside."""

from __future__ import annotations

import pytest
from batchcall.contacts import MissingPhoneColumnError, UnreadableFileError, read_contacts

from tests.contacts_support import read, table, xlsx_bytes


@pytest.mark.parametrize(
    "header",
    [
        "\u200bphone_number",  # zero-width space
        "\ufeffphone_number",  # a second BOM, glued on by a program that added its own
        "\u00a0phone_number\u2060",  # non-breaking space, word joiner
        "phone_number\u200c\u200d ",
        " \ufeff\u200b phone_number",
    ],
)
def test_invisible_characters_around_a_header_are_trimmed(header: str):
    data = f"{header},\u200bname\u00a0\n9876543210,Priya\n".encode()
    assert table(read(data)) == ([2], ["phone_number", "name"], [["9876543210", "Priya"]])


def test_a_double_bom_file():
    data = b"\xef\xbb\xbf\xef\xbb\xbfphone_number,name\r\n9876543210,a\r\n"
    assert table(read(data)) == ([2], ["phone_number", "name"], [["9876543210", "a"]])


def test_invisible_characters_in_a_workbook_header_are_trimmed():
    data = xlsx_bytes(("S", [["\u200bphone_number\ufeff", "name"], ["9876543210", "a"]]))
    assert table(read_contacts(data, "z.xlsx"))[1] == ["phone_number", "name"]


def test_trimmed_headers_that_become_equal_are_duplicates():
    with pytest.raises(UnreadableFileError, match="columns B and C are both named 'name'"):
        read("phone_number,name,\u200bname\n9876543210,a,b\n", "d.csv")


def test_invisible_characters_inside_a_header_are_shown_in_the_message():
    with pytest.raises(MissingPhoneColumnError) as caught:
        read("phone\u200b_number,name\n9876543210,Priya\n", "z.csv")
    assert caught.value.suggestions == ["phone\u200b_number"]  # the real header, to choose
    assert "It looks like 'phone\\u200b_number' holds the numbers" in str(caught.value)
    assert "\u200b" not in str(caught.value)


def test_a_chosen_phone_column_is_matched_after_trimming():
    frame = read("name,\u200bMobile\nPriya,9876543210\n", phone_column="Mobile\u200b")
    assert table(frame) == ([2], ["phone_number", "name"], [["9876543210", "Priya"]])


def test_column_list_shows_invisible_characters():
    with pytest.raises(MissingPhoneColumnError) as caught:
        read("na\u00a0me,Mobile\nPriya,9876543210\n", "z.csv", phone_column="Cell")
    assert "Columns found: na\\xa0me, Mobile." in str(caught.value)
