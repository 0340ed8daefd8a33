"""Progress: follow a batch's calls live, cancel it, download its calls; follow a group of
numbered batches together; browse past batches."""

import streamlit as st
from batchcall.insight.display import when_text
from batchcall.ui.groups_view import back_to_group, follow_group, group_panel
from batchcall.ui.layout import next_step, page_frame
from batchcall.ui.progress_view import (
    HISTORY_SIZE,
    current_batch,
    history,
    history_table,
    live_panel,
    pick_batch,
)
from batchcall.ui.results_view import call_again_section

session = page_frame(shows_table=False)
st.title("Progress")
batches = history(session)
group = follow_group(session)
in_group = group is not None and session.progress.group_open is None
if group is not None and not in_group:
    back_to_group(session, group)
# Read before the picker is drawn: a batch the platform does not know is cleared first,
# so the picker never shows a batch the page then says nothing about.
batch = current_batch(session) if not in_group else None
if not in_group:
    pick_batch(session, batches)

if group is not None and in_group:
    group_panel(session, group)
elif batch is None:
    if session.batch_id:  # chosen, but not readable just now (the error above says why)
        st.info("Reload the page to try again, or choose another batch above.")
    elif batches:
        st.info("Choose a batch above to follow its calls.")
    else:
        st.info("No batches yet. Upload a contact list, check it and submit it.")
else:
    st.subheader(batch.name or batch.id)
    created = when_text(batch.created_at) if batch.created_at else "—"
    details = [
        f"`{batch.id}`",
        f"status **{batch.status or 'unknown'}**",
        f"created {created}",
        f"from {batch.from_phone_number or '—'}",
    ]
    if batch.max_concurrent_calls:
        details.append(f"{batch.max_concurrent_calls:,} at a time")
    if batch.scheduled_at and not batch.started_at:
        details.append(f"scheduled for {when_text(batch.scheduled_at)}")
    st.markdown(" · ".join(details))
    live_panel(session, batch)
    if batch.is_finished:
        st.success(f"This batch is {batch.status}: nothing more will be dialled.")
        call_again_section(session, batch, session.progress.followed.get(batch.id))

with st.expander(f"Batch history (latest {HISTORY_SIZE})", expanded=batch is None and not in_group):
    if batches:
        st.dataframe(history_table(batches), hide_index=True, placeholder="")
    else:
        st.caption("No batches on this workspace yet.")

next_step("upload", "Start a new batch")
session.submit.switching_to = None  # drawn in full: a later Submit run stays on Submit
