"""CSV bytes -> a grid of text cells, numbered by record as a spreadsheet shows them.

The encoding (BOM, UTF-8, UTF-16, Windows-1252/Latin-1) and the delimiter (comma,
semicolon, tab, pipe) are detected. Records are counted as records, not physical
lines: a quoted cell may span lines, and blank lines keep their numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from lib.contact_errors import UnreadableFileError

try:  # the fast XLSX path; without it every workbook is python-calamine's
    import fastexcel
except ImportError:  # pragma: no cover
    fastexcel = None

DELIMITERS = (",", ";", "\t", "|")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str) -> str:
    """Decode CSV bytes: BOM, then UTF-8, then BOM-less UTF-16, then Windows-1252/Latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, name)
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        even_zeros = head[0::2].count(b"\x00")
        odd_zeros = head[1::2].count(b"\x00")
        return _decode(data, "utf-16-be" if even_zeros > odd_zeros else "utf-16-le", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"{name} could not be read as {encoding.upper()} text (byte {exc.start}). "
            "Save it again as 'CSV UTF-8' from your spreadsheet program."
        ) from exc


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most, most consistent fields."""
    sample = text[:65536]
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and len(sample) == 65536:
        lines = lines[:-1]  # the last line may be cut mid-record
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            counts = [len(r) for r in reader if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_grid(data: bytes, name: str) -> pd.DataFrame:
    """CSV bytes -> grid; row numbers count records, blank ones included."""
    text = decode_text(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    blank_lines = _LEADING_BLANK_LINES.match(text)  # above the header: keep their numbers
    skipped = len(_LINE_BREAK.findall(blank_lines.group()))
    text = text[blank_lines.end() :]
    delimiter = detect_delimiter(text)
    grid = _read_plain_csv(text, delimiter)
    if grid is None:
        grid = _read_quoted_csv(text, delimiter, name, skipped)
        if grid is None:
            return pd.DataFrame()
    grid.index = pd.RangeIndex(1 + skipped, len(grid) + 1 + skipped)
    return _drop_leading_blank_records(grid)


def _read_plain_csv(text: str, delimiter: str) -> pd.DataFrame | None:
    """Arrow's multithreaded reader, for files without quotes (most exports): ~6x faster.

    Without a quote every line is one record and a cell is what lies between
    delimiters, so arrow and pandas' C parser agree, blank lines included. A row
    wider or narrower than the first, a NUL or an empty file: None (pandas reads it).
    """
    if not text or '"' in text or "\x00" in text:
        return None
    first = _LINE_BREAK.search(text)
    width = text.count(delimiter, 0, first.start() if first else len(text)) + 1
    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return None
    return pd.DataFrame({i: table.column(i).to_pandas() for i in range(width)})


def _read_quoted_csv(text: str, delimiter: str, name: str, skipped: int) -> pd.DataFrame | None:
    """pandas' C parser: quoted cells (even across lines), short rows padded; None: no data."""
    if text.count('"') % 2:
        _check_quotes(text, delimiter, name, skipped)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.EmptyDataError:
        return None
    except pd.errors.ParserError:
        return _read_ragged_csv(text, delimiter, name, 1 + skipped)


_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _check_quotes(text: str, delimiter: str, name: str, skipped: int) -> None:
    """Refuse a quote that is never closed: it would swallow every row after it."""
    records = 0
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            records += 1
    except csv.Error as exc:
        if "end of data" in str(exc):  # other quirks read as the fast parser reads them
            row = records + 1 + skipped
            raise UnreadableFileError(
                f"{name}: row {row} opens a double quote that is never closed, so every later "
                "row would land in one cell. Remove or close the quote and upload again.",
                row=row,
            ) from exc


def _read_ragged_csv(text: str, delimiter: str, name: str, first_row: int) -> pd.DataFrame:
    """Slow path for rows with more cells than the header: allowed only if the extras are empty."""
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(records[0]) if records else 0
    for number, record in enumerate(records, start=first_row):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            raise UnreadableFileError(
                f"{name}: row {number} has {len(record)} cells but the header has {width}. "
                f"A value probably contains the delimiter '{delimiter}': put that value in "
                "double quotes, or add a header for the extra column.",
                row=number,
            )
    return pd.DataFrame([(r + [""] * width)[:width] for r in records], dtype=str)


def _drop_leading_blank_records(grid: pd.DataFrame) -> pd.DataFrame:
    """Blank lines above the header are not the header."""
    if grid.empty:
        return grid
    nonblank = (grid != "").any(axis=1)
    if not nonblank.any():
        return grid.iloc[0:0]
    return grid.loc[nonblank.idxmax() :]
