"""The file Submit sends once the pre-launch checks have left rows out, and every row's fate.

Why here and not in the page: "what was checked is exactly what is sent" holds
only if one function turns the working table and the rows left out into the
bytes and the row map, and the same rows' fates are what the operator
downloads. ``WorkTable.cleaned_csv`` is the file without any check applied.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from batchcall.checks.dispositions import Disposition
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.work.exports import csv_bytes, submission_csv
from batchcall.work.row_map import RowMap
from batchcall.work.table import WorkTable

__all__ = ["FATE_COLUMN", "fates_csv", "fates_table", "sent_csv"]

FATE_COLUMN = "disposition"


def sent_csv(
    table: WorkTable, exclude: Collection[int] = (), rename: Mapping[str, str] | None = None
) -> tuple[bytes, RowMap]:
    """UTF-8 CSV of the rows to send minus ``exclude``, and submitted row -> original row.

    The rows to send are the active ones: Submit launches only once every one of them
    passes, so they are then exactly ``table.passing``. While a row fails (after a
    refusal re-judged the table) the bytes stay those that were refused, so the
    refusal stays matched to the request that caused it.
    The platform numbers the rows of what it receives from 2 (after the header),
    as a spreadsheet does; the map leads each one back to the operator's own row.
    ``rename`` (file column -> the agent's variable) changes headers only: the cells
    are the operator's, under the names the prompt asks for.
    """
    rows = table.active
    if exclude:
        rows = rows[~rows.index.isin(list(exclude))]
    if rename:
        rows = rows.rename(columns=dict(rename))
    return submission_csv(rows), RowMap(rows.index.to_numpy())


def fates_table(table: WorkTable, dispositions: pd.Series) -> pd.DataFrame:
    """Every original row (original cells, the edited phone number) with its fate's title."""
    frame = table.original.copy()
    position = frame.columns.get_loc(PHONE_COLUMN) + 1
    frame.insert(position, "current_number", table.current[PHONE_COLUMN].reindex(frame.index))
    titles = {str(d): d.title for d in Disposition}
    fates = dispositions.reindex(frame.index).map(lambda value: titles.get(value, value))
    frame[FATE_COLUMN] = fates.to_numpy(dtype=object)
    return frame


def fates_csv(table: WorkTable, dispositions: pd.Series) -> bytes:
    """``fates_table`` as a CSV download, the spreadsheet row number first."""
    return csv_bytes(fates_table(table, dispositions), index=True)
