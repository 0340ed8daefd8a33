"""The sidebar's row fates through the real app script: they add up to the file and agree
with Submit.

The list is the Indian one of ``test_pages_lookalikes`` (256 rows: a junk cell, a UK
number the route refuses, a repeat of row 2, three look-alikes that pass).
"""

from __future__ import annotations

import re

import pytest
from batchcall.checks import Disposition
from batchcall.ui.layout import PAGES
from batchcall.ui.sidebar_fates import MORE_CHECKS
from streamlit.testing.v1 import AppTest

from tests.apptest_support import assert_no_exception, metric, open_page, session_of, texts
from tests.test_pages_lookalikes import PLATFORM_REFUSED, REPEAT, ROWS, indian_list_session

FIX, SUBMIT = PAGES["fix"][0], PAGES["submit"][0]
TITLES = {d.title: d for d in Disposition}

pytestmark = pytest.mark.usefixtures("app_environment")


def sidebar_counts(app: AppTest) -> dict[Disposition, int]:
    """The sidebar's "N rows" block as fate -> rows, in the order shown."""
    block = next(m.value for m in app.sidebar.markdown if re.match(r"^[\d,]+ rows", m.value))
    total, *lines = block.split("  \n")
    counts = {}
    for line in lines:
        title, count = re.fullmatch(r"(.+): \*\*([\d,]+)\*\*", line).groups()
        counts[TITLES[title]] = int(count.replace(",", ""))
    assert int(total.split()[0].replace(",", "")) == ROWS
    return counts


def notes(app: AppTest) -> str:
    return texts(app.sidebar.caption)


def test_before_submit_the_sidebar_shows_the_platforms_split_and_says_more_is_checked() -> None:
    app = open_page(FIX, indian_list_session())
    assert_no_exception(app)
    counts = sidebar_counts(app)
    assert counts == {
        Disposition.TO_CALL: ROWS - len(PLATFORM_REFUSED),
        Disposition.INVALID_PHONE_NUMBER: 1,
        Disposition.UNSUPPORTED_DESTINATION_COUNTRY: 1,
    }
    assert next(iter(counts)) is Disposition.TO_CALL
    assert sum(counts.values()) == ROWS
    assert MORE_CHECKS in notes(app)


def test_the_sidebar_agrees_with_submit_and_keeps_its_numbers_until_the_table_changes() -> None:
    session = indian_list_session()
    assert session.table is not None
    session.table.drop([3])
    app = open_page(SUBMIT, session)  # one run: Submit redraws the sidebar once it knows
    assert_no_exception(app)
    fates = session.caches.fates.value
    assert fates is not None
    expected = {d: n for d, n in fates.counts.items() if n}
    counts = sidebar_counts(app)
    assert counts == expected
    assert next(iter(counts)) is Disposition.TO_CALL
    assert sum(counts.values()) == ROWS
    assert counts[Disposition.DUPLICATE] == 1  # row REPEAT, row 2's number again
    assert fates.dispositions[REPEAT] == Disposition.DUPLICATE.value
    assert counts[Disposition.DROPPED] == 1
    for disposition in (Disposition.TO_CALL, Disposition.DUPLICATE, Disposition.DROPPED):
        assert metric(app, disposition.title) == f"{counts[disposition]:,}"
    assert MORE_CHECKS not in notes(app)

    # Another choice on Submit: the sidebar follows once Submit has decided the fates again.
    app.radio(key="checks-duplicates").set_value("all").run()
    assert_no_exception(app)
    expected = {d: n for d, n in session.caches.fates.value.counts.items() if n}
    assert Disposition.DUPLICATE not in expected
    assert sidebar_counts(app) == expected
    assert metric(app, Disposition.TO_CALL.title) == f"{expected[Disposition.TO_CALL]:,}"

    # Another page keeps Submit's numbers in the sidebar, even once the fates are let go.
    app.switch_page(FIX).run()
    assert_no_exception(app)
    assert sidebar_counts(app) == expected
    session_of(app).drop_checks()  # as a launch does
    app.run()
    assert_no_exception(app)
    assert session_of(app).caches.fates.value is None
    assert sidebar_counts(app) == expected
    assert MORE_CHECKS not in notes(app)

    # A change on Fix rows: what is known for the new table, in the same run.
    app.button(key="lookalike-rewrite-all").click().run()
    assert_no_exception(app)
    after = sidebar_counts(app)
    assert sum(after.values()) == ROWS
    assert Disposition.DUPLICATE not in after  # only Submit knows repeats
    assert after[Disposition.UNSUPPORTED_DESTINATION_COUNTRY] == 2  # the UK look-alike too
    assert MORE_CHECKS in notes(app)


def test_the_sidebar_follows_a_grid_edit_in_the_same_run() -> None:
    app = open_page(FIX, indian_list_session())
    key = next(e.key for e in app.data_editor)
    position = list(app.data_editor[0].value.index).index(255)
    app.session_state[key] = {
        "edited_rows": {position: {"phone_number": "98450 12345"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert_no_exception(app)
    counts = sidebar_counts(app)
    assert Disposition.INVALID_PHONE_NUMBER not in counts
    assert counts[Disposition.TO_CALL] == ROWS - 1
