"""Every page on a phone-width window (420 x 900): nothing pushes the page sideways and
every metric's label is shown whole, not cut to "Would be rej…".

One walk through the workbench as an operator on a phone would take it: the messy
sample on Upload, Destinations and Fix rows; then the clean sample through Submit to a
small sandbox batch on Progress.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from batchcall.samples import sample_path
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    STEP_MS,
    Server,
    assert_no_exception,
    call_outside_hours,
    expect_metric,
    go_to_page,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser
NARROW = {"width": 420, "height": 900}
TOLERANCE_PX = 2
SPEED = 120  # simulated seconds per real second: the 250 calls end in a few seconds
MAX_SHOT_HEIGHT = 8_000
SHOTS_VARIABLE = "BATCHCALL_NARROW_SHOTS"  # a folder to keep the narrow screenshots in

OVERFLOW = """() => {
  const page = document.scrollingElement;
  const main = document.querySelector("[data-testid='stMain']");
  return {page: page.scrollWidth, main: main ? main.scrollWidth - main.clientWidth : 0};
}"""

CUT_LABELS = """() => {
  const cut = [];
  for (const label of document.querySelectorAll("[data-testid='stMetricLabel']")) {
    if (!label.offsetParent) continue;  // not shown (a collapsed expander)
    for (const box of [label, ...label.querySelectorAll("*")]) {
      if (box.clientWidth && box.scrollWidth > box.clientWidth + 1) {
        cut.push(label.innerText.trim());
        break;
      }
    }
  }
  return cut;
}"""


def assert_fits(page: Page, name: str, shots: Path) -> None:
    """No sideways scroll of the page (nor of Streamlit's own scrolling main area), and
    no metric label cut short; a screenshot of the whole page for a person to look at."""
    wait_for_app(page)
    page.wait_for_timeout(500)  # charts lay themselves out after the run ends
    main = page.get_by_test_id("stMain")
    main.evaluate("main => main.scrollTo(0, main.scrollHeight)")  # draw what is lazy
    page.wait_for_timeout(300)
    widths = page.evaluate(OVERFLOW)
    assert widths["page"] <= NARROW["width"] + TOLERANCE_PX, f"{name}: page scrolls sideways"
    assert widths["main"] <= TOLERANCE_PX, f"{name}: the main area scrolls sideways"
    cut = page.evaluate(CUT_LABELS)
    assert not cut, f"{name}: metric labels cut short: {cut}"
    assert_no_exception(page)
    # The main area scrolls, not the document: the window is made as tall as it for the shot.
    shots.mkdir(parents=True, exist_ok=True)
    height = min(int(main.evaluate("main => main.scrollHeight")), MAX_SHOT_HEIGHT)
    page.set_viewport_size({"width": NARROW["width"], "height": max(height, NARROW["height"])})
    try:
        page.wait_for_timeout(500)
        main.evaluate("main => main.scrollTo(0, 0)")
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(NARROW)


def open_page(page: Page, title: str) -> None:
    """The sidebar is folded away on a phone: unfold it, pick the page, fold it again."""
    nav = page.get_by_test_id("stSidebarNav")
    if not nav.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(nav).to_be_visible(timeout=STEP_MS)
    go_to_page(page, title)
    collapse = page.get_by_test_id("stSidebarCollapseButton")
    if nav.is_visible() and collapse.count():
        collapse.first.click(force=True)
        expect(nav).not_to_be_visible(timeout=STEP_MS)


def test_every_page_fits_a_phone(browser: Browser, server: Server, tmp_path: Path) -> None:
    shots = Path(os.environ.get(SHOTS_VARIABLE) or tmp_path / "narrow")
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    watch_for_exceptions(page)
    try:
        page.goto(f"{server.url}/")
        wait_for_app(page)
        dropzone = page.get_by_test_id("stFileUploaderDropzoneInput")
        expect(dropzone).to_be_attached(timeout=2 * STEP_MS)  # a server's first page is slower
        dropzone.set_input_files(sample_path("messy_contacts.xlsx"))
        expect_metric(page, "Would be rejected", "16")
        expect(page.get_by_role("heading", name="Profile of messy_contacts.xlsx")).to_be_visible()
        assert_fits(page, "1_upload", shots)

        open_page(page, "Destinations & routes")
        expect_metric(page, "Blocked or invalid", "16")
        assert_fits(page, "2_destinations", shots)

        open_page(page, "Fix rows")
        expect_metric(page, "Failing", "16")
        assert_fits(page, "3_fix_rows", shots)

        open_page(page, "Upload & profile")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            sample_path("loan_followup.csv")
        )
        expect(page.get_by_role("heading", name="Profile of loan_followup.csv")).to_be_visible()
        wait_for_app(page)

        open_page(page, "Submit")
        call_outside_hours(page)
        submit = page.get_by_role("button", name=re.compile(r"^Submit 250 calls now"))
        expect(submit).to_be_enabled()
        assert_fits(page, "4_submit", shots)

        submit.click()
        expect(page.get_by_role("heading", name="Progress", level=1)).to_be_visible()
        finished = page.get_by_text(re.compile(r"^Finished — "))
        expect(finished.first).to_be_attached(timeout=120_000)
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        assert_fits(page, "5_progress", shots)
    finally:
        context.close()
