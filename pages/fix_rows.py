"""Fix rows: edit, fix or drop the rows the platform would reject, and rewrite the numbers
that are probably another country's."""

import streamlit as st
from batchcall.rules import Reason
from batchcall.ui.downloads import show_downloads
from batchcall.ui.error_file_view import show_error_file_tools
from batchcall.ui.fix_actions import show_bulk_actions, show_filter, show_undo_bar
from batchcall.ui.grid import commit_pending, show_failing, show_refused
from batchcall.ui.layout import next_step, page_frame, refresh_sidebar
from batchcall.ui.lookalikes_view import show_lookalikes
from batchcall.ui.recipe_view import show_recipe_tools
from batchcall.ui.session import adopt_saved_history, ensure_route

session = page_frame()
st.title("Fix rows")
table = session.table
if table is None:
    st.info("No file yet. Upload a contact list first.")
    next_step("upload", "Start here")
    st.stop()
drawn_version = table.version
adopt_saved_history(session)  # a resumed draft's undo steps
ensure_route(session)
commit_pending(session)
if table.version != drawn_version:  # the sidebar was drawn before: show this run's counts
    refresh_sidebar(session)
st.caption(
    "Cleaning a list you cleaned before? Apply its recipe under **Replay a cleaning**, and "
    "bring back corrected numbers under **Correct in a spreadsheet**, both below the grid."
)

summary = table.summary()
cols = st.columns(4)
cols[0].metric("To call", f"{summary['to_call']:,}")
cols[1].metric("Failing", f"{summary['failing']:,}")
cols[2].metric("Dropped", f"{summary['dropped']:,}")
cols[3].metric("Edited", f"{summary['edited']:,}", help="Rows with at least one edited cell")

show_undo_bar(session)
show_refused(session)

counts = table.report.counts_by_reason()
if not counts:
    st.success(f"Every row passes for route {table.route.phone_number}. Nothing to fix.")
    next_step("submit", "Ready")
else:
    reason = show_filter(session, counts, summary["failing"])
    if reason:
        st.caption(Reason(reason).hint)
    show_bulk_actions(session, reason, counts)
    show_failing(session, reason)
    st.caption(
        "Edit a number and press Enter: it is checked at once, fixed rows leave the grid, "
        "and the message beside Undo says whether each edited row passes now."
    )

show_lookalikes(session)
show_recipe_tools(session)
show_error_file_tools(session)
st.subheader("Downloads")
show_downloads(session)
if summary["failing"] == 0:
    next_step("submit", "All rows pass")
