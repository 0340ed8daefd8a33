"""Upload & profile: read the contact list and show what is in it."""

import streamlit as st
from batchcall.insight.profile import template_csv
from batchcall.samples import SAMPLES
from batchcall.ui.layout import next_step, page_frame, refresh_frame
from batchcall.ui.profile_view import show_profile
from batchcall.ui.session import ensure_route
from batchcall.ui.state import Upload
from batchcall.ui.upload_words import (
    LIMIT_WORDS,
    UPLOAD_TYPES,
    UPLOADER_HELP,
    UPLOADER_LIMIT_MB,
    draft_summary,
    hide_uploader_limit,
)
from batchcall.ui.uploading import (
    accept,
    accept_uploaded,
    below_uploader,
    choose,
    clear_uploader,
    pick_sheet,
    read_anyway,
    resume,
    sample_upload,
    sheets_of,
    start_fresh,
    still_showing,
    uploader_key,
)
from batchcall.work.exports import CSV_MIME

session = page_frame()
st.title("Upload & profile")
st.write(
    "Upload a CSV (or .txt), XLSX or XLS file (up to 10 MB, the platform's limit) with a "
    "`phone_number` column. Every other column becomes a `{{variable}}` for the agent's "
    "prompt. A larger list (up to 100 MB) can be read on request and sent as numbered "
    "batches under 10 MB each."
)

left, right = st.columns([3, 2])
uploaded = left.file_uploader(
    "Contact file",
    type=UPLOAD_TYPES,
    max_upload_size=UPLOADER_LIMIT_MB,
    key=uploader_key(session),
    help=UPLOADER_HELP,
)
left.caption(f"CSV, TXT, XLSX or XLS. {LIMIT_WORDS}")  # seen before the drop
hide_uploader_limit()
sample = right.selectbox("Or try a sample file", list(SAMPLES), format_func=SAMPLES.get)
body = below_uploader(session, uploaded)  # emptied while a new file is read
loaded = False
if right.button("Try this sample", icon=":material/science:"):
    if accept(session, sample_upload(sample)):
        clear_uploader(session)  # the sample is the file now, not the uploader's
        st.rerun()
elif accept_uploaded(session, uploaded, body):
    if session.uploads.error:
        clear_uploader(session)  # the refused file is not the one shown below
        st.rerun()
    loaded = True
right.download_button(
    "Download a template CSV",
    template_csv(),
    "contacts_template.csv",
    CSV_MIME,
    on_click="ignore",
)

with body.container():  # one block: nothing of the last run shows while a file is read
    if loaded:
        refresh_frame(session)  # the rest of this run draws the new file: no second run
    if error := session.uploads.error:
        st.error(error, icon=":material/error:")
        if (large := session.uploads.oversized) is not None:
            st.caption(
                f"{large.filename} can still be checked, fixed and sent here: Submit then sends it "
                "as numbered batches of at most 10 MB each, no row split. Reading it takes longer "
                "and more memory than a 10 MB list."
            )
            if st.button(
                "Read it anyway (up to 100 MB) and send it as numbered batches",
                icon=":material/splitscreen:",
                key="upload-read-large",
            ) and read_anyway(session):
                clear_uploader(session)
                st.rerun()
        if notice := still_showing(session):
            st.info(notice, icon=":material/info:")
    pending = session.uploads.pending
    current = pending.upload if pending else session.upload
    sheet_names = sheets_of(session, current) if current else []
    if current is not None and len(sheet_names) > 1:
        pick_sheet(session, current, sheet_names)

    if pending is not None:
        st.warning(pending.message)
        options = pending.columns or pending.suggestions
        best = pending.suggestions[0] if pending.suggestions else None
        column = st.selectbox(
            "Which column holds the phone numbers?",
            options,
            index=options.index(best) if best in options else 0,
        )
        if st.button("Use this column", type="primary"):
            upload = pending.upload
            choice = Upload(
                upload.filename,
                upload.data,
                sheet=upload.sheet,
                phone_column=column,
                max_bytes=upload.max_bytes,
            )
            choose(session, choice)
            st.rerun()
        st.stop()

    draft = session.uploads.offer_draft
    if draft is not None:
        st.info(draft_summary(draft))
        resume_col, fresh_col = st.columns(2)
        if resume_col.button("Resume draft", type="primary", icon=":material/restore:"):
            resume(session, draft)
            session.uploads.offer_draft = None
            st.rerun()
        if fresh_col.button("Start fresh", icon=":material/restart_alt:"):
            start_fresh(session, draft)
            session.uploads.offer_draft = None
            st.rerun()

    if session.table is None:
        if not session.uploads.error:  # after a refusal, the refusal says what to do
            st.info("Nothing uploaded yet: drop a file above or try a sample.")
        st.stop()

    ensure_route(session)
    show_profile(session)
    next_step("destinations", "Check where the calls go")
    if session.table.failing_count:
        next_step("fix", f"Fix {session.table.failing_count:,} failing rows")
    else:
        next_step("submit", "Every row passes")
