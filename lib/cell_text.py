"""The text a person sees in a spreadsheet cell, for every kind of cell value.

Whole numbers as digits (``9876543210``, never ``9.87654321E+9``), other numbers to
15 significant digits without float noise, dates ISO, booleans TRUE/FALSE.
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
        return str(value)
    return "" if value is None else str(value)


def number_text(value: float) -> str:
    """Whole numbers as digits, others to 15 significant digits (no float noise)."""
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer():
        return str(int(value))
    text = f"{value:.15g}"
    return format(Decimal(text), "f") if "e" in text else text
