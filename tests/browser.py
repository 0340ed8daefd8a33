"""Helpers for the browser test: the real server, Chromium, waiting on Streamlit, the grid.

The server is started exactly as users start it (``streamlit run app.py``), in its
own process group so everything it spawns goes away with it. Waiting follows
Streamlit's own e2e tests: the root element carries ``data-test-script-state``
(``running`` / ``notRunning``), so after an interaction we wait for a run to
show up and then for it to end, and then wait on the text we expect.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench import ui_server
from bench.ui_server import CHROMIUM, CHROMIUM_ARGS, Server

STEP_MS = 30_000  # generous per step: a slow CI machine must not make the test flaky
ROW_HEIGHT = 35  # glide-data-grid rows (and the header row) in Streamlit's editors

expect.set_options(timeout=STEP_MS)  # every expect(...) waits as long as a step may take


# --- the server -----------------------------------------------------------------------------


@contextmanager
def streamlit_server(tmp: Path, speed: float, *, startup_timeout: float = 60.0) -> Iterator[Server]:
    """``streamlit run app.py`` on a free port, sandbox and drafts under ``tmp``; stopped after.

    The same start as the browser benchmark's (``bench.ui_server``): the sandbox mode
    is forced by removing any configured workspace from the environment, and the
    process group is terminated (then killed) on the way out.
    """
    server = ui_server.start(tmp, speed, timeout=startup_timeout)
    try:
        yield server
    finally:
        ui_server.stop(server)


# --- the browser ----------------------------------------------------------------------------


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright; never a downloaded browser."""
    if not CHROMIUM.exists():  # a failure, never a skip: the browser test must run
        pytest.fail(
            f"{CHROMIUM} is missing: the browser test needs Debian's chromium "
            "(`make chromium`, or `sudo apt-get install chromium`). "
            "Do not let Playwright download a browser.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


# --- waiting on Streamlit -------------------------------------------------------------------


def wait_for_app(page: Page, *, appear_ms: int = 1_500, timeout_ms: int = STEP_MS) -> None:
    """Wait for the rerun an interaction started to end.

    A run may be too fast to be seen in the ``running`` state, so its appearance
    is waited for briefly and not required; its end is. Callers then wait on the
    text they expect, which is what makes the test robust.
    """
    app = page.locator("[data-testid='stApp']")
    with suppress(PlaywrightTimeout):
        page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(
            state="attached", timeout=appear_ms
        )
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout_ms
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_ms
    )
    expect(app.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)


def metric(page: Page, label: str) -> Locator:
    """The value of the ``st.metric`` whose label is exactly ``label``."""
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return box.get_by_test_id("stMetricValue")


def expect_metric(page: Page, label: str, value: str, timeout_ms: int = STEP_MS) -> None:
    expect(metric(page, label)).to_have_text(value, timeout=timeout_ms)


def go_to_page(page: Page, title: str) -> None:
    """Open a page through the sidebar navigation, by its title."""
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text(title, exact=True)).click()
    expect(page.get_by_role("heading", name=title, level=1, exact=True)).to_be_visible(
        timeout=STEP_MS
    )
    wait_for_app(page)


def call_outside_hours(page: Page) -> None:
    """Untick Submit's "Leave out rows outside their calling hours": a launch "now" then
    sends every row whatever the hour the test runs at (the samples are in India)."""
    box = page.get_by_role("checkbox", name="Leave out rows outside their calling hours")
    if box.is_checked():
        page.get_by_text("Leave out rows outside their calling hours", exact=True).click()
        wait_for_app(page)
    expect(box).not_to_be_checked()


# --- the Fix rows grid (glide-data-grid on a canvas) ------------------------------------------


def grid_cells(grid: Locator, column: int) -> list[str]:
    """Texts of one column, from glide's accessible table (ids ``glide-cell-<col>-<row>``)."""
    cells = grid.locator(f"[data-testid^='glide-cell-{column}-']")
    expect(cells.first).to_be_attached(timeout=STEP_MS)
    return [text.strip() for text in cells.all_text_contents()]


