"""Do-not-call lists: read from any file the workbench reads, matched by E.164.

Why by E.164 and not by text: the DNC list and the contact list come from
different people and tools, so ``+91 98765 43210``, ``098765-43210`` and
``9876543210`` must all match one another. Both sides are parsed by the
validation parser relative to the route's country, and only numbers that parse
valid can match.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from batchcall.contacts import (
    ContactFileError,
    MissingPhoneColumnError,
    UnreadableFileError,
    load_source,
    read_contacts,
)
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.phones.parse import parse_distinct

__all__ = ["DncSource", "dnc_entries", "load_dnc"]

DncSource = str | os.PathLike[str] | Iterable[str]
"""A path (CSV / XLSX / XLS with a phone column, or plain text one number per line) or
an iterable of phone strings. A ``str`` is always a path."""

_TABLE_SUFFIXES = (".csv", ".xlsx", ".xls", ".xlsm")


def load_dnc(source: DncSource, region: str | None) -> frozenset[str]:
    """The E.164 numbers of a do-not-call list; entries that do not parse valid are skipped.

    ``region`` is the route's country, the default for numbers written without
    a country code. An unreadable file raises a ``ContactFileError`` naming it.
    """
    if isinstance(source, str | os.PathLike):
        values = _read_numbers(Path(source))
    else:
        values = [value for value in source if isinstance(value, str)]
    parsed = parse_distinct(dict.fromkeys(values), region)
    return frozenset(verdict.e164 for verdict in parsed.values() if verdict.e164 is not None)


def dnc_entries(data: bytes, filename: str) -> list[str]:
    """The raw entries of an uploaded list (phone cells, or text lines), unparsed.

    Uploads arrive as bytes: this reads them the way ``load_dnc`` reads a path, so a
    list can be kept as written and matched later against whichever route is chosen.
    """
    return _read_numbers(data, filename)


def _read_numbers(source: Path | bytes, filename: str | None = None) -> list[str]:
    """The phone cells of a contact file, or the lines of a text file."""
    name = filename or (source.name if isinstance(source, Path) else "upload")
    if Path(name).suffix.lower() in _TABLE_SUFFIXES:
        return _table_numbers(source, name)
    data, name = load_source(source, name)
    if b"\0" in data:
        raise UnreadableFileError(
            f"{name}: not a text file. Use a CSV or Excel file with a phone column, "
            "or plain text with one number per line."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{name}: cannot read the text (byte {exc.start}). Save it as UTF-8."
            ) from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _table_numbers(source: Path | bytes, name: str) -> list[str]:
    """A DNC workbook's header is often "Phone" or "Mobile": take the reader's best guess."""
    try:
        table = read_contacts(source, name)
    except MissingPhoneColumnError as exc:
        if not exc.suggestions:
            raise
        try:
            table = read_contacts(source, name, phone_column=exc.suggestions[0])
        except ContactFileError:
            raise exc from None
    return [value for value in table[PHONE_COLUMN].tolist() if isinstance(value, str)]
