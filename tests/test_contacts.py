"""lib.contacts on CSV files, and what every source kind shares: sizes, types, refusals.

Workbook cases (XLSX, XLS) are in ``test_contacts_workbooks.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lib.contacts import (
    MAX_FILE_BYTES,
    ContactFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    UnreadableFileError,
    UnsupportedFileTypeError,
    list_sheets,
    read_contacts,
)


def read(data: str | bytes, name: str = "contacts.csv", **options) -> pd.DataFrame:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_contacts(raw, name, **options)


def table(frame: pd.DataFrame) -> tuple[list[int], list[str], list[list[str]]]:
    """(row numbers, headers, cells) — the whole frame as plain values."""
    return list(frame.index), list(frame.columns), frame.to_numpy().tolist()


class Upload(io.BytesIO):
    """Streamlit's UploadedFile as far as the reader cares: a stream with .name and .size."""

    def __init__(self, data: bytes, name: str, size: int | None = None):
        super().__init__(data)
        self.name = name
        self.size = len(data) if size is None else size


SIMPLE = "phone_number,customer_name\n9876543210,Priya Sharma\n9123456789,Rahul Mehra\n"
SIMPLE_TABLE = (
    [2, 3],
    ["phone_number", "customer_name"],
    [["9876543210", "Priya Sharma"], ["9123456789", "Rahul Mehra"]],
)

# ------------------------------------------------------------------ sources


def test_every_source_kind_reads_the_same_table(tmp_path: Path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(SIMPLE.encode())
    consumed = Upload(SIMPLE.encode(), "contacts.csv")
    consumed.read()  # a stream someone already read: the reader rewinds it
    sources = [
        (path, None),
        (str(path), None),
        (SIMPLE.encode(), "contacts.csv"),
        (bytearray(SIMPLE.encode()), "contacts.csv"),
        (SIMPLE.encode(), None),  # unnamed bytes: the content decides
        (io.BytesIO(SIMPLE.encode()), "contacts.csv"),
        (Upload(SIMPLE.encode(), "contacts.csv"), None),
        (consumed, None),
    ]
    for source, filename in sources:
        assert table(read_contacts(source, filename)) == SIMPLE_TABLE, (source, filename)


def test_cells_are_str_and_the_index_is_named_row():
    frame = read("phone_number,age,note\n9876543210,,x\n")
    assert frame.index.name == "row"
    assert [type(v) for v in frame.iloc[0]] == [str, str, str]
    assert frame.loc[2, "age"] == ""


def test_phone_number_column_comes_first_others_keep_their_order():
    frame = read("name,city,phone_number,amount\nPriya,Delhi,9876543210,500\n")
    assert list(frame.columns) == ["phone_number", "name", "city", "amount"]
    assert frame.loc[2].tolist() == ["9876543210", "Priya", "Delhi", "500"]


# ------------------------------------------------------------------ size


def test_limit_is_ten_mebibytes():
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


def just_over_limit() -> bytes:
    header = b"phone_number\n"
    line = b"9876543210\n"
    count = (MAX_FILE_BYTES - len(header)) // len(line) + 1
    data = header + line * count
    assert MAX_FILE_BYTES < len(data) <= MAX_FILE_BYTES + len(line)
    return data


def test_too_large_path(tmp_path: Path):
    path = tmp_path / "huge.csv"
    path.write_bytes(just_over_limit())
    with pytest.raises(FileTooLargeError) as caught:
        read_contacts(path)
    assert "huge.csv" in str(caught.value)
    assert "10 MB" in str(caught.value)
    assert "Split" in str(caught.value)


def test_too_large_stream_without_size():
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv is .* at most 10 MB"):
        read_contacts(io.BytesIO(just_over_limit()), "huge.csv")


def test_too_large_upload_is_refused_from_its_size_before_reading():
    upload = Upload(b"phone_number\n9876543210\n", "big.xlsx", size=MAX_FILE_BYTES + 1)
    with pytest.raises(FileTooLargeError, match=r"^big\.xlsx"):
        read_contacts(upload)
    assert upload.tell() == 0


def test_too_large_bytes():
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv"):
        read_contacts(just_over_limit(), "huge.csv")
    with pytest.raises(FileTooLargeError, match=r"^huge\.csv"):
        list_sheets(just_over_limit(), "huge.csv")


def test_exactly_ten_mebibytes_is_accepted():
    header = b"phone_number\n"
    data = header + b"9" * (MAX_FILE_BYTES - len(header) - 1) + b"\n"
    assert len(data) == MAX_FILE_BYTES
    frame = read_contacts(data, "edge.csv")
    assert list(frame.index) == [2]
    assert len(frame.loc[2, "phone_number"]) == MAX_FILE_BYTES - len(header) - 1


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("name", ["contacts.pdf", "contacts.json", "contacts", "list.numbers"])
def test_unsupported_type(name: str):
    with pytest.raises(UnsupportedFileTypeError) as caught:
        read(SIMPLE, name)
    assert str(caught.value).startswith(f"{name}:")
    assert "CSV" in str(caught.value) and "XLSX" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "is empty"),
        (b"phone_number,customer_name\n", "no contacts"),
        (b"phone_number,customer_name\r\n,\r\n\r\n,,\r\n", "no contacts"),
        (b"\n\n\n", "no rows"),
    ],
    ids=["zero-bytes", "header-only", "only-blank-rows", "only-newlines"],
)
def test_empty_files(data: bytes, what: str):
    with pytest.raises(EmptyFileError) as caught:
        read(data, "empty.csv")
    assert str(caught.value).startswith("empty.csv")
    assert what in str(caught.value)


