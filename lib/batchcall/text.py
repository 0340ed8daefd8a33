"""Columns of text in arrow: the string dtype the vectorised checks run on (regexes
in C++ via RE2), a column as one contiguous arrow array, and its raw buffers for
byte-level scans (numpy over the offsets and the UTF-8 data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def as_arrow_text(values: pd.Series) -> pd.Series:
    """``values`` as text in ``ARROW_TEXT``, missing cells as ""; a text column without
    gaps as it is (no copy)."""
    if values.dtype == ARROW_TEXT and not values.hasnans:
        return values
    return values.astype(object).where(values.notna(), "").astype(str).astype(ARROW_TEXT)


def single_array(values: pd.Series) -> pa.Array:
    """The column's cells as one arrow array (not chunks)."""
    cells = pa.array(values.array)
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    return cells


def filled_text(cells: pa.Array) -> pa.Array:
    """Arrow text cells as ``large_string``, missing ones as ""."""
    return pc.fill_null(cells.cast(pa.large_string()), "")


def buffers(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of a string / large_string array, offsets relative to ``data``."""
    wide = pa.types.is_large_string(texts.type)
    _, offsets_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if wide else np.int32)
    offsets = offsets[texts.offset : texts.offset + len(texts) + 1].astype(np.int64)
    if data_buffer is None or len(texts) == 0:
        return offsets, np.zeros(0, dtype=np.uint8)
    return offsets, np.frombuffer(data_buffer, dtype=np.uint8)[: offsets[-1]]
