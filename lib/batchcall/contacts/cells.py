"""The text a person sees in a spreadsheet cell, for every kind of cell value.

Whole numbers as digits (``9876543210``, never ``9.87654321E+9``), other numbers to
15 significant digits without float noise, dates ISO, booleans TRUE/FALSE; and
columns named as a spreadsheet names them (A, Z, AA), both ways.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any


def cell_text(value: Any) -> str:
    """The text a person sees in a cell: 9876543210, 0.3, 2024-05-01, TRUE."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_text(value)
    return "" if value is None else str(value)


def number_text(value: float) -> str:
    """Whole numbers as digits, others to 15 significant digits (no float noise).

    Past 2**53 a float holds no more than its shortest form's digits: the cell
    ``98765432101234600`` reads as that, not as the binary ``98765432101234592``.
    """
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer():
        whole = str(int(value)) if abs(value) < 2**53 else None
        return whole or format(Decimal(repr(value)).to_integral_value(), "f")
    text = f"{value:.15g}"
    return format(Decimal(text), "f") if "e" in text else text


def duration_text(value: dt.timedelta) -> str:
    """As a ``[h]:mm:ss`` cell shows it: ``36:05:00``, never ``1 day, 12:05:00``."""
    seconds = value.total_seconds()
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    text = f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    fraction = round(seconds - whole, 6)
    return text + f"{fraction:.6f}"[1:].rstrip("0") if fraction else text


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: columns as a spreadsheet names them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: bytes) -> int:
    """b"A" -> 0, b"AA" -> 26: a cell reference's column, 0-based."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1
