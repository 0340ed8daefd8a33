"""Tables to downloadable bytes: UTF-8 CSV and XLSX with every cell kept as text.

Phone numbers stay text in the workbook too (no '9.88E+09' when reopened in Excel).
"""

from __future__ import annotations

import io

import pandas as pd

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(table: pd.DataFrame, *, index: bool = False) -> bytes:
    return table.to_csv(index=index, lineterminator="\n").encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, *, index: bool = False, sheet: str = "contacts") -> bytes:
    """An XLSX whose cells are all text cells, so numbers are never reformatted."""
    import xlsxwriter

    frame = table.reset_index() if index else table
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    worksheet = workbook.add_worksheet(sheet)
    worksheet.write_row(0, 0, [str(c) for c in frame.columns])
    for position, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        worksheet.write_row(position, 0, ["" if v is None else str(v) for v in row])
    workbook.close()
    return buffer.getvalue()
