"""The fast XLSX path: fastexcel reads a sheet as text and as numbers at once.

Used by :class:`~batchcall.contacts.formats.xlsx.reader.XlsxWorkbook` when it is sure
of the answer; any doubt raises ``Unsure`` and the sheet is read by python-calamine
instead, so the text is always exactly what :mod:`batchcall.contacts.cells` gives.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from concurrent.futures import wait
from contextlib import contextmanager
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.contacts.cells import number_text
from batchcall.contacts.formats.calamine import POOL, make_grid, reader_failure
from batchcall.contacts.formats.xlsx.dates import (
    IsoCells,
    Unsure,
    date_like_texts,
    load_columns,
    stamped_column_text,
    with_date_cells,
)
from batchcall.text import filled_text

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
# significant digits, "true"/"false" becomes TRUE/FALSE. Date cells are told from
# text shaped like dates by a third reading, as datetimes (``xlsx.dates``). The few
# cells where the readings leave the kind open send the sheet to python-calamine.

MAX_COLUMNS = 16_384  # Excel's: A to XFD
_NUMBER_SHAPE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]{0,8}[1-9])?")
"""What fastexcel writes for a number cell: ``format!("{x:.9}")`` without trailing zeros."""


@contextmanager
def or_calamine() -> Iterator[None]:
    """A fastexcel failure (even a Rust panic) just means: ask python-calamine, which
    reads the workbook or says what is wrong with it."""
    try:
        yield
    except BaseException as exc:
        if not reader_failure(exc):
            raise


def _load_floats(reader: Any, sheet: str, dated: set[int]) -> tuple[pa.RecordBatch, list[int]]:
    """From row 0 of the sheet (``skip_rows=0``), so the row offset shows; the ``dated``
    columns as datetimes instead."""
    dtypes: Any = "float"
    if dated:
        dtypes = {i: "datetime" if i in dated else "float" for i in range(MAX_COLUMNS)}
    loaded = reader.load_sheet(sheet, header_row=None, dtypes=dtypes, skip_rows=0)
    return loaded.to_arrow(), [column.absolute_index for column in loaded.available_columns()]


def fast_grid(
    reader: Any,
    float_reader: Any,
    sheet: str,
    *,
    dates: bool = False,
    date_columns: set[int] | None = None,
    iso_only: bool = False,
    iso_cells: IsoCells = lambda: True,
) -> pd.DataFrame | None:
    """The grid python-calamine would give, or None where this path is not sure.

    ``dates``: date cells may be read here (``ZipFacts.sure_dates``); ``date_columns``:
    columns (0-based) to read as datetimes rather than floats, where dates seem to be;
    ``iso_only``: no style shows dates (``not ZipFacts.dates``), so only ISO date cells
    can be dates; ``iso_cells``: whether the sheet has any (see ``xlsx.dates``).
    """
    dated = date_columns if dates and date_columns else set()
    floats = POOL.submit(_load_floats, float_reader, sheet, dated)
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
    text_of = partial(_any_column_text, iso_only=iso_only, iso_cells=iso_cells)
    later = {i: POOL.submit(text_of, *pairs[i]) for i in range(1, len(pairs), 2)}
    cells = {i: _sure(lambda i=i: text_of(*pairs[i])) for i in range(0, len(pairs), 2)}
    cells |= {i: _sure(future.result) for i, future in later.items()}  # half on the pool
    if any(cell is None for cell in cells.values()):
        return None
    wanted = {i: cells[i][1] for i in sorted(cells) if cells[i][1]}
    if iso_only and wanted:  # no style shows dates: text shaped like one is text...
        if iso_cells():  # ...unless ISO date cells may be among it
            return None
        wanted = {}
    if wanted:  # one more reading: datetimes where texts look like dates, floats where
        # a column read as datetimes holds numbers too
        extra = load_columns(reader, sheet, {first + i: kind for i, kind in wanted.items()})
        if extra.num_columns != len(wanted) or extra.num_rows != numbers.num_rows + first_row:
            return None
        for k, (i, kind) in enumerate(wanted.items()):
            reading = extra.column(k).slice(first_row)
            texts_i, first_reading = pairs[i]
            try:
                if kind == "datetime":
                    out = with_date_cells(
                        texts_i, first_reading, cells[i][0], reading, dates, iso_cells
                    )
                else:
                    out = _column_text(texts_i, reading)[0]
                    out = with_date_cells(texts_i, reading, out, first_reading, dates, iso_cells)
            except Unsure:
                return None
            cells[i] = out, None
    columns_text = {i: cells[i][0].to_pandas() for i in range(len(pairs))}
    return make_grid(columns_text, first_row, first, sheet)


def _sure(cells: Callable[[], Any]) -> Any:
    try:
        return cells()
    except Unsure:
        return None


def _any_column_text(
    texts: pa.Array, reading: pa.Array, *, iso_only: bool, iso_cells: IsoCells
) -> tuple[pa.Array, str | None]:
    """A column's texts, and which reading it still wants ("datetime", "float") if any."""
    if pa.types.is_timestamp(reading.type):
        out = stamped_column_text(texts, reading, iso_cells)
        return (out, None) if out is not None else (texts, "float")
    out, date_like = _column_text(texts, reading, iso_only=iso_only)
    return out, "datetime" if date_like else None


def _column_text(
    texts: pa.Array, numbers: pa.Array, *, iso_only: bool = False
) -> tuple[pa.Array, bool]:
    """One column's cell texts from its text and float readings (see above), and whether
    some text looks like a date: a date cell's text, or a text cell shaped like one."""
    out = filled_text(texts)
    date_like = date_like_texts(texts, iso_only)
    if numbers.null_count == len(numbers):
        return out, date_like
    valid = np.asarray(numbers.is_valid(), dtype=bool)
    values = numbers.to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(valid)
    found = values[rows]
    if not np.isfinite(found).all():
        raise Unsure("NaN or infinity")
    # A whole number's text is its digits either way; 0 (or -0) and 1 may be booleans.
    digits = (np.floor(found) == found) & (np.abs(found) < 2.0**53)
    rows = rows[~digits | (found == 0) | (found == 1)]
    if not len(rows):
        return out, date_like
    cells = pc.take(texts, pa.array(rows)).to_pylist()
    found = zip(rows, cells, values[rows], strict=True)
    changed = {row: text for row, cell, value in found if (text := _cell(cell, value))}
    if not changed:
        return out, date_like
    mask = np.zeros(len(out), dtype=bool)
    mask[list(changed)] = True
    fixed = pa.array([changed[r] for r in sorted(changed)], pa.large_string())
    return pc.replace_with_mask(out, pa.array(mask), fixed), date_like


def _cell(text: str | None, value: float) -> str | None:
    """The text of a cell read as both ``text`` and the number ``value``; None: ``text``."""
    if text in ("true", "false"):  # a boolean cell: a text "true" is no number
        return text.upper()
    number = number_text(float(value))
    if text is None:
        raise Unsure("a number without text")
    if text == number or not _NUMBER_SHAPE.fullmatch(text):
        return None  # the same either way, or a text cell fastexcel would never write
    parsed = float(text)
    if parsed != value or math.copysign(1.0, parsed) != math.copysign(1.0, value):
        return number  # a number cell shown to 9 decimals (0.0000000001 shows as "0")
    if "." in text or text == "-0":
        raise Unsure("a text cell or a number cell, the same either way")
    if abs(value) >= 2**53 and text.lstrip("-") == str(int(abs(value))):
        raise Unsure("a text cell, or a number cell fastexcel shows in full binary digits")
    return None  # a text cell of many digits, which its float merely rounds
