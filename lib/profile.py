"""What a contact table holds, at a glance, for the Upload page.

The operator wants to know before anything else: which ``{{variables}}`` the
file brings, how full each column is, which numbers repeat, what shapes the
numbers come in (spreadsheet damage shows up here first) and how many rows the
route will refuse. Everything is computed with pandas string methods over whole
columns so a 120k-row file profiles in a fraction of a second.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.validation import Reason, ValidationReport

PHONE_COLUMN = "phone_number"

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


@dataclass(frozen=True)
class ColumnProfile:
    """How full one column is; a half-empty variable makes odd-sounding calls."""

    name: str
    fill_rate: float
    filled: int
    distinct: int
    examples: list[str]


@dataclass(frozen=True)
class ContactProfile:
    """The Upload page's summary of a contact table and its validation report."""

    row_count: int
    column_count: int
    variables: list[str]
    columns: list[ColumnProfile]
    duplicates: pd.DataFrame = field(repr=False)
    """One row per repeated number: ``number``, ``count``, ``rows``; largest groups first."""
    duplicate_rows: int
    formats: dict[str, int]
    verdicts: dict[str, int]


_ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def _text(values: pd.Series) -> pd.Series:
    """Stripped text in the Arrow-backed string dtype, so regexes run in C++ (RE2)."""
    if values.dtype != _ARROW_TEXT:
        values = values.astype(object).where(values.notna(), "").astype(_ARROW_TEXT)
    return values.fillna("").str.strip()


def number_formats(phones: pd.Series, e164: pd.Series | None = None) -> pd.Series:
    """Format class (a ``FORMAT_LABELS`` key, categorical) of every cell, vectorised.

    With the parsed ``e164`` column (aligned row for row), ``011…`` numbers that
    libphonenumber read as national (Delhi's ``011 4000 1234`` on an Indian
    route) count as ``trunk_0``; only those read as the North American exit code
    stay ``idd_00``.
    """
    names = list(FORMAT_LABELS)
    text = _text(phones)
    codes = np.full(len(text), names.index("other"), dtype=np.int8)
    undecided = np.ones(len(text), dtype=bool)
    for name, pattern in _FORMAT_PATTERNS:
        hit = undecided & text.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
        codes[hit] = names.index(name)
        undecided &= ~hit
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


def number_format(raw: str, e164: str | None = None) -> str:
    """Format class of one cell; the same rules as :func:`number_formats`."""
    parsed = None if e164 is None else pd.Series([e164], dtype=object)
    return str(number_formats(pd.Series([raw], dtype=object), parsed).iloc[0])


def normalised_numbers(report: ValidationReport) -> pd.Series:
    """Key that makes two spellings of one number equal: E.164 when valid, else the digits.

    Empty when there are no digits at all; only invalid rows pay for the digit scan.
    """
    rows = report.rows
    e164 = rows["e164"]
    invalid = e164.isna().to_numpy()
    keys = e164.to_numpy(dtype=object, copy=True)
    if invalid.any():
        phones = _text(rows["phone_number"][invalid])
        keys[invalid] = phones.str.replace(r"[^0-9]", "", regex=True).to_numpy(dtype=object)
    return pd.Series(keys, index=rows.index, dtype=object)


def find_duplicates(report: ValidationReport) -> pd.DataFrame:
    """Groups of rows sharing a normalised number, largest first, then by first row."""
    keys = normalised_numbers(report)
    codes, uniques = pd.factorize(keys.to_numpy(dtype=object))
    codes[codes == _position(uniques, "")] = -1  # no digits at all: nothing to compare
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    repeated = (codes >= 0) & (counts[np.maximum(codes, 0)] > 1)
    groups: dict[int, list[int]] = {}
    for code, row in zip(codes[repeated], keys.index[repeated], strict=True):
        groups.setdefault(int(code), []).append(int(row))
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), min(item[1])))
    return pd.DataFrame(
        {
            "number": pd.Series([uniques[code] for code, _ in ordered], dtype=object),
            "count": pd.Series([len(rows) for _, rows in ordered], dtype="int64"),
            "rows": pd.Series([sorted(rows) for _, rows in ordered], dtype=object),
        }
    )


def _position(values: np.ndarray, wanted: object) -> int:
    hits = np.flatnonzero(values == wanted)
    return int(hits[0]) if len(hits) else -2


def _column_profile(name: str, values: pd.Series, row_count: int) -> ColumnProfile:
    text = _text(values)
    filled_values = text[text != ""]
    filled = len(filled_values)
    uniques = filled_values.unique()
    return ColumnProfile(
        name=name,
        fill_rate=filled / row_count if row_count else 0.0,
        filled=filled,
        distinct=len(uniques),
        examples=[str(value) for value in uniques[:3]],
    )


def _ordered_counts(counts: pd.Series, order: list[str]) -> dict[str, int]:
    """Non-zero counts in display order, then any unexpected keys."""
    found = {str(key): int(value) for key, value in counts.items() if value}
    ordered = {key: found.pop(key) for key in order if key in found}
    return ordered | found


def verdict_counts(report: ValidationReport) -> dict[str, int]:
    """Rows per verdict: ``ok`` and each reason slug, in rule order; zeros left out."""
    counts = report.rows["reason"].value_counts(sort=False, dropna=False)
    counts.index = ["ok" if pd.isna(key) else str(key) for key in counts.index]
    return _ordered_counts(counts, ["ok", *(str(r) for r in Reason)])


def profile_contacts(contacts: pd.DataFrame, report: ValidationReport) -> ContactProfile:
    """Profile ``contacts`` (as ``read_contacts`` returns it) with its validation report."""
    row_count = len(contacts)
    duplicates = find_duplicates(report)
    e164 = report.rows["e164"]
    if not e164.index.equals(contacts.index):
        e164 = e164.reindex(contacts.index)
    formats = number_formats(contacts[PHONE_COLUMN], e164)
    return ContactProfile(
        row_count=row_count,
        column_count=contacts.shape[1],
        variables=[str(name) for name in contacts.columns if name != PHONE_COLUMN],
        columns=[
            _column_profile(str(name), contacts[name], row_count) for name in contacts.columns
        ],
        duplicates=duplicates,
        duplicate_rows=int((duplicates["count"] - 1).sum()),
        formats=_ordered_counts(formats.value_counts(sort=False), list(FORMAT_LABELS)),
        verdicts=verdict_counts(report),
    )


TEMPLATE_ROWS = [
    ("9876543210", "Priya Sharma", "500000", "home_loan"),
    ("9123456789", "Rahul Mehra", "250000", "car_loan"),
]


def template_csv() -> bytes:
    """The platform's documented example as a CSV to download and fill in (UTF-8, no BOM).

    No BOM: a BOM would glue itself to the ``phone_number`` header on some readers.
    """
    buffer = io.StringIO()
    buffer.write("phone_number,customer_name,loan_amount,product\n")
    for row in TEMPLATE_ROWS:
        buffer.write(",".join(row) + "\n")
    return buffer.getvalue().encode("utf-8")
