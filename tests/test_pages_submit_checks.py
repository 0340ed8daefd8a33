"""Submit's pre-flight through AppTest: routes the platform refuses, prompt variables no
column provides."""

from __future__ import annotations

import pytest
from batchcall.api.client import BatchCallClient
from batchcall.ui.layout import PAGES
from batchcall.ui.state import Session

from tests.apptest_support import (
    TIMEOUT,
    assert_no_exception,
    batch_count,
    linked_pages,
    loaded_session,
    open_page,
    texts,
)

SUBMIT = PAGES["submit"][0]
DELHI_NO_AGENT = "+911140001234"
BENGALURU_INACTIVE = "+918045678901"
EMI_AGENT = "agt_emi456"  # its prompt uses {{emi_amount}}, which the sample lacks

pytestmark = pytest.mark.usefixtures("app_environment")


def on_route(number: str) -> Session:
    session = loaded_session()
    session.route_number = number
    return session


@pytest.mark.parametrize(
    ("number", "reason"),
    [(DELHI_NO_AGENT, "has no outbound agent"), (BENGALURU_INACTIVE, "is inactive")],
)
def test_a_route_the_platform_refuses_blocks_submit_and_says_why(
    client: BatchCallClient, number: str, reason: str
) -> None:
    before = batch_count(client)
    app = open_page(SUBMIT, on_route(number))
    assert_no_exception(app)
    assert f"{number} {reason}" in texts(app.error)
    assert "destinations" in linked_pages(app)
    assert app.button(key="submit-launch").disabled
    app.run(timeout=TIMEOUT)
    assert app.button(key="submit-launch").disabled
    assert batch_count(client) == before


def test_a_missing_variable_needs_an_explicit_acknowledgement() -> None:
    app = open_page(SUBMIT, loaded_session())
    assert not app.button(key="submit-launch").disabled
    assert not [c for c in app.checkbox if c.label.startswith("Send anyway")]

    app.selectbox(key="submit-agent").set_value(EMI_AGENT).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "`{{emi_amount}}`" in texts(app.warning)
    assert app.button(key="submit-launch").disabled
    [ack] = [c for c in app.checkbox if c.label.startswith("Send anyway")]
    assert ack.label == "Send anyway; the agent will skip {{emi_amount}}"
    ack.check().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not app.button(key="submit-launch").disabled

    # Another agent with another gap asks again; one with none asks nothing.
    app.selectbox(key="submit-agent").set_value("agt_abc123").run(timeout=TIMEOUT)
    assert not [c for c in app.checkbox if c.label.startswith("Send anyway")]
    assert not app.button(key="submit-launch").disabled
    app.selectbox(key="submit-agent").set_value(EMI_AGENT).run(timeout=TIMEOUT)
    assert app.button(key="submit-launch").disabled


def test_the_launch_caption_lists_every_reason_submit_is_disabled() -> None:
    """A route with no agent, a prompt gap and a failing row: all three, at once."""
    session = on_route(DELHI_NO_AGENT)
    assert session.table is not None
    session.table.edit({2: {"phone_number": "12345"}})  # one row now fails
    app = open_page(SUBMIT, session)
    app.selectbox(key="submit-agent").set_value(EMI_AGENT).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.button(key="submit-launch").disabled
    [caption] = [c.value for c in app.caption if c.value.startswith("Submit is disabled until")]
    assert "1 row would be refused" in caption
    assert f"{DELHI_NO_AGENT} has no outbound agent" in caption
    assert "{{emi_amount}}" in caption
