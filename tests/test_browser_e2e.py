"""The whole workbench in a real browser: upload, destinations, fix rows, submit, progress.

The server is started as users start it (``streamlit run app.py``) in sandbox
mode, on a database and drafts folder of its own; Debian's Chromium drives it
through Playwright. Along the way the test takes the README's screenshots (into
``docs/screenshots/`` only under ``make screenshots``). It is never skipped:
without ``/usr/bin/chromium`` it fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from batchcall.samples import sample_path
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser import (
    STEP_MS,
    VIEWPORT,
    Server,
    assert_no_exception,
    call_outside_hours,
    edit_grid_cell,
    expect_metric,
    go_to_page,
    grid_cells,
    metric,
    screenshot,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser

# Simulated seconds per real second: the 44 calls (10 at a time) end in about 5-10 s,
# slow enough for the live panel to redraw a few times on its own.
SPEED = 100
SAMPLE = sample_path("messy_contacts.xlsx")
SHOTS_VARIABLE = "BATCHCALL_SCREENSHOTS"
"""Where the README's screenshots go (``make screenshots``); unset, a temporary folder."""
PAGE_TITLES = ["Upload & profile", "Destinations & routes", "Fix rows", "Submit", "Progress"]
PAGE_ICONS = ["upload_file", "public", "build", "send", "monitoring"]
COMPLETION_MS = 90_000
GRID_PHONE_COLUMN = 2  # Row (the index), Drop, Phone number, ...


@dataclass
class Run:
    """One browser page on one server, and what to print when the test fails."""

    page: Page
    server: Server
    tmp: Path
    page_errors: list[str] = field(default_factory=list)

    def report(self) -> None:
        shot = self.tmp / "failure.png"
        with suppress(PlaywrightError):
            self.page.screenshot(path=str(shot), full_page=True)
        print(f"\n--- page at failure: {self.page.url} (screenshot {shot})")
        print("--- errors in the page:\n" + "\n".join(self.page_errors))
        print(f"--- server output ({self.server.log_path}):\n{self.server.log()}")


@pytest.fixture
def run(browser: Browser, server: Server, tmp_path: Path) -> Iterator[Run]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_MS)
    page = context.new_page()
    current = Run(page, server, tmp_path)
    page.on("pageerror", lambda error: current.page_errors.append(str(error)))
    watch_for_exceptions(page)
    try:
        yield current
    finally:
        context.close()


def nav_links(page: Page) -> list[tuple[str, str]]:
    """(icon, title) of each link in the sidebar navigation."""
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    expect(links).to_have_count(len(PAGE_TITLES))
    return [
        (
            link.get_by_test_id("stIconMaterial").text_content() or "",
            link.get_by_test_id("stMarkdownContainer").inner_text().strip(),
        )
        for link in links.all()
    ]


def test_upload_fix_submit_and_follow_a_batch(run: Run) -> None:
    try:
        shots = Path(os.environ.get(SHOTS_VARIABLE) or run.tmp / "screenshots")
        run_the_workbench(run.page, run.server, shots)
    except BaseException:
        run.report()
        raise


