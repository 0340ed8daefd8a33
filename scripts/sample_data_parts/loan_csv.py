"""``loan_followup.csv``: the clean file, where every row must pass the IN route.

It is the sample an operator uploads first, so anything less than 250 valid, unique
Indian mobiles would make the happy path look broken; the writer checks that promise
before it writes.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import phonenumbers

from .contacts import (
    CONTACT_COLUMNS,
    DEVANAGARI_CUSTOMERS,
    SEED,
    SEED_CUSTOMERS,
    ContactFaker,
    PhoneStyles,
    as_local,
    with_country_code,
    with_country_code_spaced,
)

CSV_ROWS = 250
# Mostly bare 10-digit mobiles, some with +91, a few spaced the way people say them.
CSV_PHONE_STYLES: PhoneStyles = (
    (0.70, as_local),
    (0.90, with_country_code),
    (1.0, with_country_code_spaced),
)
# Position in the row list (the seed rows are 0 and 1) -> entry of DEVANAGARI_CUSTOMERS;
# spreadsheet rows 43, 119 and 205.
DEVANAGARI_AT: dict[int, int] = {41: 0, 117: 1, 203: 2}


def loan_followup_rows(rows: int = CSV_ROWS) -> list[dict[str, str]]:
    """The seed's two rows followed by generated ones; every number valid for IN."""
    faker = ContactFaker(SEED)
    faker.reserve(*(seed.phone for seed in SEED_CUSTOMERS))
    out = [
        _csv_row(seed.phone, seed.name, seed.amount, seed.product, seed.due, seed.city)
        for seed in SEED_CUSTOMERS
    ]
    while len(out) < rows:
        phone = faker.styled_mobile(CSV_PHONE_STYLES)
        if len(out) in DEVANAGARI_AT:
            name, city = DEVANAGARI_CUSTOMERS[DEVANAGARI_AT[len(out)]]
        else:
            name, city = faker.person()
        product, amount = faker.loan()
        out.append(_csv_row(phone, name, amount, product, faker.due_date(), city))
    return out


def _csv_row(
    phone: str, name: str, amount: int, product: str, due: dt.date, city: str
) -> dict[str, str]:
    """One CSV row as text, keyed by ``CONTACT_COLUMNS``."""
    cells = (phone, name, str(amount), product, due.isoformat(), city)
    return dict(zip(CONTACT_COLUMNS, cells, strict=True))


def write_loan_followup(path: Path) -> int:
    """Write the clean CSV; returns the number of contact rows."""
    rows = loan_followup_rows()
    for row in rows:  # the promise of this file: every row passes the IN route
        parsed = phonenumbers.parse(row["phone_number"], "IN")
        if not phonenumbers.is_valid_number(parsed):
            raise SystemExit(f"loan_followup.csv: {row['phone_number']} is not valid for IN")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CONTACT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
