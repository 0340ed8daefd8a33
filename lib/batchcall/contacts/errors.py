"""Why a contact file was refused, in an operator's words.

Every refusal is a ``ContactFileError`` (a ``ValueError``) whose message names the
file and, where it helps, the row and column, and says what to do next::

    ContactFileError (ValueError)
     ├── FileTooLargeError          over MAX_FILE_BYTES
     ├── UnsupportedFileTypeError   not .csv / .xlsx / .xls
     ├── EmptyFileError             no contact rows
     ├── UnreadableFileError        corrupt, encrypted, not what its extension says
     │                              (a web page, an XML spreadsheet, binary data),
     │                              duplicate or unnamed columns, a title row above
     │                              the header, over 1,000 columns, ragged CSV rows,
     │                              a CSV quote never closed, stray bytes in UTF-8
     ├── SheetNotFoundError         the chosen sheet does not exist
     └── MissingPhoneColumnError    no ``phone_number`` header; ``.suggestions``
"""

from __future__ import annotations

import unicodedata


class ContactFileError(ValueError):
    """A contact file the workbench cannot use as it is."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole (a workbook is read in another process): every attribute kept."""
        return (_rebuilt, (type(self), self.args, dict(vars(self))))


class FileTooLargeError(ContactFileError):
    """Over the platform's 10 MB limit."""


class UnsupportedFileTypeError(ContactFileError):
    """Not a CSV, XLSX or XLS file."""


class EmptyFileError(ContactFileError):
    """No contact rows."""


class UnreadableFileError(ContactFileError):
    """Corrupt, encrypted, not what its extension says, or a header we cannot map."""


class SheetNotFoundError(ContactFileError):
    """The requested sheet is not in the workbook."""


class MissingPhoneColumnError(ContactFileError):
    """No ``phone_number`` header; ``suggestions`` lists the likeliest headers, best first.

    ``columns`` holds every header of the file, so a UI can offer the full choice.
    """

    def __init__(
        self,
        message: str,
        *,
        suggestions: list[str] | None = None,
        columns: list[str] | None = None,
    ):
        super().__init__(message, row=1)
        self.suggestions = list(suggestions or [])
        self.columns = list(columns or [])


def shown(text: str, limit: int = 60) -> str:
    """Text quoted in a message: invisible characters escaped (so the operator sees why
    'phone_number' does not match ``'\\u200bphone_number'``), long text cut."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if _invisible(ch) else ch for ch in text
    )


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") or (category == "Zs" and ch != " ")


def _rebuilt(cls: type[ContactFileError], args: tuple[object, ...], state: dict[str, object]):
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
