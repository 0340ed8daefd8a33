"""What an XLSX workbook's zip says about its cells before any sheet is read.

calamine (under both fastexcel and python-calamine) calls a number cell a date
when its style's number format is a date format, and a duration when the format
counts elapsed time (``[h]:mm``). fastexcel shows durations as dates, and the two
libraries bundle different calamine releases, so the fast path only reads dates
itself when every format in use is classed the same by both releases
(``ZipFacts.sure_dates``); otherwise python-calamine reads the sheet.

The byte scans of a sheet's XML (date-styled cells near its top, ISO date cells,
formula error cells) find it through ``sheet_xml``.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from batchcall.contacts.cells import column_index

_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b[^>]*>")
_FORMAT_ID = re.compile(rb'\bnumFmtId="(\d+)"')
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*>")
_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"")
_OTHER_SHEETS = (b"chartsheets", b"dialogsheets", b"macrosheets")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_STYLE = re.compile(rb'\bs="(\d+)"')
_CELL_COLUMN = re.compile(rb'\br="([A-Z]{1,3})[0-9]+"')
PEEK_BYTES = 256 * 1024

OTHER, DATE, DURATION = "other", "date", "duration"


@dataclass(frozen=True)
class ZipFacts:
    """``worksheets``: no chart, dialog or macro sheets (calamine names kinds by folder).
    ``dates``: some cell style shows numbers as dates or durations.
    ``sure_dates``: the fast path can read those dates as python-calamine does.
    ``date_styles``: the cell styles (``s="3"``) that show numbers as dates.
    ``doubtful_styles``: those whose dates the fast path cannot read (all of them
    when ``sure_dates`` is False).
    ``hidden``: sheets workbook.xml marks ``hidden`` or ``veryHidden``."""

    worksheets: bool
    dates: bool
    sure_dates: bool
    date_styles: frozenset[int] = frozenset()
    doubtful_styles: frozenset[int] = frozenset()
    hidden: frozenset[str] = frozenset()


DAMAGED = ZipFacts(worksheets=False, dates=True, sure_dates=False)


def zip_facts(data: bytes) -> ZipFacts:
    """The facts, or ``DAMAGED`` (python-calamine will say what is wrong)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            rels = archive.read("xl/_rels/workbook.xml.rels")
            workbook = archive.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
            styles = archive.read("xl/styles.xml") if "xl/styles.xml" in names else b""
    except Exception:  # a damaged zip fails in many ways
        return DAMAGED
    listed = " ".join(names).encode()
    worksheets = not any(kind in rels or kind in listed for kind in _OTHER_SHEETS)
    kinds = style_kinds(styles)
    dates = any(kind != (OTHER, OTHER) for kind in kinds)
    sure = all(kind in ((OTHER, OTHER), (DATE, DATE)) for kind in kinds)
    sure_dates = not dates or (sure and not _DATE1904.search(workbook))
    date_styles = frozenset(i for i, kind in enumerate(kinds) if kind == (DATE, DATE))
    doubtful = (
        frozenset()
        if sure_dates
        else frozenset(i for i, kind in enumerate(kinds) if kind != (OTHER, OTHER))
    )
    return ZipFacts(worksheets, dates, sure_dates, date_styles, doubtful, _hidden(workbook))


def style_kinds(styles: bytes) -> list[tuple[str, str]]:
    """For each cell style, its number format's kind in (this, the older) calamine."""
    xfs = _XFS.search(styles)
    used = []  # one per style, in order: a cell's s="3" is the fourth
    for element in _XF.findall(xfs.group() if xfs else b""):
        ident = _FORMAT_ID.search(element)
        used.append(int(ident[1]) if ident else 0)
    custom: dict[int, str] = {}
    for element in _NUM_FMT.findall(styles):
        ident = _FORMAT_ID.search(element)
        code = re.search(rb'formatCode="([^"]*)"', element)
        if ident and code:
            custom[int(ident[1])] = html.unescape(code[1].decode("utf-8", "replace"))
    kinds = []
    for ident in used:
        if ident in custom:
            code = custom[ident]
            kinds.append((format_kind(code), format_kind(code, fill_is_literal=False)))
        else:
            kinds.append((builtin_kind(ident),) * 2)
    return kinds


def date_columns(data: bytes, sheet: str, facts: ZipFacts) -> set[int]:
    """Columns (0-based) with a date-styled cell near the top of the sheet: a guess, from
    the sheet's first ``PEEK_BYTES`` of XML, of where dates are, so the fast path can
    read them as datetimes at once. Empty when the sheet cannot be found."""
    return styled_columns(data, sheet, facts.date_styles)


