"""The format class of each phone cell: E.164, local, trunk 0, spreadsheet damage...

What shapes the numbers come in is where spreadsheet damage shows first
(``9.87654321E+9``, ``9876543210.0``), so the Upload page counts them. The
classes are regexes run once per distinct *shape* of cell, not per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.phones.fast.byte_ops import squeeze_digits
from batchcall.text import as_arrow_text, single_array

FORMAT_LABELS: dict[str, str] = {
    "e164": "E.164",
    "international": "International, formatted",
    "local": "Local",
    "trunk_0": "Trunk 0",
    "idd_00": "IDD 00",
    "damaged": "Spreadsheet damage",
    "letters": "Letters",
    "empty": "Empty",
    "other": "Other symbols",
}
"""Number formats in display order. ``other`` catches what fits no class (``98765#43210``)."""

_SPACES = " \t\n\r\f\v\u00a0\u2007\u2009\u202f"
"""Whitespace spelled out as characters: ``\\s`` would push pandas off RE2 onto Python's ``re``."""
_SEP = f"[{_SPACES}().\\-/]"
_BODY = f"[0-9{_SPACES}().\\-/]*"
_FORMAT_PATTERNS: list[tuple[str, str]] = [
    ("empty", r""),
    # '9876543210.0 (float cell), 9.87654321E+9 (scientific), '9876543210 (text marker)
    ("damaged", r"'(?s:.*)|\+?[0-9]+\.0+|[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+"),
    ("letters", r"(?s:.*)\pL(?s:.*)"),
    ("e164", r"\+[0-9]+"),
    ("international", f"\\+{_SEP}*[0-9]{_BODY}"),
    ("idd_00", f"(?:00|011){_BODY}"),
    ("trunk_0", f"\\(?0{_SEP}*[1-9]{_BODY}"),
    ("local", f"\\(?[1-9]{_BODY}"),
]
"""First match wins; patterns run on stripped text with pyarrow's RE2 (``\\pL`` = any letter)."""


def stripped_text(values: pd.Series) -> pd.Series:
    """Stripped text in the Arrow-backed string dtype, so regexes run in C++ (RE2)."""
    return as_arrow_text(values).fillna("").str.strip()


def number_formats(phones: pd.Series, e164: pd.Series | None = None) -> pd.Series:
    """Format class (a ``FORMAT_LABELS`` key, categorical) of every cell, vectorised.

    With the parsed ``e164`` column (aligned row for row), ``011…`` numbers that
    libphonenumber read as national (Delhi's ``011 4000 1234`` on an Indian
    route) count as ``trunk_0``; only those read as the North American exit code
    stay ``idd_00``.
    """
    names = list(FORMAT_LABELS)
    text = stripped_text(phones)
    shapes, codes = _shape_codes(text)
    undecided = np.ones(len(shapes), dtype=bool)
    kinds = np.full(len(shapes), names.index("other"), dtype=np.int8)
    for name, pattern in _FORMAT_PATTERNS:
        hit = undecided & shapes.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
        kinds[hit] = names.index(name)
        undecided &= ~hit
    codes = kinds[codes]
    if e164 is not None:
        starts = text.str.startswith("011").to_numpy(dtype=bool, na_value=False)
        idd_011 = (codes == names.index("idd_00")) & starts
        if idd_011.any():
            digits = text[idd_011].str.replace(r"[^0-9]", "", regex=True)
            exits = ("+" + digits.str.slice(3)).to_numpy(dtype=object)
            parsed = e164.to_numpy(dtype=object)[idd_011]
            national = pd.notna(parsed) & (parsed != exits)
            codes[np.flatnonzero(idd_011)[national]] = names.index("trunk_0")
    return pd.Series(pd.Categorical.from_codes(codes, categories=names), index=phones.index)


def _shape_codes(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Distinct *shapes* of the cells, and each cell's shape.

    A shape is the cell with every run of the digits 2-9 written as one "2". The
    patterns only ever meet those digits as ``[0-9]``/``[1-9]`` runs, or one such
    digit followed by a run that takes digits, so a cell and its shape fall in the
    same class; a 10 MB list has a few thousand shapes, so the eight regex passes
    run over those instead of every row.
    """
    encoded = pc.dictionary_encode(squeeze_digits(single_array(text)))
    shapes = encoded.dictionary.cast(pa.large_string()).to_pandas()
    return shapes, np.asarray(encoded.indices, dtype=np.intp)


def number_format(raw: str, e164: str | None = None) -> str:
    """Format class of one cell; the same rules as :func:`number_formats`."""
    parsed = None if e164 is None else pd.Series([e164], dtype=object)
    return str(number_formats(pd.Series([raw], dtype=object), parsed).iloc[0])
