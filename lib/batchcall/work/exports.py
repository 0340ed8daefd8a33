"""Tables to downloadable bytes: UTF-8 CSV and XLSX with every cell kept as text.

Phone numbers stay text in the workbook too (no '9.88E+09' when reopened in Excel).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from batchcall.text import as_arrow_text, single_array
from batchcall.work.xlsx_writer import text_workbook

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(table: pd.DataFrame, *, index: bool = False) -> bytes:
    return table.to_csv(index=index, lineterminator="\n").encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, *, index: bool = False, sheet: str = "contacts") -> bytes:
    """An XLSX whose cells are all text cells, so numbers are never reformatted."""
    frame = table.reset_index() if index else table
    columns = [(str(name), _text_array(frame.iloc[:, i])) for i, name in enumerate(frame.columns)]
    return text_workbook(columns, sheet)


def _text_array(values: pd.Series) -> pa.Array:
    """The cells as text, missing ones empty."""
    return single_array(as_arrow_text(values))
