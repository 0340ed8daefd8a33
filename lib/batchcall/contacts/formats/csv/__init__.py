"""CSV (and .txt) contact files: text decoded and split into a grid, no sheets."""

from __future__ import annotations

import pandas as pd

from batchcall.contacts.formats.csv.grid import read_csv_grid


class CsvReader:
    """A CSV file as a reader: one grid, read when asked."""

    has_sheets = False

    def __init__(self, data: bytes, name: str, *, grids: bool = True) -> None:
        self.data, self.name = data, name

    def sheet_names(self) -> list[str]:
        return []

    def hidden_sheets(self) -> set[str]:
        return set()

    def grid(self, sheet: str | None = None) -> pd.DataFrame:
        return read_csv_grid(self.data, self.name)
