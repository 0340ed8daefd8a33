"""Submit and Progress driven through the real app script against the in-process sandbox.

The app starts its own sandbox when none is mounted (``lib.ui.hosting``); the
tests speak to that same sandbox through ``sandbox_endpoint(None)`` to count
batches, create batches directly and wait for them. It runs fast (the speed
factor below) on a database of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from lib.api_types import Batch
from lib.client import BatchCallClient
from lib.connection import Connection
from lib.contacts import read_contacts
from lib.models import TelephonyConfig
from lib.preflight import RejectedGroup
from lib.ui import submitting
from lib.ui.hosting import DB_VARIABLE, SPEED_VARIABLE, sandbox_endpoint
from lib.ui.layout import PAGES
from lib.ui.progress_view import (
    REFRESH_SECONDS,
    WAITING_REFRESH_SECONDS,
    cancel_now,
    refresh_interval,
)
from lib.ui.session import STATE_KEY, Session, Upload
from lib.ui.workspace import fetch_workspace
from lib.worktable import WorkTable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "loan_followup.csv"
WORKSPACE = json.loads((ROOT / "sample_data" / "workspace.json").read_text(encoding="utf-8"))
ROUTE = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+912234567890")
AGENT = "agt_abc123"
GB_MOBILE = "+447400123456"
TIMEOUT = 30


@pytest.fixture(scope="module", autouse=True)
def fast_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fast sandbox on a fresh database (unless this process already started one)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SPEED_VARIABLE, "2000")
        patch.setenv(DB_VARIABLE, str(tmp_path_factory.mktemp("sandbox") / "sandbox.db"))
        sandbox_endpoint(None)  # start it now, with these settings
        yield


@pytest.fixture
def client() -> Iterator[BatchCallClient]:
    with BatchCallClient(*sandbox_endpoint(None)) as api:
        yield api


def batch_count(client: BatchCallClient) -> int:
    return client.list_batches(limit=1).meta.total


def loaded_session(config: dict[str, Any] | None = None) -> Session:
    """The sample list loaded as the Upload page would, on the sample's Mumbai route."""
    data = SAMPLE.read_bytes()
    contacts = read_contacts(data, SAMPLE.name)
    table = WorkTable(contacts, ROUTE, config or WORKSPACE["telephony_config"])
    return Session(
        upload=Upload(SAMPLE.name, data),
        table=table,
        route_number=ROUTE["phone_number"],
        restored=True,
    )


