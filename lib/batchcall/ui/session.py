"""The session's state as pages use it: the connection, the workspace, the route, drafts.

Pages read and change ``Session`` (typed in :mod:`batchcall.ui.state`) only
through this module and the other ``ui`` helpers. The URL keeps the
draft's digest and the batch id (``?draft=…&batch=…``) so a browser refresh
finds the work again; the draft itself is on disk (``batchcall.work.drafts``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string
from streamlit.web.server.starlette.starlette_server_config import XSRF_COOKIE_NAME

from batchcall.api.client import BatchCallClient
from batchcall.api.errors import ApiError
from batchcall.api.models import PhoneNumber
from batchcall.api.settings import Connection, ConnectionSettingsError, workspace_from_settings
from batchcall.digests import digest
from batchcall.settings import drafts_dir, row_maps_dir
from batchcall.ui.hosting import sandbox_endpoint
from batchcall.ui.housekeeping import watch_session
from batchcall.ui.state import Session
from batchcall.ui.workspace import Workspace, fetch_workspace
from batchcall.work.drafts import (
    Draft,
    DraftStore,
    FileDraftStore,
    StaleDraftError,
    UnreadableDraftError,
    new_draft_id,
)
from batchcall.work.row_map import RowMap
from batchcall.work.submission import RowMapStore
from batchcall.work.table import WorkTable

STATE_KEY = "workbench"
STALE_DRAFT = (
    "This draft was saved from another tab since this one opened it, so changes here are "
    "no longer saved. Reload this page to carry on from the latest draft."
)


def get_session() -> Session:
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = Session()
    session: Session = st.session_state[STATE_KEY]
    context = get_script_run_ctx()
    if context is not None:
        watch_session(context.session_id, session)  # freed once the browser session is gone
    return session


def secrets_mapping() -> dict[str, Any]:
    """Streamlit secrets as a plain dict, empty when there is no secrets file."""
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml is the normal case
        return {}


def current_connection(session: Session) -> Connection:
    """The workspace configured in env/secrets or typed in, else this process's sandbox."""
    if session.connection is None:
        try:
            workspace = workspace_from_settings(os.environ, secrets_mapping())
        except ConnectionSettingsError as exc:
            st.error(str(exc), icon=":material/key_off:")
            st.stop()
        if workspace is None:
            url, key = sandbox_endpoint(st.get_option("server.port"))
            workspace = Connection(base_url=url, api_key=key, sandbox=True)
        session.connection = workspace
    return session.connection


@st.cache_resource(show_spinner=False)
def _shared_http() -> httpx.Client:
    """One connection pool for the server's sessions: a new ``httpx.Client`` per request
    built a TLS context each time (~20 ms) and reconnected to the platform."""
    return httpx.Client()


def open_client(session: Session) -> BatchCallClient:
    """A client for the session's workspace over the shared pool (closing it keeps the pool)."""
    connection = current_connection(session)
    return BatchCallClient(connection.base_url, connection.api_key, http_client=_shared_http())


def draft_store() -> DraftStore:
    return FileDraftStore(drafts_dir())


def row_map(session: Session, batch_id: str) -> Mapping[int, int] | None:
    """Submitted row -> original row for a batch this workbench launched, if it is known."""
    if batch_id not in session.submit.row_maps:
        root = str(row_maps_dir())
        loaded = _stored_row_map(root, batch_id)
        if loaded is None:
            _stored_row_map.clear(root, batch_id)  # not written yet: ask the disk again later
            return None
        session.submit.row_maps[batch_id] = loaded
    return session.submit.row_maps[batch_id]


@st.cache_resource(max_entries=4, ttl=300, show_spinner=False)
def _stored_row_map(root: str, batch_id: str) -> Mapping[int, int] | None:
    """Read once for the whole server: every reload or tab of a 120,000-call batch would
    otherwise parse its row map again (0.2 s). Shared, so never changed in place."""
    loaded = RowMapStore(root).load(batch_id)
    return RowMap.of(loaded) if loaded is not None else None


