"""Submit: choose the agent and the batch settings, check once more, launch exactly once
(one batch, or numbered batches: time-zone waves, or the parts of a list over 10 MB)."""

from dataclasses import replace

import streamlit as st
from batchcall.insight.display import plural
from batchcall.insight.preflight import launch_blockers, launch_caption, preflight_summary
from batchcall.ui.estimate_view import show_estimate
from batchcall.ui.group_launch import created_group, plan_group, unfinished_note
from batchcall.ui.group_records import counted
from batchcall.ui.launch_button import PendingLaunch, launch_button, show_launch_error
from batchcall.ui.layout import next_step, page_frame, refresh_sidebar
from batchcall.ui.prechecks_view import show_prechecks
from batchcall.ui.preflight_view import (
    map_variables,
    missing_acknowledged,
    route_ready,
    show_coverage,
    show_preview,
)
from batchcall.ui.session import ensure_route, route, workspace
from batchcall.ui.submitting import (
    batch_settings,
    created_batch,
    pick_agent,
    prepare,
    show_rejection,
)
from batchcall.ui.waves_view import button_label, parts_notice, show_waves

session = page_frame(submits=True)
st.title("Submit")
table, upload = session.table, session.upload
if table is None or upload is None:
    st.info("No file yet. Upload a contact list first.")
    next_step("upload", "Start here")
    st.stop()
ensure_route(session)
space, chosen_route = workspace(session), route(session)
if space is None or chosen_route is None:
    st.warning("Choose the outbound number that places the calls first.")
    next_step("destinations", "Choose a route")
    st.stop()

summary = preflight_summary(table)
cols = st.columns(3)
cols[0].metric("To be called", f"{summary['to_call']:,}")
cols[1].metric("Dropped", f"{summary['dropped']:,}")
cols[2].metric("Still failing", f"{summary['failing']:,}")
kind = "SIP trunk" if chosen_route.is_sip else chosen_route.region or "PSTN"
st.markdown(f"Calls go out from **{chosen_route.phone_number}** ({kind}).")
route_ready(chosen_route)
if summary["failing"]:
    st.error(
        f"{counted(summary['failing'], 'row')} would be refused by route "
        f"{chosen_route.phone_number}. "
        "Submit stays disabled until every row passes: fix or drop them."
    )
    next_step("fix", f"Fix {counted(summary['failing'], 'failing row')}")
elif not summary["to_call"]:
    st.warning("No rows left to call: restore some rows or upload another file.")

st.subheader("Agent")
agent_id, prompt = pick_agent(space, chosen_route)

st.subheader("Batch")
settings = batch_settings(upload.filename)

st.subheader("Variables")
rename = map_variables(session, prompt, table.active)
named = table.active.rename(columns=rename) if rename else table.active
found = show_coverage(prompt, named)
acknowledged = missing_acknowledged(agent_id, found)
show_preview(prompt, named)

st.subheader("Before launch")
fates = show_prechecks(session, settings)
refresh_sidebar(session)  # drawn before the fates were known: show this run's counts

submission = prepare(session, agent_id, settings, fates, rename)
group = plan_group(session, settings, submission, fates, rename)
if group is not None:
    show_waves(group)
sent_rows = group.rows if group is not None else len(submission.row_map)
st.subheader("Estimate")
show_estimate(session, settings, sent_rows)

st.subheader("Launch")
made = created_group(session, group) if group is not None else None
if made is not None:
    st.success(
        f"{counted(len(made.batches), 'numbered batch')} created from exactly these rows "
        "and settings."
    )
    st.caption("Sending the same rows with the same settings again returns these same batches.")
    next_step("progress", "Follow them together")
    st.stop()
batch_id = created_batch(session, submission) if group is None else None
if batch_id is not None:
    st.success(f"Batch `{batch_id}` created from exactly these rows and settings.")
    st.caption("Sending the same rows with the same settings again returns this same batch.")
    next_step("progress", "Follow its calls")
    st.stop()

# Waves that carry none of the rows the checks keep: said as such, not as "every row is
# left out" (the rows are there, no calling window in the next days holds them).
no_wave = group is not None and group.kind == "waves" and not group.items
blockers = launch_blockers(
    summary,
    agent_id=agent_id,
    schedule_ok=settings.valid,
    file_bytes=group.largest if group is not None else len(submission.data),
    route=chosen_route,
    missing_variables=found.missing,
    acknowledged=acknowledged,
    sent_rows=None if no_wave and submission.row_map else sent_rows,
)
if fates is None:
    blockers.append("The calling window under Before launch cannot be used: correct it.")
if no_wave and submission.row_map and summary["to_call"] and not summary["failing"]:
    blockers.append(
        "No row to call can be timed in a wave (no known time zone, or no calling hours in "
        "the next 7 days): turn waves off, or change the calling window."
    )
if group is not None:
    parts_notice(group)
    unfinished_note(group)
single = f"Submit {plural(sent_rows, 'call')} {settings.when}"  # "Submit 1 call now"
label = button_label(group, settings) if group else single
ready = None if blockers else PendingLaunch(agent_id, settings, submission, group)
launch_button(session, label, ready)
show_launch_error(session, group.key if group is not None else submission.key)
if blockers:
    st.caption(launch_caption(blockers))
show_rejection(session, replace(submission, key=group.key) if group else submission)
st.caption(
    "After submitting you go to Progress, where the calls are followed live. "
    "Submitting twice never creates any batch twice."
)
