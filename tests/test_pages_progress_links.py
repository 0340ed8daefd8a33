"""Progress opened from a link or a reload: the batch the URL names is followed (never
"Choose a batch above" beside it), one the platform does not know is cleared before the
picker shows it, and one not readable just now says to try again."""

from __future__ import annotations

import pytest
from batchcall.api.client import BatchCallClient
from batchcall.api.errors import ApiConnectionError
from batchcall.ui.layout import PAGES
from batchcall.ui.state import Session

from tests.apptest_support import AGENT, ROUTE, SAMPLE, assert_no_exception, open_page, texts

PROGRESS = PAGES["progress"][0]

pytestmark = pytest.mark.usefixtures("app_environment")


def a_batch(client: BatchCallClient) -> str:
    made = client.create_batch(
        (SAMPLE.name, SAMPLE.read_bytes()),
        agent_id=AGENT,
        from_phone_number=ROUTE["phone_number"],
        name="deep link",
    )
    return made.id


def test_a_batch_named_in_the_url_is_followed(client: BatchCallClient) -> None:
    batch_id = a_batch(client)
    app = open_page(PROGRESS, Session(), batch=batch_id)
    assert_no_exception(app)
    assert app.selectbox(key="progress-pick").value == batch_id
    assert "Choose a batch" not in texts(app.info)
    assert app.get("subheader")[0].value == "deep link"


def test_an_unknown_batch_in_the_url_is_cleared_before_the_picker_shows_it(
    client: BatchCallClient,
) -> None:
    a_batch(client)  # so there is a history to choose from
    app = open_page(PROGRESS, Session(), batch="batch_from_elsewhere")
    assert_no_exception(app)
    assert "`batch_from_elsewhere` was not found" in texts(app.warning)
    picker = app.selectbox(key="progress-pick")
    assert not [label for label in picker.options if "batch_from_elsewhere" in label]
    assert "Choose a batch above" in texts(app.info)
    assert "batch" not in app.query_params


def test_a_batch_not_readable_just_now_is_not_called_unchosen(
    client: BatchCallClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_id = a_batch(client)

    def unreachable(self: BatchCallClient, batch_id: str) -> None:
        raise ApiConnectionError("the platform did not answer")

    monkeypatch.setattr(BatchCallClient, "get_batch", unreachable)
    app = open_page(PROGRESS, Session(), batch=batch_id)
    assert_no_exception(app)
    assert f"Could not read batch `{batch_id}`" in texts(app.error)
    assert app.selectbox(key="progress-pick").value == batch_id
    assert "Choose a batch" not in texts(app.info)
    assert "Reload the page to try again" in texts(app.info)


def test_an_unknown_draft_link_on_progress_is_said() -> None:
    app = open_page(PROGRESS, Session(), draft="0" * 32)
    assert_no_exception(app)
    notice = texts(app.info)
    assert "The draft in this link is unknown here" in notice
    assert "Upload the file again" in notice
    assert "draft" not in app.query_params
