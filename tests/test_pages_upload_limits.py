"""Upload through AppTest, as a first-time user meets it: the limits said before the drop,
a file over 10 MB refused in the page's own words (never the last file's error), and a
workbook sheet with no phone_number column named as such, the sidebar saying which
sheet its counts are for."""

from __future__ import annotations

from typing import Any

import pytest
from batchcall.contacts import MAX_FILE_BYTES
from streamlit.testing.v1 import AppTest

from tests.apptest_support import TIMEOUT, assert_no_exception, metric, session_of, texts
from tests.apptest_support import started_app as new_app
from tests.apptest_support import upload_bytes as upload
from tests.contacts_support import xlsx_bytes

BOOK = xlsx_bytes(
    ("Contacts", [["phone_number", "name"], ["9876543210", "Priya"], ["9876543211", "Rahul"]]),
    ("Leads", [["mobile", "city"], ["9876543212", "Pune"]]),
)
LIMIT = "Files up to 10 MB (lists up to 100 MB can be read and sent in parts)."

pytestmark = pytest.mark.usefixtures("app_environment")


def big_csv(size: int) -> bytes:
    row = b"9876543210,Priya Sharma,some words to make the list long\n"
    return b"phone_number,name,note\n" + row * (size // len(row) + 1)


def sheet_picker(app: AppTest) -> Any:
    return next(s for s in app.selectbox if s.label == "Sheet")


def test_the_limits_are_said_before_a_file_is_dropped() -> None:
    app = new_app()
    assert_no_exception(app)
    assert LIMIT in texts(app.caption)
    assert LIMIT in app.file_uploader[0].help
    assert "Nothing uploaded yet" in texts(app.info)


def test_a_12_mb_file_is_refused_in_words_with_the_way_to_read_it_anyway() -> None:
    app = upload(new_app(), "empty.csv", b"")
    assert "empty.csv" in texts(app.error)
    app = upload(app, "big.csv", big_csv(12 * 2**20))
    assert_no_exception(app)
    message = texts(app.error)
    assert message.startswith("big.csv is 12.00 MB")
    assert "at most 10 MB" in message and "Split the list" in message
    assert "empty.csv" not in message  # the last file's refusal is gone
    assert "Nothing uploaded yet" not in texts(app.info)  # the refusal says what to do
    [anyway] = [b for b in app.button if b.key == "upload-read-large"]
    anyway.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not app.error
    assert session_of(app).upload.max_bytes is not None
    assert session_of(app).table is not None and len(session_of(app).table.active) > 200_000
    assert len(session_of(app).upload.data) > MAX_FILE_BYTES


def test_a_sheet_without_a_phone_column_is_named_and_the_sidebar_says_whose_counts() -> None:
    app = upload(new_app(), "book.xlsx", BOOK)
    assert metric(app, "Rows") == "2"
    sheet_picker(app).set_value("Leads").run(timeout=TIMEOUT)
    assert_no_exception(app)
    warning = texts(app.warning)
    assert "Sheet 'Leads' of book.xlsx has no 'phone_number' column" in warning
    assert "Its columns: 'mobile', 'city'." in warning
    column = next(s for s in app.selectbox if s.label == "Which column holds the phone numbers?")
    assert column.value == "mobile" and column.options == ["mobile", "city"]
    sidebar = texts(app.sidebar.caption)
    assert "Sheet 'Leads' waits for its phone column" in sidebar
    assert "still those of sheet 'Contacts'" in sidebar
    assert "sheet 'Contacts'" in texts(app.sidebar.markdown)

    next(b for b in app.button if b.label == "Use this column").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert metric(app, "Rows") == "1"
    assert session_of(app).upload.sheet == "Leads"
    assert "waits for its phone column" not in texts(app.sidebar.caption)
    assert "sheet 'Leads'" in texts(app.sidebar.markdown)
