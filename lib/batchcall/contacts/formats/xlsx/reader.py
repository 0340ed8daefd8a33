"""XLSX workbooks: fastexcel where it is sure of every cell, python-calamine otherwise.

Both are calamine, so rows and columns are the same; the fast path
(:mod:`batchcall.contacts.formats.xlsx.fast`) steps aside whenever a cell's text
could differ from python-calamine's. What the zip says before any sheet is read
(date styles, hidden sheets) comes from :mod:`batchcall.contacts.formats.xlsx.zipfacts`.
"""

from __future__ import annotations

from concurrent.futures import Future
from functools import cache, partial
from typing import Any, cast

import pandas as pd

from batchcall.contacts.errors import UnreadableFileError
from batchcall.contacts.formats.calamine import POOL, CalamineWorkbook, ErrorCells
from batchcall.contacts.formats.xlsx.error_cells import (
    READABLE_ERRORS,
    errors_as_text,
    xlsx_error_cells,
)
from batchcall.contacts.formats.xlsx.fast import fast_grid, or_calamine
from batchcall.contacts.formats.xlsx.guard import check_workbook
from batchcall.contacts.formats.xlsx.zipfacts import (
    DAMAGED,
    ZipFacts,
    date_columns,
    iso_date_cells,
    styled_columns,
    zip_facts,
)

try:  # the fast XLSX path; without it every workbook is python-calamine's
    import fastexcel
except ImportError:  # pragma: no cover
    fastexcel = None


class XlsxWorkbook(CalamineWorkbook):
    """One uploaded XLSX workbook, opened at most once by each reader it needs."""

    def __init__(self, data: bytes, name: str, *, grids: bool = True) -> None:
        """``grids``: sheets will be read, so open the other readers early (in the background)."""
        check_workbook(data, name)  # before any reader inflates a part of it
        super().__init__(data, name, grids=grids)
        self.grids = grids
        self._reader: Any = None  # fastexcel readers, once opened: texts, floats
        self._float_reader: Future[Any] | None = None
        self._facts: ZipFacts | None = None

    def zip_facts(self) -> ZipFacts:
        if self._facts is None:
            self._facts = zip_facts(self.data)
        return self._facts

    def fast_reader(self) -> Any:
        """fastexcel's reader for the texts; the floats' reader opens meanwhile if needed."""
        if self.grids and self._float_reader is None:
            self._float_reader = POOL.submit(fastexcel.read_excel, self.data)
        if self._reader is None:
            self._reader = fastexcel.read_excel(self.data)
        return self._reader

    def float_reader(self) -> Any:
        self.grids = True
        self.fast_reader()
        return cast(Future[Any], self._float_reader).result()

    def fast_grid(self, sheet: str, *, peek: bool = True) -> pd.DataFrame | None:
        """The fast path's grid of a sheet, or None where it steps aside.

        ``peek``: read the columns whose top cells are dates as datetimes at once.
        """
        facts = self.zip_facts()
        dated = date_columns(self.data, sheet, facts) if peek and facts.sure_dates else set()
        return fast_grid(
            self.fast_reader(),
            self.float_reader(),
            sheet,
            dates=facts.sure_dates,
            date_columns=dated,
            iso_only=not facts.dates,
            iso_cells=cache(partial(iso_date_cells, self.data, sheet)),
        )

    def hidden_sheets(self) -> set[str]:
        return set(self.zip_facts().hidden)

    def sheet_names(self) -> list[str]:
        if fastexcel is not None and self.zip_facts().worksheets:
            with or_calamine():
                return list(self.fast_reader().sheet_names)
        return super().sheet_names()

    def error_cells(self, sheet: str) -> ErrorCells:
        return xlsx_error_cells(self.data, sheet)

    def grid(self, sheet: str | None = None) -> pd.DataFrame:
        """As every workbook's; a sheet refused for an error value calamine does not
        know (``#SPILL!``) is read from a copy that holds those cells as text."""
        try:
            return super().grid(sheet)
        except UnreadableFileError:
            assert sheet is not None
            if not set(self.error_cells(sheet).values()) - READABLE_ERRORS:
                raise
        return XlsxWorkbook(errors_as_text(self.data, sheet), self.name).grid(sheet)

    def fast_grid_or_none(self, sheet: str) -> pd.DataFrame | None:
        if fastexcel is None or self.zip_facts() is DAMAGED:
            return None
        doubtful = styled_columns(self.data, sheet, self.zip_facts().doubtful_styles)
        if doubtful:  # dates it cannot read are near the top: it would step aside
            return None
        with or_calamine():
            return self.fast_grid(sheet)
        return None
