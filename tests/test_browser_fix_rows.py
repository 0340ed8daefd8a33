"""Fix rows in a real browser, where only a browser can show it: the grid's own toolbar
never covers the page control, Undo keeps its place as edits come, and after a reload
Undo still takes back the last edit.

The list is generated: 1,234 failing rows (three pages of 500) and one that passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser import (
    STEP_MS,
    VIEWPORT,
    Server,
    assert_no_exception,
    edit_grid_cell,
    expect_metric,
    go_to_page,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser

FAILING = 1_234
GRID_PHONE_COLUMN = 2  # Row (the index), Drop, Phone number, ...


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_MS)
    opened = context.new_page()
    watch_for_exceptions(opened)
    try:
        yield opened
    finally:
        context.close()


def long_list(folder: Path) -> Path:
    path = folder / "long_list.csv"
    lines = ["phone_number,name", "9876543210,Passing Person"]
    lines += [f"{10_000 + n},Person {n:04d}" for n in range(FAILING)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on the page"
    return found


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def offset(locator: Locator, anchor: Locator) -> tuple[float, float]:
    """Where ``locator`` is on the page relative to ``anchor`` (scrolling moves both)."""
    mine, theirs = box(locator), box(anchor)
    return mine["x"] - theirs["x"], mine["y"] - theirs["y"]


def undo_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Undo", exact=False).or_(
        page.get_by_role("button", name="Nothing to undo")
    )


def test_paging_toolbar_undo_in_place_and_after_a_reload(
    page: Page, server: Server, tmp_path: Path
) -> None:
    page.goto(f"{server.url}/")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(long_list(tmp_path))
    expect_metric(page, "Rows", f"{FAILING + 1:,}")
    wait_for_app(page)
    go_to_page(page, "Fix rows")
    expect(page.get_by_text("Page 1 of 3 · 500 rows each")).to_be_visible()

    # The grid's toolbar shows on hover at its top right: it covers neither the page
    # control (under the grid), nor the search box, nor Undo.
    grid = page.get_by_test_id("stDataFrame").first
    grid_box = box(grid)
    page.mouse.move(grid_box["x"] + grid_box["width"] - 60, grid_box["y"] + 60)
    toolbar = page.get_by_test_id("stElementToolbar").first
    expect(toolbar).to_be_visible()
    toolbar_box = box(toolbar)
    page_control = page.get_by_test_id("stNumberInput").filter(has_text="Go to page")
    search = page.get_by_test_id("stTextInput").filter(has_text="Search all")
    for name, other in (("page control", page_control), ("search box", search)):
        assert not overlap(toolbar_box, box(other)), f"the grid's toolbar covers the {name}"
    assert not overlap(toolbar_box, box(undo_button(page)))

    # An edit says what it did; Undo does not move as it becomes active.
    title = page.get_by_role("heading", name="Fix rows", level=1)
    undo_at = offset(page.get_by_role("button", name="Nothing to undo"), title)
    edit_grid_cell(page, grid, "3", GRID_PHONE_COLUMN, "9812345678")
    wait_for_app(page)
    expect(page.get_by_text("Row 3 now passes.")).to_be_visible()
    expect_metric(page, "Edited", "1")
    undo = page.get_by_role("button", name="Undo: Edit row 3")
    expect(undo).to_be_visible()
    moved = offset(undo, title)
    assert abs(moved[0] - undo_at[0]) < 2 and abs(moved[1] - undo_at[1]) < 2, (undo_at, moved)
    assert_no_exception(page)

    # A reload restores the draft and its undo history.
    assert "draft=" in page.url
    page.reload()
    wait_for_app(page)
    expect_metric(page, "Edited", "1")
    undo = page.get_by_role("button", name="Undo: Edit row 3")
    expect(undo).to_be_visible()
    undo.click()
    wait_for_app(page)
    expect_metric(page, "Edited", "0")
    expect_metric(page, "Failing", f"{FAILING:,}")
    expect(page.get_by_role("button", name="Nothing to undo")).to_be_disabled()
    assert_no_exception(page)
