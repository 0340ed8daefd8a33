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


def test_a_reload_frees_the_tab_it_replaced_but_not_another_open_tab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replaced, other_tab, other_browser = loaded_session(), loaded_session(), loaded_session()
    replaced.browser = other_tab.browser = "browser-a"
    other_browser.browser = "browser-b"
    replaced.restored = True
    monkeypatch.setattr(housekeeping, "_owned", {})
    for key, session in [("old", replaced), ("tab", other_tab), ("b", other_browser)]:
        housekeeping.watch_session(key, session)
    housekeeping.watch_session("new", Session(browser="browser-a"))
    # "old" lost its connection (the reload); the other tab and the other browser are open.
    monkeypatch.setattr(housekeeping, "_connected_session_ids", lambda: {"new", "tab"})
    assert housekeeping.release_replaced("new", "browser-a") == 1
    assert replaced.table is None and replaced.upload is None
    assert not replaced.restored  # should it reconnect after all, it restores its draft
    assert other_tab.table is not None and other_browser.table is not None


def test_a_browser_without_a_name_frees_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    session = loaded_session()
    monkeypatch.setattr(housekeeping, "_owned", {})
    housekeeping.watch_session("old", session)
    monkeypatch.setattr(housekeeping, "_connected_session_ids", lambda: {"new"})
    assert housekeeping.release_replaced("new", "") == 0  # AppTest: no cookie, no browser
    assert session.table is not None
