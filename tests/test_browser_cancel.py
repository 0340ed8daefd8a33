"""Cancelling a running batch in a real browser: the confirmation comes at once (its own
fragment), and the batch then reads as what happened, never "100% done"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from batchcall.samples import sample_path
from playwright.sync_api import Browser, expect

from tests.browser import (
    VIEWPORT,
    Server,
    assert_no_exception,
    chromium,
    go_to_page,
    streamlit_server,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser
SLOW = 5  # simulated seconds per real second: 250 calls take minutes, so it is still running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with streamlit_server(tmp_path, SLOW) as running:
        yield running


def test_cancel_confirms_at_once_and_the_batch_reads_cancelled(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch_for_exceptions(page)
    try:
        page.goto(f"{server.url}/")
        wait_for_app(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            sample_path("loan_followup.csv")
        )
        expect(page.get_by_role("heading", name="Profile of loan_followup.csv")).to_be_visible()
        go_to_page(page, "Submit")
        page.get_by_role("button", name=re.compile(r"^Submit 250 calls now")).click()
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
