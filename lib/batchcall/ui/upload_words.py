"""What the Upload page says about a file before and instead of loading it: the limits,
refusals, a sheet with no phone column, a saved draft.

Kept apart from reading (``ui.uploading``) so that every refusal is worded in one
place: the file (and sheet), its size or columns, the limit hit and what to do.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from batchcall.contacts import LARGE_FILE_CEILING, MAX_FILE_BYTES, MissingPhoneColumnError
from batchcall.contacts.kinds import EXTENSIONS
from batchcall.ui.state import Session, Upload
from batchcall.work.drafts import Draft

UPLOAD_TYPES = [extension.lstrip(".") for extension in EXTENSIONS]  # what the readers read
# A little above the 100 MiB a large list may be read up to (``LARGE_FILE_CEILING``): the
# browser counts an MB as 10^6 bytes, so at "100" it would refuse lists the workbench can
# send as numbered batches. Every file reaches the reader, which refuses one over the
# platform's 10 MB with its own message (naming the file, its size and the limit); the
# operator may then read it anyway, up to 100 MB (``read_anyway``).
UPLOADER_LIMIT_MB = LARGE_FILE_CEILING // 2**20 + 5
LIMIT_WORDS = (
    f"Files up to {MAX_FILE_BYTES // 2**20} MB (lists up to {LARGE_FILE_CEILING // 2**20} MB "
    "can be read and sent in parts)."
)
"""The limits as the operator reads them before dropping a file: the uploader's own line
("105MB per file") is hidden, as a list over 10 MB is refused (with a way to read it)."""
UPLOADER_HELP = (
    f"{LIMIT_WORDS} A file over {MAX_FILE_BYTES // 2**20} MB gets a message here, with the "
    f"choice to read it anyway; one over {UPLOADER_LIMIT_MB} MB is refused by the browser "
    "before it is sent: split it into smaller files first."
)


def is_new_upload(session: Session, uploaded: UploadedFile | None) -> bool:
    """The uploader holds a file not taken yet: this run reads it."""
    return uploaded is not None and session.uploads.uploader_file != uploaded.file_id


def hide_uploader_limit() -> None:
    """Hide the uploader's own "105MB per file" line: the page states the limits itself
    (``LIMIT_WORDS``), and 105 MB is only the most the browser sends."""
    st.html(
        "<style>[class*='st-key-upload-file-'] "
        "[data-testid='stFileUploaderDropzoneInstructions'] {display: none;}</style>"
    )


def readable_anyway(upload: Upload) -> bool:
    """Refused only for the platform's 10 MB, and small enough to read and send in parts."""
    return upload.max_bytes is None and MAX_FILE_BYTES < len(upload.data) <= LARGE_FILE_CEILING


def refusal_message(upload: Upload, message: str) -> str:
    """The reader's message, naming the sheet when the operator chose one."""
    if not upload.sheet:
        return message
    own = message.removeprefix(f"{upload.filename}: ")
    return f"Sheet '{upload.sheet}' of {upload.filename}: {own}"


def pending_message(upload: Upload, exc: MissingPhoneColumnError) -> str:
    """Why a phone column must be chosen: for a sheet the operator picked, that *sheet* has
    none, named with its columns (the reader's words name only the file)."""
    if not upload.sheet or upload.phone_column:
        return str(exc)
    columns = ", ".join(f"'{column}'" for column in exc.columns) or "none"
    best = f" '{exc.suggestions[0]}' looks likeliest." if exc.suggestions else ""
    return (
        f"Sheet '{upload.sheet}' of {upload.filename} has no 'phone_number' column (headers "
        f"are case-sensitive). Its columns: {columns}.{best} Choose the column that holds "
        "the phone numbers below, or pick another sheet."
    )


def draft_summary(draft: Draft) -> str:
    saved = draft.saved_at.replace("T", " ")
    return (
        f"You have a saved draft of this file: {len(draft.edits)} edited rows, "
        f"{len(draft.dropped)} dropped, saved {saved} UTC."
    )


def size_words(size: int) -> str:
    """A file's size as the page says it (MB from 1 MB on, as the limits are said)."""
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"
