"""Date cells on the fast XLSX path.

fastexcel shows a date cell as ``2024-05-01 00:00:00``, the same text a text cell
may hold. A reading as datetimes tells them apart: a date cell has a datetime and
no float, a number cell has both, a text cell never a datetime. A date cell's
text then becomes python-calamine's value through ``batchcall.contacts.cells``: serials below
1 are times of day (``10:30:00``), whole serials dates (``2024-05-01``), others
datetimes to the second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.text import buffers, filled_text


class Unsure(Exception):
    """A cell the fast path cannot place: read the sheet with python-calamine."""


IsoCells = Callable[[], bool]
"""Whether the sheet holds ISO date cells (``t="d"``); asked only when it matters,
as it scans the sheet's XML."""


_DATE_SHAPE = r"^(?:[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}|[0-9]{2}:[0-9]{2}|-?P[T0-9])"
_ISO_CELL_SHAPE = (
    r"^(?:[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}.|[0-9]{2}:[0-9]{2}(?:[^:]|$|:[0-9]{2}.)|-?P[T0-9])"
)
"""Without date formats only an ISO date cell (``t="d"``) can hold a date, and
python-calamine shows a bare ``2024-05-01`` or ``10:30:00`` one as fastexcel does:
only other shapes need the datetime reading."""
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


def date_like_texts(texts: pa.Array, iso_only: bool = False) -> bool:
    """Any text of ``_DATE_SHAPE`` (``iso_only``: of ``_ISO_CELL_SHAPE``). RE2 only sees
    those with a '-' or ':', or a "P1"/"PT" start."""
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
    shape = _ISO_CELL_SHAPE if iso_only else _DATE_SHAPE
    found = pc.match_substring_regex(texts.filter(pa.array(candidates)), shape)
    return bool(pc.any(found).as_py())


def load_columns(reader: Any, sheet: str, kinds: dict[int, str]) -> pa.RecordBatch:
    """Some columns read as "datetime" or "float", from row 0 like the floats."""
    columns = sorted(kinds)
    dtypes = {i: kinds[i] for i in columns}
    loaded = reader.load_sheet(
        sheet, header_row=None, skip_rows=0, use_columns=columns, dtypes=dtypes
    )
    return loaded.to_arrow()


def stamped_column_text(texts: pa.Array, stamps: pa.Array, iso_cells: IsoCells) -> pa.Array | None:
    """A column read as datetimes instead of floats, where dates were expected; None
    if it holds numbers or booleans too, whose texts want the float reading.

    Text cells have no datetime, so every cell with one is a date or a number cell.
    """
    _refuse_iso_lookalikes(texts.filter(stamps.is_null()), iso_cells)
    out = filled_text(texts)
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
    texts: pa.Array,
    numbers: pa.Array,
    out: pa.Array,
    stamps: pa.Array,
    allowed: bool,
    iso_cells: IsoCells,
) -> pa.Array:
    """``out`` with each date cell's text as python-calamine gives it.

    ``allowed``: the workbook's date formats are ones both calamine releases agree on.
    """
    cells = pc.and_(stamps.is_valid(), numbers.is_null())
    _refuse_iso_lookalikes(texts.filter(pc.invert(cells)), iso_cells)
    if not pc.any(cells).as_py():
        return out  # text cells shaped like dates
    if not allowed:
        raise Unsure("a date cell whose kind the two calamine releases may not agree on")
    shown = calamine_date_text(texts.filter(cells))
    return pc.replace_with_mask(out, cells, shown.cast(out.type))


def _refuse_iso_lookalikes(texts: pa.Array, iso_cells: IsoCells) -> None:
    """Text cells shaped like dates are text unless the sheet holds ISO date cells
    (``t="d"``): fastexcel shows those as stored, python-calamine as dates and times,
    and no reading tells them from text. Only shapes where the two differ count."""
    if date_like_texts(texts, iso_only=True) and iso_cells():
        raise Unsure("text shaped like a date, in a sheet with ISO date cells")


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
