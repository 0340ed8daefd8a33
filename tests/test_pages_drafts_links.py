"""A draft link that can not be opened is said on whichever page it opens, with what to
do, and never raises: unknown ids, ids that are not ids at all."""

from __future__ import annotations

import pytest
from batchcall.ui.layout import PAGES
from batchcall.ui.state import Session

from tests.apptest_support import assert_no_exception, open_page, texts

pytestmark = pytest.mark.usefixtures("app_environment")


@pytest.mark.parametrize("page", ["upload", "destinations", "fix", "submit", "progress"])
@pytest.mark.parametrize("draft", ["0" * 32, "../not-a-draft"])
def test_an_unknown_draft_link_says_so_on_every_page(page: str, draft: str) -> None:
    app = open_page(PAGES[page][0], Session(), draft=draft)
    assert_no_exception(app)
    assert not app.error
    notice = texts(app.info)
    assert "The draft in this link is unknown here" in notice, notice
    assert "Upload the file again on Upload & profile" in notice
    assert "draft" not in app.query_params
