"""What a contact table holds, at a glance, for the Upload page.

The operator wants to know before anything else: which ``{{variables}}`` the
file brings, how full each column is, which numbers repeat, what shapes the
numbers come in (spreadsheet damage shows up here first) and how many rows the
route will refuse. Everything is computed with pandas string methods over whole
columns so a 120k-row file profiles in a fraction of a second.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.phones.formats import (
    FORMAT_LABELS,
    number_format,
    number_formats,
    stripped_text,
)
from batchcall.pools import ProcessLocalPool
from batchcall.rules import DistinctCells, Reason, ValidationReport
from batchcall.text import as_arrow_text, single_array

__all__ = [  # the number formats are re-exported: the Upload page reads them here
    "FORMAT_LABELS",
    "ColumnProfile",
    "ContactProfile",
    "find_duplicates",
    "normalised_numbers",
    "number_format",
    "number_formats",
    "profile_contacts",
    "template_csv",
    "verdict_counts",
]


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


_POOL = ProcessLocalPool(1, "profile")


def _arrow_cells(values: pd.Series) -> pa.Array:
    """The cells ``stripped_text`` strips, as one arrow array."""
    cells = single_array(as_arrow_text(values))
    return pc.fill_null(cells, "") if cells.null_count else cells


def normalised_numbers(report: ValidationReport) -> pd.Series:
    """Key that makes two spellings of one number equal: E.164 when valid, else the digits.

    Empty when there are no digits at all; only invalid rows pay for the digit scan.
    """
    rows = report.rows
    e164 = rows["e164"]
    invalid = e164.isna().to_numpy()
    keys = e164.to_numpy(dtype=object, copy=True)
    if invalid.any():
        phones = stripped_text(rows["phone_number"][invalid])
        keys[invalid] = phones.str.replace(r"[^0-9]", "", regex=True).to_numpy(dtype=object)
    return pd.Series(keys, index=rows.index, dtype=object)


def find_duplicates(report: ValidationReport) -> pd.DataFrame:
    """Groups of rows sharing one valid number (E.164), largest first, then by first row.

    Only numbers that parse as valid are compared: two cells of junk (``12345``, or a
    spreadsheet float such as ``9.84512367E+9`` whose digits are not the number) are
    not the same person, and a key made of their digits is a number nobody wrote.
    """
    distinct = report.distinct
    if distinct is not None and len(distinct.codes) == len(report.rows):
        keys, codes = _distinct_keys(distinct)
    else:
        codes, keys = pd.factorize(report.rows["e164"].to_numpy(dtype=object))  # -1: invalid
    rows = report.rows.index.to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(keys))
    repeated = np.flatnonzero((codes >= 0) & (counts[np.maximum(codes, 0)] > 1))
    order = repeated[np.lexsort((rows[repeated], codes[repeated]))]  # by number, then row
    starts = np.flatnonzero(np.diff(codes[order])) + 1
    groups = [(int(codes[g[0]]), rows[g].tolist()) for g in np.split(order, starts) if len(g)]
    groups.sort(key=lambda item: (-len(item[1]), item[1][0]))
    return pd.DataFrame(
        {
            "number": pd.Series([_item(keys, code) for code, _ in groups], dtype=object),
            "count": pd.Series([len(rows) for _, rows in groups], dtype="int64"),
            "rows": pd.Series([rows for _, rows in groups], dtype=object),
        }
    )


def _distinct_keys(distinct: DistinctCells) -> tuple[pa.Array, np.ndarray]:
    """Each distinct cell's E.164 once: (keys, each row's key, or -1 where invalid)."""
    encoded = pc.dictionary_encode(distinct.e164)
    key_codes = np.asarray(encoded.indices.fill_null(-1), dtype=np.intp)  # invalid: -1
    return encoded.dictionary, key_codes[distinct.codes]


def _item(values: pa.Array | np.ndarray, position: int) -> object:
    return values[position].as_py() if isinstance(values, pa.Array) else values[position]


def _column_profile(
    name: str, values: pd.Series, row_count: int, encoded: tuple[np.ndarray, pa.Array] | None
) -> ColumnProfile:
    """Fill rate, distinct values and examples of one column, stripped as ``stripped_text`` does.

    Worked out per distinct raw cell (``encoded``: each row's code and the cells,
    in order of first appearance; the phone column's come from the report).
    """
    if encoded is None:
        cells = _arrow_cells(values)
        found = pc.dictionary_encode(cells)
        encoded = np.asarray(found.indices, dtype=np.intp), found.dictionary
    codes, cells = encoded
    shown = pc.utf8_trim_whitespace(cells)
    blank = np.asarray(pc.equal(shown, ""), dtype=bool)
    filled = len(codes) - int(np.bincount(codes, minlength=len(shown))[blank].sum())
    uniques = shown.filter(pa.array(~blank))  # distinct cells, in order of first appearance
    if pc.sum(pc.binary_length(shown)) != pc.sum(pc.binary_length(cells)):
        uniques = pc.unique(uniques)  # trimming made some cells equal
    return ColumnProfile(
        name=name,
        fill_rate=filled / row_count if row_count else 0.0,
        filled=filled,
        distinct=len(uniques),
        examples=[str(value) for value in uniques[:3].to_pylist()],
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


class _SharedJobs:
    """Jobs two threads take in turn until none are left; results in job order."""

    def __init__(self, jobs: list[Callable[[], ColumnProfile]]) -> None:
        self.results: list[ColumnProfile] = [None] * len(jobs)  # type: ignore[list-item]
        self._next = iter(enumerate(jobs))
        self._lock = threading.Lock()

    def run(self) -> None:
        while True:
            with self._lock:
                index, job = next(self._next, (-1, None))
            if job is None:
                return
            self.results[index] = job()


def profile_contacts(contacts: pd.DataFrame, report: ValidationReport) -> ContactProfile:
    """Profile ``contacts`` (as ``read_contacts`` returns it) with its validation report.

    The columns' fill rates are counted on a second thread (arrow releases the
    GIL) while this one works out the phone column's duplicates and formats, then
    takes its share of the columns left.
    """
    row_count = len(contacts)
    cells = [(str(name), contacts[name], None) for name in contacts.columns]
    distinct = report.distinct
    if distinct is not None and contacts[PHONE_COLUMN].array is distinct.source:
        position = list(contacts.columns).index(PHONE_COLUMN)
        cells[position] = (PHONE_COLUMN, cells[position][1], (distinct.codes, distinct.texts))
    jobs = [partial(_column_profile, name, v, row_count, codes) for name, v, codes in cells]
    shared = _SharedJobs(jobs)
    helper = _POOL.submit(shared.run)
    try:
        duplicates = find_duplicates(report)
        e164 = report.rows["e164"]
        if not e164.index.equals(contacts.index):
            e164 = e164.reindex(contacts.index)
        formats = number_formats(contacts[PHONE_COLUMN], e164)
        shared.run()
    finally:
        helper.result()
    profiles = shared.results
    return ContactProfile(
        row_count=row_count,
        column_count=contacts.shape[1],
        variables=[str(name) for name in contacts.columns if name != PHONE_COLUMN],
        columns=profiles,
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
