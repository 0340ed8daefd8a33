"""The fast XLSX path: fastexcel reads a sheet as text and as numbers at once.

Used by ``lib.sheets.Workbook`` when it is sure of the answer; any doubt raises
``_Unsure`` and the sheet is read by python-calamine instead, so the text is
always exactly what ``lib.cell_text`` gives.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.cell_text import number_text
from lib.fastphones._bytes import buffers

try:  # without it every workbook is python-calamine's
    import fastexcel
except ImportError:  # pragma: no cover
    fastexcel = None

# ------------------------------------------------------------- the fast XLSX path
#
# fastexcel (calamine too, ~3x faster: no Python object per cell) reads the sheet
# twice at once, on two threads: every cell as fastexcel's text and as a float.
# A cell's text is ours unless it was a number or a boolean cell, and the float
# reading says which: texts of numbers fastexcel writes to 9 decimals get our 15
# significant digits, "true"/"false" becomes TRUE/FALSE. Dates, and the few cells
# where text and float leave the kind open, send the sheet to python-calamine.

POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="xlsx")
_DATE_SHAPE = r"^(?:[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}|[0-9]{2}:[0-9]{2}|-?P[T0-9])"
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True
_NUMBER_SHAPE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]{0,8}[1-9])?")
"""What fastexcel writes for a number cell: ``format!("{x:.9}")`` without trailing zeros."""


class _Unsure(Exception):
    """A cell the fast path cannot place: read the sheet with python-calamine."""


@contextmanager
def or_calamine() -> Iterator[None]:
    """A fastexcel failure (even a Rust panic) just means: ask python-calamine, which
    reads the workbook or says what is wrong with it."""
    try:
        yield
    except BaseException as exc:
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # KeyboardInterrupt and friends


def zip_facts(data: bytes) -> tuple[bool, bool]:
    """(only worksheets, no date formats): when the fast path can hold for this workbook.

    calamine names a sheet's kind by its folder in the zip; a number cell is a date
    when its style's number format is a date format. Dates are python-calamine's.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = " ".join(archive.namelist()).encode()
            rels = archive.read("xl/_rels/workbook.xml.rels")
            styles = archive.read("xl/styles.xml") if "xl/styles.xml" in archive.namelist() else b""
    except Exception:  # a damaged zip fails in many ways: calamine will say what is wrong
        return False, False
    kinds = (b"chartsheets", b"dialogsheets", b"macrosheets")
    worksheets = not any(kind in rels or kind in names for kind in kinds)
    return worksheets, not _date_formats(styles)


_DATE_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)}


def _date_formats(styles: bytes) -> bool:
    """Whether a cell style has a date or time number format (built in or custom)."""
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    used = {int(i) for i in re.findall(rb'numFmtId="(\d+)"', xfs.group() if xfs else b"")}
    if used & _DATE_IDS:
        return True
    for element in re.findall(rb"<(?:\w+:)?numFmt\b[^>]*>", styles):
        ident = re.search(rb'numFmtId="(\d+)"', element)
        code = re.search(rb'formatCode="([^"]*)"', element)
        if ident and code and int(ident[1]) in used:
            shown = re.sub(rb"&quot;.*?&quot;|\[.*?\]", b"", code[1])  # literal text, colours
            if re.search(rb"[dmyhsDMYHS]", shown):
                return True
    return False


def _load_floats(reader: Any, sheet: str) -> tuple[pa.RecordBatch, list[int]]:
    """From row 0 of the sheet (``skip_rows=0``), so the row offset shows."""
    loaded = reader.load_sheet(sheet, header_row=None, dtypes="float", skip_rows=0)
    return loaded.to_arrow(), [column.absolute_index for column in loaded.available_columns()]


