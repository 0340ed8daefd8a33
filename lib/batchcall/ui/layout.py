"""What every page shares: the connection banner, the sidebar, restoring work, next steps."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from batchcall.ui.connect import connection_form
from batchcall.ui.housekeeping import release_replaced, start_housekeeping
from batchcall.ui.session import (
    STALE_DRAFT,
    Session,
    browser_token,
    current_connection,
    get_session,
    sync_url,
)
from batchcall.ui.sidebar_fates import show_fate_counts
from batchcall.ui.uploading import read_url, restore_pending_draft
from batchcall.ui.warmup import warm_browser

PAGES = {
    "upload": ("pages/upload.py", "Upload & profile", ":material/upload_file:"),
    "destinations": ("pages/destinations.py", "Destinations & routes", ":material/public:"),
    "fix": ("pages/fix_rows.py", "Fix rows", ":material/build:"),
    "submit": ("pages/submit.py", "Submit", ":material/send:"),
    "progress": ("pages/progress.py", "Progress", ":material/monitoring:"),
}


def page_frame(*, shows_table: bool = True, submits: bool = False) -> Session:
    """Call first on every page: restores work after a refresh and draws the chrome.

    ``shows_table=False`` (Progress) leaves a draft named in the URL for the first page
    that shows the working table to restore. Pages but Submit (``submits``) let go of
    what only Submit shows.

    Submit's button launches in its callback, before the run: that run goes straight on
    to Progress, drawing nothing (the messages flashed wait for Progress). So does a
    second click that lands while the switch is under way: it finds the batch created
    and sends nothing. Progress clears the mark once drawn, so a later visit stays.
    """
    start_housekeeping()
    session = get_session()
    if submits and session.submit.going_to_progress():
        st.switch_page(PAGES["progress"][0])
    if not submits:
        session.drop_submit_caches()
    session.browser = browser_token()
    connection = current_connection(session)
    if connection.sandbox:
        st.info(
            "**Sandbox — simulated calls.** No real calls are placed.", icon=":material/science:"
        )
    if not session.restored:
        session.restored = True
        context = get_script_run_ctx()
        if context is not None:  # a reload: the tab it replaced holds a table no one sees
            release_replaced(context.session_id, session.browser)
        read_url(session)
    if shows_table and session.pending_draft:
        restore_pending_draft(session)
    for kind, message in session.flash:
        getattr(st, kind)(message)
    session.flash.clear()
    if session.draft_stale:
        st.warning(STALE_DRAFT, icon=":material/sync_problem:")
    _sidebar(session)
    session.browser_warm = warm_browser(session.browser_warm)
    sync_url(session)
    return session


def next_step(page: str, text: str) -> None:
    path, label, icon = PAGES[page]
    st.page_link(path, label=f"{text} → {label}", icon=icon)


def refresh_frame(session: Session) -> None:
    """After this run changed the file (an upload): redraw the sidebar's summary, put the
    new draft in the URL and show what was flashed, instead of running the page twice."""
    for kind, message in session.flash:
        getattr(st, kind)(message)
    session.flash.clear()
    refresh_sidebar(session)
    sync_url(session)


def refresh_sidebar(session: Session) -> None:
    """Draw the sidebar's summary again, in place, after this run changed what it shows.

    The sidebar is drawn before the page; a page that changes the table or computes
    every row's fate later in the same run (Submit's checks) calls this after, so the
    sidebar agrees with the page in that very run. Cheap: it only reads caches.
    """
    if session.sidebar_slot is not None:
        with session.sidebar_slot.container():
            _work_summary(session)


def _sidebar(session: Session) -> None:
    with st.sidebar:
        connection = current_connection(session)
        st.caption("Connection")
        st.markdown(f"**{connection.label}**")
        connection_form(session)
        session.sidebar_slot = st.empty()
        with session.sidebar_slot.container():
            _work_summary(session)


def _work_summary(session: Session) -> None:
    """The file (and where each of its rows ends), route and batch this session works on."""
    if session.upload is not None and session.table is not None:
        st.caption("File")
        sheet = session.upload.sheet
        st.markdown(f"**{session.upload.filename}**" + (f" · sheet '{sheet}'" if sheet else ""))
        if (waiting := _waiting_for_column(session)) is not None:
            st.caption(waiting)
        show_fate_counts(session)
        if session.draft_saved_at:
            st.caption(f"Draft saved {session.draft_saved_at[:19].replace('T', ' ')} UTC")
    if session.route_number:
        st.caption("Route")
        st.markdown(f"**{session.route_number}**")
    if session.batch_id:
        st.caption("Batch")
        st.markdown(f"`{session.batch_id}`")


def _waiting_for_column(session: Session) -> str | None:
    """While another sheet or file waits for its phone column, the counts below are still
    the loaded one's: say so, rather than let them pass for the choice just made."""
    pending, upload = session.uploads.pending, session.upload
    if pending is None or upload is None:
        return None
    waiting = pending.upload
    if waiting.filename == upload.filename and waiting.sheet and waiting.sheet != upload.sheet:
        what = f"Sheet '{waiting.sheet}'"
    else:
        what = waiting.filename
    shown = f"sheet '{upload.sheet}'" if upload.sheet else upload.filename
    return (
        f"{what} waits for its phone column (Upload & profile): the counts below are still "
        f"those of {shown}."
    )


PLOTLY_CONFIG = {"topojsonURL": "/app/static/topojson/", "displaylogo": False}
"""Map outlines come from our own static folder, so the world map draws offline."""


def chart(figure: object) -> None:
    st.plotly_chart(figure, config=PLOTLY_CONFIG)
