"""Upload & profile through AppTest: refused sheets and files, the size limit, .txt files."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from batchcall.contacts import MAX_FILE_BYTES
from batchcall.samples import sample_path
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROOT, TIMEOUT, assert_no_exception, metric, session_of, texts
from tests.apptest_support import started_app as new_app
from tests.apptest_support import upload_bytes as upload
from tests.contacts_support import xlsx_bytes

SAMPLES = sample_path("workspace.json").parent
BOOK = xlsx_bytes(
    ("Contacts", [["phone_number", "name"], ["9876543210", "Priya"], ["12345", "Rahul"]]),
    ("Empty", []),
)

pytestmark = pytest.mark.usefixtures("app_environment")


def sheet_picker(app: AppTest) -> Any:
    return next(s for s in app.selectbox if s.label == "Sheet")


def test_a_refused_sheet_is_named_and_the_page_stays_on_the_sheet_shown() -> None:
    app = upload(new_app(), "book.xlsx", BOOK)
    assert_no_exception(app)
    assert sheet_picker(app).value == "Contacts"
    assert metric(app, "Rows") == "2"

    sheet_picker(app).set_value("Empty").run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert texts(app.error).startswith("Sheet 'Empty' of book.xlsx: ")
    # The picker is put back on the sheet whose profile is shown, and the page says so.
    assert sheet_picker(app).value == "Contacts"
    assert "Still showing sheet 'Contacts' of book.xlsx" in texts(app.info)
    session = session_of(app)
    assert session.upload.sheet == "Contacts"
    assert metric(app, "Rows") == "2"
    assert "**book.xlsx**" in texts(app.sidebar.markdown)

    # The next choice works, and the notice goes with the error.
    sheet_picker(app).set_value("Contacts").run(timeout=TIMEOUT)
    sheet_picker(app).set_value("Empty").run(timeout=TIMEOUT)
    assert sheet_picker(app).value == "Contacts"
    assert texts(app.error).startswith("Sheet 'Empty' of book.xlsx: ")


def test_a_refused_file_after_a_good_one_does_not_pass_for_the_current_file() -> None:
    app = upload(new_app(), "book.xlsx", BOOK)
    app = upload(app, "empty.csv", b"")
    assert_no_exception(app)
    assert "empty.csv" in texts(app.error)
    # The uploader no longer holds the refused file, and the page says what is shown.
    assert app.file_uploader[0].value is None
    notice = texts(app.info)
    assert "empty.csv was not loaded" in notice
    assert "Still showing sheet 'Contacts' of book.xlsx" in notice
    assert session_of(app).upload.filename == "book.xlsx"
    assert app.get("subheader")[0].value == "Profile of book.xlsx"

    app = upload(app, "book.xlsx", BOOK)  # the file shown, picked again: no stale error
    assert_no_exception(app)
    assert not app.error and "was not loaded" not in texts(app.info)
    assert metric(app, "Rows") == "2"

    app = upload(app, "empty.csv", b"")
    assert "empty.csv" in texts(app.error)
    app = upload(app, "list.csv", b"phone_number\n9876543210\n")  # a good one clears it all
    assert_no_exception(app)
    assert not app.error
    assert "was not loaded" not in texts(app.info)
    assert metric(app, "Rows") == "1"


def test_a_file_just_over_the_limit_gets_the_apps_own_message() -> None:
    app = new_app()
    uploader = app.file_uploader[0]
    # The browser lets it through (it counts an MB as 10^6 bytes, on Windows as 2^20),
    # and so does the server (it counts 2^20).
    limit_mb = uploader.proto.max_upload_size_mb
    assert limit_mb * 1_000_000 > MAX_FILE_BYTES
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 >= limit_mb * 2**20
    data = b"phone_number\n" + b"9876543210\n" * (MAX_FILE_BYTES // 11 + 1)
    app = upload(app, "big.csv", data)
    assert_no_exception(app)
    message = texts(app.error)
    assert "big.csv" in message and f"{MAX_FILE_BYTES:,} bytes" in message
    assert session_of(app).table is None


def test_a_txt_file_is_read_as_csv() -> None:
    app = new_app()
    assert ".txt" in list(app.file_uploader[0].proto.type)
    app = upload(app, "leads.txt", b"phone_number,name\n9876543210,Priya\n")
    assert_no_exception(app)
    assert metric(app, "Rows") == "1"
    assert session_of(app).upload.filename == "leads.txt"
