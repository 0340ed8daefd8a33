"""Fix rows through AppTest: restored drafts and undo (after a refresh too), and what the
downloads hold."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest
from batchcall.samples import sample_path
from batchcall.settings import drafts_dir
from batchcall.ui.layout import PAGES
from batchcall.ui.session import save_draft
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    ROOT,
    TIMEOUT,
    assert_no_exception,
    loaded_session,
    metric,
    open_page,
    session_of,
)
from tests.apptest_support import (
    edit_grid_cell as edit_cell,
)

FIX = PAGES["fix"][0]
MESSY = sample_path("messy_contacts.xlsx")

pytestmark = pytest.mark.usefixtures("app_environment")


def messy_fix_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run(timeout=TIMEOUT)
    app.file_uploader[0].set_value((MESSY.name, MESSY.read_bytes(), "application/octet-stream"))
    app.run(timeout=TIMEOUT)
    return app.switch_page(FIX).run(timeout=TIMEOUT)


def undo_buttons(app: AppTest) -> list[Any]:
    return [b for b in app.button if b.label.startswith("Undo")]


def nothing_to_undo(app: AppTest) -> Any:
    return next(b for b in app.button if b.label == "Nothing to undo")


def refreshed_app(draft_id: str) -> AppTest:
    """The Fix rows page as a browser reload opens it: a new session, the draft in the URL."""
    refreshed = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    refreshed.query_params["draft"] = draft_id
    refreshed.switch_page(FIX).run(timeout=TIMEOUT)
    assert_no_exception(refreshed)
    return refreshed


def test_after_a_refresh_undo_takes_back_the_last_actions_in_order() -> None:
    app = messy_fix_page()
    edit_cell(app, 12, "9812345678")
    edit_cell(app, 25, "9823456710")
    refreshed = refreshed_app(session_of(app).draft_id)
    table = session_of(refreshed).table
    assert set(table.edits) == {12, 25}
    [undo] = undo_buttons(refreshed)
    assert undo.label == "Undo: Edit row 25"
    undo.click().run(timeout=TIMEOUT)
    assert_no_exception(refreshed)
    assert table.edits == {12: {"phone_number": "9812345678"}}
    assert metric(refreshed, "Edited") == "1"
    [undo] = undo_buttons(refreshed)
    assert undo.label == "Undo: Edit row 12"
    undo.click().run(timeout=TIMEOUT)
    assert table.edits == {} and not undo_buttons(refreshed)
    assert nothing_to_undo(refreshed).disabled  # the place of Undo stays taken

    # And the undone state is what the draft holds: another reload has no edits.
    again = refreshed_app(session_of(app).draft_id)
    assert session_of(again).table.edits == {}


def test_an_old_draft_without_undo_history_restores_its_work_as_the_start() -> None:
    app = messy_fix_page()
    edit_cell(app, 12, "9812345678")
    draft_id = session_of(app).draft_id
    path = drafts_dir() / f"{draft_id}.json"
    stored = json.loads(path.read_text())
    del stored["history"]  # as drafts were written before they kept it
    path.write_text(json.dumps(stored))
    refreshed = refreshed_app(draft_id)
    table = session_of(refreshed).table
    assert table.edits == {12: {"phone_number": "9812345678"}}
    assert not undo_buttons(refreshed)  # restoring is not a step to undo
    edit_cell(refreshed, 25, "9823456710")
    [undo] = undo_buttons(refreshed)
    undo.click().run(timeout=TIMEOUT)
    assert table.edits == {12: {"phone_number": "9812345678"}}  # the restored edit stays


def test_resuming_a_draft_on_the_upload_page_brings_its_undo_back() -> None:
    app = messy_fix_page()
    edit_cell(app, 12, "9812345678")
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run(timeout=TIMEOUT)
    again.file_uploader[0].set_value((MESSY.name, MESSY.read_bytes(), "application/octet-stream"))
    again.run(timeout=TIMEOUT)
    next(b for b in again.button if b.label == "Resume draft").click().run(timeout=TIMEOUT)
    again.switch_page(FIX).run(timeout=TIMEOUT)
    assert_no_exception(again)
    table = session_of(again).table
    assert table.edits == {12: {"phone_number": "9812345678"}}
    [undo] = undo_buttons(again)
    assert undo.label == "Undo: Edit row 12"
    undo.click().run(timeout=TIMEOUT)
    assert table.edits == {}


def downloads(app: AppTest) -> dict[str, Any]:
    return {d.proto.label: d for d in app.get("download_button")}


def test_downloads_are_real_bytes_built_once_per_table_version() -> None:
    session = loaded_session()
    app = open_page(FIX, session)
    assert_no_exception(app)
    first = {label: d.proto.url for label, d in downloads(app).items()}
    assert len(first) == 3
    assert all(not d.proto.deferred_file_id for d in downloads(app).values())
    cached = session.caches.downloads.value
    app.run(timeout=TIMEOUT)
    assert session.caches.downloads.value is cached  # a rerun builds nothing again
    assert {label: d.proto.url for label, d in downloads(app).items()} == first

    session.table.drop([2])
    save_draft(session)
    app.run(timeout=TIMEOUT)
    assert session.caches.downloads.value is not cached


def test_the_cleaned_file_holds_the_rows_submit_would_send() -> None:
    session = loaded_session()
    table = session.table
    table.edit({5: {"phone_number": "12345"}, 6: {"phone_number": "+447400123456"}})
    table.drop([3])
    app = open_page(FIX, session)
    assert_no_exception(app)
    files = session.caches.downloads.value
    cleaned = pd.read_csv(io.BytesIO(files.csv), dtype=str)
    assert len(cleaned) == 250 - 3  # the dropped row and the two failing ones left out
    assert "12345" not in set(cleaned["phone_number"])
    assert "+447400123456" not in set(cleaned["phone_number"])
    labels = list(downloads(app))
    assert "Cleaned file: 247 rows that pass (CSV)" in labels
    caption = " ".join(c.value for c in app.caption)
    assert "2 failing rows" in caption and "1 dropped" in caption

    # Once nothing fails, the cleaned file is byte for byte what Submit sends.
    table.drop([5, 6])
    app.switch_page(PAGES["submit"][0]).run(timeout=TIMEOUT)
    sent = session.caches.cleaned.value[0]
    app.switch_page(FIX).run(timeout=TIMEOUT)
    assert session.caches.downloads.value.csv == sent


def test_a_big_list_builds_its_downloads_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from batchcall.ui import downloads as module

    monkeypatch.setattr(module, "EAGER_ROWS", 100)  # the loan sample has 250 rows
    session = loaded_session()
    app = open_page(FIX, session)
    assert_no_exception(app)
    assert downloads(app) == {} and session.caches.downloads.value is None
    prepare = next(b for b in app.button if b.label.startswith("Prepare the downloads"))
    prepare.click().run(timeout=TIMEOUT)
    assert len(downloads(app)) == 3

    session.table.drop([2])  # an edit: the files would be stale, so they are asked for again
    app.run(timeout=TIMEOUT)
    assert downloads(app) == {}
    assert any(b.label.startswith("Prepare the downloads") for b in app.button)
