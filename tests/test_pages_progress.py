"""The Progress page through the real app script, against the in-process sandbox."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from batchcall.api.batches import Batch
from batchcall.api.client import BatchCallClient
from batchcall.api.settings import Connection
from batchcall.contacts import LARGE_FILE_CEILING
from batchcall.ui import following, upload_words, uploading
from batchcall.ui.cancelling import cancel_now
from batchcall.ui.following import progress_store, workspace_of
from batchcall.ui.hosting import sandbox_endpoint
from batchcall.ui.layout import PAGES
from batchcall.ui.progress_view import (
    REFRESH_SECONDS,
    WAITING_REFRESH_SECONDS,
    refresh_interval,
)
from batchcall.ui.state import Session
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    AGENT,
    ROUTE,
    SAMPLE,
    TIMEOUT,
    assert_no_exception,
    batch_count,
    linked_pages,
    loaded_session,
    open_page,
    texts,
)

pytestmark = pytest.mark.usefixtures("app_environment")


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
    assert list(history.columns) == [
        "Name",
        "Status",
        "Calls",
        "Completed",
        "Failed",
        "Created",
        "Id",
    ]
    assert str(history["Created"].dt.tz) == "UTC"  # sorts as times; shown "5 Dec 14:05 UTC"
    assert history["Calls"].dtype.kind == "i"  # sorts as numbers; shown with separators
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
    # A minute, with its zone once (AppTest's browser names none: UTC), or not known yet.
    assert re.fullmatch(r"—|(\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d UTC", metrics["ETA"])
    assert "nothing more will be dialled" not in texts(app.success)
    assert len(progress_store().samples_frame(workspace_of(session), batch_id)) >= 1

    app.button(key="progress-cancel").click().run(timeout=TIMEOUT)
    confirm = app.button(key="progress-cancel-yes")
    assert confirm.label.startswith("Yes, cancel ") and confirm.label.endswith(" queued calls")
    confirm.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert client.get_batch(batch_id).status == "cancelled"
    assert f"Batch `{batch_id}` cancelled." in texts(app.success)
    assert not [b for b in app.button if b.key == "progress-cancel"]
    client.wait_for_batch(batch_id, poll_seconds=0.1, timeout=60)  # calls in flight end
    app.run(timeout=TIMEOUT)
    headline = app.get("progress")[0].proto.text
    assert headline.startswith("Cancelled — ") and "never dialled" in headline, headline
    assert "%" not in headline
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Completion"] != "100%" and metrics["ETA"] == "cancelled"


def test_progress_renders_a_completed_batch_from_the_url(client: BatchCallClient) -> None:
    batch_id = create_batch(client)
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    app = open_page(PAGES["progress"][0], Session(), batch=batch_id)
    assert_no_exception(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Completion"] == "100%"
    assert metrics["ETA"] == "finished"
    assert "This batch is completed" in texts(app.success)
    calls = calls_shown(app)
    assert len(calls) == 100  # one page of the 250
    assert calls["submitted_row"].tolist() == list(range(2, 102))
    assert calls.loc[0, "customer_name"] == "Priya Sharma"
    assert "250 calls match." in texts(app.caption)

    app.selectbox(key="calls-status").set_value("completed").run(timeout=TIMEOUT)
    filtered = calls_shown(app)
    assert 0 < len(filtered) <= 100
    assert set(filtered["status"]) == {"completed"}
    completed = client.get_batch(batch_id).status_counts_or_derived()["completed"]
    assert f"{completed:,} calls match status Completed." in texts(app.caption)


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
    calls = calls_shown(app)
    assert calls["row"].tolist() == list(range(3, 103))  # original rows, row 2 dropped


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
    assert not session.progress.cancel_unsupported


def test_progress_without_calls_by_batch_shows_counters_only(client: BatchCallClient) -> None:
    batch_id = create_batch(client, scheduled_at=datetime.now(UTC) + timedelta(days=1))
    session = Session(restored=True, batch_id=batch_id)
    session.progress.calls_unsupported = True  # as after a NotSupportedError
    session.progress.feed_unsupported = True
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


def calls_element(app: AppTest) -> Any:
    """The calls table (the page also shows the history and outcomes tables)."""
    return next(frame for frame in app.dataframe if "to_phone_number" in frame.value)


def calls_shown(app: AppTest) -> Any:
    return calls_element(app).value


def header_finished(app: AppTest) -> int:
    """The ended calls the progress bar names: "… — N of M calls" while the batch runs,
    "Finished — C completed, F failed" once it has ended."""
    text = app.get("progress")[0].proto.text.split(" — ")[1]
    if " of " in text:
        return int(text.split(" of ")[0].replace(",", ""))
    completed, failed = (int(part.split()[0].replace(",", "")) for part in text.split(", ")[:2])
    return completed + failed


def test_the_header_and_the_calls_table_agree_while_the_batch_runs(
    client: BatchCallClient,
) -> None:
    """The counters move on between two requests; the headline is taken from the same
    copy of the calls as the table below it, so the two never disagree."""
    batch_id = create_batch(client, max_concurrent_calls=1)  # about 12 s at this speed
    session = Session(restored=True, batch_id=batch_id)
    app = open_page(PAGES["progress"][0], session)
    time.sleep(following.FOLLOW_EVERY_SECONDS + 0.1)  # calls end; the next run follows the feed
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not client.get_batch(batch_id).is_finished
    calls = calls_shown(app)
    assert 0 < len(calls) < 100  # every call that left the queue, on one page
    finished = calls["status"].isin(FINISHED)
    assert header_finished(app) == int(finished.sum())
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Remaining"] == f"{250 - int(finished.sum()):,}"
    # Cells with nothing in them (a call in flight has no end) are blank, not "None".
    table = calls_element(app).proto
    assert table.HasField("placeholder") and table.placeholder == ""


FINISHED = ["completed", "no_answer", "busy", "failed", "cancelled"]


def finished_by_counters(client: BatchCallClient, batch_id: str) -> int:
    counts = client.get_batch(batch_id).status_counts_or_derived()
    return sum(counts.get(status, 0) for status in FINISHED)


def test_the_final_state_is_drawn_from_a_fresh_listing(client: BatchCallClient) -> None:
    batch_id = create_batch(client)
    session = Session(restored=True, batch_id=batch_id)
    open_page(PAGES["progress"][0], session)  # a listing taken while it runs
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    assert header_finished(app) == 250
    assert set(calls_shown(app)["status"]) <= {"completed", "no_answer", "busy", "failed"}


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


def test_a_big_batch_lists_one_page_of_calls_at_a_time(client: BatchCallClient) -> None:
    """Nothing lists every call: the page shows one page of the calls kept so far."""
    rows = "\n".join(f"+9198{i:08d},Lead {i}" for i in range(1_200))
    batch = client.create_batch(
        ("big.csv", f"phone_number,customer_name\n{rows}\n".encode()),
        agent_id=AGENT,
        from_phone_number=ROUTE["phone_number"],
        max_concurrent_calls=50,
    )
    client.wait_for_batch(batch.id, poll_seconds=0.2, timeout=120)
    session = Session(restored=True, batch_id=batch.id)
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    assert len(calls_shown(app)) == 100
    [page] = [n for n in app.number_input if n.label.startswith("Page (of 12")]
    assert "1,200 calls match." in texts(app.caption)
    assert batch.id not in session.progress.calls  # no whole listing kept
    page.set_value(12).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert set(calls_shown(app)["to_phone_number"]) == {
        f"+9198{i:08d}" for i in range(1_100, 1_200)
    }


def test_calls_still_queued_are_counted_not_listed(client: BatchCallClient) -> None:
    batch_id = create_batch(client, scheduled_at=datetime.now(UTC) + timedelta(days=1))
    app = open_page(PAGES["progress"][0], Session(restored=True, batch_id=batch_id))
    assert_no_exception(app)
    assert "250 calls still queued since the start are listed once dialled." in texts(app.caption)
    assert {m.label: m.value for m in app.metric}["Remaining"] == "250"


def test_after_a_reload_calls_keep_the_original_row_numbers(client: BatchCallClient) -> None:
    """The row map is kept on disk with the batch: a new browser session, opened from the
    link, still shows each call by the operator's own spreadsheet row."""
    session = loaded_session()
    assert session.table is not None
    session.table.drop([2, 3])
    app = open_page(PAGES["submit"][0], session)
    app.text_input(key="submit-name").set_value("row map after reload").run(timeout=TIMEOUT)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    batch_id = session.batch_id
    assert batch_id is not None
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    reloaded = open_page(PAGES["progress"][0], Session(), batch=batch_id)
    assert_no_exception(reloaded)
    calls = calls_shown(reloaded)
    assert calls["row"].tolist() == list(range(4, 104))  # original rows, rows 2 and 3 dropped


