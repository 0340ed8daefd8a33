"""The Submit page through the real app script, against the in-process sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from batchcall.api.client import BatchCallClient
from batchcall.api.models import TelephonyConfig
from batchcall.ui import submitting
from batchcall.ui.layout import PAGES
from batchcall.ui.state import Session
from batchcall.ui.workspace import fetch_workspace
from batchcall.work.submission import RejectedGroup

from tests.apptest_support import (
    AGENT,
    GB_MOBILE,
    TIMEOUT,
    WORKSPACE,
    assert_no_exception,
    batch_count,
    linked_pages,
    loaded_session,
    open_page,
    texts,
)

pytestmark = pytest.mark.usefixtures("app_environment")


def test_submit_without_a_file_points_to_upload() -> None:
    app = open_page(PAGES["submit"][0], Session(restored=True))
    assert_no_exception(app)
    assert "No file yet" in texts(app.info)
    assert not app.main.button
    assert "upload" in linked_pages(app)


def test_submit_with_the_sample_shows_preflight_coverage_and_preview() -> None:
    app = open_page(PAGES["submit"][0], loaded_session())
    assert_no_exception(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["To be called"] == "250"
    assert metrics["Still failing"] == "0"
    assert app.selectbox(key="submit-agent").value == AGENT
    assert "`{{customer_name}}`" in texts(app.markdown)
    assert "`city`" in texts(app.info)  # the one column the prompt never uses
    preview = texts(app.markdown)
    assert "**Priya Sharma**" in preview and "**500000**" in preview
    button = app.button(key="submit-launch")
    assert button.label == "Submit 250 calls now"
    assert not button.disabled


def test_submit_preview_marks_a_blank_variable() -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.edit({3: {"customer_name": ""}})
    app = open_page(PAGES["submit"][0], session)
    app.selectbox(key="submit-preview").set_value(3).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert ":red-background[⟦customer\\_name missing⟧]" in texts(app.markdown)
    # A few lines, one per variable: a static table, not a grid to scroll.
    empty = app.table[0].value
    assert dict(zip(empty["Variable"], empty["Empty rows"], strict=True))["customer_name"] == "1"


def test_submit_is_disabled_while_a_row_fails(client: BatchCallClient) -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.edit({5: {"phone_number": "12345"}})
    before = batch_count(client)
    app = open_page(PAGES["submit"][0], session)
    assert_no_exception(app)
    assert app.button(key="submit-launch").disabled
    assert "1 row would be refused" in texts(app.error)
    assert "fix_rows" in linked_pages(app)
    assert batch_count(client) == before


def test_submit_creates_exactly_one_batch_across_clicks_and_reruns(
    client: BatchCallClient,
) -> None:
    before = batch_count(client)
    session = loaded_session()
    app = open_page(PAGES["submit"][0], session)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert batch_count(client) == before + 1
    first = session.batch_id
    assert first is not None
    assert app.title[0].value == "Progress"  # switched after success
    assert f"`{first}`" in texts(app.markdown)
    notice = session.progress.created_notice
    if client.get_batch(first).status == "initiated":  # not yet accepted: still "created"
        assert notice is not None and f"`{first}`" in texts(app.success)

    # Back on Submit: the same rows and settings show the batch, not a button.
    app.switch_page(PAGES["submit"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not [b for b in app.button if b.key == "submit-launch"]
    assert f"Batch `{first}` created" in texts(app.success)

    # A second click whose first run never recorded its batch (interrupted by the
    # rerun) sends the same key again: the platform answers with the first batch.
    session.submit.created.clear()
    app.run(timeout=TIMEOUT)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.batch_id == first
    assert batch_count(client) == before + 1


def test_resubmitting_an_earlier_submission_says_it_was_not_created_again(
    client: BatchCallClient,
) -> None:
    session = loaded_session()
    app = open_page(PAGES["submit"][0], session)
    app.text_input(key="submit-name").set_value("resubmitted").run(timeout=TIMEOUT)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    first = session.batch_id
    assert first is not None
    before = batch_count(client)

    # Another browser session, a while later: same file, same rows, same settings.
    later = loaded_session()
    again = open_page(PAGES["submit"][0], later)
    again.text_input(key="submit-name").set_value("resubmitted").run(timeout=TIMEOUT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(submitting, "REUSE_TOLERANCE", timedelta(seconds=-5))  # "a while later"
        again.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(again)
    assert later.batch_id == first
    assert batch_count(client) == before
    assert "already submitted as batch" in texts(again.info)
    assert f"(`{first}`) created." not in texts(again.success)


def test_a_server_rejection_is_shown_in_original_row_numbers(client: BatchCallClient) -> None:
    # The local config is stale: it still allows UK mobiles, the workspace does not.
    stale = json.loads(json.dumps(WORKSPACE["telephony_config"]))
    for country in stale["countries"]:
        if country["country"] == "GB":
            for group in country["network_groups"]:
                group["enabled"] = True
    session = loaded_session(stale)
    workspace = fetch_workspace(client)
    workspace.config = TelephonyConfig.model_validate(stale)
    session.workspace = workspace  # what this session fetched before the change
    table = session.table
    assert table is not None
    table.drop([3, 4])  # so submitted rows no longer line up with the original ones
    other_gb_mobile = GB_MOBILE[:-1] + "7"  # not a repeat: both rows are sent
    table.edit({6: {"phone_number": GB_MOBILE}, 10: {"phone_number": other_gb_mobile}})
    before = batch_count(client)
    app = open_page(PAGES["submit"][0], session)
    assert not app.button(key="submit-launch").disabled  # pre-flight passes locally
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert batch_count(client) == before
    assert "Nothing was created" in texts(app.error)
    shown = app.dataframe[-1].value
    assert shown.to_dict("records") == [
        {"Reason": "Country not enabled", "Country": "GB", "Rows": 2, "Row numbers": "6 · 10"}
    ]
    # Re-judged with the workspace's own config, the two rows now fail here too.
    assert {m.label: m.value for m in app.metric}["Still failing"] == "2"
    assert app.button(key="submit-launch").disabled
    app.button(key="submit-open-fix").click().run(timeout=TIMEOUT)
    assert session.submit.server_rejected == [
        RejectedGroup("unsupported_destination_country", "GB", [6, 10])
    ]
    assert app.title[0].value == "Fix rows"


def test_a_schedule_in_the_past_blocks_submit() -> None:
    app = open_page(PAGES["submit"][0], loaded_session())
    app.checkbox(key="submit-schedule").check().run(timeout=TIMEOUT)
    app.date_input(key="submit-date").set_value(datetime.now(UTC).date()).run(timeout=TIMEOUT)
    app.time_input(key="submit-time").set_value(time(0, 0)).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "must be in the future" in texts(app.error)
    assert app.button(key="submit-launch").disabled


def test_submit_sends_the_chosen_schedule_concurrency_and_retries(
    client: BatchCallClient,
) -> None:
    session = loaded_session()
    app = open_page(PAGES["submit"][0], session)
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    app.text_input(key="submit-name").set_value("scheduled test")
    app.number_input(key="submit-concurrency").set_value(3)
    app.checkbox(key="submit-schedule").check()
    app.checkbox(key="submit-retry").check().run(timeout=TIMEOUT)
    app.date_input(key="submit-date").set_value(tomorrow)
    app.time_input(key="submit-time").set_value(time(9, 30))
    app.number_input(key="submit-retries").set_value(4).run(timeout=TIMEOUT)
    button = app.button(key="submit-launch")
    assert button.label == f"Submit 250 calls at {tomorrow.day} {tomorrow:%b} 09:30 UTC"
    button.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.batch_id is not None
    batch = client.get_batch(session.batch_id)
    assert batch.name == "scheduled test"
    assert batch.max_concurrent_calls == 3
    assert batch.scheduled_at == datetime.combine(tomorrow, time(9, 30), tzinfo=UTC)
    assert not batch.started_at


def test_a_column_fills_a_variable_the_file_names_otherwise() -> None:
    """The EMI agent asks for {{emi_amount}}; the file calls it loan_amount. Mapped on
    Submit, the file sent names the column as the agent expects; the upload is unchanged."""
    session = loaded_session()
    app = open_page(PAGES["submit"][0], session)
    app.selectbox(key="submit-agent").set_value("agt_emi456").run(timeout=TIMEOUT)
    assert "{{emi_amount}}" in texts(app.warning)
    app.selectbox(key="submit-map-emi_amount").set_value("loan_amount").run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "{{emi_amount}}" not in texts(app.warning)
    assert "**500000**" in texts(app.markdown)  # the preview reads the loan amount there
    sent = session.caches.cleaned.value
    assert sent is not None
    header = sent[0].split(b"\n", 1)[0].decode().split(",")
    assert header == ["phone_number", "customer_name", "emi_amount", "product", "due_date", "city"]
    assert "loan_amount" in session.table.original.columns  # the operator's file is as it was
    assert not app.button(key="submit-launch").disabled


def test_submit_estimates_the_duration_and_cost_from_the_operators_guesses() -> None:
    session = loaded_session()
    app = open_page(PAGES["submit"][0], session)
    app.number_input(key="submit-concurrency").set_value(5)
    app.number_input(key="estimate-rate").set_value(40.0)
    app.number_input(key="estimate-length").set_value(120.0)
    app.number_input(key="estimate-price").set_value(0.5).run(timeout=TIMEOUT)
    assert_no_exception(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    # 250 calls: 100 answered × 2 min = 200 min talk; 150 ringing × 0.5 min = 75 min.
    assert metrics["Expected duration"] == "55 min"  # 275 line minutes / 5 lines
    assert metrics["Expected cost"] == "100.00"  # 200 connected minutes × 0.5
    assert session.prechecks.connect_rate == 40.0  # kept with the other answers


def test_a_dropped_connection_at_launch_is_said_under_the_button_and_a_retry_launches_once(
    client: BatchCallClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from batchcall.api.errors import ApiConnectionError

    session = loaded_session()
    app = open_page(PAGES["submit"][0], session)
    app.text_input(key="submit-name").set_value("dropped connection").run(timeout=TIMEOUT)
    real_create = BatchCallClient.create_batch

    def dropped(self: BatchCallClient, *args: object, **kwargs: object) -> None:
        raise ApiConnectionError("the connection dropped")

    before = batch_count(client)
    monkeypatch.setattr(BatchCallClient, "create_batch", dropped)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.title[0].value == "Submit"  # stays, with the reason next to the button
    assert "The platform did not create the batch." in texts(app.error)
    assert "the connection dropped" in texts(app.error)
    assert batch_count(client) == before and session.batch_id is None

    monkeypatch.setattr(BatchCallClient, "create_batch", real_create)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.title[0].value == "Progress"
    assert batch_count(client) == before + 1
    assert "did not create" not in texts(app.error)
    # The checked reports went before the request, so they never share the memory with it.
    assert session.caches.precheck_base.value is None and session.caches.prechecks.value is None


def test_submit_goes_on_to_progress_only_right_after_a_launch() -> None:
    from time import monotonic

    from batchcall.ui.state import SWITCH_SECONDS

    session = loaded_session()
    session.submit.go_to_progress("batch_just_launched")
    app = open_page(PAGES["submit"][0], session)
    assert_no_exception(app)
    assert app.title[0].value == "Progress"  # the launch's own run, or a click that raced it

    # A Progress that never finished drawing must not keep Submit away for good.
    session.submit.go_to_progress("batch_long_ago")
    session.submit.switching_since = monotonic() - SWITCH_SECONDS - 1
    app.switch_page(PAGES["submit"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.title[0].value == "Submit"
    assert session.submit.switching_to is None
