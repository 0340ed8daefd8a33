"""Tables to bytes: the CSV Submit sends, and downloads as UTF-8 CSV or XLSX.

Every cell holding a character that some CSV reader takes for a line break is
written inside quotes, so one contact never becomes two on the way (a lone CR
from a spreadsheet cell, Excel's ``_x000D_``, a Unicode line separator).

The file sent to the platform keeps every value exactly. CSV *downloads* are
opened by people in spreadsheet programs, so a cell that would start a formula
there (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading ``'`` as OWASP
advises, except numbers and phone numbers (``+919876543210``, ``-5``), which stay
exact. XLSX downloads need none of that: every cell is a text cell, and phone
numbers never turn into ``9.88E+09`` when reopened in Excel.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from batchcall.text import as_arrow_text, single_array
from batchcall.work.csv_writer import LINE_BREAKS, write_csv
from batchcall.work.xlsx_writer import text_workbook

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?[0-9][0-9 ().\-/]*$"
"""A number or a phone number: no spreadsheet reads it as a formula worth neutralising."""

__all__ = ["CSV_MIME", "LINE_BREAKS", "XLSX_MIME", "csv_bytes", "submission_csv", "xlsx_bytes"]


def submission_csv(table: pd.DataFrame) -> bytes:
    """The CSV the platform receives: every value exactly, line breaks inside quotes."""
    return write_csv(table)


def csv_bytes(table: pd.DataFrame, *, index: bool = False) -> bytes:
    """A CSV download: as ``submission_csv``, with formula-like cells neutralised."""
    frame = table.reset_index() if index else table
    return write_csv(frame.apply(_neutralised))


def xlsx_bytes(table: pd.DataFrame, *, index: bool = False, sheet: str = "contacts") -> bytes:
    """An XLSX whose cells are all text cells, so numbers are never reformatted."""
    frame = table.reset_index() if index else table
    columns = [(str(name), _text_array(frame.iloc[:, i])) for i, name in enumerate(frame.columns)]
    return text_workbook(columns, sheet)


def _neutralised(values: pd.Series) -> pd.Series:
    texts = as_arrow_text(values)
    formula = texts.str.contains(_FORMULA_START, regex=True) & ~texts.str.contains(
        _PLAIN_NUMBER, regex=True
    )
    if not formula.any():
        return values
    return texts.where(~formula, "'" + texts)


def _text_array(values: pd.Series) -> pa.Array:
    """The cells as text, missing ones empty."""
    return single_array(as_arrow_text(values))
