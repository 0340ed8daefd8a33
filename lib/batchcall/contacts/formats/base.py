"""The one small interface every contact-file reader offers.

A *grid* is a DataFrame of ``str`` cells whose first row is the header and whose
index is the spreadsheet row number of each record (attrs: ``sheet``,
``first_column``). Turning a grid into contacts (headers, the phone column) is
the same for every format and lives in :mod:`batchcall.contacts.read`.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd


class ContactReader(Protocol):
    """One opened file. A format without sheets (CSV) has no sheet names and one grid."""

    has_sheets: bool
    """Whether the format has sheets to choose from (a workbook with none has none)."""

    def sheet_names(self) -> list[str]:
        """The sheets that can hold rows, in order; ``[]`` for a format without sheets."""
        ...

    def hidden_sheets(self) -> set[str]:
        """Sheets the file hides from its reader; read only when no visible one has data."""
        ...

    def grid(self, sheet: str | None = None) -> pd.DataFrame:
        """One sheet's grid (``None`` for a format without sheets)."""
        ...
