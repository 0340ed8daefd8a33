"""Upload's limits in a real browser: a 12 MB list reaches the page (the uploader takes
up to 105 MB) and is refused in the main area, in words naming the file and the 10 MB
limit, with the way to read it anyway; the limit is said before the drop (the uploader's
own "105MB" is not shown); while a large file is read the page says so, never "Nothing
uploaded yet"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    VIEWPORT,
    Server,
    assert_no_exception,
    streamlit_server,
    wait_for_app,
    watch_for_exceptions,
)

pytestmark = pytest.mark.browser
LIMIT = "Files up to 10 MB (lists up to 100 MB can be read and sent in parts)."
ROW = b"9876543210,Priya Sharma,some words to make the list long\n"

# Set by a MutationObserver for as long as the page shows "Reading <file>": whether
# "Nothing uploaded yet" was on screen at the same time.
READING_WATCH = """(name) => {
  window.__reading = {seen: false, placeholder: false};
  const check = () => {
    const text = document.querySelector("[data-testid='stMain']").innerText;
    if (text.includes("Reading " + name)) {
      window.__reading.seen = true;
      if (text.includes("Nothing uploaded yet")) window.__reading.placeholder = true;
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true,
                                                 characterData: true});
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with streamlit_server(tmp_path_factory.mktemp("upload-limits"), 60) as running:
        yield running


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    opened = context.new_page()
    watch_for_exceptions(opened)
    opened.goto(f"{server.url}/")
    wait_for_app(opened)
    try:
        yield opened
    finally:
        context.close()


def a_list(path: Path, size: int) -> Path:
    path.write_bytes(b"phone_number,name,note\n" + ROW * (size // len(ROW) + 1))
    return path


def drop(page: Page, path: Path) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))


def test_a_12_mb_list_is_refused_in_the_main_area(page: Page, tmp_path: Path) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(LIMIT)).to_be_visible()
    expect(main.get_by_text("105MB")).to_be_hidden()  # the uploader's own line

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    drop(page, empty)
    expect(main.get_by_test_id("stAlertContentError")).to_contain_text("empty.csv")

    drop(page, a_list(tmp_path / "big.csv", 12 * 2**20))
    refusal = main.get_by_test_id("stAlertContentError")
    expect(refusal).to_contain_text("big.csv is 12.00 MB")
    expect(refusal).to_contain_text("the platform accepts at most 10 MB")
    expect(refusal).not_to_contain_text("empty.csv")  # the last file's refusal is gone
    expect(main.get_by_role("button", name="Read it anyway (up to 100 MB)", exact=False))
    expect(main.get_by_text("Nothing uploaded yet")).to_have_count(0)
    assert_no_exception(page)


def test_a_large_list_is_said_to_be_read_while_it_is(page: Page, tmp_path: Path) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Nothing uploaded yet")).to_be_visible()
    page.evaluate(READING_WATCH, "large.csv")
    drop(page, a_list(tmp_path / "large.csv", int(9.5 * 2**20)))
    expect(page.get_by_role("heading", name="Profile of large.csv")).to_be_visible()
    wait_for_app(page)
    watched = page.evaluate("() => window.__reading")
    assert watched["seen"], "the page never said it was reading large.csv"
    assert not watched["placeholder"], "'Nothing uploaded yet' showed while the file was read"
    assert_no_exception(page)