def open_page(page: str, session: Session, **query: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.session_state[STATE_KEY] = session
    app.query_params.update(query)
    return app.switch_page(page).run(timeout=TIMEOUT)


def texts(elements: Any) -> str:
    return "\n".join(str(element.value) for element in elements)


def linked_pages(app: AppTest) -> list[str]:
    """URL paths of the page links drawn (``upload``, ``fix_rows``, ...)."""
    return [link.proto.page for link in app.get("page_link")]


def assert_no_exception(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]


# --- Submit ---------------------------------------------------------------------------------


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
    empty = app.dataframe[0].value
    assert dict(zip(empty["variable"], empty["empty rows"], strict=True))["customer_name"] == 1


def test_submit_is_disabled_while_a_row_fails(client: BatchCallClient) -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.edit({5: {"phone_number": "12345"}})
    before = batch_count(client)
    app = open_page(PAGES["submit"][0], session)
    assert_no_exception(app)
    assert app.button(key="submit-launch").disabled
    assert "1 rows would be refused" in texts(app.error)
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
    assert f"`{first}`" in texts(app.success)

    # Back on Submit: the same rows and settings show the batch, not a button.
    app.switch_page(PAGES["submit"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not [b for b in app.button if b.key == "submit-launch"]
    assert f"Batch `{first}` created" in texts(app.success)

    # A second click whose first run never recorded its batch (interrupted by the
    # rerun) sends the same key again: the platform answers with the first batch.
    session.extras["created_batches"].clear()
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
    session.extras["workspace"] = workspace  # what this session fetched before the change
    table = session.table
    assert table is not None
    table.drop([3, 4])  # so submitted rows no longer line up with the original ones
    table.edit({6: {"phone_number": GB_MOBILE}, 10: {"phone_number": GB_MOBILE}})
    before = batch_count(client)
    app = open_page(PAGES["submit"][0], session)
    assert not app.button(key="submit-launch").disabled  # pre-flight passes locally
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert batch_count(client) == before
    assert "Nothing was created" in texts(app.error)
    shown = app.dataframe[-1].value
    assert shown.to_dict("records") == [
        {"reason": "Country not enabled", "country": "GB", "rows": 2, "row numbers": "6, 10"}
    ]
    # Re-judged with the workspace's own config, the two rows now fail here too.
    assert {m.label: m.value for m in app.metric}["Still failing"] == "2"
    assert app.button(key="submit-launch").disabled
    app.button(key="submit-open-fix").click().run(timeout=TIMEOUT)
    assert session.extras["server_rejected"] == [
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
    assert button.label == f"Submit 250 calls at {tomorrow:%Y-%m-%d} 09:30 UTC"
    button.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.batch_id is not None
    batch = client.get_batch(session.batch_id)
    assert batch.name == "scheduled test"
    assert batch.max_concurrent_calls == 3
    assert batch.scheduled_at == datetime.combine(tomorrow, time(9, 30), tzinfo=UTC)
    assert not batch.started_at


# --- Progress -------------------------------------------------------------------------------


def create_batch(client: BatchCallClient, **settings: Any) -> str:
    batch = client.create_batch(
        (SAMPLE.name, SAMPLE.read_bytes()),
        agent_id=AGENT,
        from_phone_number=ROUTE["phone_number"],
        name=settings.pop("name", "progress test"),
        **settings,
    )
    return batch.id


def test_progress_without_a_batch_lists_the_history(client: BatchCallClient) -> None:
    create_batch(client, scheduled_at=datetime.now(UTC) + timedelta(days=1))
    app = open_page(PAGES["progress"][0], Session(restored=True))
    assert_no_exception(app)
    assert "Choose a batch" in texts(app.info)
    history = app.dataframe[0].value
    assert list(history.columns[:6]) == [
        "name",
        "status",
        "total",
        "completed",
        "failed",
        "created",
    ]
    assert len(history) == min(batch_count(client), 50)
    assert "upload" in linked_pages(app)


def test_progress_renders_a_running_batch_and_cancels_it(client: BatchCallClient) -> None:
    batch_id = create_batch(client, max_concurrent_calls=1)  # about 12 s at this speed
    session = Session(restored=True, batch_id=batch_id)
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    assert not client.get_batch(batch_id).is_finished
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Completion"].endswith("%") and metrics["Completion"] != "100%"
    assert "nothing more will be dialled" not in texts(app.success)
    assert len(session.extras["progress_logs"][batch_id]) == 1

    app.button(key="progress-cancel").click().run(timeout=TIMEOUT)
    confirm = app.button(key="progress-cancel-yes")
    assert confirm.label.startswith("Yes, cancel ") and confirm.label.endswith(" queued calls")
    confirm.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert client.get_batch(batch_id).status == "cancelled"
    assert f"Batch `{batch_id}` cancelled." in texts(app.success)
    assert not [b for b in app.button if b.key == "progress-cancel"]


def test_progress_renders_a_completed_batch_from_the_url(client: BatchCallClient) -> None:
    batch_id = create_batch(client)
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    app = open_page(PAGES["progress"][0], Session(), batch=batch_id)
    assert_no_exception(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Completion"] == "100%"
    assert metrics["ETA (UTC)"] == "finished"
    assert "This batch is completed" in texts(app.success)
    calls = app.dataframe[0].value
    assert len(calls) == 250
    assert calls["submitted_row"].tolist() == list(range(2, 252))
    assert calls.loc[0, "customer_name"] == "Priya Sharma"

    app.multiselect(key="progress-status").set_value(["completed"]).run(timeout=TIMEOUT)
    filtered = app.dataframe[0].value
    assert 0 < len(filtered) < 250
    assert set(filtered["status"]) == {"completed"}


def test_progress_after_submit_shows_original_row_numbers(client: BatchCallClient) -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.drop([2])
    app = open_page(PAGES["submit"][0], session)
    app.text_input(key="submit-name").set_value("row map test").run(timeout=TIMEOUT)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert session.batch_id is not None
    client.wait_for_batch(session.batch_id, poll_seconds=0.2, timeout=60)
    app.switch_page(PAGES["progress"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    calls = app.dataframe[0].value
    assert calls["row"].tolist() == list(range(3, 252))  # original rows, row 2 dropped


def test_progress_clears_a_batch_the_platform_does_not_know() -> None:
    session = Session(restored=True, batch_id="batch_does_not_exist")
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    assert "was not found" in texts(app.warning)
    assert session.batch_id is None


def test_cancelling_a_batch_that_already_finished_says_so(client: BatchCallClient) -> None:
    batch_id = create_batch(client)
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    url, key = sandbox_endpoint(None)
    session = Session(connection=Connection(url, key, sandbox=True), batch_id=batch_id)
    cancel_now(session, batch_id)
    assert session.flash == [("info", f"Batch `{batch_id}` had already finished.")]
    assert "cancel_unsupported" not in session.extras


def test_progress_without_calls_by_batch_shows_counters_only(client: BatchCallClient) -> None:
    batch_id = create_batch(client, scheduled_at=datetime.now(UTC) + timedelta(days=1))
    session = Session(restored=True, batch_id=batch_id)
    session.extras["calls_unsupported"] = True  # as after a NotSupportedError
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    assert "does not list calls by batch" in texts(app.info)
    assert {m.label: m.value for m in app.metric}["Completion"] == "0%"
    assert not [frame for frame in app.dataframe if "to_phone_number" in frame.value]


def test_progress_picks_batches_by_id_even_when_names_repeat(client: BatchCallClient) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    first = create_batch(client, name="same name", scheduled_at=later)
    second = create_batch(client, name="same name", scheduled_at=later)
    session = Session(restored=True, batch_id=first)
    app = open_page(PAGES["progress"][0], session)
    app.run(timeout=TIMEOUT)
    assert session.batch_id == first
    assert app.selectbox(key="progress-pick").value == first

    app.selectbox(key="progress-pick").set_value(second).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.batch_id == second
    assert f"`{second}`" in texts(app.markdown)


def test_the_live_panel_is_scheduled_only_while_the_batch_can_change() -> None:
    now = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    running = Batch(id="b", status="running", started_at=now)
    waiting = Batch(id="b", status="active", scheduled_at=now + timedelta(hours=1))
    due = Batch(id="b", status="active", scheduled_at=now - timedelta(seconds=1))
    assert refresh_interval(running, now) == REFRESH_SECONDS
    assert refresh_interval(waiting, now) == WAITING_REFRESH_SECONDS
    assert refresh_interval(due, now) == REFRESH_SECONDS
    for status in ("completed", "cancelled", "failed"):
        assert refresh_interval(Batch(id="b", status=status), now) is None
