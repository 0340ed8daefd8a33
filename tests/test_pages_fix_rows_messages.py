"""Fix rows says what each change did, beside an Undo that never moves; counts read right."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import TIMEOUT, assert_no_exception, metric, session_of
from tests.test_pages_fix_rows import messy_fix_page, nothing_to_undo, undo_buttons

pytestmark = pytest.mark.usefixtures("app_environment")


def said(app: AppTest) -> str:
    """Every message box on the page, as one text."""
    return " ".join(
        str(box.value) for kind in ("success", "warning", "info") for box in app.get(kind)
    )


def edit_rows(app: AppTest, values: dict[int, str]) -> AppTest:
    """Several cells committed at once, as the grid sends them."""
    key = next(e.key for e in app.data_editor)
    index = list(app.data_editor[0].value.index)
    app.session_state[key] = {
        "edited_rows": {index.index(row): {"phone_number": v} for row, v in values.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    return app.run(timeout=TIMEOUT)


def labels(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def button(app: AppTest, label: str) -> Any:
    return next(b for b in app.button if b.label == label)


def test_an_edit_that_fixes_a_row_says_so() -> None:
    app = messy_fix_page()
    assert nothing_to_undo(app).disabled  # Undo's place is taken before any change
    edit_rows(app, {12: "9812345678"})
    assert_no_exception(app)
    assert "Row 12 now passes." in said(app)
    assert [b.label for b in undo_buttons(app)] == ["Undo: Edit row 12"]


def test_an_edit_that_still_fails_names_the_row_the_reason_and_what_to_do() -> None:
    app = messy_fix_page()
    edit_rows(app, {12: "99"})
    assert_no_exception(app)
    text = said(app)
    assert "Row 12 still fails: Invalid phone number." in text
    assert "Check the number" in text or "digits" in text  # the reason's own hint


def test_several_cells_in_one_commit_get_one_message() -> None:
    app = messy_fix_page()
    edit_rows(app, {12: "9812345678", 25: "9823456710", 37: "98765"})
    assert_no_exception(app)
    text = said(app)
    assert "3 rows edited: 2 now pass, 1 still fails (row 37: Invalid phone number" in text
    assert text.count("rows edited") == 1
    assert metric(app, "Edited") == "3"


def test_undo_says_what_it_took_back_and_the_message_goes_with_the_change() -> None:
    app = messy_fix_page()
    edit_rows(app, {12: "9812345678"})
    undo_buttons(app)[0].click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "Undone: Edit row 12." in said(app)
    assert "now passes" not in said(app)


def test_drop_all_failing_asks_first_naming_how_many() -> None:
    app = messy_fix_page()
    button(app, "Drop all 16 failing rows…").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "Drop all 16 failing rows?" in said(app)
    assert session_of(app).table.summary()["dropped"] == 0  # nothing until "Yes"
    button(app, "Cancel").click().run(timeout=TIMEOUT)
    assert "Yes, drop 16 rows" not in labels(app)
    button(app, "Drop all 16 failing rows…").click().run(timeout=TIMEOUT)
    button(app, "Yes, drop 16 rows").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert metric(app, "Dropped") == "16" and metric(app, "Failing") == "0"
    assert "Dropped all 16 failing rows" in said(app)
    assert [b.label for b in undo_buttons(app)] == ["Undo: Drop all failing rows"]
    undo_buttons(app)[0].click().run(timeout=TIMEOUT)
    assert metric(app, "Failing") == "16"


def test_no_disabled_apply_0_button_but_a_plain_sentence() -> None:
    app = messy_fix_page()
    app.get("button_group")[0].set_value("unsupported_destination_country").run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not [label for label in labels(app) if label.startswith("Apply")]
    assert "No safe fixes for these rows" in " ".join(c.value for c in app.caption)


def test_clicking_the_active_filter_keeps_it_chosen() -> None:
    app = messy_fix_page()
    control = app.get("button_group")[0]
    control.set_value("unsupported_prefix").run(timeout=TIMEOUT)
    app.get("button_group")[0].set_value(None).run(timeout=TIMEOUT)  # the same one again
    assert_no_exception(app)
    assert app.get("button_group")[0].value == "unsupported_prefix"
    assert session_of(app).fix.filter == "unsupported_prefix"
    assert app.data_editor  # still a grid, not an empty page


def test_counts_of_one_read_in_the_singular() -> None:
    app = messy_fix_page()
    assert "Apply all 2 suggested fixes" in labels(app)
    edit_rows(app, {23: "9845123670"})  # one of the two suggested fixes, made by hand
    assert "Apply the 1 suggested fix" in labels(app)
    key = next(e.key for e in app.data_editor)
    position = list(app.data_editor[0].value.index).index(12)
    app.session_state[key] = {
        "edited_rows": {position: {"drop": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert [b.label for b in undo_buttons(app)] == ["Undo: Drop 1 row"]
    assert "Row 12 dropped" in said(app)
    assert not any(" 1 rows" in text or "(1 rows" in text for text in labels(app))


def test_one_passing_of_several_reads_in_the_singular_too() -> None:
    app = messy_fix_page()
    edit_rows(app, {25: "9823456710", 37: "98765", 43: "1"})
    assert "3 rows edited: 1 now passes, 2 still fail (rows 37 and 43; row 37: " in said(app)
