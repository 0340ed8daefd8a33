"""What the two workbook sources share: pinned metadata and fixed phone cells.

Both workbooks mix generated rows with a table of hand-written phone cells, one per
spreadsheet row; generated numbers must never repeat a hand-written one, or a test
about "the row with the UK number" could find two.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import phonenumbers

from .contacts import ContactFaker

# Spreadsheet row number (header = row 1) -> the phone cell as written. `int` = numeric
# cell, `str` = text cell (a leading "=" makes it a formula), "" = empty phone cell.
PhoneCells = dict[int, object]


def national_digits(value: object) -> str | None:
    """The national number a fixed phone cell uses, so fillers never repeat it."""
    try:
        parsed = phonenumbers.parse(str(value), "IN")
    except phonenumbers.NumberParseException:
        return None
    return str(parsed.national_number)


def faker_avoiding(seed: int, phone_cells: PhoneCells) -> ContactFaker:
    """A faker that will not generate any number the fixed phone cells already use."""
    faker = ContactFaker(seed)
    faker.reserve(*filter(None, (national_digits(v) for v in phone_cells.values())))
    return faker


def new_workbook(creator: str) -> openpyxl.Workbook:
    """An empty workbook whose author and dates do not depend on who runs the script.

    openpyxl still stamps ``modified`` with the save time, as LibreOffice does later.
    """
    wb = openpyxl.Workbook()
    stamp = dt.datetime(2024, 5, 3, 9, 30)
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb
