"""A replaced table is freed: nothing a page drew keeps the last file's rows alive.

A page script's globals hold its frames; a widget callback or ``format_func``
defined in the page keeps those globals (and so the whole table) alive for as
long as Streamlit keeps the widget's metadata, which outlives a visit to the page.
"""

from __future__ import annotations

import gc
import weakref

from batchcall.ui.downloads import EAGER_ROWS
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROOT, SAMPLE, TIMEOUT, assert_no_exception, session_of

PAGES = ["destinations", "fix_rows", "submit", "progress", "upload"]


def big_list() -> bytes:
    """The sample's rows repeated past the size where Fix rows builds downloads on request
    (a button whose callback holds the session's caches)."""
    header, *rows = SAMPLE.read_bytes().splitlines()
    copies = EAGER_ROWS // len(rows) + 1
    return b"\n".join([header, *rows * copies]) + b"\n"


def test_uploading_another_file_frees_the_table_of_the_one_before() -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    first_file = big_list()
    app.file_uploader[0].set_value(("first.csv", first_file, "text/csv"))
    app.run()
    first = session_of(app).table
    assert first is not None
    gone = weakref.ref(first)
    del first
    reports = []
    for page in PAGES:
        app.switch_page(f"pages/{page}.py").run()
        assert_no_exception(app)
        if (report := session_of(app).caches.precheck_base.value) is not None:
            reports.append(weakref.ref(report))
            del report
    assert reports, "Submit checked the rows before launch"

    second = first_file.replace(b"\n", b"\r\n")  # the same rows, another file
    app.file_uploader[0].set_value(("second.csv", second, "text/csv"))
    app.run()
    assert_no_exception(app)
    assert session_of(app).upload.filename == "second.csv"
    gc.collect()
    assert gone() is None, [type(r).__name__ for r in gc.get_referrers(gone())]
    assert [ref() for ref in reports] == [None] * len(reports)
