"""Fix rows through AppTest: the recipe downloaded and applied on a fresh session, the error
file downloaded, corrected as Excel would, dropped back and undone; bad files refused."""

from __future__ import annotations

import io

import openpyxl
import pytest
from batchcall.samples import sample_path
from batchcall.ui.layout import PAGES
from batchcall.work.error_file import CORRECTED_HEADER, ROW_HEADER
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROOT, TIMEOUT, assert_no_exception, session_of, texts
from tests.apptest_support import edit_grid_cell as edit_cell

FIX = PAGES["fix"][0]
MESSY = sample_path("messy_contacts.xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.usefixtures("app_environment")


def messy_fix_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run(timeout=TIMEOUT)
    app.file_uploader[0].set_value((MESSY.name, MESSY.read_bytes(), "application/octet-stream"))
    app.run(timeout=TIMEOUT)
    return app.switch_page(FIX).run(timeout=TIMEOUT)


def click(app: AppTest, starts: str) -> AppTest:
    next(b for b in app.button if b.label.startswith(starts)).click()
    return app.run(timeout=TIMEOUT)


def download_labels(app: AppTest) -> list[str]:
    return [d.proto.label for d in app.get("download_button")]


def uploader(app: AppTest, prefix: str) -> object:
    return next(u for u in app.file_uploader if u.key.startswith(prefix))


def test_a_downloaded_recipe_replays_on_a_fresh_session_as_one_undo() -> None:
    app = messy_fix_page()
    assert "Download recipe" not in " ".join(download_labels(app))  # nothing done yet
    click(app, "Apply all")
    edit_cell(app, 12, "9812345678")
    assert_no_exception(app)
    assert "Download recipe (JSON, 2 steps)" in download_labels(app)
    worked = session_of(app).table
    recipe = session_of(app).caches.recipe.value.dumps()

    fresh = messy_fix_page()
    uploader(fresh, "fix-recipe").set_value(("week.json", recipe, "application/json"))
    fresh.run(timeout=TIMEOUT)
    assert_no_exception(fresh)
    table = session_of(fresh).table
    assert table.edits == worked.edits
    said = texts(fresh.success)
    assert "Recipe **week.json** applied" in said
    assert "1 edit applied (1 row), 0 not found in this file" in said
    assert beside_undo(fresh).startswith("Recipe **week.json** applied")
    undo = [b.label for b in fresh.button if b.label.startswith("Undo")]
    assert undo == ["Undo: Apply recipe week.json"]
    fresh.run(timeout=TIMEOUT)  # a rerun does not apply the same file again
    assert len(table.history) == 1
    click(fresh, "Undo")
    assert table.edits == {}


def test_a_bad_recipe_file_is_refused_naming_it_and_nothing_changes() -> None:
    app = messy_fix_page()
    bad = b'{"format": "batchcall-recipe", "version": 1, "steps": [{"step": "shuffle"}]}'
    uploader(app, "fix-recipe").set_value(("last_week.json", bad, "application/json"))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    said = texts(app.error)
    assert "last_week.json step 1: unknown step 'shuffle'" in said
    assert "Nothing was changed." in said
    assert session_of(app).table.history == []


def test_the_error_file_comes_back_corrected_and_merges_by_row_number() -> None:
    app = messy_fix_page()
    label = next(label for label in download_labels(app) if label.startswith("Error file"))
    assert label == "Error file to correct: 16 rows (XLSX)"
    data = session_of(app).caches.error_file.value
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    row_col, fix_col = headers.index(ROW_HEADER) + 1, headers.index(CORRECTED_HEADER) + 1
    for line in range(2, sheet.max_row + 1):
        if sheet.cell(line, row_col).value == "12":
            sheet.cell(line, fix_col).value = 9812345678  # typed as a number
    sheet.cell(sheet.max_row + 1, row_col).value = "777"  # a row the list does not have
    sheet.cell(sheet.max_row, fix_col).value = "+919812345679"
    saved = io.BytesIO()
    book.save(saved)

    uploader(app, "fix-corrections").set_value(("errors.xlsx", saved.getvalue(), XLSX))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    table = session_of(app).table
    assert table.edits == {12: {"phone_number": "9812345678"}}
    assert list(table.current.columns) == list(table.original.columns)  # no annotation column
    said = texts(app.success) + texts(app.warning)
    assert "1 correction applied from errors.xlsx." in said
    assert beside_undo(app).startswith("1 correction applied")
    assert "Not rows of this file (check the row numbers): 1 row (777)" in said
    assert "No corrected number, left as they are: 15 rows" in said
    click(app, "Undo: Corrections from errors.xlsx")
    assert table.edits == {}


def test_an_error_file_without_its_columns_is_refused_naming_the_file() -> None:
    app = messy_fix_page()
    uploader(app, "fix-corrections").set_value(("notes.csv", b"phone_number\n123\n", "text/csv"))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    said = texts(app.error)
    assert "notes.csv has no 'Row in your file' column" in said
    assert "Nothing was changed." in said


def beside_undo(app: AppTest) -> str:
    """The message Fix rows draws beside Undo (the last change's), not at the page's top."""
    session = session_of(app)
    assert session.flash == []
    outcome = session.fix.outcome
    assert outcome is not None and outcome[0] == session.table.version
    return outcome[2]
