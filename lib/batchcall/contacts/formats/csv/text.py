"""CSV bytes -> text: the encoding, Excel's ``sep=`` line, the delimiter, and damage.

Encodings: a BOM, else UTF-8, else BOM-less UTF-16 (many NULs), else Windows-1252,
else Latin-1. A UTF-8 file with a few stray bytes (a cell pasted from elsewhere, a
damaged export) is refused naming the cell: read as Windows-1252 it would turn every
"é" of the file into "Ã©" without a word. A file counts as UTF-8 when at least one
in ten of its non-ASCII characters is a whole UTF-8 sequence; a Windows-1252 file
almost never holds one, as its accented letters are followed by plain ASCII.

NUL characters are dropped: no spreadsheet shows them and no contact needs them, so
an operator could neither see nor fix them (a file of mostly NULs and control bytes
is binary, refused before this by ``batchcall.contacts.kinds``).

``sep=;`` (or ``sep=,``, ``sep=<tab>``…) as the first line is Excel's way to name the
delimiter. Excel uses it and hides the line, so rows are numbered as Excel shows
them: the line after it is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from batchcall.contacts.cells import column_letter
from batchcall.contacts.errors import UnreadableFileError

DELIMITERS = (",", ";", "\t", "|")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII = bytes(range(128))
# One ASCII punctuation character, space or tab (the parsers take single-byte delimiters).
_SEP_LINE = re.compile(r'"?[Ss][Ee][Pp]=([\t !#-/:-@\[-`{-~])"?[ \t]*(?:\r\n|\r|\n|$)')
_SENTINEL = "\uffff"  # marks where a stray byte sits while the text is split into records

# The csv module refuses cells over 128 KB; a 10 MB file may hold one (a pasted document).
csv.field_size_limit(max(csv.field_size_limit(), 1 << 26))


def decode_text(data: bytes, name: str) -> str:
    """Decode CSV bytes (see the module docstring); the BOM and NULs are removed."""
    text = _decode(data, name)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text.lstrip("\ufeff")  # a BOM, or two when a program added its own


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding, name)
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        even_zeros = head[0::2].count(b"\x00")
        odd_zeros = head[1::2].count(b"\x00")
        return _decode_as(data, "utf-16-be" if even_zeros > odd_zeros else "utf-16-le", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise _stray_byte(data, exc.start, name) from exc
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode_as(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8-sig":  # the BOM says UTF-8: a stray byte is damage
            raise _stray_byte(data, exc.start + len(codecs.BOM_UTF8), name) from exc
        raise UnreadableFileError(
            f"{name} could not be read as {encoding.upper()} text (byte {exc.start}). "
            "Save it again as 'CSV UTF-8' from your spreadsheet program."
        ) from exc


def _mostly_utf8(data: bytes) -> bool:
    """Whether the non-ASCII text is UTF-8 with a few stray bytes, not Windows-1252."""
    if _UTF8_SEQUENCE.search(data) is None:
        return False
    rest, sequences = _UTF8_SEQUENCE.subn(b"", data)
    stray = len(rest.translate(None, _ASCII))
    return sequences * 10 >= stray


def _stray_byte(data: bytes, start: int, name: str) -> UnreadableFileError:
    """The refusal naming the cell (spreadsheet row and column) of the byte at ``start``."""
    before = data[:start].decode("utf-8", errors="replace").lstrip("\ufeff")
    after = data[start:].decode("utf-8", errors="replace")
    text = before + _SENTINEL + after
    stated, rest = split_sep_line(text)
    if _SENTINEL not in rest:  # the byte is in the sep= line itself
        stated, rest = None, text
    delimiter = stated or detect_delimiter(rest)
    prefix = rest[: rest.index(_SENTINEL) + 1]
    records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter))
    row, letter = len(records), column_letter(len(records[-1]) - 1)
    return UnreadableFileError(
        f"{name}: row {row}, column {letter} holds a character that is not UTF-8 text, while "
        "the rest of the file is UTF-8, so it cannot be read without garbling. Re-type that "
        "cell, or save the file again as 'CSV UTF-8', and upload again.",
        row=row,
        column=letter,
    )


def split_sep_line(text: str) -> tuple[str | None, str]:
    """(the delimiter a first ``sep=`` line names, the text after it); (None, text) without one."""
    match = _SEP_LINE.match(text)
    if match is None:
        return None, text
    return match[1], text[match.end() :]


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
