"""What a workbook becomes when opened, measured before any reader opens it.

An XLSX is a zip: 10 MB of it can inflate to gigabytes, or declare a used range
of billions of cells, and the Rust readers then abort the whole process (Python
cannot catch that), taking every operator's session with it. So every part is
inflated here first, in chunks, counting what comes out (a zip's directory can
lie: Python's reader stops at the declared size and checks the CRC), and the
sheets are measured as they stream by: their rows, columns, used range and the
longest run of text. A workbook over a limit is refused with the limit named.

The limits on what a file opens to (``MAX_INFLATED_BYTES``, ``MAX_USED_CELLS``) are
for a file of the platform's 10 MB; a larger file, read with an explicit larger
limit to be sent in parts, gets them in proportion to its size on disk. Excel's
own rows and columns do not grow.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import numpy as np

from batchcall.contacts.cells import column_index
from batchcall.contacts.errors import UnreadableFileError

MAX_INFLATED_BYTES = 320 * 2**20
"""All parts together, opened (a 10 MB list of contacts opens to 60-150 MB)."""
MAX_ROWS = 1_048_576  # Excel's
MAX_COLUMNS = 16_384  # Excel's: A to XFD
MAX_USED_CELLS = 25_000_000
"""Rows x columns of a sheet's used range: the readers hold every cell of it at once."""
MAX_TEXT_BYTES = 4 * 32_767
"""Excel holds at most 32,767 characters in a cell (UTF-8: at most four bytes each)."""
_BASE_FILE_BYTES = 10 * 2**20
"""The platform's file limit (``contacts.read.MAX_FILE_BYTES``) the limits above are for."""
_CHUNK = 1 << 20
_ROW = re.compile(rb' r="([0-9]{1,12})"')  # a row's number (a cell's reference starts A-Z)
_WIDE_REF = re.compile(rb' r="([A-Z]{2,12})[0-9]')  # a cell past column Z
_SAVE_AGAIN = "Open it in your spreadsheet program, save it again as XLSX, and upload that."

__all__ = ["MAX_COLUMNS", "MAX_INFLATED_BYTES", "MAX_ROWS", "MAX_USED_CELLS", "check_workbook"]


def check_workbook(data: bytes, name: str) -> None:
    """Refuse an XLSX that would open to more than the limits; a zip Python cannot open at
    all is left to the readers, which say what is wrong with it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # not a zip Python can open: the readers say what is wrong
        return
    scale = max(1.0, len(data) / _BASE_FILE_BYTES)
    most = int(MAX_INFLATED_BYTES * scale)
    with archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > most:
            raise _too_big(name, declared, most, len(data))
        inflated = 0
        for info in archive.infolist():
            in_sheets = info.filename.startswith("xl/worksheets/")
            sheet = _SheetMeasure(name, int(MAX_USED_CELLS * scale)) if in_sheets else None
            text = _TextRuns(name) if sheet or "sharedStrings" in info.filename else None
            for chunk in _inflated(archive, info, name):
                inflated += len(chunk)
                if inflated > most:
                    raise _too_big(name, inflated, most, len(data))
                if text is not None:
                    text.feed(chunk)
                if sheet is not None:
                    sheet.feed(chunk)


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The part's bytes in chunks; any failure to inflate it (a bad CRC after a size that
    lied, an unknown method, a password) refuses the file as damaged."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except Exception as exc:
        raise UnreadableFileError(
            f"{name} is damaged: its part {info.filename} does not open to what the "
            f"file says it holds. {_SAVE_AGAIN}"
        ) from exc


class _SheetMeasure:
    """A sheet's extent, from its XML as it streams by."""

    def __init__(self, name: str, most_cells: int = MAX_USED_CELLS) -> None:
        self.name = name
        self.most_cells = most_cells
        self.rows = self.columns = 0
        self.tail = b""  # a tag cut by the chunk boundary

    def feed(self, chunk: bytes) -> None:
        """Rows by their ``r``; columns by the cell references past Z (cheap to find, as
        few sheets have them); a sheet without any is at most 26 columns wide."""
        window = self.tail + chunk
        self.tail = window[-256:]
        rows = [int(r) for r in _ROW.findall(window)]
        wide = [column_index(letters) + 1 for letters in _WIDE_REF.findall(window)]
        self.extend(max(rows, default=0), max(wide, default=1))

    def extend(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        if self.rows > MAX_ROWS or self.columns > MAX_COLUMNS:
            raise UnreadableFileError(
                f"{self.name} holds a sheet reaching row {self.rows:,} and column "
                f"{self.columns:,}; a spreadsheet has at most {MAX_ROWS:,} rows and "
                f"{MAX_COLUMNS:,} columns. {_SAVE_AGAIN}"
            )
        if self.rows * self.columns > self.most_cells:
            raise UnreadableFileError(
                f"{self.name} holds a sheet whose used range spans {self.rows:,} rows by "
                f"{self.columns:,} columns, over the {self.most_cells:,} cells the workbench "
                "opens at once. Delete the empty rows and columns around the contacts (or "
                "copy just the contacts to a new sheet), save, and upload again."
            )


class _TextRuns:
    """The longest stretch without a ``<`` (a text node) across a part's chunks."""

    def __init__(self, name: str) -> None:
        self.name, self.carried = name, 0

    def feed(self, chunk: bytes) -> None:
        opens = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<"))
        if not len(opens):
            self.carried += len(chunk)
            longest = self.carried
        else:
            gaps = np.diff(opens) - 1
            longest = max(self.carried + int(opens[0]), int(gaps.max(initial=0)))
            self.carried = len(chunk) - int(opens[-1]) - 1
        if max(longest, self.carried) > MAX_TEXT_BYTES:
            raise UnreadableFileError(
                f"{self.name} holds a cell with more than 32,767 characters, more than any "
                f"spreadsheet cell can hold. {_SAVE_AGAIN}"
            )


def _too_big(name: str, size: int, most: int, on_disk: int) -> UnreadableFileError:
    disk = "at most 10 MB" if on_disk <= _BASE_FILE_BYTES else f"{on_disk / 2**20:,.0f} MB"
    return UnreadableFileError(
        f"{name} opens to more than {most // 2**20:,} MB of data "
        f"({size / 2**20:,.0f} MB so far) from {disk} on disk: it is not a contact "
        f"list a spreadsheet program wrote, or it holds far more than contacts. {_SAVE_AGAIN}"
    )
