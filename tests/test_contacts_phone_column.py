"""read_contacts on the phone column: choosing it, and suggesting one when it is missing."""

from __future__ import annotations

import pytest
from batchcall.contacts import MissingPhoneColumnError, UnreadableFileError, read_contacts

from tests.contacts_support import SIMPLE, SIMPLE_TABLE, read, table


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


@pytest.mark.parametrize("header", ["Mobile No.", "Column1", "contact"])
def test_sample_with_a_renamed_phone_header_suggests_only_it(sample_path, header: str):
    data = sample_path("loan_followup.csv").read_bytes().replace(b"phone_number", header.encode())
    with pytest.raises(MissingPhoneColumnError) as caught:
        read_contacts(data, "loans.csv")
    assert caught.value.suggestions == [header]  # not due_date, not loan_amount
