"""Time-zone waves in a real browser: the sample sent as a wave from Submit, its group on
Progress (kept across a reload through the URL), cancelled as a whole with its wording."""

from __future__ import annotations

import re

import pytest
from batchcall.samples import sample_path
from playwright.sync_api import Browser, expect

from tests.browser import (
    VIEWPORT,
    Server,
    assert_no_exception,
    go_to_page,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser
SPEED = 5  # simulated seconds per real second: the wave is still running when cancelled


def test_a_wave_is_followed_as_a_group_across_a_reload_and_cancelled(
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
        page.get_by_text("Send as time-zone waves", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text(re.compile(r"^Time-zone waves: 1 waves?"))).to_be_visible()
        page.get_by_role("button", name="Submit 250 calls as 1 time-zone wave").click()
        expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
        group = page.get_by_role("heading", name=re.compile(r" — 1 numbered batch$"))
        expect(group).to_be_visible()
        assert "group=" in page.url

        page.reload()  # a new browser session: the URL names the group
        wait_for_app(page)
        expect(group).to_be_visible()
        page.get_by_role("button", name="Cancel the whole group…").click()
        yes = page.get_by_role("button", name=re.compile(r"^Yes, cancel 1 batch \("))
        expect(yes).to_be_visible(timeout=10_000)
        yes.click()
        expect(page.get_by_text("Group cancelled: 1 batch stopped.")).to_be_visible()
        headline = page.get_by_text(re.compile(r"^Cancelled — \d+ completed, \d+ failed"))
        expect(headline.first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile(r"100% done"))).to_have_count(0)
        assert_no_exception(page)
    finally:
        context.close()