def fast_grid(reader: Any, float_reader: Any, sheet: str) -> pd.DataFrame | None:
    """The grid python-calamine would give, or None where this path is not sure."""
    floats = POOL.submit(_load_floats, float_reader, sheet)
    try:  # eager: ~0.1 s quicker, without column positions (the floats have them)
        texts = reader.load_sheet(sheet, header_row=None, dtypes="string", eager=True)
    finally:
        wait([floats])
    numbers, columns = floats.result()
    if texts.num_rows == 0:
        return pd.DataFrame()
    first = columns[0] if columns else 0
    if texts.num_columns != len(columns) or columns != list(range(first, first + len(columns))):
        return None
    first_row = numbers.num_rows - texts.num_rows  # the floats start at the sheet's row 1
    if first_row < 0:
        return None
    numbers = numbers.slice(first_row)
    pairs = [(texts.column(i), numbers.column(i)) for i in range(len(columns))]
    later = {i: POOL.submit(_column_text, *pairs[i]) for i in range(1, len(pairs), 2)}
    cells = {i: _sure(lambda i=i: _column_text(*pairs[i])) for i in range(0, len(pairs), 2)}
    cells |= {i: _sure(future.result) for i, future in later.items()}  # half on the pool
    if any(cell is None for cell in cells.values()):
        return None
    columns_text = {i: cells[i].to_pandas() for i in range(len(pairs))}
    return make_grid(columns_text, first_row, first, sheet)


def _sure(cells: Callable[[], pa.Array]) -> pa.Array | None:
    try:
        return cells()
    except _Unsure:
        return None


def _column_text(texts: pa.Array, numbers: pa.Array) -> pa.Array:
    """One column's cell texts from its text and float readings (see above)."""
    if _date_like(texts):
        raise _Unsure("a date, or text shaped like one")
    out = pc.fill_null(texts.cast(pa.large_string()), "")
    if numbers.null_count == len(numbers):
        return out
    valid = np.asarray(numbers.is_valid(), dtype=bool)
    values = numbers.to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(valid)
    found = values[rows]
    if not np.isfinite(found).all():
        raise _Unsure("NaN or infinity")
    # A whole number's text is its digits either way; 0 (or -0) and 1 may be booleans.
    digits = (np.floor(found) == found) & (np.abs(found) < 2.0**53)
    rows = rows[~digits | (found == 0) | (found == 1)]
    if not len(rows):
        return out
    cells = pc.take(texts, pa.array(rows)).to_pylist()
    found = zip(rows, cells, values[rows], strict=True)
    changed = {row: text for row, cell, value in found if (text := _cell(cell, value))}
    if not changed:
        return out
    mask = np.zeros(len(out), dtype=bool)
    mask[list(changed)] = True
    fixed = pa.array([changed[r] for r in sorted(changed)], pa.large_string())
    return pc.replace_with_mask(out, pa.array(mask), fixed)


def _date_like(texts: pa.Array) -> bool:
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


def _cell(text: str | None, value: float) -> str | None:
    """The text of a cell read as both ``text`` and the number ``value``; None: ``text``."""
    if text in ("true", "false"):  # a boolean cell: a text "true" is no number
        return text.upper()
    number = number_text(float(value))
    if text is None:
        raise _Unsure("a number without text")
    if text == number or not _NUMBER_SHAPE.fullmatch(text):
        return None  # the same either way, or a text cell fastexcel would never write
    parsed = float(text)
    if parsed != value or math.copysign(1.0, parsed) != math.copysign(1.0, value):
        return number  # a number cell shown to 9 decimals (0.0000000001 shows as "0")
    if "." in text or text == "-0":
        raise _Unsure("a text cell or a number cell, the same either way")
    return None  # a text cell of many digits, which its float merely rounds


def make_grid(columns: dict[int, pd.Series], first_row: int, first_column: int, sheet: str):
    grid = pd.DataFrame(columns)
    grid.index = pd.RangeIndex(first_row + 1, first_row + 1 + len(grid))
    grid.attrs["first_column"] = first_column
    grid.attrs["sheet"] = sheet
    return grid
