"""``legacy_contacts.xls``: an Excel 97-2003 export from an old core-banking system.

Old exports store phone numbers as numeric cells (so landlines lose their trunk 0) and
amounts with paise; the reader has to turn both back into the text a person sees.
"""

from __future__ import annotations

from pathlib import Path

from .contacts import CONTACT_COLUMNS, SEED
from .spreadsheet import PhoneCells, faker_avoiding, new_workbook

LEGACY_ROWS = 40  # contact rows 2..41
# Row number -> the phone cell (see ``PhoneCells``); other rows get a generated mobile,
# mostly as a numeric cell.
LEGACY_PHONES: PhoneCells = {
    2: 9876543210,  # numeric cell
    3: "9123456789",  # text cell
    5: 919845098450,  # numeric with country code
    7: "+91 98450 12345",
    9: 1123456789,  # Delhi landline 011-2345 6789 that lost its 0 as a number
    11: 2226591234,  # Mumbai landline 022-2659 1234 that lost its 0
    13: "+44 7456 789012",  # UK mobile
    15: 98765,  # too short, numeric
    17: "09812312345",  # trunk 0 as text
    23: 18001234567,  # toll-free 1800 123 4567 as a number
    25: "",  # empty phone cell
    27: "+61 491 570 156",  # Australian mobile
}
LEGACY_DECIMAL_AMOUNT_ROW = 20  # loan_amount 12500.5
PAISE = (0, 0.25, 0.5, 0.75)


def build_legacy_source(path: Path) -> None:
    """The legacy workbook's source: mostly numeric phone cells, amounts with paise."""
    faker = faker_avoiding(SEED + 2, LEGACY_PHONES)
    wb = new_workbook("Core Banking Reports")
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(CONTACT_COLUMNS)
    for row in range(2, LEGACY_ROWS + 2):
        phone = LEGACY_PHONES.get(row)
        if phone is None:
            number = faker.mobile()
            phone = int(number) if faker.rng.random() < 0.7 else number
        name, city = faker.person()
        product, whole = faker.loan()
        # Outstanding balances with paise, as the old core-banking export shows them.
        amount: float = whole + faker.rng.choice(PAISE)
        if row == LEGACY_DECIMAL_AMOUNT_ROW:
            product, amount = "gold_loan", 12500.5
        values = (phone, name, amount, product, faker.due_date(), city)
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            if column == 3:
                cell.number_format = "0.00"
            if column == 5:
                cell.number_format = "DD/MM/YYYY"
    wb.save(path)


def check_legacy(path: Path) -> None:
    """Fail loudly if the .xls lost its numeric phone cell, date cells or paise."""
    import xlrd  # only needed here

    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    if sheet.cell_type(1, 0) != xlrd.XL_CELL_NUMBER or sheet.cell_value(1, 0) != 9876543210:
        raise SystemExit(f"{path.name}: A2 is not the numeric phone cell")
    if sheet.cell_type(1, 4) != xlrd.XL_CELL_DATE:
        raise SystemExit(f"{path.name}: E2 is not a date cell")
    if sheet.cell_value(LEGACY_DECIMAL_AMOUNT_ROW - 1, 2) != 12500.5:
        raise SystemExit(f"{path.name}: C{LEGACY_DECIMAL_AMOUNT_ROW} lost its decimals")
