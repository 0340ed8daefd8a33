"""Columns of text in arrow: the string dtype the vectorised checks run on (regexes
in C++ via RE2), and a column as one contiguous arrow array."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def as_arrow_text(values: pd.Series) -> pd.Series:
    """``values`` in ``ARROW_TEXT``, missing cells as ""; a column already in it as it is."""
    if values.dtype != ARROW_TEXT:
        values = values.astype(object).where(values.notna(), "").astype(ARROW_TEXT)
    return values


def single_array(values: pd.Series) -> pa.Array:
    """The column's cells as one arrow array (not chunks)."""
    cells = pa.array(values.array)
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    return cells


def filled_text(cells: pa.Array) -> pa.Array:
    """Arrow text cells as ``large_string``, missing ones as ""."""
    return pc.fill_null(cells.cast(pa.large_string()), "")