def styled_columns(data: bytes, sheet: str, styles: frozenset[int]) -> set[int]:
    """Columns (0-based) with a cell of one of ``styles`` in the sheet's first
    ``PEEK_BYTES`` of XML."""
    if not styles:
        return set()
    try:
        with sheet_xml(data, sheet) as stream:
            if stream is None:
                return set()
            head = stream.read(PEEK_BYTES)
    except Exception:  # the readers will say what is wrong
        return set()
    found = set()
    for attributes in _CELL.findall(head):
        style = _CELL_STYLE.search(attributes)
        column = _CELL_COLUMN.search(attributes)
        if style and column and int(style[1]) in styles:
            found.add(column_index(column[1]))
    return found


def _hidden(workbook: bytes) -> frozenset[str]:
    """Names of the sheets workbook.xml marks ``hidden`` or ``veryHidden``."""
    hidden = set()
    for element in _SHEET.findall(workbook):
        if re.search(rb'\bstate="(?:hidden|veryHidden)"', element):
            name = _attribute(element, b"name")
            if name is not None:
                hidden.add(name)
    return frozenset(hidden)


def iso_date_cells(data: bytes, sheet: str) -> bool:
    """Whether the sheet holds ISO date cells (``t="d"``), scanning its XML in chunks;
    True when the sheet cannot be found (the caller then plays safe)."""
    try:
        with sheet_xml(data, sheet) as stream:
            if stream is None:
                return True
            tail = b""
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                if b't="d"' in window or b"t='d'" in window:
                    return True
                tail = chunk[-8:]
    except Exception:
        return True
    return False


@contextmanager
def sheet_xml(data: bytes, sheet: str) -> Iterator[IO[bytes] | None]:
    """The XML of the worksheet named ``sheet`` as a stream, or None when the workbook
    has no such sheet; a damaged zip raises, and each caller answers that its own way."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = sheet_part(archive, sheet)
        if part is None:
            yield None
            return
        with archive.open(part) as stream:
            yield stream


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip path of the worksheet named ``sheet`` (workbook.xml -> its relationship)."""
    wanted = None
    for element in _SHEET.findall(archive.read("xl/workbook.xml")):
        ident = re.search(rb'\b(?:\w+:)?id="([^"]*)"', element)
        if ident and _attribute(element, b"name") == sheet:
            wanted = ident[1]
    if wanted is None:
        return None
    for element in re.findall(
        rb"<(?:\w+:)?Relationship\b[^>]*>", archive.read("xl/_rels/workbook.xml.rels")
    ):
        if re.search(rb'\bId="' + re.escape(wanted) + rb'"', element):
            path = _attribute(element, b"Target")
            if path is not None:
                return path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    return None


def _attribute(element: bytes, name: bytes) -> str | None:
    """The unescaped value of the attribute ``name`` of an XML start tag, if it has one."""
    found = re.search(rb"\b" + name + rb'="([^"]*)"', element)
    return html.unescape(found[1].decode()) if found else None


def builtin_kind(ident: int) -> str:
    """calamine's built-in formats: 14-22, 45 and 47 are dates, 46 is ``[h]:mm:ss``."""
    if 14 <= ident <= 22 or ident in (45, 47):
        return DATE
    return DURATION if ident == 46 else OTHER


def format_kind(code: str, *, fill_is_literal: bool = True) -> str:
    """calamine's reading of a custom format code (its ``detect_custom_number_format``).

    Only the first section counts; quoted and escaped characters, and anything in
    brackets, are literal, except that ``[h]``, ``[mm]``, ``[s]`` mean a duration.
    Older calamine releases read the character after ``*`` as a token
    (``fill_is_literal=False``).
    """
    escaped = quoted = after_a = elapsed = False
    brackets = 0
    previous = " "
    escapes = "_\\*" if fill_is_literal else "_\\"
    for char in code:
        if escaped:
            escaped = False
        elif char in escapes:
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return OTHER
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and elapsed:
            return DURATION
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not after_a and char in "aA":
            after_a = True
        elif brackets == 0 and char in ("pmPM/" if after_a else "dmhysDMHYS"):
            return DATE
        elif not (elapsed and char.lower() == previous.lower()):
            elapsed = previous == "[" and char in "mhsMHS"
        previous = char
    return OTHER
