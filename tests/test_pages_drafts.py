"""Drafts through the pages: offered only to the browser that made them, never
overwritten by a second tab, set aside for good by "Start fresh", and a damaged or
unknown link said plainly."""

from __future__ import annotations

import pytest
from batchcall.settings import drafts_dir
from batchcall.ui import layout
from batchcall.ui.layout import PAGES
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROOT, TIMEOUT, assert_no_exception, metric, session_of
from tests.test_pages_fix_rows import MESSY, edit_cell

FIX, UPLOAD = PAGES["fix"][0], PAGES["upload"][0]

pytestmark = pytest.mark.usefixtures("app_environment")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which browser the next run comes from (AppTest itself has no cookie); each test uses
    names of its own, as the drafts folder is shared by the whole session."""
    current = ["browser-a"]
    monkeypatch.setattr(layout, "browser_token", lambda: current[0])
    return current


def new_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params.update(query)
    return app


def upload_messy(app: AppTest) -> AppTest:
    app.run(timeout=TIMEOUT)
    app.file_uploader[0].set_value((MESSY.name, MESSY.read_bytes(), "application/octet-stream"))
    return app.run(timeout=TIMEOUT)


def labels(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def edited_in(browser: list[str], name: str) -> AppTest:
    browser[0] = name
    app = upload_messy(new_app()).switch_page(FIX).run(timeout=TIMEOUT)
    return edit_cell(app, 12, "9812345678")


def test_another_browser_uploading_the_same_file_is_not_offered_the_draft(
    browser: list[str],
) -> None:
    first = edited_in(browser, "browser-owner")
    browser[0] = "browser-other"
    other = upload_messy(new_app())
    assert_no_exception(other)
    assert "Resume draft" not in labels(other)
    assert session_of(other).draft_id != session_of(first).draft_id
    assert session_of(other).table.edits == {}
    # The link of the first operator's draft does not open it here either.
    opened = new_app(draft=session_of(first).draft_id).switch_page(FIX).run(timeout=TIMEOUT)
    assert_no_exception(opened)
    assert session_of(opened).table is None
    assert "belongs to another browser" in " ".join(i.value for i in opened.info)
    browser[0] = "browser-owner"
    same = upload_messy(new_app())
    assert "Resume draft" in labels(same)


def test_a_second_tab_is_told_to_reload_instead_of_overwriting(browser: list[str]) -> None:
    first = edited_in(browser, "browser-tabs")
    draft_id = session_of(first).draft_id
    second = new_app(draft=draft_id).switch_page(FIX).run(timeout=TIMEOUT)
    assert session_of(second).table.edits == {12: {"phone_number": "9812345678"}}
    edit_cell(first, 25, "9823456710")  # the first tab saves again...
    edit_cell(second, 34, "9834567100")  # ...so the second's copy is stale
    assert_no_exception(second)
    assert "from another tab" in " ".join(t.value for t in second.toast)
    second.run(timeout=TIMEOUT)  # and on every page from then on
    assert "from another tab" in " ".join(w.value for w in second.warning)
    saved = (drafts_dir() / f"{draft_id}.json").read_text()
    assert "9823456710" in saved and "9834567100" not in saved
    reloaded = new_app(draft=draft_id).switch_page(FIX).run(timeout=TIMEOUT)
    assert set(session_of(reloaded).table.edits) == {12, 25}
    assert not reloaded.warning


def test_start_fresh_sets_the_draft_aside_for_good(browser: list[str]) -> None:
    edited_in(browser, "browser-fresh")
    again = upload_messy(new_app())
    [fresh] = [b for b in again.button if b.label == "Start fresh"]
    fresh.click().run(timeout=TIMEOUT)
    assert_no_exception(again)
    new_id = session_of(again).draft_id
    refreshed = new_app(draft=new_id).switch_page(UPLOAD).run(timeout=TIMEOUT)
    assert_no_exception(refreshed)
    assert session_of(refreshed).table.edits == {}
    assert "Resume draft" not in labels(refreshed)
    assert "Resume draft" not in labels(upload_messy(new_app()))


def test_a_damaged_or_unknown_draft_link_is_said_plainly(browser: list[str]) -> None:
    first = edited_in(browser, "browser-damage")
    draft_id = session_of(first).draft_id
    (drafts_dir() / f"{draft_id}.json").write_text('{"id": null}')
    damaged = new_app(draft=draft_id).switch_page(FIX).run(timeout=TIMEOUT)
    assert_no_exception(damaged)
    assert "could not be read" in " ".join(i.value for i in damaged.info)
    unknown = new_app(draft="0" * 32).switch_page(FIX).run(timeout=TIMEOUT)
    assert_no_exception(unknown)
    assert "is unknown here" in " ".join(i.value for i in unknown.info)
    assert metric(upload_messy(new_app()), "Rows")  # the file itself still loads