def test_refusals_are_value_errors():
    for cls in (
        FileTooLargeError,
        UnsupportedFileTypeError,
        EmptyFileError,
        UnreadableFileError,
        MissingPhoneColumnError,
    ):
        assert issubclass(cls, ContactFileError)
    assert issubclass(ContactFileError, ValueError)


def test_csv_named_as_workbook_is_unreadable():
    with pytest.raises(UnreadableFileError, match=r"^list\.xlsx is named \.xlsx but holds plain"):
        read(SIMPLE, "list.xlsx")
    with pytest.raises(UnreadableFileError, match=r"^list\.xls is named \.xls but holds plain"):
        read(SIMPLE, "list.xls")


def test_workbook_named_csv_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(UnreadableFileError, match=r"^list\.csv is named \.csv but holds an XLSX"):
        read(buffer.getvalue(), "list.csv")


def test_missing_and_directory_paths_are_unreadable(tmp_path: Path):
    with pytest.raises(UnreadableFileError, match=r"^nope\.csv: cannot open"):
        read_contacts(tmp_path / "nope.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UnreadableFileError, match=r"^folder\.csv: cannot open"):
        read_contacts(folder)


def test_unclosed_quote_is_refused_not_swallowed():
    # Without the refusal the parser reads rows 3-4 into row 2's name cell.
    data = 'phone_number,name\n9876543210,"Priya\n9123456789,Rahul\n9988776655,Anil\n'
    with pytest.raises(UnreadableFileError) as caught:
        read(data, "quotes.csv")
    assert str(caught.value).startswith("quotes.csv: row 2")
    assert "quote" in str(caught.value)
    assert caught.value.row == 2


def test_a_stray_quote_inside_a_cell_is_text():
    frame = read('phone_number,name\n9876543210,6" ruler\n9123456789,"say ""hi"""\n')
    assert table(frame) == (
        [2, 3],
        ["phone_number", "name"],
        [["9876543210", '6" ruler'], ["9123456789", 'say "hi"']],
    )


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


# ------------------------------------------------------------------ the phone column


def test_phone_column_is_renamed_and_moved_first():
    data = "name,Mobile No.,city\nPriya,9876543210,Delhi\nRahul,+91 91234 56789,Pune\n"
    for choice in ("Mobile No.", " Mobile No. "):
        assert table(read(data, phone_column=choice)) == (
            [2, 3],
            ["phone_number", "name", "city"],
            [["9876543210", "Priya", "Delhi"], ["+91 91234 56789", "Rahul", "Pune"]],
        )


def test_phone_column_conflicting_with_an_existing_phone_number_is_refused():
    data = "phone_number,Mobile No.\n9876543210,9123456789\n"
    with pytest.raises(UnreadableFileError) as caught:
        read(data, "both.csv", phone_column="Mobile No.")
    assert str(caught.value).startswith("both.csv already has a 'phone_number' column")
    assert table(read(data, phone_column="phone_number"))[1] == ["phone_number", "Mobile No."]


def test_blank_phone_column_means_no_choice():
    for blank in ("", "  "):
        assert table(read(SIMPLE, phone_column=blank)) == SIMPLE_TABLE
    with pytest.raises(MissingPhoneColumnError) as caught:
        read("name,Mobile\nPriya,9876543210\n", phone_column=" ")
    assert caught.value.suggestions == ["Mobile"]


def test_unknown_phone_column_lists_the_headers():
    with pytest.raises(MissingPhoneColumnError) as caught:
        read("name,Mobile\nPriya,9876543210\n", "x.csv", phone_column="Cell")
    assert str(caught.value) == (
        "x.csv has no column named 'Cell'. Columns found: name, Mobile. "
        "Choose the one that holds the phone numbers."
    )
    assert caught.value.suggestions == ["Mobile"]


def test_headers_are_case_sensitive():
    with pytest.raises(MissingPhoneColumnError) as caught:
        read("Phone_Number,name\n9876543210,Priya\n", "case.csv")
    assert caught.value.suggestions == ["Phone_Number"]
    assert str(caught.value) == (
        "case.csv has no 'phone_number' column (headers are case-sensitive). It looks like "
        "'Phone_Number' holds the numbers: choose it as the phone column, or rename that "
        "header to 'phone_number'."
    )


def missing(data: str) -> MissingPhoneColumnError:
    with pytest.raises(MissingPhoneColumnError) as caught:
        read(data, "leads.csv")
    assert str(caught.value).startswith("leads.csv has no 'phone_number' column")
    return caught.value


def test_suggestions_by_name_best_first():
    error = missing(
        "customer_name,Mobile No.,msisdn,city,contact_number,Phone Number\nPriya,,,Delhi,,\n"
    )
    assert error.suggestions == ["Phone Number", "msisdn", "contact_number", "Mobile No."]


def test_suggestions_by_content_ignore_dates_and_amounts():
    error = missing(
        "customer_name,Column1,due_date,loan_amount,paid\n"
        "Priya,9876543210,2024-05-10,1680000,2560000.50\n"
        "Rahul,+91 91234 56789,10/05/2024,2560000,1250000.75\n"
        "Anil,098201 55443,2024-06-01 10:30,7500000,335000.25\n"
    )
    assert error.suggestions == ["Column1"]
    assert "It looks like 'Column1' holds the numbers" in str(error)


def test_suggestions_name_and_content_beat_either_alone():
    error = missing(
        "name,Phone (old),Column B,Mobile\n"
        "Priya,,9876543210,9123456789\n"
        "Rahul,,+91 98200 45678,+91 91234 56789\n"
    )
    assert error.suggestions == ["Mobile", "Column B", "Phone (old)"]


def test_suggestions_put_ids_after_phones():
    error = missing(
        "account_number,name,Column1\n"
        "123456789012,Priya,9876543210\n"
        "123456789013,Rahul,+91 91234 56789\n"
    )
    assert error.suggestions == ["Column1", "account_number"]


def test_suggestions_skip_words_that_merely_contain_tel_or_cell():
    error = missing("hotel,cancellation,excellent,Tel,Cell No\nTaj,no,yes,,\n")
    assert error.suggestions == ["Tel", "Cell No"]


def test_no_suggestions_says_to_add_the_column():
    error = missing("name,city\nPriya,Delhi\n")
    assert error.suggestions == []
    assert str(error) == (
        "leads.csv has no 'phone_number' column (headers are case-sensitive). "
        "Add a 'phone_number' column with one number per contact."
    )


# ------------------------------------------------------------------ list_sheets, samples


def test_list_sheets_of_a_csv_is_empty():
    assert list_sheets(SIMPLE.encode(), "contacts.csv") == []


def test_sample_loan_followup(sample_path):
    frame = read_contacts(sample_path("loan_followup.csv"))
    assert list(frame.columns) == [
        "phone_number",
        "customer_name",
        "loan_amount",
        "product",
        "due_date",
        "city",
    ]
    assert list(frame.index) == list(range(2, 252))
    assert frame.loc[2].tolist() == [
        "9876543210",
        "Priya Sharma",
        "500000",
        "home_loan",
        "2024-05-10",
        "Delhi",
    ]
    assert frame.loc[3, "customer_name"] == "Rahul Mehra"
    assert all(
        any("\u0900" <= ch <= "\u097f" for ch in frame.loc[row, "customer_name"])
        for row in (43, 119, 205)
    )


@pytest.mark.parametrize("header", ["Mobile No.", "Column1", "contact"])
def test_sample_with_a_renamed_phone_header_suggests_only_it(sample_path, header: str):
    data = sample_path("loan_followup.csv").read_bytes().replace(b"phone_number", header.encode())
    with pytest.raises(MissingPhoneColumnError) as caught:
        read_contacts(data, "loans.csv")
    assert caught.value.suggestions == [header]  # not due_date, not loan_amount


def test_nothing_but_contact_file_errors_escape_on_random_bytes():
    rng = random.Random(7)
    for index in range(60):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        if index % 3 == 0:
            data = b"phone_number,name\n" + data
        for name in ("junk.csv", "junk.xlsx", "junk.xls", "junk.txt"):
            with contextlib.suppress(ContactFileError):  # anything else fails the test
                read_contacts(data, name)


def test_stream_position_and_os_paths(tmp_path: Path):
    path = tmp_path / "Contacts Final (2).CSV"
    path.write_bytes(SIMPLE.encode())
    assert table(read_contacts(os.fspath(path))) == SIMPLE_TABLE
    with open(path, "rb") as handle:
        assert table(read_contacts(handle)) == SIMPLE_TABLE
