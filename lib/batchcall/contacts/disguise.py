"""Files that are not what their name says, told apart before they are read.

:func:`batchcall.contacts.kinds.file_kind` knows three kinds: a zip is XLSX, an OLE
file is XLS, anything else is CSV text. Some uploads are none of these: a web page that a
banking or CRM system exports under an .xls name, Excel 2003's XML spreadsheet,
or binary data (a damaged file, another program's format). Read as CSV, they
would be refused for a missing phone column, or an .xls name would be told to
"rename it to .csv"; both are wrong advice, so they are refused here instead.
"""

from __future__ import annotations

import codecs
import re

from batchcall.contacts.errors import UnreadableFileError

_HEAD = 4096
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|table|head|body|meta)\b")
_SPREADSHEET_ML = ("urn:schemas-microsoft-com:office:spreadsheet", 'progid="excel.sheet"')
# C0 control bytes that no text file holds (tab, line breaks, form feed and the
# end-of-file mark that old DOS programs add are text).
_WIDE_BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26)) + b"\x7f"
_SAVE_AGAIN = "Open it in Excel or LibreOffice and save it as XLSX or CSV UTF-8, then upload that."


def check_disguise(data: bytes, name: str) -> None:
    """Refuse a web page, an XML spreadsheet or binary data read as if it were CSV text."""
    head = _text_head(data)
    if head is None:
        raise UnreadableFileError(
            f"{name} is not a spreadsheet: it holds binary data, neither an XLSX or XLS "
            "workbook nor CSV text. It may be damaged or another program's file. " + _SAVE_AGAIN
        )
    start = head.lstrip().lower()
    if start.startswith("<?xml") and any(mark in start for mark in _SPREADSHEET_ML):
        raise UnreadableFileError(
            f"{name} is an Excel 2003 XML spreadsheet{_named(name)}, a format the platform "
            f"cannot read. {_SAVE_AGAIN}"
        )
    if start.startswith("<") and _HTML_START.search(start[:1024]):
        raise UnreadableFileError(
            f"{name} is a web page (HTML){_named(name)} (some systems export that way). "
            + _SAVE_AGAIN
        )


def _text_head(data: bytes) -> str | None:
    """The start of the file as text, or None when it is binary."""
    head = data[:_HEAD]
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
    half = len(head) // 2
    if max(even, odd) > half * 0.4 and min(even, odd) <= half * 0.05:  # BOM-less UTF-16
        text = head.decode("utf-16-be" if even > odd else "utf-16-le", errors="ignore")
        return None if _binary(text.encode("utf-8")) else text
    if _binary(head) and not _table_text(head):
        return None
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def _binary(head: bytes) -> bool:
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > max(8, len(head) // 50)


def _table_text(head: bytes) -> bool:
    """UTF-8 text whose first line is free of control bytes: a header row above cells
    that hold control characters (a workbook's ``_x0008_``), not a binary file."""
    first, _, rest = head.partition(b"\n")
    if not rest or first.translate(None, _CONTROL) != first:
        return False
    try:  # a character cut at the end of the head is fine
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _named(name: str) -> str:
    """' saved under an .xls name' (or a .csv one), from the file's extension."""
    extension = name.lower()[name.rfind(".") :] if "." in name else ""
    if not extension:
        return ""
    article = "an" if extension.startswith(".x") else "a"
    return f" saved under {article} {extension} name"
