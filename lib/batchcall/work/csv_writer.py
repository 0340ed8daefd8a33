"""A UTF-8 CSV of text cells, written column by column in arrow.

Why not ``DataFrame.to_csv``: it turns every cell into a Python object and
writes it through the csv module, ~0.25 s for the 120,000 rows of a 10 MB list,
all of it holding the GIL that every other operator's page needs too. Here each
column is quoted where it must be and the columns are joined into lines with a
handful of pyarrow string kernels (~0.07 s, mostly outside the GIL).

The output is the csv module's ``QUOTE_MINIMAL`` dialect with ``\\n`` line ends,
byte for byte, with one deliberate difference: a cell holding any character
some CSV reader takes for a line break (a lone CR, a form feed, U+2028, …) is
quoted too, so one contact never becomes two on the way. Missing cells are
written empty; in a one-column file an empty cell is written ``""``, as the csv
module does, so the row is not read back as a blank line and skipped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.text import as_arrow_text, filled_text, single_array

__all__ = ["LINE_BREAKS", "write_csv"]

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character ``str.splitlines`` breaks on; the csv module quotes only its line
ending. A cell holding any of them, the delimiter or the quote is written quoted."""
_NEEDS_QUOTES = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in ',"' + LINE_BREAKS) + "]"
CHUNK_ROWS = 32_768
"""Rows joined at a time: the lines of a whole 10 MB list at once would hold a
second and third copy of it for no gain in speed."""
_TEXT = pa.large_string()


def write_csv(frame: pd.DataFrame) -> bytes:
    """``frame``'s header and cells (without its index) as UTF-8 CSV text."""
    lone = frame.shape[1] == 1
    names = pa.array([str(name) for name in frame.columns], _TEXT)
    parts: list[bytes | memoryview] = [
        ",".join(_quoted(names, lone).to_pylist()).encode("utf-8") + b"\n"
    ]
    if frame.shape[1] == 0:
        return parts[0] + b"\n" * len(frame)
    columns = [single_array(as_arrow_text(frame.iloc[:, i])) for i in range(frame.shape[1])]
    for begin in range(0, len(frame), CHUNK_ROWS):
        cells = [_quoted(column.slice(begin, CHUNK_ROWS), lone) for column in columns]
        parts.append(_lines(cells))
    return b"".join(parts)


def _quoted(cells: pa.Array, lone: bool) -> pa.Array:
    """The cells as CSV fields: quoted (inner quotes doubled) where they must be."""
    text = filled_text(cells)
    needs = pc.match_substring_regex(text, _NEEDS_QUOTES)
    if lone:
        needs = pc.or_(needs, pc.equal(pc.binary_length(text), 0))
    if not pc.any(needs).as_py():
        return text
    quote, nothing = pa.scalar('"', _TEXT), pa.scalar("", _TEXT)
    inner = pc.replace_substring(text, '"', '""')
    return pc.if_else(needs, pc.binary_join_element_wise(quote, inner, quote, nothing), text)


def _lines(cells: list[pa.Array]) -> memoryview:
    """The fields joined by commas, each line ending in ``\\n``, as one run of bytes."""
    comma, newline = pa.scalar(",", _TEXT), pa.scalar("\n", _TEXT)
    lines = cells[0] if len(cells) == 1 else pc.binary_join_element_wise(*cells, comma)
    lines = pc.binary_join_element_wise(lines, pa.scalar("", _TEXT), newline)
    _, offsets_buffer, data_buffer = lines.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    first, last = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return memoryview(data_buffer)[first:last]
