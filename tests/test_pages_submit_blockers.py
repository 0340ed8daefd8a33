"""Why Submit is disabled, all at once: every reason in the caption beside the button, each
with what to do, not only the first one met."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from batchcall.api.models import PhoneNumber
from batchcall.insight.preflight import launch_blockers, launch_caption
from batchcall.ui.layout import PAGES

from tests.apptest_support import TIMEOUT, assert_no_exception, loaded_session, open_page

SUBMIT = PAGES["submit"][0]
DELHI_NO_AGENT = "+911140001234"
EMI_AGENT = "agt_emi456"  # its prompt uses {{emi_amount}}, which the sample lacks


def test_every_reason_is_listed_with_what_to_do() -> None:
    inactive = PhoneNumber(phone_number="+918045678901", status="inactive")
    summary = {"rows": 10, "to_call": 4, "dropped": 0, "failing": 6, "ready": False}
    blockers = launch_blockers(
        summary,
        agent_id="",
        schedule_ok=False,
        file_bytes=11 * 2**20,
        route=inactive,
        missing_variables=["emi_amount"],
        acknowledged=False,
    )
    assert len(blockers) == 6
    for start, todo in [
        ("6 rows would be refused", "fix or drop them"),
        ("+918045678901 is inactive", "choose another number"),
        ("No agent chosen", "choose the agent"),
        ("The prompt uses {{emi_amount}}", "tick “Send anyway”"),
        ("The schedule is in the past", "choose a later time"),
        ("The cleaned file is 11.0 MB", "drop columns"),
    ]:
        [found] = [b for b in blockers if b.startswith(start)]
        assert todo in found
    caption = launch_caption(blockers)
    assert caption.startswith("Submit is disabled until these 6 things are dealt with:\n- ")
    assert caption.count("\n- ") == 6
    assert launch_caption(blockers[:1]).startswith("Submit is disabled until this is dealt")


def test_nothing_to_call_and_every_row_left_out_are_said() -> None:
    route = PhoneNumber(phone_number="+912234567890", status="active")
    empty = {"rows": 3, "to_call": 0, "dropped": 3, "failing": 0, "ready": False}
    [nothing] = launch_blockers(empty, agent_id="a", schedule_ok=True, file_bytes=1, route=route)
    assert nothing == "No rows left to call: restore some rows or upload another file."
    kept = {"rows": 3, "to_call": 3, "dropped": 0, "failing": 0, "ready": True}
    [left_out] = launch_blockers(
        kept, agent_id="a", schedule_ok=True, file_bytes=1, route=route, sent_rows=0
    )
    assert left_out.startswith("Every row is left out under Before launch")


@pytest.mark.usefixtures("app_environment")
def test_the_page_lists_four_reasons_at_once() -> None:
    session = loaded_session()
    session.route_number = DELHI_NO_AGENT
    assert session.table is not None
    session.table.edit({2: {"phone_number": "12345"}})  # one row now fails
    app = open_page(SUBMIT, session)
    app.selectbox(key="submit-agent").set_value(EMI_AGENT).run(timeout=TIMEOUT)
    app.checkbox(key="submit-schedule").check().run(timeout=TIMEOUT)
    app.date_input(key="submit-date").set_value(datetime.now(UTC).date()).run(timeout=TIMEOUT)
    app.time_input(key="submit-time").set_value(time(0, 0)).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.button(key="submit-launch").disabled
    [caption] = [c.value for c in app.caption if c.value.startswith("Submit is disabled until")]
    assert caption.startswith("Submit is disabled until these 4 things are dealt with:")
    for reason in (
        "1 row would be refused",
        f"{DELHI_NO_AGENT} has no outbound agent",
        "{{emi_amount}}",
        "The schedule is in the past",
    ):
        assert reason in caption, caption
