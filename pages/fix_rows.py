"""Fix rows: edit, fix or drop the rows the platform would reject, and rewrite the numbers
that are probably another country's."""

import streamlit as st
from batchcall.rules import Reason
from batchcall.ui.downloads import show_downloads
from batchcall.ui.error_file_view import show_error_file_tools
from batchcall.ui.grid import (
    PAGE_SIZE,
    commit_pending,
    grid_frame,
    grid_key,
    show_grid,
    show_refused,
)
from batchcall.ui.layout import next_step, page_frame, refresh_sidebar
from batchcall.ui.lookalikes_view import show_lookalikes
from batchcall.ui.recipe_view import show_recipe_tools
from batchcall.ui.session import apply_change, ensure_route

session = page_frame()
st.title("Fix rows")
table = session.table
if table is None:
    st.info("No file yet. Upload a contact list first.")
    next_step("upload", "Start here")
    st.stop()
drawn_version = table.version
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
cols[3].metric("Edited", f"{summary['edited']:,}")

show_refused(session)

if table.history:
    last = table.history[-1].label
    if st.button(f"Undo: {last}", icon=":material/undo:"):
        apply_change(session, lambda table: table.undo())

counts = table.report.counts_by_reason()
if not counts:
    st.success(f"Every row passes for route {table.route.phone_number}. Nothing to fix.")
    next_step("submit", "Ready")
else:
    options = ["all", *[str(reason) for reason in counts]]
    labels = {"all": f"All failing ({summary['failing']:,})"}
    labels.update({str(r): f"{r.title} ({n:,})" for r, n in counts.items()})
    choice = st.segmented_control(
        "Show", options, format_func=labels.get, default="all", key="fix-filter"
    )
    reason = None if choice in (None, "all") else choice
    if reason:
        st.caption(Reason(reason).hint)
        fixable = table.fixable_count(reason)
        left, right = st.columns(2)
        if left.button(
            f"Apply {fixable:,} suggested fixes",
            disabled=not fixable,
            icon=":material/auto_fix_high:",
        ):
            apply_change(session, lambda table: table.apply_fixes(reason))
        if right.button(
            f"Drop all {counts[Reason(reason)]:,} rows: {Reason(reason).title}",
            icon=":material/delete_sweep:",
        ):
            apply_change(session, lambda table: table.drop_reason(reason))
    else:
        fixable = table.fixable_count()
        if st.button(
            f"Apply all {fixable:,} suggested fixes",
            disabled=not fixable,
            icon=":material/auto_fix_high:",
        ):
            apply_change(session, lambda table: table.apply_fixes())

    pages = max(1, -(-len(table.failing_rows(reason)) // PAGE_SIZE))
    page = st.number_input("Page", 1, pages, 1, key="fix-page") - 1 if pages > 1 else 0
    show_grid(session, grid_frame(session, reason, page), grid_key(session, reason, page))
    st.caption(
        "Edit a number and press Enter: it is checked at once, and fixed rows leave the grid."
    )

show_lookalikes(session)
show_recipe_tools(session)
show_error_file_tools(session)
st.subheader("Downloads")
show_downloads(session)
if summary["failing"] == 0:
    next_step("submit", "All rows pass")
