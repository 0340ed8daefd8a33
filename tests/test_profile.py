"""The Upload page's profile: fill rates, duplicates, number formats, verdicts.

Every expected number below was counted by hand from the table in ``_table``.
Run this module directly to time ``profile_contacts`` on 120k rows.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from batchcall.insight.profile import (
    FORMAT_LABELS,
    number_format,
    number_formats,
    profile_contacts,
    template_csv,
)
from batchcall.rules import validate

from tests.workspace_data import TELEPHONY_CONFIG

ROUTE = {"phone_number": "+912234567890", "country": "IN", "provider": "plivo"}
CONFIG = TELEPHONY_CONFIG

ROWS = [  # row: phone_number, customer_name, loan_amount, product
    (2, "9876543210", "Priya Sharma", "500000", "home_loan"),
    (3, "+91 98765 43210", "Priya Sharma", "500000", "home_loan"),
    (4, "+919123456789", "Rahul Mehra", "250000", "car_loan"),
    (5, "09845012345", "Anil Kumar", "", "car_loan"),
    (6, "1800 123 4567", "", "", "gold_loan"),
    (7, "+44 7400 123456", "Karthik Krishnan", "164000", ""),
    (8, "9876543210.0", "Pooja Verma", "197500", "gold_loan"),
    (9, "9.87654321E+9", "Keerthana Iyer", "401000", ""),
    (10, "98765abc10", "Amit Saxena", "", ""),
    (11, "", "Arif Ansari", "2190000", "home_loan"),
    (12, "0091 22 2345 6789", "Jigar Parikh", "975000", "car_loan"),
    (13, "'9123456789", "Rahul Mehra", "250000", "car_loan"),
    (14, "12345", "   ", "", ""),
    (15, "011 4000 1234", "Madhuri Kulkarni", "189000", "gold_loan"),
    (16, "+44 20 7946 0958", "Ashwin Pai", "223000", "home_loan"),
    (17, "+91-98765-43210", "Priya Sharma", "500000", "home_loan"),
    (18, "123-45", "Vinay Shetty", "245000", "car_loan"),
]


def _table(rows=ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(
        [r[1:] for r in rows],
        columns=["phone_number", "customer_name", "loan_amount", "product"],
        index=pd.Index([r[0] for r in rows], name="row"),
    )
    return frame.astype(str)


@pytest.fixture(scope="module")
def profile():
    contacts = _table()
    return profile_contacts(contacts, validate(contacts, ROUTE, CONFIG))


def test_shape_and_variables(profile):
    assert profile.row_count == 17
    assert profile.column_count == 4
    assert profile.variables == ["customer_name", "loan_amount", "product"]


def test_columns_fill_rates_distinct_and_examples(profile):
    got = {c.name: (c.filled, c.fill_rate, c.distinct, c.examples) for c in profile.columns}
    assert list(got) == ["phone_number", "customer_name", "loan_amount", "product"]
    assert got["phone_number"] == (
        16,
        pytest.approx(16 / 17),
        16,
        ["9876543210", "+91 98765 43210", "+919123456789"],
    )
    # row 14's "   " counts as empty
    assert got["customer_name"] == (
        15,
        pytest.approx(15 / 17),
        12,
        ["Priya Sharma", "Rahul Mehra", "Anil Kumar"],
    )
    assert got["loan_amount"] == (13, pytest.approx(13 / 17), 10, ["500000", "250000", "164000"])
    assert got["product"] == (
        13,
        pytest.approx(13 / 17),
        3,
        ["home_loan", "car_loan", "gold_loan"],
    )


def test_duplicates_are_one_valid_number_however_written(profile):
    dupes = profile.duplicates
    assert list(dupes.columns) == ["number", "count", "rows"]
    assert dupes.to_dict("records") == [
        # "9876543210", "+91 98765 43210" and "+91-98765-43210" are one number
        {"number": "+919876543210", "count": 3, "rows": [2, 3, 17]},
        # the apostrophe-damaged cell still parses to the same number
        {"number": "+919123456789", "count": 2, "rows": [4, 13]},
        # rows 14 and 18 both hold the junk "12345": not a number, so not one person
    ]
    assert profile.duplicate_rows == 3


def test_no_duplicates_gives_an_empty_frame():
    contacts = _table([ROWS[0], ROWS[2], ROWS[3]])
    prof = profile_contacts(contacts, validate(contacts, ROUTE, CONFIG))
    assert prof.duplicates.empty
    assert list(prof.duplicates.columns) == ["number", "count", "rows"]
    assert prof.duplicate_rows == 0


def test_format_counts(profile):
    assert profile.formats == {
        "e164": 1,
        "international": 4,
        "local": 4,
        "trunk_0": 2,  # 09845012345 and Delhi's 011 4000 1234
        "idd_00": 1,
        "damaged": 3,
        "letters": 1,
        "empty": 1,
    }
    assert list(profile.formats) == [k for k in FORMAT_LABELS if k in profile.formats]


def test_verdict_counts(profile):
    assert profile.verdicts == {
        "ok": 8,
        "invalid_phone_number": 5,
        "unsupported_destination_country": 2,
        "unsupported_prefix": 2,
    }
    assert list(profile.verdicts) == [
        "ok",
        "invalid_phone_number",
        "unsupported_destination_country",
        "unsupported_prefix",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+919876543210", "e164"),
        ("+91 98765 43210", "international"),
        ("+91-22-2345-6789", "international"),
        ("+1 (646) 555-0198", "international"),
        ("+91.98765.43210", "international"),
        ("+91\u00a098765\u00a043210", "international"),
        ("9876543210", "local"),
        ("98765 43210", "local"),
        ("98765-43210", "local"),
        ("09845012345", "trunk_0"),
        ("080 4567 8901", "trunk_0"),
        ("(022) 2345 6789", "trunk_0"),
        ("0091 98765 43210", "idd_00"),
        ("00441234567890", "idd_00"),
        ("011 44 20 7946 0958", "idd_00"),
        ("9876543210.0", "damaged"),
        ("9876543210.00", "damaged"),
        ("9.87654321E+9", "damaged"),
        ("9.87654321e9", "damaged"),
        ("'9876543210", "damaged"),
        ("'+91 98765 43210", "damaged"),
        ("98765abc10", "letters"),
        ("9876543210 ext 12", "letters"),
        ("call Priya", "letters"),
        ("नौ आठ", "letters"),
        ("", "empty"),
        ("   ", "empty"),
        ("98765#43210", "other"),
        ("+", "other"),
    ],
)
def test_number_format_classes(raw, expected):
    assert number_format(raw) == expected
    assert number_formats(pd.Series([raw]))[0] == expected


def test_011_is_trunk_when_libphonenumber_read_it_as_national():
    assert number_format("011 4000 1234") == "idd_00"
    assert number_format("011 4000 1234", "+911140001234") == "trunk_0"
    assert number_format("011 44 20 7946 0958", "+442079460958") == "idd_00"


def test_vectorised_and_scalar_agree_on_object_and_nan_input():
    raw = pd.Series(["+919876543210", None, "9876543210.0", "011 4000 1234"], dtype=object)
    e164 = pd.Series(["+919876543210", None, None, "+911140001234"], dtype=object)
    assert list(number_formats(raw, e164)) == ["e164", "empty", "damaged", "trunk_0"]


def test_template_csv_is_the_documented_example():
    assert template_csv() == (
        b"phone_number,customer_name,loan_amount,product\n"
        b"9876543210,Priya Sharma,500000,home_loan\n"
        b"9123456789,Rahul Mehra,250000,car_loan\n"
    )
    template = pd.read_csv(io.BytesIO(template_csv()), dtype=str)
    contacts = template.set_axis(pd.RangeIndex(2, 4, name="row")).astype(str)
    assert validate(contacts, ROUTE, CONFIG).ok


def _big_table(n: int = 120_000) -> pd.DataFrame:
    import numpy as np

    rng = np.random.default_rng(0)
    mobiles = rng.integers(6_000_000_000, 9_999_999_999, n).astype(str)
    kind = rng.integers(0, 6, n)
    phones = np.where(kind == 0, np.char.add("+91", mobiles), mobiles)
    phones = np.where(kind == 1, np.char.add(mobiles, ".0"), phones)
    phones = np.where(kind == 2, np.char.add("0", mobiles), phones)
    phones = np.where(kind == 3, np.char.add("+44 7400 ", mobiles.astype("U6")), phones)
    phones = np.where(kind == 4, "", phones)
    phones[::50] = phones[1::50][: len(phones[::50])]
    frame = pd.DataFrame(
        {
            "phone_number": phones,
            "customer_name": np.char.add("Name ", rng.integers(0, 50_000, n).astype(str)),
            "loan_amount": rng.integers(1_000, 900_000, n).astype(str),
            "product": rng.choice(["home_loan", "car_loan", "", "gold_loan"], n),
            "due_date": rng.choice(["2024-05-01", "2024-06-01", ""], n),
        },
        index=pd.RangeIndex(2, n + 2, name="row"),
    )
    return frame.astype(str)


if __name__ == "__main__":
    import time

    big = _big_table()
    started = time.perf_counter()
    report = validate(big, ROUTE, CONFIG)
    validated = time.perf_counter() - started
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        result = profile_contacts(big, report)
        runs.append(time.perf_counter() - started)
    print(f"validate: {validated:.2f} s for {len(big)} rows")
    print(
        f"profile_contacts: best {min(runs) * 1000:.0f} ms, median {sorted(runs)[3] * 1000:.0f} ms"
    )
    print(result.formats, result.verdicts, result.duplicate_rows)


def test_spreadsheet_floats_and_junk_are_never_grouped_as_one_person():
    contacts = pd.DataFrame(
        {"phone_number": ["9.84512367E+9", "9.84512367E+9", "12345", "12345", "9876543210"]},
        index=pd.Index(range(2, 7), name="row"),
    ).astype("str")
    prof = profile_contacts(contacts, validate(contacts, ROUTE, CONFIG))
    assert prof.duplicates.empty and prof.duplicate_rows == 0
