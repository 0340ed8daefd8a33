"""Numbered batches in the app: time-zone waves on Submit, sent exactly once, and a group
followed together on Progress, against the in-process sandbox."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from batchcall.api.batches import Batch
from batchcall.api.client import BatchCallClient
from batchcall.api.errors import ApiConnectionError
from batchcall.checks import Disposition
from batchcall.contacts import read_contacts
from batchcall.settings import sandbox_db_path
from batchcall.tracking.store import workspace_token
from batchcall.ui.group_records import group_store
from batchcall.ui.layout import PAGES
from batchcall.ui.state import PrecheckState, Session, Upload
from batchcall.work.groups import items_from_parts, submit_group
from batchcall.work.parts import split_rows
from batchcall.work.sending import sent_csv
from batchcall.work.table import WorkTable
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    AGENT,
    ROUTE,
    SAMPLE,
    TIMEOUT,
    WORKSPACE,
    assert_no_exception,
    batch_count,
    open_page,
    session_of,
    texts,
)

pytestmark = pytest.mark.usefixtures("app_environment")

SIP = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+14155550123")
WORLD = [
    "+12125550143",  # New York
    "+13105550199",  # Los Angeles
    "+61291234567",  # Sydney
    "+919876543210",  # Mumbai
    "+74951234567",  # Moscow
    "+80012345678",  # international freephone: no time zone
]
"""No moment has all of them inside 09:00-20:00 (New York and Mumbai never overlap), so
there are always at least two waves, whatever the hour the test runs at."""


def world_session(
    name: str, numbers: list[str] = WORLD, prechecks: PrecheckState | None = None
) -> Session:
    lines = ["phone_number,customer_name,emi_amount,due_date"]
    lines += [
        f"{number},Customer {i},{1000 + i},2030-01-0{i + 1}" for i, number in enumerate(numbers)
    ]
    data = ("\n".join(lines) + "\n").encode()
    table = WorkTable(read_contacts(data, f"{name}.csv"), SIP, WORKSPACE["telephony_config"])
    return Session(
        upload=Upload(f"{name}.csv", data),
        table=table,
        route_number=SIP["phone_number"],
        restored=True,
        prechecks=prechecks or PrecheckState(waves=True),
    )


def wave_plan(app: AppTest) -> Any:
    return next(frame.value for frame in app.dataframe if "Wave" in frame.value.columns)


def test_waves_are_shown_and_submitted_as_numbered_batches_exactly_once(
    client: BatchCallClient,
) -> None:
    session = world_session("world once")
    app = open_page(PAGES["submit"][0], session)
    assert_no_exception(app)
    plan = wave_plan(app)
    waves = len(plan)
    assert waves >= 2
    assert list(plan.columns) == ["Wave", "Local opening", "Starts", "Rows"]
    assert plan["Rows"].sum() == 5  # the freephone number has no time zone
    later = plan["Starts"][plan["Starts"] != "now"]  # AppTest's browser names no zone: UTC
    assert later.str.fullmatch(r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d\d:\d\d UTC").all()
    assert "1 row with no known time zone is not sent (row 7)" in texts(app.warning)
    assert app.checkbox(key="checks-leave-out-hours").disabled  # each row waits for its wave
    button = app.button(key="submit-launch")
    assert button.label == f"Submit 5 calls as {waves} time-zone waves"
    assert not button.disabled, texts(app.caption)

    name = app.text_input(key="submit-name").value
    fates = session.caches.fates.value  # every row's fate, as Before launch showed it
    before = batch_count(client)
    button.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert batch_count(client) == before + waves
    assert app.title[0].value == "Progress"
    assert f"{waves} batches created" in texts(app.success)
    group = session.submit.groups[session.progress.group]
    created = [client.get_batch(batch_id) for batch_id in group.batch_ids]
    assert [b.name for b in created] == [f"{name} — {label}" for label in plan["Wave"]]
    assert sum(b.total_leads for b in created) == 5
    # Exactly the rows Submit would send in one file (sent_csv), less the one with no zone.
    assert fates is not None and session.table is not None
    _, row_map = sent_csv(session.table, fates.excluded)
    record = group_store().load(session.progress.group or "")
    assert record is not None
    sent = sorted(row for entry in record.entries for row in entry.rows)
    assert sent == sorted(set(row_map[row] for row in row_map) - {7})
    assert len(app.get("progress")) == 1  # the group's combined headline

    # Back on Submit: the group is shown instead of the button, this session or another.
    app.switch_page(PAGES["submit"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert not [b for b in app.button if b.key == "submit-launch"]
    assert f"{waves} numbered batches created" in texts(app.success)
    session.submit.groups.clear()
    app.run(timeout=TIMEOUT)
    assert not [b for b in app.button if b.key == "submit-launch"]
    assert batch_count(client) == before + waves


def test_a_row_no_wave_can_call_is_counted_and_listed_as_not_called() -> None:
    """A US toll-free number spans Guam to Newfoundland, 12.5 to 13.5 hours apart:
    09:00-17:00 never holds in all of them, so no wave calls it; its fate says so."""
    hours = PrecheckState(waves=True, preset="custom", start=time(9), end=time(17))
    session = world_session("world closed", [*WORLD, "+18005550199"], hours)
    app = open_page(PAGES["submit"][0], session)
    assert_no_exception(app)
    assert "1 row with no calling hours in the next 7 days is not sent (row 8)" in texts(
        app.warning
    )
    fates = session.caches.fates.value
    assert fates is not None
    outside = str(Disposition.OUTSIDE_CALLING_HOURS)
    assert fates.dispositions.loc[8] == outside and 8 in fates.excluded
    assert fates.dispositions.loc[7] == outside  # no known zone, as before
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown[Disposition.OUTSIDE_CALLING_HOURS.title] == "2"
    assert shown[Disposition.TO_CALL.title] == "5"
    assert app.button(key="submit-launch").label.startswith("Submit 5 calls as ")


def test_a_half_failed_group_submitted_again_creates_only_the_missing_batches(
    client: BatchCallClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = world_session("world half")
    app = open_page(PAGES["submit"][0], session)
    waves = len(wave_plan(app))
    real_create = BatchCallClient.create_batch
    calls: list[int] = []

    def flaky(self: BatchCallClient, *args: Any, **kwargs: Any) -> Batch:
        calls.append(1)
        if len(calls) == 2:
            raise ApiConnectionError("the connection dropped")
        return real_create(self, *args, **kwargs)

    before = batch_count(client)
    monkeypatch.setattr(BatchCallClient, "create_batch", flaky)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert batch_count(client) == before + 1
    assert "1 of" in texts(app.error) and "only the missing batches" in texts(app.error)
    assert app.title[0].value == "Submit"

    # A reload: a new session, the same rows and settings; the kept record plans the same waves.
    monkeypatch.setattr(BatchCallClient, "create_batch", real_create)
    again = open_page(PAGES["submit"][0], world_session("world half"))
    assert "created 1 of" in texts(again.info)
    again.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(again)
    assert batch_count(client) == before + waves
    assert again.title[0].value == "Progress"


def sample_group(client: BatchCallClient, name: str, workspace: str = "") -> str:
    """The sample list as three numbered batches, kept as Submit keeps a group."""
    contacts = read_contacts(SAMPLE.read_bytes(), SAMPLE.name)
    parts = split_rows(contacts, limit_bytes=len(SAMPLE.read_bytes()) // 3 + 200)
    assert len(parts) == 3
    items = items_from_parts(name, parts)
    key = "wb-test-" + name.replace(" ", "-")
    result = submit_group(
        client, items, base_key=key, agent_id=AGENT, from_phone_number=ROUTE["phone_number"],
        max_concurrent_calls=1, name=name, extra={"workspace": workspace},
    )  # fmt: skip
    group_store().save(result.record, key)
    return key


def test_progress_follows_a_group_and_cancels_it_as_a_whole(client: BatchCallClient) -> None:
    key = sample_group(client, "group cancel")
    session = Session(restored=True)
    session.progress.group = key
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    assert app.get("subheader")[0].value == "group cancel — 3 numbered batches"
    table = next(f.value for f in app.dataframe if "Batch" in f.value.columns)
    assert list(table.columns) == [
        "#",
        "Batch",
        "Status",
        "Calls",
        "Completed",
        "Failed",
        "In progress or queued",
        "Never dialled",
        "Starts",
        "Id",
    ]
    assert table["Batch"].tolist() == [f"group cancel ({n}/3)" for n in (1, 2, 3)]
    assert table["Calls"].sum() == 250
    calls = {m.label: m.value for m in app.metric}
    assert calls["Calls"] == "250"
    headline = app.get("progress")[0].proto.text
    assert "100%" not in headline

    # One batch opens in the single-batch view, and the way back leads to the group.
    first = table["Id"][0]
    app.button(key="progress-group-open").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert f"`{first}`" in texts(app.markdown)
    app.button(key="progress-group-back").click().run(timeout=TIMEOUT)
    assert app.get("subheader")[0].value == "group cancel — 3 numbered batches"

    app.button(key="progress-group-cancel").click().run(timeout=TIMEOUT)
    confirm = app.button(key="progress-group-cancel-yes")
    assert confirm.label.startswith("Yes, cancel 3 batches (")
    confirm.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "Group cancelled: 3 batches stopped." in texts(app.success)
    ids = table["Id"].tolist()
    assert {client.get_batch(i).status for i in ids} == {"cancelled"}
    for batch_id in ids:
        client.wait_for_batch(batch_id, poll_seconds=0.1, timeout=60)  # calls in flight end
    app.run(timeout=TIMEOUT)
    headline = app.get("progress")[0].proto.text
    assert headline.startswith("Cancelled — ") and "never dialled" in headline, headline
    assert "%" not in headline
    never = int(next(m.value for m in app.metric if m.label == "Never dialled").replace(",", ""))
    assert never > 0
    assert not [b for b in app.button if b.key == "progress-group-cancel"]


def test_a_group_is_picked_from_the_list_of_groups(client: BatchCallClient) -> None:
    key = sample_group(
        client, "group picked", workspace=workspace_token("sandbox", str(sandbox_db_path()))
    )
    sample_group(client, "group elsewhere", workspace="another workspace")
    session = Session(restored=True)
    app = open_page(PAGES["progress"][0], session)
    assert_no_exception(app)
    picker = app.selectbox(key="progress-group")
    labels = [label.split(" · ")[0] for label in picker.options]
    assert "group picked" in labels and "group elsewhere" not in labels
    assert picker.index == 0  # nothing followed yet: one batch at a time
    picker.select_index(labels.index("group picked")).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session_of(app).progress.group == key
    assert app.get("subheader")[0].value == "group picked — 3 numbered batches"
    assert app.query_params["group"] in (key, [key])


def test_one_batch_of_a_group_is_cancelled_on_its_own(client: BatchCallClient) -> None:
    key = sample_group(client, "group one cancelled")
    session = Session(restored=True)
    session.progress.group = key
    app = open_page(PAGES["progress"][0], session)
    table = next(f.value for f in app.dataframe if "Batch" in f.value.columns)
    ids = table["Id"].tolist()
    app.selectbox(key="progress-group-batch").select_index(1).run(timeout=TIMEOUT)
    app.button(key="progress-group-cancel-one").click().run(timeout=TIMEOUT)
    confirm = app.button(key="progress-group-cancel-one-yes")
    assert confirm.label.endswith(" queued calls of this batch")
    confirm.click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert f"Batch `{ids[1]}` cancelled." in texts(app.success)
    statuses = [client.get_batch(batch_id).status for batch_id in ids]
    assert statuses[1] == "cancelled" and "cancelled" not in (statuses[0], statuses[2])
    headline = app.get("progress")[0].proto.text
    assert "1 of 3 batches cancelled" in headline and "never dialled" in headline, headline
    assert "100%" not in headline
