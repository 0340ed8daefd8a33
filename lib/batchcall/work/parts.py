"""A list too large for one batch, as numbered parts that each fit the platform's limit.

Why byte sizes from the written file and not an estimate: the platform refuses a
file over 10 MB (``413``), and what counts is the CSV exactly as it is sent
(``work.exports.submission_csv``, quoting included). So the rows are written
once, each record's end is found in those bytes (a quoted cell may hold line
breaks: a newline ends a record only outside quotes), and the parts are cut
between records. Each part is then written on its own, exactly as
``work.sending.sent_csv`` would write those rows: quoting is decided cell by cell,
so a part is the header and its rows' records exactly as the whole file has them. No row
is ever split, and each part keeps its map back to the operator's spreadsheet rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from batchcall.contacts import MAX_FILE_BYTES, FileTooLargeError
from batchcall.work.exports import submission_csv
from batchcall.work.row_map import RowMap
from batchcall.work.table import WorkTable

__all__ = ["Part", "numbered_name", "parts_summary", "split_rows", "split_table"]


@dataclass(frozen=True, eq=False)
class Part:
    """One numbered part: the bytes sent and submitted row -> original spreadsheet row."""

    number: int
    """1-based."""
    of: int
    data: bytes = field(repr=False)
    row_map: RowMap = field(repr=False)

    @property
    def rows(self) -> list[int]:
        """The operator's spreadsheet rows in this part, in the order sent."""
        return [self.row_map[row] for row in self.row_map]

    @property
    def size(self) -> int:
        return len(self.data)

    def label(self, name: str) -> str:
        """``"May campaign (2/3)"``; the name alone when there is one part."""
        return numbered_name(name, self.number, self.of)


def numbered_name(name: str, number: int, of: int) -> str:
    """``"<name> (n/N)"``, or ``name`` itself when ``of`` is 1."""
    return name if of == 1 else f"{name} ({number}/{of})"


def split_table(
    table: WorkTable,
    exclude: Collection[int] = (),
    rename: Mapping[str, str] | None = None,
    *,
    limit_bytes: int = MAX_FILE_BYTES,
    name: str = "contacts",
) -> list[Part]:
    """The rows ``work.sending.sent_csv`` would send (active minus ``exclude``, columns
    renamed by ``rename``), as parts of at most ``limit_bytes`` each."""
    rows = table.active
    if exclude:
        rows = rows[~rows.index.isin(list(exclude))]
    if rename:
        rows = rows.rename(columns=dict(rename))
    return split_rows(rows, limit_bytes=limit_bytes, name=name)


def split_rows(
    rows: pd.DataFrame, *, limit_bytes: int = MAX_FILE_BYTES, name: str = "contacts"
) -> list[Part]:
    """``rows`` (indexed by spreadsheet row) as the fewest parts of at most ``limit_bytes``,
    as even in size as that allows; one part when the whole file fits.

    A single row that does not fit with the header is refused (``FileTooLargeError``,
    naming the row): no part could carry it. ``name`` is the file's, for that message.
    """
    if limit_bytes <= 0:
        raise ValueError(f"limit_bytes must be positive, not {limit_bytes}")
    whole = submission_csv(rows)
    if len(whole) <= limit_bytes or rows.empty:
        return [Part(1, 1, whole, RowMap(rows.index.to_numpy()))]
    ends = _record_ends(whole)
    if len(ends) != len(rows) + 1:  # pragma: no cover - the writer always ends each record
        raise AssertionError(f"found {len(ends) - 1} records for {len(rows)} rows")
    header = int(ends[0])
    room = limit_bytes - header
    sizes = np.diff(ends)
    too_big = np.flatnonzero(sizes > room)
    if len(too_big):
        raise _row_too_big(
            rows, int(too_big[0]), int(sizes[too_big[0]]) + header, limit_bytes, name
        )
    cuts = _even_cuts(ends - header, room)
    count = len(cuts) - 1
    parts = []
    for number, (start, stop) in enumerate(pairwise(cuts), start=1):
        chunk = rows.iloc[start:stop]
        data = submission_csv(chunk)
        assert len(data) <= limit_bytes, "a part is its records as the whole file has them"
        parts.append(Part(number, count, data, RowMap(chunk.index.to_numpy())))
    return parts


def _record_ends(data: bytes) -> np.ndarray:
    """Offsets just past each record's newline (the header's first): newlines outside quotes.

    The csv writer doubles a quote inside a quoted cell, so a newline is outside quotes
    exactly when an even number of quotes comes before it.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == ord("\n"))
    quotes = np.flatnonzero(buffer == ord('"'))
    if len(quotes):
        newlines = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    return newlines + 1


def _even_cuts(ends: np.ndarray, room: int) -> list[int]:
    """Row positions where parts start (and the total last): the greedy count of parts,
    then cuts placed at even shares of the bytes where every part still fits ``room``."""
    starts = np.concatenate([[0], ends[:-1]])  # body offsets where each row starts
    total = int(ends[-1])
    greedy = [0]
    while greedy[-1] < len(ends):
        base = int(starts[greedy[-1]])
        greedy.append(int(np.searchsorted(ends, base + room, side="right")))
    count = len(greedy) - 1
    even = [0]
    for k in range(1, count):
        even.append(int(np.searchsorted(ends, total * k / count, side="left")) + 1)
    even.append(len(ends))
    fits = all(
        stop > start and int(ends[stop - 1] - starts[start]) <= room
        for start, stop in pairwise(even)
    )
    return even if fits else greedy


def _row_too_big(
    rows: pd.DataFrame, position: int, size: int, limit: int, name: str
) -> FileTooLargeError:
    row = int(rows.index[position])
    widest = rows.iloc[position].astype(str).str.len().idxmax()
    return FileTooLargeError(
        f"{name}: row {row} alone (with the header) is {size:,} bytes, over the "
        f"{limit:,} bytes one file may hold; its longest cell is in column '{widest}'. "
        "Shorten that cell or remove columns the agent does not use.",
        row=row,
        column=str(widest),
    )


def parts_summary(parts: Sequence[Part]) -> list[dict[str, int]]:
    """``[{"part", "of", "rows", "bytes", "first_row", "last_row"}]``, for a listing."""
    return [
        {
            "part": part.number,
            "of": part.of,
            "rows": len(part.row_map),
            "bytes": part.size,
            "first_row": min(part.rows),
            "last_row": max(part.rows),
        }
        for part in parts
    ]