def test_outcomes_by_an_uploaded_column_add_up_to_the_batch(client: BatchCallClient) -> None:
    batch_id = create_batch(client)
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    app = open_page(PAGES["progress"][0], Session(restored=True, batch_id=batch_id))
    assert_no_exception(app)
    offered = app.selectbox(key="outcomes-column").options
    assert "product" in offered and "city" in offered
    assert "customer_name" not in offered  # one call per name says nothing
    app.selectbox(key="outcomes-column").set_value("city").run(timeout=TIMEOUT)
    table = next(frame.value for frame in app.dataframe if "connect_rate" in frame.value)
    counts = client.get_batch(batch_id).status_counts_or_derived()
    assert table["calls"].sum() == 250
    assert table["completed"].sum() == counts["completed"]
    dialled = table["completed"] + table["no_answer"] + table["busy"] + table["failed"]
    expected = (table["completed"] / dialled).round(6).tolist()
    assert table["connect_rate"].round(6).tolist() == expected


def test_call_again_opens_the_unanswered_contacts_as_a_new_upload(
    client: BatchCallClient,
) -> None:
    batch_id = create_batch(client, name="loans")
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    calls = list(client.iter_calls(batch_id=batch_id))
    again = [c for c in calls if c.status in ("no_answer", "busy", "failed")]
    assert again
    session = Session(restored=True, batch_id=batch_id)
    app = open_page(PAGES["progress"][0], session)
    button = app.button(key="call-again")
    assert button.label == f"Call {len(again):,} contacts again"
    button.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.upload is not None and session.upload.filename == "loans - call again.csv"
    assert session.table is not None and len(session.table.active) == len(again)
    sent = pd.read_csv(io.BytesIO(session.upload.data), dtype=str, keep_default_na=False)
    assert list(sent.columns) == [
        "phone_number", "customer_name", "loan_amount", "product", "due_date", "city",
    ]  # fmt: skip
    ordered = sorted(again, key=lambda c: c.position or 0)
    assert sent["phone_number"].tolist() == [c.to_phone_number for c in ordered]
    assert sent["customer_name"].tolist() == [c.metadata["customer_name"] for c in ordered]