def save_draft(session: Session) -> None:
    """Write the operator's work to its draft; called after every change.

    The first save makes the draft (a new id, in the URL). When another tab saved
    the same draft meanwhile, nothing is written: this tab says to reload instead.
    """
    if session.upload is None or session.table is None or session.draft_stale:
        return
    if session.draft_id is None:
        session.draft_id, session.draft_version = new_draft_id(), 0
    adopt_saved_history(session)  # never overwrite the stored undo steps with none
    table_draft = session.table.to_draft()
    draft = Draft(
        id=session.draft_id,
        owner=session.browser,
        version=session.draft_version,
        digest=session.upload.digest,
        filename=session.upload.filename,
        sheet=session.upload.sheet,
        phone_column=session.upload.phone_column,
        route_number=session.route_number,
        edits=table_draft["edits"],
        dropped=table_draft["dropped"],
        history=table_draft["history"],
    )
    store = draft_store()
    store.save_source(session.upload.digest, session.upload.data)
    try:
        saved = store.save(draft)
    except StaleDraftError:
        session.draft_stale = True  # every page says so from now on (``layout.page_frame``)
        st.toast(STALE_DRAFT, icon=":material/sync_problem:")
        return
    session.draft_version, session.draft_saved_at = saved.version, saved.saved_at


def adopt_saved_history(session: Session) -> None:
    """Give a table restored with only its edits and drops its draft's undo steps too,
    so Undo after a refresh or "Resume draft" takes back the last actions as before."""
    table = session.table
    if table is None or not table.history_pending or session.draft_id is None:
        return
    table.history_pending = False
    with contextlib.suppress(UnreadableDraftError):
        stored = draft_store().load(session.draft_id)
        if stored is not None and stored.version == session.draft_version:
            table.adopt_history(stored.history)


def browser_token() -> str:
    """An opaque name for this browser: who made a draft, so only it is offered "Resume".

    Taken from the XSRF cookie Streamlit gives each browser (its token, not the
    masked value that changes per page load), hashed; empty where there is none.
    """
    raw = st.context.cookies.get(XSRF_COOKIE_NAME)
    if not isinstance(raw, str) or not raw:  # AppTest has no browser, so no cookie
        return ""
    with contextlib.suppress(Exception):  # Streamlit's own format; else the value itself
        token, _ = decode_xsrf_token_string(raw)
        if token:
            raw = token.hex()
    return digest(raw.encode())[:32]


def sync_url(session: Session) -> None:
    """Keep the draft and batch in the URL so a refresh can restore them."""
    wanted = {}
    if (draft := session.draft_id or session.pending_draft) is not None:
        wanted["draft"] = draft
    if session.batch_id:
        wanted["batch"] = session.batch_id
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def flash(session: Session, kind: str, message: str) -> None:
    """A message shown once, on the next page drawn (survives a page switch)."""
    session.flash.append((kind, message))


def use_connection(session: Session, connection: Connection | None) -> None:
    """Switch workspace (None: back to the configured default); cached workspace data goes."""
    session.connection = connection
    session.typed_connection = connection is not None
    session.workspace = None
    session.batch_id = None


def workspace(session: Session) -> Workspace | None:
    """The workspace's agents, numbers and config; None (with an error shown) if unreachable."""
    if session.workspace is None:
        try:
            with open_client(session) as client:
                session.workspace = fetch_workspace(client)
        except ApiError as exc:
            st.error(f"Could not reach {current_connection(session).label}: {exc}")
            return None
    return session.workspace


def route(session: Session) -> PhoneNumber | None:
    """The chosen outbound number (the route), defaulting to the first active PSTN number."""
    space = workspace(session)
    if space is None:
        return None
    chosen = space.number(session.route_number) or space.default_route()
    session.route_number = chosen.phone_number if chosen else None
    return chosen


def ensure_route(session: Session) -> None:
    """Re-judge the table when the operator picked another route."""
    table, chosen, space = session.table, route(session), session.workspace
    if table is None or chosen is None or space is None or space.config is None:
        return
    if table.route.phone_number != chosen.phone_number or table.config != space.config:
        table.set_route(chosen, space.config)
        save_draft(session)


ROUTE_KEY = "route-pick"


def pick_route(session: Session, numbers: list[str], label: str, **options: Any) -> None:
    """The route selectbox: a stable key, applied in its callback.

    The choice reaches the session before the next run draws anything, so the
    sidebar, the verdicts and the draft all follow the pick of that same run.
    """
    if not numbers:
        return
    route(session)  # the default route when none is chosen yet
    wanted = session.route_number if session.route_number in numbers else numbers[0]
    if st.session_state.get(ROUTE_KEY) != wanted:
        st.session_state[ROUTE_KEY] = wanted  # a route set elsewhere (restored draft, default)

    def chosen() -> None:
        session.route_number = st.session_state[ROUTE_KEY]
        ensure_route(session)
        save_draft(session)

    st.selectbox(label, numbers, key=ROUTE_KEY, on_change=chosen, **options)


def apply_change(session: Session, change: Callable[[WorkTable], object]) -> None:
    """One operator change to the working table: apply it, save the draft, draw again."""
    if session.table is None:
        return
    change(session.table)
    save_draft(session)
    st.rerun()
