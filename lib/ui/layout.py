"""What every page shares: the connection banner, the sidebar, restoring work, next steps."""

from __future__ import annotations

import streamlit as st

from lib.contacts import ContactFileError, read_contacts
from lib.errors import ApiError
from lib.models import PhoneNumber
from lib.ui.connect import connection_form
from lib.ui.session import (
    Session,
    Upload,
    current_connection,
    draft_store,
    get_session,
    open_client,
    save_draft,
    sync_url,
)
from lib.ui.workspace import Workspace, fetch_workspace
from lib.worktable import WorkTable

PAGES = {
    "upload": ("pages/upload.py", "Upload & profile", ":material/upload_file:"),
    "destinations": ("pages/destinations.py", "Destinations & routes", ":material/public:"),
    "fix": ("pages/fix_rows.py", "Fix rows", ":material/build:"),
    "submit": ("pages/submit.py", "Submit", ":material/send:"),
    "progress": ("pages/progress.py", "Progress", ":material/monitoring:"),
}


def page_frame() -> Session:
    """Call first on every page: restores work after a refresh and draws the chrome."""
    session = get_session()
    connection = current_connection(session)
    if connection.sandbox:
        st.info(
            "**Sandbox — simulated calls.** No real calls are placed.", icon=":material/science:"
        )
    if not session.restored:
        session.restored = True
        _restore_from_url(session)
    for kind, message in session.flash:
        getattr(st, kind)(message)
    session.flash.clear()
    _sidebar(session)
    sync_url(session)
    return session


def workspace(session: Session) -> Workspace | None:
    """The workspace's agents, numbers and config; None (with an error shown) if unreachable."""
    cached = session.extras.get("workspace")
    if cached is None:
        try:
            with open_client(session) as client:
                cached = fetch_workspace(client)
        except ApiError as exc:
            st.error(f"Could not reach {current_connection(session).label}: {exc}")
            return None
        session.extras["workspace"] = cached
    return cached


def route(session: Session) -> PhoneNumber | None:
    """The chosen outbound number (the route), defaulting to the first active PSTN number."""
    space = workspace(session)
    if space is None:
        return None
    chosen = space.number(session.route_number) or space.default_route()
    session.route_number = chosen.phone_number if chosen else None
    return chosen


def open_table(session: Session, upload: Upload) -> WorkTable | None:
    """Read the upload into a working table for the current route; errors shown on the page."""
    space = workspace(session)
    chosen = route(session)
    if space is None or chosen is None or space.config is None:
        st.warning("Choose an outbound number and telephony config before checking the file.")
        return None
    try:
        contacts = read_contacts(
            upload.data, upload.filename, sheet=upload.sheet, phone_column=upload.phone_column
        )
    except ContactFileError as exc:
        st.error(str(exc))
        return None
    session.upload = upload
    session.table = WorkTable(contacts, chosen, space.config)
    return session.table


def ensure_route(session: Session) -> None:
    """Re-judge the table when the operator picked another route."""
    table, chosen, space = session.table, route(session), session.extras.get("workspace")
    if table is None or chosen is None or space is None or space.config is None:
        return
    if table.route.phone_number != chosen.phone_number or table.config != space.config:
        table.set_route(chosen, space.config)
        save_draft(session)


def next_step(page: str, text: str) -> None:
    path, label, icon = PAGES[page]
    st.page_link(path, label=f"{text} → {label}", icon=icon)


def _restore_from_url(session: Session) -> None:
    if "batch" in st.query_params and not session.batch_id:
        session.batch_id = st.query_params["batch"]
    prefix = st.query_params.get("draft")
    if not prefix or session.upload is not None:
        return
    store = draft_store()
    draft = store.find(prefix)
    data = store.load_source(draft.digest) if draft else None
    if draft is None or data is None:
        return
    session.route_number = draft.route_number
    upload = Upload(draft.filename, data, sheet=draft.sheet, phone_column=draft.phone_column)
    table = open_table(session, upload)
    if table is not None:
        table.apply_draft({"edits": draft.edits, "dropped": draft.dropped})
        session.draft_saved_at = draft.saved_at
        st.toast(f"Restored your draft of {draft.filename}.", icon=":material/restore:")


def _sidebar(session: Session) -> None:
    with st.sidebar:
        connection = current_connection(session)
        st.caption("Connection")
        st.markdown(f"**{connection.label}**")
        connection_form(session)
        if session.upload is not None and session.table is not None:
            summary = session.table.summary()
            st.caption("File")
            st.markdown(f"**{session.upload.filename}**")
            st.markdown(
                f"{summary['rows']:,} rows · {summary['failing']:,} failing · "
                f"{summary['dropped']:,} dropped"
            )
            if session.draft_saved_at:
                st.caption(f"Draft saved {session.draft_saved_at[:19].replace('T', ' ')} UTC")
        if session.route_number:
            st.caption("Route")
            st.markdown(f"**{session.route_number}**")
        if session.batch_id:
            st.caption("Batch")
            st.markdown(f"`{session.batch_id}`")


PLOTLY_CONFIG = {"topojsonURL": "/app/static/topojson/", "displaylogo": False}
"""Map outlines come from our own static folder, so the world map draws offline."""


def chart(figure: object) -> None:
    st.plotly_chart(figure, config=PLOTLY_CONFIG)