def edit_grid_cell(page: Page, grid: Locator, row_label: str, column: int, value: str) -> None:
    """Type ``value`` into the cell of the row whose index reads ``row_label``.

    The row's position comes from the accessible table; the row is selected by
    clicking its index cell (column 0, at the canvas's left edge, so no checkbox
    is toggled), the arrow keys move to ``column``, Enter opens the editor, the
    text is replaced and Enter commits it.
    """
    rows = grid_cells(grid, 0)
    assert row_label in rows, f"row {row_label} is not in the grid: {rows}"
    position = rows.index(row_label)
    canvas = grid.get_by_test_id("data-grid-canvas")
    expect(canvas).to_be_visible(timeout=STEP_MS)
    canvas.scroll_into_view_if_needed()
    target = grid.get_by_test_id(f"glide-cell-{column}-{position}")
    box = canvas.bounding_box()
    assert box is not None, "the grid's canvas has no bounding box"
    y = ROW_HEIGHT * (position + 1) + ROW_HEIGHT / 2  # the header is one row high
    # A scroller div overlays the canvas and takes the pointer events: click by coordinates.
    page.mouse.click(box["x"] + 12, box["y"] + y)
    expect(grid.get_by_test_id(f"glide-cell-0-{position}")).to_have_attribute(
        "aria-selected", "true", timeout=10_000
    )
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    expect(target).to_have_attribute("aria-selected", "true", timeout=10_000)
    page.keyboard.press("Enter")
    editor = page.get_by_test_id("portal").locator(".gdg-clip-region")
    expect(editor).to_be_visible(timeout=10_000)
    field = editor.locator("textarea, input").first
    field.press("ControlOrMeta+a")
    field.press_sequentially(value)
    expect(field).to_have_value(value)
    # glide's overlay editor queues a setTimeout(0) per keydown; a typing key's timer that
    # runs after Enter's keydown cancels the edit (no rerun, selection one row down). Timers
    # of equal delay run in order: awaiting one queued now lets all of those run first.
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    field.press("Enter")


# --- screenshots and page-wide checks --------------------------------------------------------

VIEWPORT = {"width": 1400, "height": 900}
MAX_SCREENSHOT_HEIGHT = 2_600

_WATCH_SCRIPT = """
(() => {
  window.__e2eProblems = [];
  const seen = new WeakSet();
  const check = (node) => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    if (!element) return;
    const boxes = element.matches("[data-testid='stException']")
      ? [element] : [...element.querySelectorAll("[data-testid='stException']")];
    for (const box of boxes) {
      if (seen.has(box)) continue;
      seen.add(box);
      window.__e2eProblems.push("stException: " + box.textContent);
    }
    if ((node.textContent || "").includes("Traceback")) {
      window.__e2eProblems.push("Traceback: " + node.textContent.slice(0, 2000));
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "characterData") check(record.target);
      for (const node of record.addedNodes) check(node);
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();
"""


def watch_for_exceptions(page: Page) -> None:
    """Record every ``stException`` box and every "Traceback" text that ever appears.

    Installed before any page script runs (and again after each reload), so an
    exception drawn and replaced between two checks is still caught.
    """
    page.add_init_script(_WATCH_SCRIPT)


def assert_no_exception(page: Page) -> None:
    """Nothing seen by the watcher, no exception box now, no traceback text now."""
    problems = page.evaluate("() => window.__e2eProblems || []")
    assert not problems, "\n\n".join(problems)
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, exceptions.first.inner_text()
    body = page.locator("body").inner_text()
    assert "Traceback" not in body, body


def screenshot(page: Page, path: Path) -> None:
    """The whole page at 1,400 px wide, as tall as its content (Streamlit scrolls inside).

    ``full_page`` alone would stop at the window, because the main area scrolls,
    not the document: the window is made as tall as the main area for the shot.
    """
    main = page.get_by_test_id("stMain")
    height = int(main.evaluate("main => main.scrollHeight"))
    height = max(VIEWPORT["height"], min(height, MAX_SCREENSHOT_HEIGHT))
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    try:
        page.wait_for_function(
            """([selector, limit]) => {
                const main = document.querySelector(selector);
                return main.scrollHeight <= window.innerHeight + 1 || window.innerHeight >= limit;
            }""",
            arg=["[data-testid='stMain']", MAX_SCREENSHOT_HEIGHT],
            timeout=5_000,
        )
        main.evaluate("main => main.scrollTo(0, 0)")
        page.mouse.move(VIEWPORT["width"] - 20, height - 20)  # no hover effects in the shot
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True, scale="css", animations="disabled")
    finally:
        page.set_viewport_size(VIEWPORT)
