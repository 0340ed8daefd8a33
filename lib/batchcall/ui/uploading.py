"""Turning an upload into the session's working table: sheet and phone-column choices, drafts."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.uploaded_file_manager import UploadedFile

from batchcall.contacts import (
    LARGE_FILE_CEILING,
    MAX_FILE_BYTES,
    ContactFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    list_sheets,
    read_contacts,
)
from batchcall.samples import sample_bytes
from batchcall.ui.session import draft_store, flash, route, save_draft, workspace
from batchcall.ui.state import Session, Upload
from batchcall.ui.upload_words import (
    UPLOADER_LIMIT_MB,  # noqa: F401 (kept importable from here)
    is_new_upload,
    pending_message,
    readable_anyway,
    refusal_message,
    size_words,
)
from batchcall.work.drafts import Draft, UnreadableDraftError
from batchcall.work.table import WorkTable

SHEET_KEY = "upload-sheet"


@dataclass
class Pending:
    """An upload waiting for the operator: a missing phone column to choose."""

    upload: Upload
    suggestions: list[str]
    columns: list[str]
    message: str


def sample_upload(name: str) -> Upload:
    return Upload(name, sample_bytes(name))


def sheets_of(session: Session, upload: Upload) -> list[str]:
    """The workbook's sheets, opened once per file rather than on every rerun."""

    def names() -> list[str]:
        try:
            return list_sheets(upload.data, upload.filename)
        except ContactFileError:
            return []

    return list(session.caches.sheet_names.get((upload.digest, upload.filename), names))


def load(
    session: Session, upload: Upload, draft: Draft | None = None
) -> WorkTable | Pending | None:
    """Read the upload into the session; a Pending when a phone column must be chosen.

    The table gets ``draft``'s work (a restore), or a draft of its own once nothing
    earlier of this browser's is waiting to be offered for it.
    """
    space, chosen = workspace(session), route(session)
    if space is None or chosen is None or space.config is None:
        st.error("The workspace's numbers or telephony config are missing: rows can't be checked.")
        return None
    try:
        contacts = read_contacts(
            upload.data,
            upload.filename,
            sheet=upload.sheet,
            phone_column=upload.phone_column,
            max_bytes=upload.max_bytes or MAX_FILE_BYTES,
        )
    except MissingPhoneColumnError as exc:
        return Pending(upload, exc.suggestions, exc.columns, pending_message(upload, exc))
    except ContactFileError as exc:
        session.uploads.error = refusal_message(upload, str(exc))
        session.uploads.refused = (upload.filename, upload.digest)
        if isinstance(exc, FileTooLargeError) and readable_anyway(upload):
            session.uploads.oversized = upload
        return None
    upload.sheet = upload.sheet or contacts.attrs.get("sheet")
    session.upload, session.table = upload, None  # the old table goes before the new is built
    session.drop_caches()
    session.table = WorkTable(contacts, chosen, space.config)
    session.submit.server_rejected = []
    session.draft_id, session.draft_version, session.draft_stale = None, 0, False
    if draft is not None:
        resume(session, draft)
    elif offered_draft(session, upload) is None:  # a new draft only once nothing is on offer
        save_draft(session)
    else:
        draft_store().save_source(upload.digest, upload.data)
    return session.table


def read_anyway(session: Session) -> bool:
    """Read the file refused for its size with the larger limit (the operator's choice);
    Submit then sends it as numbered batches under 10 MB each. True when it loaded."""
    refused = session.uploads.oversized
    if refused is None:
        return False
    session.uploads.oversized = None
    upload = Upload(refused.filename, refused.data, digest=refused.digest,
                    sheet=refused.sheet, phone_column=refused.phone_column,
                    max_bytes=LARGE_FILE_CEILING)  # fmt: skip
    session.uploads.error = session.uploads.refused = None
    with st.spinner(f"Reading {upload.filename} ({len(upload.data) / 2**20:.1f} MB)…"):
        return accept(session, upload)


def still_showing(session: Session) -> str | None:
    """After a refusal: what the page still shows, said plainly; None when nothing is shown."""
    refused, upload = session.uploads.refused, session.upload
    if refused is None or upload is None or session.table is None:
        return None
    what = f"sheet '{upload.sheet}' of {upload.filename}" if upload.sheet else upload.filename
    lead = f"{refused[0]} was not loaded. " if refused[1] != upload.digest else ""
    return (
        f"{lead}Still showing {what}, the last one that loaded: "
        "the profile below and your work on it are unchanged."
    )


def offered_draft(session: Session, upload: Upload) -> Draft | None:
    """This browser's latest draft of this exact file with work in it, if any."""
    return draft_store().latest(upload.digest, session.browser)


def resume(session: Session, draft: Draft) -> None:
    """Carry on with ``draft``: its id, its version and its work (nothing to save: opening a
    draft is no change to it, so another tab's copy stays current)."""
    if session.table is not None:
        session.draft_id, session.draft_version = draft.id, draft.version
        session.draft_stale = False
        session.draft_saved_at = draft.saved_at
        session.table.apply_draft({"edits": draft.edits, "dropped": draft.dropped})


def start_fresh(session: Session, draft: Draft) -> None:
    """Set ``draft`` aside for good; this session's work goes to a draft of its own."""
    draft_store().archive(draft.id)
    if session.draft_id is None:
        save_draft(session)


