"""Contact files -> a table of text cells, as the platform reads them.

``read_contacts`` and ``list_sheets`` are the way in; the readers per format live
in :mod:`batchcall.contacts.formats`, refusals in :mod:`batchcall.contacts.errors`.
"""

from batchcall.contacts.errors import (
    ContactFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    SheetNotFoundError,
    UnreadableFileError,
    UnsupportedFileTypeError,
)
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.contacts.read import (
    LARGE_FILE_CEILING,
    MAX_FILE_BYTES,
    list_sheets,
    load_source,
    read_contacts,
)

__all__ = [
    "LARGE_FILE_CEILING",
    "MAX_FILE_BYTES",
    "PHONE_COLUMN",
    "ContactFileError",
    "EmptyFileError",
    "FileTooLargeError",
    "MissingPhoneColumnError",
    "SheetNotFoundError",
    "UnreadableFileError",
    "UnsupportedFileTypeError",
    "list_sheets",
    "load_source",
    "read_contacts",
]
