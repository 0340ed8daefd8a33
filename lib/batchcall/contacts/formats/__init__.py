"""One reader per file format, behind one interface (:class:`~.base.ContactReader`).

``READERS`` is the table: a file kind (see :mod:`batchcall.contacts.kinds`) -> the
class that opens it. A new format is a reader in its own module here and a row
in both tables.
"""

from __future__ import annotations

from collections.abc import Callable

from batchcall.contacts.formats.base import ContactReader
from batchcall.contacts.formats.csv import CsvReader
from batchcall.contacts.formats.xls import XlsWorkbook
from batchcall.contacts.formats.xlsx.reader import XlsxWorkbook

READERS: dict[str, Callable[..., ContactReader]] = {
    "csv": CsvReader,
    "xlsx": XlsxWorkbook,
    "xls": XlsWorkbook,
}

__all__ = ["READERS", "ContactReader", "open_reader"]


def open_reader(data: bytes, kind: str, name: str, *, grids: bool = True) -> ContactReader:
    """The reader for ``kind``; ``grids=False`` when only the sheet names are wanted."""
    return READERS[kind](data, name, grids=grids)
