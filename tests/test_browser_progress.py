"""Progress in a real browser: cancel confirms at once (its own fragment) and the batch
then reads as what happened, never "100% done"; a reload of a running batch draws the
history it had; "Call again" opens the unanswered contacts as a new upload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from batchcall.samples import sample_path
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    VIEWPORT,
    Server,
    assert_no_exception,
    call_outside_hours,
    go_to_page,
    streamlit_server,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser
SLOW = 5  # simulated seconds per real second: 250 calls take minutes, so it is still running
FAST = 60  # the 250 calls take about half a minute

AREA_POINTS = """() => {
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  const area = charts.find((c) => c.layout && JSON.stringify(c.layout.title).includes('over time'));
  return area && area.data.length ? area.data[0].x.length : 0;
}"""


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    """The app at the speed the test asks for (``indirect`` parametrisation)."""
    with streamlit_server(tmp_path, request.param) as running:
        yield running


def submit_the_sample(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        sample_path("loan_followup.csv")
    )
    expect(page.get_by_role("heading", name="Profile of loan_followup.csv")).to_be_visible()
    go_to_page(page, "Submit")
    call_outside_hours(page)
    page.get_by_role("button", name=re.compile(r"^Submit 250 calls now")).click()
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()


@pytest.mark.parametrize("server", [SLOW], indirect=True)
def test_cancel_confirms_at_once_and_the_batch_reads_cancelled(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch_for_exceptions(page)
    try:
        submit_the_sample(page, server)
        expect(page.get_by_role("button", name="Cancel batch…")).to_be_visible(timeout=30_000)
        wait_for_app(page)

        page.get_by_role("button", name="Cancel batch…").click()
        yes = page.get_by_role("button", name=re.compile(r"^Yes, cancel [\d,]+ queued calls$"))
        expect(yes).to_be_visible(timeout=5_000)
        yes.click()
        expect(page.get_by_text(re.compile(r"^Batch `?batch_\w+`? cancelled\.$"))).to_be_visible()
        headline = page.get_by_text(re.compile(r"^Cancelled — \d+ completed, \d+ failed"))
        expect(headline.first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile(r"100% done"))).to_have_count(0)
        assert_no_exception(page)
    finally:
        context.close()


@pytest.mark.parametrize("server", [FAST], indirect=True)
def test_a_reload_keeps_the_history_and_call_again_opens_a_new_upload(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch_for_exceptions(page)
    try:
        submit_the_sample(page, server)
        page.wait_for_function(f"({AREA_POINTS})() >= 3", timeout=30_000)
        drawn = page.evaluate(AREA_POINTS)
        page.reload()  # a new browser session: the history comes from the server's store
        wait_for_app(page)
        page.wait_for_function(f"({AREA_POINTS})() >= {drawn}", timeout=30_000)

        again = page.get_by_role("button", name=re.compile(r"^Call [\d,]+ contacts again$"))
        expect(again).to_be_visible(timeout=60_000)  # once the batch has ended
        count = int(re.sub(r"\D", "", again.inner_text()))
        again.click()
        heading = page.get_by_role(
            "heading", name=re.compile(r"^Profile of loan_followup.* - call again\.csv$")
        )
        expect(heading).to_be_visible()
        expect(page.get_by_text(f"{count:,} rows").first).to_be_visible()
        assert_no_exception(page)
    finally:
        context.close()
