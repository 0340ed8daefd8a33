"""Connecting to another workspace from the sidebar.

The key typed here lives only in this browser session's memory: the form clears
itself on submit, and nothing is written to disk, logged or shown again.
"""

from __future__ import annotations

import streamlit as st

from batchcall.api.client import BatchCallClient
from batchcall.api.errors import ApiError
from batchcall.api.settings import Connection, normalise_base_url
from batchcall.ui.session import use_connection
from batchcall.ui.state import Session


def connection_form(session: Session) -> None:
    with st.expander("Connect to a workspace", icon=":material/key:"):
        with st.form("connect", clear_on_submit=True, border=False):
            url = st.text_input("API base URL", placeholder="https://platform.example.com")
            key = st.text_input("API key", type="password", help="Kept in memory only.")
            submitted = st.form_submit_button("Connect")
        if submitted:
            _connect(session, url, key)
        typed = session.typed_connection
        if typed and st.button(
            "Use the default connection", help="The sandbox, or the configured one"
        ):
            use_connection(session, None)
            st.rerun()


def _connect(session: Session, url: str, key: str) -> None:
    if not url.strip() or not key.strip():
        st.error("Enter both the base URL and the API key.")
        return
    candidate = Connection(normalise_base_url(url), key.strip())
    try:
        with BatchCallClient(candidate.base_url, candidate.api_key, max_retries=0) as client:
            client.list_batches(limit=1)
    except ApiError as exc:
        st.error(f"Could not connect to {candidate.label}: {exc}")
        return
    use_connection(session, candidate)
    st.rerun()