def test_call_again_over_the_size_limit_is_read_anyway_like_an_upload(
    client: BatchCallClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A list whose unanswered calls alone weigh over 10 MB takes minutes to call in the
    # sandbox: the app's limit is lowered instead, under the unanswered contacts' list.
    batch_id = create_batch(client, name="loans")
    client.wait_for_batch(batch_id, poll_seconds=0.2, timeout=60)
    again = [c for c in client.iter_calls(batch_id=batch_id)
             if c.status in ("no_answer", "busy", "failed")]  # fmt: skip
    assert len(again) > 3
    for module in (uploading, upload_words):
        monkeypatch.setattr(module, "MAX_FILE_BYTES", 200)
    session = Session(restored=True, batch_id=batch_id)
    app = open_page(PAGES["progress"][0], session)
    app.button(key="call-again").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.title[0].value == PAGES["upload"][1]
    assert "loans - call again.csv" in texts(app.error)
    assert session.table is None  # refused, nothing half-loaded

    app.switch_page(PAGES["upload"][0])  # where the browser now is (AppTest reruns its page)
    app.button(key="upload-read-large").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not app.error
    assert session.upload is not None and session.upload.filename == "loans - call again.csv"
    assert session.upload.max_bytes == LARGE_FILE_CEILING  # Submit sends it in parts
    assert session.table is not None and len(session.table.active) == len(again)
    ordered = sorted(again, key=lambda c: c.position or 0)
    phones = session.table.active["phone_number"].tolist()
    assert phones == [c.to_phone_number for c in ordered]


def area_points(app: AppTest) -> int:
    """Samples drawn in the status-over-time chart (its first trace's points)."""
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    [area] = [c for c in charts if "over time" in json.dumps(c.get("layout", {}).get("title"))]
    return len(area["data"][0]["x"])


def test_a_reload_of_a_running_batch_keeps_the_chart_history(
    client: BatchCallClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(following, "FOLLOW_EVERY_SECONDS", 0.0)  # every run follows and samples
    batch_id = create_batch(client, max_concurrent_calls=1)  # about 12 s at this speed
    first = open_page(PAGES["progress"][0], Session(restored=True, batch_id=batch_id))
    for _ in range(2):
        time.sleep(0.6)  # calls end meanwhile: each run adds a sample
        first.run(timeout=TIMEOUT)
    drawn = area_points(first)
    assert drawn >= 2
    reloaded = open_page(PAGES["progress"][0], Session(), batch=batch_id)  # a new tab
    assert_no_exception(reloaded)
    assert not client.get_batch(batch_id).is_finished
    assert area_points(reloaded) >= drawn  # the earlier samples, plus its own


def test_created_is_said_only_until_the_batch_first_changes_state(
    client: BatchCallClient,
) -> None:
    batch_id = create_batch(client, scheduled_at=datetime.now(UTC) + timedelta(days=1))
    deadline = time.monotonic() + TIMEOUT
    while (status := client.get_batch(batch_id).status) == "initiated":  # accepted next tick
        assert time.monotonic() < deadline
        time.sleep(0.05)
    session = Session(restored=True, batch_id=batch_id)
    session.progress.created_notice = (batch_id, status, f"Batch `{batch_id}` created.")
    app = open_page(PAGES["progress"][0], session)
    assert f"Batch `{batch_id}` created." in texts(app.success)
    session.progress.created_notice = (batch_id, "initiated-before", "Batch created.")
    app.run(timeout=TIMEOUT)  # the batch has moved on from the state it was created in
    assert "created." not in texts(app.success)
    assert session.progress.created_notice is None


def test_a_second_view_of_a_running_batch_reads_what_the_first_followed(
    client: BatchCallClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_id = create_batch(client, max_concurrent_calls=1)  # about 12 s at this speed
    deadline = time.monotonic() + TIMEOUT
    while client.get_batch(batch_id).status_counts_or_derived().get("queued", 0) == 250:
        assert time.monotonic() < deadline  # dialling starts a tick after the create
        time.sleep(0.05)
    first = Session(restored=True, batch_id=batch_id)
    open_page(PAGES["progress"][0], first)
    kept = progress_store().status_counts(workspace_of(first), batch_id)
    assert kept  # the first view followed the feed: the first call had left the queue
    followed = []
    real = following.follow_changes
    monkeypatch.setattr(
        following, "follow_changes", lambda *a, **k: followed.append(1) or real(*a, **k)
    )
    second = open_page(PAGES["progress"][0], Session(), batch=batch_id)  # a reload, a new tab
    assert_no_exception(second)
    assert followed == []  # it read the store the first view had just filled
    assert not client.get_batch(batch_id).is_finished
    second.selectbox(key="calls-status").set_value(sorted(kept)[0]).run(timeout=TIMEOUT)
    assert calls_shown(second)["status"].eq(sorted(kept)[0]).all()
    time.sleep(following.FOLLOW_EVERY_SECONDS)
    second.run(timeout=TIMEOUT)  # its next refresh follows the feed itself
    assert followed == [1]


def test_the_count_of_calls_says_which_filter_it_counts() -> None:
    from batchcall.tracking.store import CallFilter
    from batchcall.ui.tracked_calls import matching_words

    assert matching_words(1_204, CallFilter()) == "1,204 calls match."
    assert matching_words(1, CallFilter("no_answer")) == "1 call matches status No answer."
    both = matching_words(7, CallFilter("busy", "city_*name*", ""))
    assert both == r"7 calls match status Busy and city\_\*name\* = \(blank\)."