def accept(session: Session, candidate: Upload) -> bool:
    """Load a new file once (not on every rerun); True when something new was loaded."""
    pending = session.uploads.pending
    if session.upload is not None and candidate.digest == session.upload.digest:
        # Picked again after a refusal: the file shown is the one chosen, nothing is stale.
        if session.uploads.refused is not None:
            session.uploads.refused = session.uploads.error = None
        return False
    if pending is not None and pending.upload.digest == candidate.digest:
        return False
    session.drop_caches()
    choose(session, candidate)
    loaded = session.upload is not None and session.upload.digest == candidate.digest
    ready = loaded and session.table is not None and session.uploads.pending is None
    session.uploads.offer_draft = offered_draft(session, candidate) if ready else None
    return True


def below_uploader(session: Session, uploaded: UploadedFile | None) -> DeltaGenerator:
    """Where everything under the uploader is drawn, in one block.

    A run that reads a new file starts it empty: Streamlit keeps the last run's elements
    on screen until the new ones replace them, so "Nothing uploaded yet" or the last
    file's error would otherwise stay up while the new file is read.
    """
    return st.empty() if is_new_upload(session, uploaded) else st.container()


def accept_uploaded(
    session: Session, uploaded: UploadedFile | None, slot: DeltaGenerator | None = None
) -> bool:
    """Take the uploader's file only when the operator dropped a new one; while it is read,
    ``slot`` (``below_uploader``) says so, naming the file and its size."""
    if uploaded is None or not is_new_upload(session, uploaded):
        return False
    session.uploads.uploader_file = uploaded.file_id
    where = slot.container() if slot is not None else st.container()
    reading = f"Reading {uploaded.name} ({size_words(uploaded.size)})…"
    with where:  # a status, not st.spinner: that one waits half a second to appear
        st.status(reading, state="running")
        return accept(session, Upload(uploaded.name, uploaded.getvalue()))


def uploader_key(session: Session) -> str:
    return f"upload-file-{session.uploads.uploader_generation}"


def clear_uploader(session: Session) -> None:
    """Empty the uploader (a new widget), so it never shows a file that is not the one loaded."""
    session.uploads.uploader_generation += 1


def pick_sheet(session: Session, current: Upload, sheets: list[str]) -> None:
    """The sheet selectbox; a refused sheet leaves it on the sheet still shown."""
    wanted = current.sheet if current.sheet in sheets else None
    if st.session_state.get(SHEET_KEY) != wanted:
        st.session_state[SHEET_KEY] = wanted

    def chosen() -> None:
        sheet = st.session_state[SHEET_KEY]
        if sheet and sheet != current.sheet:
            choose(
                session,
                Upload(current.filename, current.data, sheet=sheet, max_bytes=current.max_bytes),
            )

    st.selectbox(
        "Sheet",
        sheets,
        key=SHEET_KEY,
        on_change=chosen,
        placeholder="First sheet with a phone_number column",
    )


def choose(session: Session, upload: Upload) -> None:
    """(Re)load with the operator's sheet or phone-column choice."""
    session.uploads.error = session.uploads.refused = session.uploads.oversized = None
    result = load(session, upload)
    session.uploads.pending = result if isinstance(result, Pending) else None


def read_url(session: Session) -> None:
    """After a browser refresh: the batch named in the URL, and the draft to restore.

    The draft itself is restored by the first page that shows the working table
    (``restore_pending_draft``): reloading Progress, say, does not read and check
    a 10 MB file it never shows.
    """
    if "batch" in st.query_params and not session.batch_id:
        session.batch_id = st.query_params["batch"]
    draft_id = st.query_params.get("draft")
    if draft_id and session.upload is None:
        draft, problem = linked_draft(session, draft_id)
        if draft is None:  # said on whichever page was opened, Progress included
            forget_draft_link(session, problem)
        else:
            session.pending_draft = draft_id


def linked_draft(session: Session, draft_id: str) -> tuple[Draft | None, str]:
    """The draft a link names when this browser may open it; else None and why not."""
    try:
        draft = draft_store().load(draft_id)
    except UnreadableDraftError:
        return None, "could not be read: its file is damaged"
    if draft is None:
        return None, "is unknown here (removed, or made on another workbench)"
    if draft.archived:
        return None, "was set aside with “Start fresh”"
    if draft.owner != session.browser:
        return None, "belongs to another browser (drafts stay where they were made)"
    return draft, ""


def forget_draft_link(session: Session, problem: str) -> None:
    """Say why the link's draft is not opened, and what to do; drop it from the URL."""
    flash(
        session,
        "info",
        f"The draft in this link {problem}. Upload the file again on Upload & profile to "
        "start over.",
    )
    if "draft" in st.query_params:
        del st.query_params["draft"]


def restore_pending_draft(session: Session) -> None:
    """The draft the URL named, back in the session (once)."""
    draft_id, session.pending_draft = session.pending_draft, None
    if not draft_id or session.upload is not None:
        return
    draft, problem = linked_draft(session, draft_id)
    data = draft_store().load_source(draft.digest) if draft is not None else None
    if draft is None or data is None:
        forget_draft_link(session, problem or "can not be opened: its file is no longer kept")
        return
    session.route_number = draft.route_number
    large = LARGE_FILE_CEILING if len(data) > MAX_FILE_BYTES else None  # read so before
    upload = Upload(
        draft.filename, data, sheet=draft.sheet, phone_column=draft.phone_column, max_bytes=large
    )
    if isinstance(load(session, upload, draft), WorkTable):
        st.toast(f"Restored your draft of {draft.filename}.", icon=":material/restore:")
