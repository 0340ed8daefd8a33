"""Date cells on the fast XLSX path.

fastexcel shows a date cell as ``2024-05-01 00:00:00``, the same text a text cell
may hold. A reading as datetimes tells them apart: a date cell has a datetime and
no float, a number cell has both, a text cell never a datetime. A date cell's
text then becomes python-calamine's value through ``lib.cell_text``: serials below
1 are times of day (``10:30:00``), whole serials dates (``2024-05-01``), others
datetimes to the second.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lib.fastphones._bytes import buffers


class Unsure(Exception):
    """A cell the fast path cannot place: read the sheet with python-calamine."""


_DATE_SHAPE = r"^(?:[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}|[0-9]{2}:[0-9]{2}|-?P[T0-9])"
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True
_SHOWN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3}|\.[0-9]{6})?$"
"""How fastexcel shows a date cell (chrono's ``%Y-%m-%d %H:%M:%S%.f``)."""
_TIME_OF_DAY = "1899-12-31 "  # serial 0 in the 1900 date system
_RULES = (  # (pattern, replacement) in order, for RE2
    (r"^1899-12-31 ([0-9:]{8})$", r"\1"),
    (r"^1899-12-31 ([0-9:]{8}\.[0-9]{3})$", r"\1000"),  # group 1 and "000": 6 digits
    (r"^1899-12-31 ([0-9:]{8}\.[0-9]{6})$", r"\1"),
    (r"^([0-9-]{10}) 00:00:00$", r"\1"),  # midnight: the date alone
    (r"^([0-9-]{10} [0-9:]{8})\.[0-9]+$", r"\1"),  # to the second, truncated
)


def date_like_texts(texts: pa.Array) -> bool:
    """Any text of ``_DATE_SHAPE``: RE2 only sees those with a '-' or ':', or a "P1"/"PT" start."""
    offsets, data = buffers(texts)
    window = data[offsets[0] :]
    marks = np.flatnonzero((window == ord("-")) | (window == ord(":"))) + offsets[0]
    candidates = np.zeros(len(texts), dtype=bool)
    candidates[np.searchsorted(offsets, marks, side="right") - 1] = True
    two = np.flatnonzero(offsets[1:] - offsets[:-1] >= 2)
    first, second = data[offsets[two]], data[offsets[two] + 1]
    candidates[two[(first == ord("P")) & ((second == ord("T")) | _DIGIT[second])]] = True
    if not candidates.any():
        return False
    found = pc.match_substring_regex(texts.filter(pa.array(candidates)), _DATE_SHAPE)
    return bool(pc.any(found).as_py())


def load_columns(reader: Any, sheet: str, kinds: dict[int, str]) -> pa.RecordBatch:
    """Some columns read as "datetime" or "float", from row 0 like the floats."""
    columns = sorted(kinds)
    dtypes = {i: kinds[i] for i in columns}
    loaded = reader.load_sheet(
        sheet, header_row=None, skip_rows=0, use_columns=columns, dtypes=dtypes
    )
    return loaded.to_arrow()


def stamped_column_text(texts: pa.Array, stamps: pa.Array) -> pa.Array | None:
    """A column read as datetimes instead of floats, where dates were expected; None
    if it holds numbers or booleans too, whose texts want the float reading.

    Text cells have no datetime, so every cell with one is a date or a number cell.
    """
    _refuse_fractional_times(texts)
    out = pc.fill_null(texts.cast(pa.large_string()), "")
    if pc.any(pc.is_in(texts, pa.array(["true", "false"]))).as_py():
        return None  # a boolean cell, or a text like one
    cells = stamps.is_valid()
    if not pc.any(cells).as_py():
        return out
    shown = texts.filter(cells)
    if not pc.all(pc.match_substring_regex(shown, _SHOWN)).as_py():
        return None  # a number cell
    return pc.replace_with_mask(out, cells, calamine_date_text(shown).cast(out.type))


def with_date_cells(
    texts: pa.Array, numbers: pa.Array, out: pa.Array, stamps: pa.Array, allowed: bool
) -> pa.Array:
    """``out`` with each date cell's text as python-calamine gives it.

    ``allowed``: the workbook's date formats are ones both calamine releases agree on.
    """
    _refuse_fractional_times(texts)
    cells = pc.and_(stamps.is_valid(), numbers.is_null())
    if not pc.any(cells).as_py():
        return out  # text cells shaped like dates
    if not allowed:
        raise Unsure("a date cell whose kind the two calamine releases may not agree on")
    shown = calamine_date_text(texts.filter(cells))
    return pc.replace_with_mask(out, cells, shown.cast(out.type))


def _refuse_fractional_times(texts: pa.Array) -> None:
    """An ISO date cell (``t="d"``) holding a time of day has no datetime reading, so it
    passes for text; python-calamine agrees on its text unless it has a fraction
    (``10:30:00.5`` becomes ``10:30:00.500000``)."""
    if pc.any(pc.match_substring_regex(texts, _FRACTIONAL_TIME)).as_py():
        raise Unsure("a time of day with a fraction: an ISO date cell, or text")


_FRACTIONAL_TIME = r"^[0-9]{2}:[0-9]{2}:[0-9]{2}\."


def calamine_date_text(shown: pa.Array) -> pa.Array:
    """fastexcel's texts of date cells -> python-calamine's values through ``cell_text``."""
    if not pc.all(pc.match_substring_regex(shown, _SHOWN)).as_py():
        raise Unsure("a date cell fastexcel shows in another way")
    if pc.any(pc.less(shown, _TIME_OF_DAY)).as_py():
        raise Unsure("a negative serial")
    if pc.any(pc.starts_with(shown, "1900-01-01 00:00:00")).as_py():
        raise Unsure("serial 1, or a time of day just under it rounded up")
    text = shown
    for pattern, replacement in _RULES:
        text = pc.replace_substring_regex(text, pattern, replacement, max_replacements=1)
    return text
