"""Memory comes back when a browser session is gone: the workbench's session lets go of
its file and working table, even while a stale reference to it lives on."""

from __future__ import annotations

import gc
import weakref

import pytest
from batchcall.ui import housekeeping
from batchcall.ui.state import Session, Upload

from tests.apptest_support import loaded_session


def test_a_gone_session_releases_its_table_and_a_live_one_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gone, live = loaded_session(), loaded_session()
    assert gone.table is not None and live.table is not None
    table = weakref.ref(gone.table)
    monkeypatch.setattr(housekeeping, "_owned", {})
    housekeeping.watch_session("gone-id", gone)
    housekeeping.watch_session("live-id", live)
    monkeypatch.setattr(housekeeping, "_live_session_ids", lambda: {"live-id"})
    assert housekeeping.sweep() == 1
    stale = gone  # a reference Streamlit might keep: it no longer reaches the table
    assert stale.table is None and stale.upload is None
    gc.collect()
    assert table() is None
    assert live.table is not None and live.upload is not None
    assert housekeeping.sweep() == 0  # each session is released once


def test_nothing_is_released_when_the_live_sessions_are_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = Session(upload=Upload("x.csv", b"phone_number\n"))
    monkeypatch.setattr(housekeeping, "_owned", {})
    housekeeping.watch_session("some-id", session)
    monkeypatch.setattr(housekeeping, "_live_session_ids", lambda: None)  # not under a server
    assert housekeeping.sweep() == 0
    assert session.upload is not None
