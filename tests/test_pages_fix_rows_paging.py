"""Fix rows on a long failing list: pages said plainly, and a search over every page."""

from __future__ import annotations

import pytest
from batchcall.contacts import read_contacts
from batchcall.ui.state import Session, Upload
from batchcall.work.table import WorkTable
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROUTE, TIMEOUT, WORKSPACE, assert_no_exception, open_page
from tests.test_pages_fix_rows import FIX

pytestmark = pytest.mark.usefixtures("app_environment")

FAILING = 1_234  # three pages of 500


def long_list() -> Session:
    """1,234 rows that fail (too short) and one that passes, each with a name."""
    lines = ["phone_number,name", "9876543210,Passing Person"]
    lines += [f"{10_000 + n},Person {n:04d}" for n in range(FAILING)]
    data = ("\n".join(lines) + "\n").encode()
    table = WorkTable(read_contacts(data, "long.csv"), ROUTE, WORKSPACE["telephony_config"])
    return Session(
        upload=Upload("long.csv", data),
        table=table,
        route_number=ROUTE["phone_number"],
        restored=True,
    )


def captions(app: AppTest) -> str:
    return " ".join(str(c.value) for c in app.caption)


def grid_rows(app: AppTest) -> list[int]:
    return [int(row) for row in app.data_editor[0].value.index]


def test_the_page_control_reads_page_x_of_y_and_moves_through_the_list() -> None:
    app = open_page(FIX, long_list())
    assert_no_exception(app)
    assert "Page 1 of 3 · 500 rows each" in " ".join(m.value for m in app.markdown)
    assert "Rows 1–500 of 1,234 failing." in captions(app)
    assert "looks in the rows shown only" in captions(app)
    assert grid_rows(app)[0] == 3 and len(grid_rows(app)) == 500
    app.number_input(key="fix-page").set_value(3).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "Page 3 of 3 · 500 rows each" in " ".join(m.value for m in app.markdown)
    assert "Rows 1,001–1,234 of 1,234 failing." in captions(app)
    assert grid_rows(app)[-1] == FAILING + 2


def test_search_looks_in_every_page_before_paging() -> None:
    app = open_page(FIX, long_list())
    assert app.text_input(key="fix-search").label == "Search all 1,234 failing rows"
    app.text_input(key="fix-search").input("Person 1200").run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert grid_rows(app) == [1203]  # on page 3 of the unsearched list
    assert "Rows 1–1 of 1 matching “Person 1200”." in captions(app)
    assert "Page " not in " ".join(m.value for m in app.markdown)  # one page: no control

    app.text_input(key="fix-search").input("1,100").run(timeout=TIMEOUT)  # a row number
    assert 1100 in grid_rows(app)

    app.text_input(key="fix-search").input("nobody here").run(timeout=TIMEOUT)
    assert not app.data_editor
    assert "No failing row matches “nobody here”" in " ".join(i.value for i in app.info)


def test_an_edit_found_by_search_lands_on_its_row() -> None:
    session = long_list()
    app = open_page(FIX, session)
    app.number_input(key="fix-page").set_value(2).run(timeout=TIMEOUT)
    app.text_input(key="fix-search").input("Person 1200").run(timeout=TIMEOUT)
    assert session.fix.page == 0  # a new search starts at its first page
    key = next(e.key for e in app.data_editor)
    app.session_state[key] = {
        "edited_rows": {0: {"phone_number": "9812345678"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.table.edits == {1203: {"phone_number": "9812345678"}}
    assert "Row 1,203 now passes." in " ".join(s.value for s in app.success)


def test_one_passing_row_reads_in_the_singular_in_the_downloads() -> None:
    app = open_page(FIX, long_list())
    assert_no_exception(app)
    labels = [d.proto.label for d in app.get("download_button")]
    assert "Cleaned file: 1 row that passes (CSV)" in labels
    assert "Error file to correct: 1,234 rows (XLSX)" in labels
    assert "holds only the 1 row that passes" in captions(app)
