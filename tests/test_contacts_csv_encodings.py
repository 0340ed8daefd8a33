"""read_contacts on CSV text: encodings, delimiters, quoting, and text cells kept exactly."""

from __future__ import annotations

import pytest

from tests.contacts_support import read, table

# ------------------------------------------------------------------ encodings and delimiters


def test_utf8_bom_and_semicolons():
    data = "\ufeffphone_number;customer_name;city\n9876543210;प्रिया शर्मा;Delhi\n".encode()
    assert table(read(data)) == (
        [2],
        ["phone_number", "customer_name", "city"],
        [["9876543210", "प्रिया शर्मा", "Delhi"]],
    )


def test_windows_1252():
    data = "phone_number;name;fee\n9876543210;José Nuñez;€250\n".encode("cp1252")
    assert b"\x80" in data  # the euro sign is cp1252's 0x80, not Latin-1
    assert table(read(data)) == (
        [2],
        ["phone_number", "name", "fee"],
        [["9876543210", "José Nuñez", "€250"]],
    )


def test_latin_1():
    data = "phone_number,name\n9876543210,Françoise Müller\n".encode("latin-1")
    assert read(data).loc[2, "name"] == "Françoise Müller"


def test_utf16_with_bom_as_excels_unicode_text():
    text = (
        "phone_number\tcustomer_name\tcity\r\n"
        "9876543210\tप्रिया\tPune\r\n\r\n9123456789\tJosé\tGoa\r\n"
    )
    for encoded in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        assert table(read(encoded, "export.txt")) == (
            [2, 4],
            ["phone_number", "customer_name", "city"],
            [["9876543210", "प्रिया", "Pune"], ["9123456789", "José", "Goa"]],
        )


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding: str):
    data = "phone_number\tname\r\n9876543210\tJosé\r\n".encode(encoding)
    assert table(read(data)) == ([2], ["phone_number", "name"], [["9876543210", "José"]])


def test_pipe_delimiter():
    frame = read("phone_number|name|city\n9876543210|Priya, S.|Delhi\n9123456789|Rahul|\n")
    assert table(frame) == (
        [2, 3],
        ["phone_number", "name", "city"],
        [["9876543210", "Priya, S.", "Delhi"], ["9123456789", "Rahul", ""]],
    )


def test_tab_delimiter_with_commas_in_values():
    frame = read("phone_number\tname\n9876543210\tSharma, Priya\n")
    assert table(frame) == ([2], ["phone_number", "name"], [["9876543210", "Sharma, Priya"]])


def test_comma_inside_quotes_with_semicolon_delimiter():
    data = 'phone_number;name;amount\n9876543210;"Sharma, Priya";12,5\n9123456789;Rahul;7\n'
    assert table(read(data)) == (
        [2, 3],
        ["phone_number", "name", "amount"],
        [["9876543210", "Sharma, Priya", "12,5"], ["9123456789", "Rahul", "7"]],
    )


def test_semicolon_inside_quotes_with_comma_delimiter():
    data = 'phone_number,note\n9876543210,"call after 6; not Sunday"\n'
    assert read(data).loc[2, "note"] == "call after 6; not Sunday"


def test_single_column_file():
    frame = read("phone_number\n9876543210\n\n+91 91234 56789\n")
    assert table(frame) == ([2, 4], ["phone_number"], [["9876543210"], ["+91 91234 56789"]])


# ------------------------------------------------------------------ text is never rewritten


def test_text_cells_are_kept_exactly():
    data = (
        "phone_number,code,note,flag,missing\n"
        "9876543210.0,007, padded ,TRUE,NA\n"
        "09876543210,1e5,2024-05-01,null,N/A\n"
        "+91 98765 43210,0.10,12500.50,nan,#N/A\n"
        "9.87654321E+9,-0,'9876543210,None,\n"
    )
    assert table(read(data)) == (
        [2, 3, 4, 5],
        ["phone_number", "code", "note", "flag", "missing"],
        [
            ["9876543210.0", "007", " padded ", "TRUE", "NA"],
            ["09876543210", "1e5", "2024-05-01", "null", "N/A"],
            ["+91 98765 43210", "0.10", "12500.50", "nan", "#N/A"],
            ["9.87654321E+9", "-0", "'9876543210", "None", ""],
        ],
    )
