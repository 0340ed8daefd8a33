"""``messy_contacts.xlsx``: an operator export with every kind of bad or foreign number.

The file exists to exercise the upload path's edge cases, so its rows are catalogued
one by one in ``MESSY_PHONES`` and ``lib/batchcall/samples/README.md`` documents the verdict for
each. Here we build the openpyxl source (openpyxl controls the cell types: numeric vs
text, dates, formulas) and check that LibreOffice's re-save kept those types.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from .contacts import (
    CONTACT_COLUMNS,
    SEED,
    SEED_CUSTOMERS,
    ContactFaker,
    PhoneStyles,
    as_local,
    local_spaced,
    with_country_code,
    with_country_code_spaced,
)
from .spreadsheet import PhoneCells, faker_avoiding, new_workbook

MESSY_ROWS = 60  # contact rows 2..61 as the spreadsheet shows them
BLANK = object()  # marks the fully blank row

# Row number -> the phone cell (see ``PhoneCells``). The rest of each row is
# generated. Keep lib/batchcall/samples/README.md in step with this table.
MESSY_PHONES: PhoneCells = {
    2: "9876543210",  # seed row, plain local mobile
    3: "9123456789",  # seed row
    5: "09845012345",  # trunk 0
    7: "+91 98200-45678",  # +91 with space and dash
    8: "+91-22-2345-6789",  # Mumbai landline
    10: "+44 7400 123456",  # UK mobile
    12: "12345",  # too short
    14: 9812345678,  # numeric cell
    15: "+1 646 555 0198",  # US (New York)
    17: "98765abc10",  # letters (keypad letters: libphonenumber reads abc as 222)
    18: "1800 123 4567",  # Indian toll-free, local form
    20: "",  # empty phone cell, rest of the row filled
    22: "+61 412 345 678",  # Australian mobile
    23: "9.84512367E+9",  # Excel scientific notation kept as text
    25: "9823456710.0",  # float text from a pandas/Excel export
    27: '=CONCATENATE("+91","9811122233")',  # formula producing the number
    29: "+91 11 2345 6789",  # Delhi landline
    31: BLANK,  # fully blank row
    32: "080 4567 8901",  # Bengaluru landline (E.164 +9180... starts with +918)
    34: "+44 20 7946 0958",  # London landline
    36: "+1 416 555 0199",  # Toronto: +1 but Canada
    37: "9876x54321",  # letter x (libphonenumber reads it as an extension)
    39: 919900112233,  # numeric cell with country code, no plus
    40: "+91 1800 419 4332",  # Indian toll-free, international form
    42: "+971 50 123 4567",  # UAE mobile
    43: "+91 98765 4321",  # nine digits
    45: "N/A",
    47: "98201 55443 / 98200 11223",  # two numbers in one cell
    48: "022 2771 4400",  # Mumbai landline with trunk 0
    50: "(+91) 99887 76655",
    52: "0091 98200 12345",  # 00 international prefix
    54: "+1 (212) 555-0147",  # US
}
# Rows 2 and 3 carry the seed customers (their phones are in MESSY_PHONES above).
SEED_ROWS = dict(zip((2, 3), SEED_CUSTOMERS, strict=True))
MESSY_NAME_FORMULA_ROW = 35  # customer_name = CONCATENATE(...)
MESSY_AMOUNT_FORMULA_ROW = 28  # loan_amount = ROUND(...)
MESSY_TEXT_DATE_ROW = 51  # due_date typed as text
MESSY_TEXT_AMOUNT_ROW = 53  # loan_amount typed as text with rupee sign

# Rows not in MESSY_PHONES: valid mobiles in the assorted forms branches type them in.
FILLER_PHONE_STYLES: PhoneStyles = (
    (0.45, as_local),
    (0.65, with_country_code),
    (0.85, with_country_code_spaced),
    (1.0, local_spaced),
)

NOTES_SHEET: tuple[tuple[str, object], ...] = (
    ("Loan follow-up export", None),
    ("Exported from", "LoanDesk CRM, collections module"),
    ("Export date", dt.date(2024, 5, 3)),
    ("Owner", "Collections team, West zone"),
    (
        "Remarks",
        "Calls go to the number in the phone_number column of the Contacts "
        "sheet. Some rows came from branch spreadsheets and were not cleaned.",
    ),
)
CONTACT_COLUMN_WIDTHS = (22, 24, 13, 15, 12, 16)  # columns A..F


def _contact_values(row: int, phone: object, faker: ContactFaker) -> list[object]:
    """The six cells of one Contacts row, with the row's special case applied."""
    seed = SEED_ROWS.get(row)
    if seed is not None:
        name, city, product, amount = seed.name, seed.city, seed.product, seed.amount
    else:
        name, city = faker.person()
        product, amount = faker.loan()
    due: object = faker.due_date()
    if phone is None:
        phone = faker.styled_mobile(FILLER_PHONE_STYLES)
    values: list[object] = [phone, name, amount, product, due, city]
    if row == MESSY_NAME_FORMULA_ROW:
        values[1] = '=CONCATENATE("Anil"," ","Kapoor")'
    if row == MESSY_AMOUNT_FORMULA_ROW:
        values[2] = "=ROUND(1850000*0.8,0)"
        values[3] = "home_loan"
    if row == MESSY_TEXT_DATE_ROW:
        values[4] = "15/06/2024"
    if row == MESSY_TEXT_AMOUNT_ROW:
        values[2] = "₹2,50,000"
        values[3] = "car_loan"
    return values


def build_messy_source(path: Path) -> None:
    """The messy workbook as openpyxl writes it (LibreOffice then re-saves it)."""
    faker = faker_avoiding(SEED + 1, MESSY_PHONES)
    wb = new_workbook("LoanDesk CRM")
    notes = wb.active
    notes.title = "Notes"
    for line in NOTES_SHEET:
        notes.append(line)
    notes["B3"].number_format = "DD-MM-YYYY"
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 60

    ws = wb.create_sheet("Contacts")
    ws.append(CONTACT_COLUMNS)
    for row in range(2, MESSY_ROWS + 2):
        phone = MESSY_PHONES.get(row)
        if phone is BLANK:
            continue  # nothing written: a fully blank row
        values = _contact_values(row, phone, faker)
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            if column == 3 and isinstance(value, int):
                cell.number_format = "#,##0"
            if column == 5 and isinstance(value, dt.date):
                cell.number_format = "DD-MM-YYYY"
    for column, width in zip("ABCDEF", CONTACT_COLUMN_WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    wb.save(path)


def check_messy(path: Path) -> None:
    """Fail loudly if the saved workbook lost the cell types the sample exists for."""
    wb = openpyxl.load_workbook(path, data_only=True)
    if wb.sheetnames != ["Notes", "Contacts"]:
        raise SystemExit(f"{path.name}: unexpected sheets {wb.sheetnames}")
    ws = wb["Contacts"]
    expect: dict[str, Any] = {
        "A14": 9812345678,
        "A39": 919900112233,
        "A23": "9.84512367E+9",
        "A27": "+919811122233",
        "B35": "Anil Kapoor",
        "C28": 1480000,
    }
    for ref, value in expect.items():
        if ws[ref].value != value:
            raise SystemExit(f"{path.name}: {ref} is {ws[ref].value!r}, expected {value!r}")
    if not isinstance(ws["E2"].value, dt.datetime):
        raise SystemExit(f"{path.name}: due_date is not a date cell")
