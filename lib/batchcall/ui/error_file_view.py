"""Fix rows' "Correct in a spreadsheet": the error file out, the corrected file back in.

Why here: the corrections become ordinary edits of the working table (undoable, checked
at once, saved in the draft), and Fix rows is where edits are made and seen. The
uploaded file is read with the contact reader's limits and taken once.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from batchcall.contacts import ContactFileError
from batchcall.ui.downloads import files_wanted
from batchcall.ui.fix_outcome import remember
from batchcall.ui.session import save_draft
from batchcall.ui.state import Session
from batchcall.ui.wording import count
from batchcall.work.error_file import (
    CORRECTED_HEADER,
    error_file_bytes,
    merge_corrections,
    read_corrections,
)
from batchcall.work.exports import XLSX_MIME

CORRECTION_TYPES = ["xlsx", "xls", "csv"]


def show_error_file_tools(session: Session) -> None:
    """The error file to correct (when rows fail) and the uploader for it."""
    table, upload = session.table, session.upload
    assert table is not None and upload is not None
    st.subheader("Correct in a spreadsheet")
    failing = table.failing_count
    if failing and not files_wanted(session):
        st.caption("Press **Prepare the downloads** below to build the error file as well.")
    elif failing:
        st.caption(
            f"Download the {count(failing, 'failing row')} with why each fails and an empty "
            f"'{CORRECTED_HEADER}' column. Fill it in Excel (keep the row numbers), save, and "
            "drop the file below: each corrected number goes to its row, checked at once."
        )
        key = (upload.digest, id(table), table.version)
        data = session.caches.error_file.get(key, lambda: error_file_bytes(table))
        st.download_button(
            f"Error file to correct: {count(failing, 'row')} (XLSX)",
            data,
            f"{Path(upload.filename).stem}_errors.xlsx",
            XLSX_MIME,
            key="fix-download-error-file",
            on_click="ignore",
        )
    uploaded = st.file_uploader(
        "Drop the corrected error file",
        type=CORRECTION_TYPES,
        max_upload_size=10,
        key=f"fix-corrections-{session.replay.generation}",
    )
    if uploaded is not None:
        merge_error_file(session, uploaded.name, uploaded.getvalue())
    if session.replay.corrections_error:
        st.error(session.replay.corrections_error, icon=":material/error:")


def merge_error_file(session: Session, name: str, data: bytes) -> None:
    """Merge the corrected numbers of an error file into the draft, or say why not."""
    table = session.table
    assert table is not None
    session.replay.generation += 1  # the uploader is emptied: this file is taken once
    session.replay.recipe_error = session.replay.corrections_error = None
    try:
        corrections = read_corrections(data, name)
    except ContactFileError as exc:
        session.replay.corrections_error = f"{exc} Nothing was changed."
        st.rerun()
    merged = merge_corrections(table, corrections)
    save_draft(session)
    kind = "success" if merged.applied and not merged.still_failing else "warning"
    lines = merged.lines()
    rest = "\n".join(f"- {line}" for line in lines[1:])
    remember(session, kind, lines[0] + (f"\n{rest}" if rest else ""))
    st.rerun()