def run_the_workbench(page: Page, server: Server, shots: Path) -> None:
    # --- Upload & profile ---------------------------------------------------------------
    page.goto(f"{server.url}/")
    wait_for_app(page)
    expect(page.get_by_text("Sandbox — simulated calls").first).to_be_visible()
    # The sidebar lists the pages by title, with their icons, not by file name.
    assert nav_links(page) == list(zip(PAGE_ICONS, PAGE_TITLES, strict=True))

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(SAMPLE)
    expect_metric(page, "Rows", "59")
    expect_metric(page, "Would be rejected", "16")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Profile of messy_contacts.xlsx")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, shots / "1_upload.png")

    # --- Destinations & routes ----------------------------------------------------------
    go_to_page(page, "Destinations & routes")
    expect_metric(page, "Blocked or invalid", "16")
    world = page.get_by_test_id("stPlotlyChart").locator("g.geo").first
    expect(world).to_be_visible()
    # The outlines come from the app's own static folder: drawn means it was served.
    expect(world.locator(".layer.countries path")).to_have_count(1)
    outline = world.locator(".layer.countries path").get_attribute("d") or ""
    assert len(outline) > 1_000, "the world map drew no country outlines"
    expect(world.locator(".scattergeo path.point").first).to_be_visible()
    assert_no_exception(page)
    screenshot(page, shots / "2_destinations.png")

    # --- Fix rows: one number typed into the grid ---------------------------------------
    go_to_page(page, "Fix rows")
    expect_metric(page, "Failing", "16")
    grid = page.get_by_test_id("stDataFrame")
    assert "12" in grid_cells(grid, 0)
    assert grid_cells(grid, GRID_PHONE_COLUMN)[grid_cells(grid, 0).index("12")] == "12345"
    edit_grid_cell(page, grid, "12", GRID_PHONE_COLUMN, "9812345678")
    wait_for_app(page)
    expect_metric(page, "Failing", "15")
    expect_metric(page, "Edited", "1")
    expect(grid.locator("[data-testid^='glide-cell-0-']")).to_have_count(15)  # redrawn
    assert "12" not in grid_cells(grid, 0), "the fixed row is still in the grid"
    assert_no_exception(page)
    screenshot(page, shots / "3_fix_rows.png")

    # A browser refresh keeps the edit: the URL names the draft, the draft is on disk.
    assert re.search(r"[?&]draft=[0-9a-f]+", page.url), page.url
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Fix rows", level=1)).to_be_visible()
    expect_metric(page, "Failing", "15")
    expect_metric(page, "Edited", "1")
    assert "12" not in grid_cells(page.get_by_test_id("stDataFrame"), 0)
    assert_no_exception(page)

    # --- Fix rows: drop whole reasons ---------------------------------------------------
    drop_reason(page, "Country not enabled", 5)
    expect_metric(page, "Failing", "10")
    expect_metric(page, "Dropped", "5")
    drop_reason(page, "Invalid phone number", 7)
    drop_reason(page, "Prefix not enabled", 3)
    expect_metric(page, "Failing", "0")
    expect_metric(page, "Dropped", "15")
    expect(page.get_by_text("Every row passes for route")).to_be_visible()
    assert_no_exception(page)

    # --- Submit -------------------------------------------------------------------------
    go_to_page(page, "Submit")
    expect_metric(page, "To be called", "44")
    expect_metric(page, "Dropped", "15")
    expect_metric(page, "Still failing", "0")
    call_outside_hours(page)
    # The number fixed in Fix rows is another row's: one copy is left out until asked.
    expect_metric(page, "Duplicate number", "1")
    expect(page.get_by_role("button", name="Submit 43 calls now")).to_be_visible()
    page.get_by_text("Keep all (call each)", exact=True).click()
    wait_for_app(page)
    expect_metric(page, "Duplicate number", "0")
    submit = page.get_by_role("button", name="Submit 44 calls now")
    expect(submit).to_be_enabled()
    assert_no_exception(page)
    screenshot(page, shots / "4_submit.png")

    submit.click()
    # An impatient second click while the first is being handled must not launch twice.
    with suppress(PlaywrightError):
        if submit.is_visible() and submit.is_enabled():
            submit.click(timeout=2_000)
    expect(page.get_by_role("heading", name="Progress", level=1)).to_be_visible()
    assert "/progress" in page.url, page.url

    # --- Progress: the live panel follows the batch to its end on its own ---------------
    status = page.get_by_test_id("stMarkdownContainer").filter(has_text="status completed")
    expect(status.first).to_be_visible(timeout=COMPLETION_MS)
    wait_for_app(page)
    expect_metric(page, "Completion", "100%")
    expect_metric(page, "Remaining", "0")
    # A finished batch says what happened: every one of the 44 calls ended one way or another.
    finished = page.get_by_text(re.compile(r"^Finished — \d+ completed, \d+ failed$"))
    expect(finished).to_be_visible()
    counts = [int(n) for n in re.findall(r"\d+", finished.inner_text())]
    assert sum(counts) == 44, finished.inner_text()
    expect(page.get_by_text("This batch is completed")).to_be_visible()
    batch_id = re.search(r"batch_[0-9a-f]+", status.first.inner_text())
    assert batch_id, status.first.inner_text()
    assert f"batch={batch_id.group()}" in page.url, page.url

    # Exactly one batch exists: the batch picker and the history both list just this one.
    # (The picker's list closes when the page scrolls or reruns - the live panel's last
    # refresh may still land - so it is opened at the top, again if it closed.)
    picker = page.get_by_test_id("stSelectbox").filter(has_text="Batch")
    options = page.get_by_role("option")
    for _ in range(5):
        wait_for_app(page)
        picker.get_by_role("button", name="Open").click()
        with suppress(AssertionError, PlaywrightError):  # expect() raises AssertionError
            expect(options.first).to_be_visible(timeout=2_000)
            break
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(batch_id.group())
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)
    page.get_by_test_id("stExpander").get_by_text("Batch history").click()
    history = page.get_by_test_id("stExpander").get_by_test_id("stDataFrame")
    expect(history).to_be_visible()
    names = grid_cells(history, 0)
    assert len(names) == 1, f"expected exactly one batch, the history lists {names}"
    assert grid_cells(history, 1) == ["Completed"]  # statuses in words
    assert grid_cells(history, 2) == ["44"]
    assert grid_cells(history, 6) == [batch_id.group()]
    assert_no_exception(page)
    screenshot(page, shots / "5_progress.png")
    assert_no_exception(page)


def drop_reason(page: Page, title: str, count: int) -> None:
    """Show one reason's rows with the segmented control, then drop them all."""
    failing = int(metric(page, "Failing").inner_text())
    dropped = int(metric(page, "Dropped").inner_text())
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name=f"{title} ({count})").click()
    wait_for_app(page)
    button = page.get_by_role("button", name=f"Drop all {count} rows: {title}")
    expect(button).to_be_visible()
    button.click()
    wait_for_app(page)
    expect_metric(page, "Failing", f"{failing - count}")
    expect_metric(page, "Dropped", f"{dropped + count}")
    assert_no_exception(page)


def test_a_first_visit_to_a_deep_link_lists_the_page_titles(run: Run) -> None:
    """Right after the server starts, opening /fix_rows shows the titles, not file names."""
    page = run.page
    page.goto(f"{run.server.url}/fix_rows")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Fix rows", level=1)).to_be_visible()
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    titles = [
        text.strip() for text in links.get_by_test_id("stMarkdownContainer").all_inner_texts()
    ]
    assert titles == PAGE_TITLES
    assert page.title() == "Batch Call Workbench"
