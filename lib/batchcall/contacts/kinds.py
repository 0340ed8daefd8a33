"""The file kinds the workbench reads, in one table, and telling which one a file is.

A kind is named by its extension and checked against the file's first bytes: a
zip is XLSX, an OLE file is XLS, anything else is CSV text. Text that is no CSV
(a web page, an XML spreadsheet, binary data) is refused by
:mod:`batchcall.contacts.disguise` before any reader sees it. Supporting another
format means a row here and a reader in :mod:`batchcall.contacts.formats`.
"""

from __future__ import annotations

from dataclasses import dataclass

from batchcall.contacts.disguise import check_disguise
from batchcall.contacts.errors import UnreadableFileError, UnsupportedFileTypeError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    """One format: its name, the extensions it goes by, and how to say what a file holds."""

    name: str
    extensions: tuple[str, ...]
    described: str
    magic: bytes = b""  # how the file starts; empty: text


FILE_KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind("csv", (".csv", ".txt"), "plain text (CSV)"),
        FileKind("xlsx", (".xlsx", ".xlsm"), "an XLSX workbook", ZIP_MAGIC),
        FileKind("xls", (".xls",), "an XLS workbook", OLE_MAGIC),
    )
}
EXTENSIONS = {ext: kind.name for kind in FILE_KINDS.values() for ext in kind.extensions}
"""Extension -> kind name: ``.txt`` is read as CSV."""

__all__ = ["EXTENSIONS", "FILE_KINDS", "FileKind", "extension_of", "file_kind"]


def file_kind(data: bytes, name: str) -> str:
    """'csv', 'xlsx' or 'xls', from the extension, checked against the content.

    A bare ``upload`` (bytes without a name) goes by its content alone.
    """
    extension = extension_of(name)
    sniffed = _sniff(data)
    if not extension and name == "upload":
        kind = sniffed
    else:
        kind = _named_kind(data, name, extension, sniffed)
    if kind == "csv":
        check_disguise(data, name)  # a web page, an XML spreadsheet, binary data
    return kind


def _named_kind(data: bytes, name: str, extension: str, sniffed: str) -> str:
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise UnsupportedFileTypeError(
            f"{name}: '{extension or 'no extension'}' files are not supported. "
            "Save the list as CSV (UTF-8), XLSX or XLS and upload that."
        )
    if kind in ("xlsx", "xls") and sniffed == "xls" and _is_encrypted_ooxml(data):
        raise UnreadableFileError(
            f"{name} is password-protected. Remove the password in Excel "
            "(File > Info > Protect Workbook) and upload it again."
        )
    if kind != sniffed:
        if sniffed == "csv":
            check_disguise(data, name)  # "rename it to .csv" is wrong advice for a web page
        raise UnreadableFileError(
            f"{name} is named {extension} but holds {FILE_KINDS[sniffed].described}. Rename it "
            f"to .{sniffed} or save it again from your spreadsheet program as CSV, XLSX or XLS."
        )
    return kind


def extension_of(name: str) -> str:
    """The extension, lowercased (".xlsx" for "Leads.XLSX"); "" when the name has no dot."""
    lowered = name.lower()
    return lowered[lowered.rfind(".") :] if "." in lowered else ""


def _sniff(data: bytes) -> str:
    for kind in FILE_KINDS.values():
        if kind.magic and data.startswith(kind.magic):
            return kind.name
    return "csv"


def _is_encrypted_ooxml(data: bytes) -> bool:
    """An encrypted XLSX is an OLE file holding these two streams."""
    return all(s.encode("utf-16-le") in data for s in ("EncryptionInfo", "EncryptedPackage"))
