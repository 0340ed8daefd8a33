"""Upload & profile, Destinations & routes and Fix rows, driven through AppTest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from batchcall.samples import sample_path
from batchcall.settings import drafts_dir
from batchcall.ui.hosting import sandbox_endpoint
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROOT, TIMEOUT, assert_no_exception, metric, session_of

SAMPLES = sample_path("workspace.json").parent
SIP_NUMBER = "+14155550123"

pytestmark = pytest.mark.usefixtures("app_environment")


def new_app(page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if page:
        app.switch_page(page)
    return app.run(timeout=TIMEOUT)


def upload(app: AppTest, name: str) -> AppTest:
    data = (SAMPLES / name).read_bytes()
    app.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return app.run(timeout=TIMEOUT)


@pytest.mark.parametrize("page", ["pages/upload.py", "pages/destinations.py", "pages/fix_rows.py"])
def test_each_page_runs_empty(page: str) -> None:
    app = new_app(page)
    assert_no_exception(app)
    assert any("Sandbox" in i.value for i in app.info)


def test_upload_profiles_the_messy_workbook() -> None:
    app = upload(new_app(), "messy_contacts.xlsx")
    assert_no_exception(app)
    assert metric(app, "Rows") == "59"
    assert metric(app, "Would be rejected") == "16"
    chips = " ".join(m.value for m in app.markdown)
    for variable in ("customer_name", "loan_amount", "due_date", "city"):
        assert f"{{{{{variable}}}}}" in chips
    verdicts = next(d.value for d in app.table if "Verdict" in d.value.columns)
    assert dict(zip(verdicts["Verdict"], verdicts["Rows"], strict=True)) == {
        "Passes": 43,
        "Invalid phone number": 8,
        "Country not enabled": 5,
        "Prefix not enabled": 3,
    }
    assert session_of(app).upload.filename == "messy_contacts.xlsx"
    sheet = next(s for s in app.selectbox if s.label == "Sheet")
    assert sheet.options == ["Notes", "Contacts"]
    assert sheet.value == "Contacts"


def test_a_file_without_phone_number_offers_the_likeliest_column() -> None:
    app = new_app()
    csv = b"Mobile No.,Name\n9876543210,Priya\n9123456789,Rahul\n"
    app.file_uploader[0].set_value(("leads.csv", csv, "text/csv"))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "phone_number" in app.warning[0].value
    picker = next(s for s in app.selectbox if "phone numbers" in s.label)
    assert picker.value == "Mobile No."
    next(b for b in app.button if b.label == "Use this column").click()
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert metric(app, "Rows") == "2"
    assert list(session_of(app).table.original.columns) == ["phone_number", "Name"]


def test_a_refused_file_gets_a_clear_message_not_a_traceback() -> None:
    app = new_app()
    app.file_uploader[0].set_value(("leads.xlsx", b"phone_number\n123\n", "text/csv"))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "leads.xlsx" in app.error[0].value
    assert "Rename it to .csv" in app.error[0].value


def test_a_route_change_changes_the_verdicts() -> None:
    app = upload(new_app(), "messy_contacts.xlsx")
    app.switch_page("pages/destinations.py").run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert metric(app, "Blocked or invalid") == "16"
    assert any("India Toll-free" in m.value for m in app.markdown)
    route = next(s for s in app.selectbox if s.label.startswith("Outbound number"))
    route.set_value(SIP_NUMBER).run(timeout=TIMEOUT)
    assert_no_exception(app)
    session = session_of(app)
    assert session.route_number == SIP_NUMBER
    assert session.table.route.is_sip
    # On the US SIP route bare Indian numbers are US-local, so they stop being valid.
    assert metric(app, "Blocked or invalid") != "16"
    assert set(session.table.report.failing["reason"]) == {"invalid_phone_number"}


def fix_page() -> AppTest:
    app = upload(new_app(), "messy_contacts.xlsx")
    return app.switch_page("pages/fix_rows.py").run(timeout=TIMEOUT)


def grid_key(app: AppTest) -> str:
    return next(e.key for e in app.data_editor)


def test_a_grid_edit_fixes_the_row_and_saves_a_draft() -> None:
    app = fix_page()
    assert_no_exception(app)
    table = session_of(app).table
    grid = app.data_editor[0].value
    position = list(grid.index).index(12)
    app.session_state[grid_key(app)] = {
        "edited_rows": {position: {"phone_number": "9812345678"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert 12 not in table.failing_rows().index
    assert table.edits[12] == {"phone_number": "9812345678"}
    assert metric(app, "Failing") == "15"
    assert 12 not in list(app.data_editor[0].value.index)
    draft = drafts_dir() / f"{session_of(app).draft_id}.json"
    saved: dict[str, Any] = json.loads(draft.read_text())
    assert saved["edits"]["12"] == {"phone_number": "9812345678"}


def test_bulk_drop_by_reason_and_undo() -> None:
    app = fix_page()
    filter_control = app.get("button_group")[0]
    filter_control.set_value("unsupported_destination_country").run(timeout=TIMEOUT)
    assert_no_exception(app)
    drop = next(b for b in app.button if b.label.startswith("Drop all 5 rows"))
    drop.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    table = session_of(app).table
    assert table.summary()["dropped"] == 5
    assert metric(app, "Dropped") == "5"
    undo = next(b for b in app.button if b.label.startswith("Undo"))
    undo.click().run(timeout=TIMEOUT)
    assert table.summary()["dropped"] == 0


def test_apply_suggested_fixes_repairs_spreadsheet_damage() -> None:
    app = fix_page()
    apply = next(b for b in app.button if b.label.startswith("Apply all"))
    assert apply.label == "Apply all 2 suggested fixes"
    apply.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    table = session_of(app).table
    assert table.current.loc[25, "phone_number"] == "9823456710"
    assert metric(app, "Failing") == "14"


def test_connecting_to_a_typed_workspace_never_shows_the_key() -> None:
    app = new_app("pages/destinations.py")
    url, key = sandbox_endpoint(None)
    app.sidebar.text_input[0].input("http://127.0.0.1:9")  # nothing listens there
    app.sidebar.text_input[1].input("sk-typed-secret")
    app.sidebar.button[0].click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "Could not connect" in app.sidebar.error[0].value
    app.sidebar.text_input[0].input(url)
    app.sidebar.text_input[1].input(key)
    app.sidebar.button[0].click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    connection = session_of(app).connection
    assert connection is not None and not connection.sandbox
    assert connection.label in " ".join(m.value for m in app.sidebar.markdown)
    assert app.sidebar.text_input[1].proto.type == app.sidebar.text_input[1].proto.PASSWORD
    drawn = [app.main, app.sidebar.markdown, app.sidebar.caption, app.sidebar.error]
    for elements in drawn:
        assert all(key not in str(getattr(e, "value", "")) for e in elements)


def fix_page_with_row_12_edited() -> AppTest:
    """Fix rows with row 12's number typed anew in the grid (which saves the draft)."""
    app = fix_page()
    grid = app.data_editor[0].value
    app.session_state[grid_key(app)] = {
        "edited_rows": {list(grid.index).index(12): {"phone_number": "9812345678"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run(timeout=TIMEOUT)
    return app


def test_a_new_browser_session_restores_the_draft_named_in_the_url() -> None:
    app = fix_page_with_row_12_edited()
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    fresh.query_params["draft"] = session_of(app).draft_id
    fresh.switch_page("pages/fix_rows.py").run(timeout=TIMEOUT)
    assert_no_exception(fresh)
    restored = session_of(fresh).table
    assert restored is not None
    assert restored.edits[12] == {"phone_number": "9812345678"}
    assert metric(fresh, "Failing") == "15"


def test_a_reload_of_progress_leaves_the_draft_for_the_first_page_that_shows_it() -> None:
    """Reloading Progress does not read and check the file; the draft is still restored,
    and still in the URL, when the operator goes back to Fix rows."""
    app = fix_page_with_row_12_edited()
    draft_id = session_of(app).draft_id
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    fresh.query_params["draft"] = draft_id
    fresh.switch_page("pages/progress.py").run(timeout=TIMEOUT)
    assert_no_exception(fresh)
    assert session_of(fresh).table is None
    assert fresh.query_params["draft"] == draft_id
    fresh.switch_page("pages/fix_rows.py").run(timeout=TIMEOUT)
    assert_no_exception(fresh)
    restored = session_of(fresh).table
    assert restored is not None and restored.edits[12] == {"phone_number": "9812345678"}
