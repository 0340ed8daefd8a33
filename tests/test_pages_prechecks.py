"""Submit's "Before launch" step through the real app script, against the in-process sandbox.

The sample list is 250 Indian mobiles (Asia/Kolkata) on the Mumbai route. Tests that
look at calling hours schedule the launch at a fixed UTC time, so none of them
depends on the hour it runs at.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
from batchcall.api.client import BatchCallClient
from batchcall.checks import Disposition
from batchcall.checks.dnc_store import DncStore
from batchcall.settings import dnc_dir, sandbox_db_path
from batchcall.tracking.store import workspace_token
from batchcall.ui.layout import PAGES
from batchcall.work.sending import FATE_COLUMN, fates_csv
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    ROOT,
    TIMEOUT,
    assert_no_exception,
    batch_count,
    loaded_session,
    metric,
    open_page,
    texts,
)

SUBMIT = PAGES["submit"][0]
ROWS = 250
# Row 2 is 9876543210 and row 5 is 9235452217 in the sample; the list writes them otherwise.
ON_THE_LIST = {2: "+91-98765-43210", 5: "092354 52217"}

pytestmark = pytest.mark.usefixtures("app_environment")


@pytest.fixture
def dnc_store() -> Iterator[tuple[DncStore, str]]:
    """The sandbox workspace's DNC store, emptied before and after: it is kept on disk."""
    store, workspace = DncStore(dnc_dir()), workspace_token("sandbox", str(sandbox_db_path()))
    store.remove(workspace)
    yield store, workspace
    store.remove(workspace)


def dnc_workbook() -> bytes:
    """An opt-out export in another format and layout than the list: XLSX, header "Mobile"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mobile", "Opted out on"])
    for number in ON_THE_LIST.values():
        sheet.append([number, "2026-01-05"])
    sheet.append(["12345", "2026-01-06"])  # junk: skipped, matches nothing
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def schedule(app: AppTest, day: date, at: time) -> None:
    app.checkbox(key="submit-schedule").check().run(timeout=TIMEOUT)
    app.date_input(key="submit-date").set_value(day)
    app.time_input(key="submit-time").set_value(at).run(timeout=TIMEOUT)


def launch_label(app: AppTest) -> str:
    return app.button(key="submit-launch").label


def test_one_call_is_one_call() -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.drop(list(session.table.active.index[1:]))
    app = open_page(SUBMIT, session)
    assert_no_exception(app)
    assert launch_label(app) == "Submit 1 call now"


def test_a_dnc_workbook_leaves_out_its_rows_and_the_batch_has_exactly_the_rest(
    client: BatchCallClient, dnc_store: tuple[DncStore, str]
) -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.drop([3])  # dropped by the operator: its own fate, never sent
    app = open_page(SUBMIT, session)
    assert "Do-not-call list: " not in texts(app.markdown)
    app.file_uploader[0].set_value(("opt_outs.xlsx", dnc_workbook(), "application/octet-stream"))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    today = datetime.now(UTC).date().isoformat()
    assert f"Do-not-call list: **2 numbers**, uploaded {today}" in texts(app.markdown)
    assert "1 entry of the list is not a valid phone number." in texts(app.caption)
    assert metric(app, Disposition.DO_NOT_CALL.title) == "2"
    assert metric(app, Disposition.DROPPED.title) == "1"
    assert metric(app, Disposition.TO_CALL.title) == f"{ROWS - 3}"
    listed = next(frame.value for frame in app.dataframe if "E.164" in frame.value.columns)
    assert list(listed.columns) == ["Row", "Number", "E.164"]  # headed in words on screen
    assert listed["Row"].tolist() == [2, 5]
    assert launch_label(app) == f"Submit {ROWS - 3} calls now"
    assert app.download_button(key="checks-download-fates").label == "Every row's fate (CSV)"

    # Every row of the file has one fate, in the file the operator can download.
    fates = session.caches.fates.value
    assert fates is not None
    download = pd.read_csv(io.BytesIO(fates_csv(session.table, fates.dispositions)), dtype=str)
    assert len(download) == ROWS
    assert download["row"].astype(int).tolist() == list(range(2, ROWS + 2))
    fate = dict(zip(download["row"].astype(int), download[FATE_COLUMN], strict=True))
    assert {fate[2], fate[5]} == {"On the do-not-call list"}
    assert fate[3] == "Dropped by the operator"
    assert set(download[FATE_COLUMN]) == {
        "On the do-not-call list",
        "Dropped by the operator",
        "To call",
    }

    before = batch_count(client)
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert batch_count(client) == before + 1
    batch_id = session.batch_id
    assert batch_id is not None
    sent = sorted(set(range(2, ROWS + 2)) - {2, 3, 5})
    assert sorted(session.submit.row_maps[batch_id].values()) == sent
    assert list(session.submit.row_maps[batch_id]) == list(range(2, len(sent) + 2))
    called = {call.to_phone_number for call in client.iter_calls(batch_id)}
    assert len(called) == len(sent)
    assert not called & {"+919876543210", "+919235452217"}


def test_the_list_is_kept_for_the_workspace_and_an_old_one_is_flagged(
    dnc_store: tuple[DncStore, str],
) -> None:
    store, workspace = dnc_store
    old = datetime.now(UTC) - timedelta(days=40)
    store.save(workspace, "scrubbed.txt", ["+919876543210"], uploaded_at=old)
    app = open_page(SUBMIT, loaded_session())  # another session: the same list
    assert_no_exception(app)
    assert f"uploaded {old.date().isoformat()}" in texts(app.markdown)
    assert "is 40 days old" in texts(app.warning)
    assert metric(app, Disposition.DO_NOT_CALL.title) == "1"
    assert launch_label(app) == f"Submit {ROWS - 1} calls now"

    store.save(workspace, "scrubbed.txt", ["+919876543210"])  # scrubbed again today
    app.run(timeout=TIMEOUT)
    assert "days old" not in texts(app.warning)

    app.button(key="checks-dnc-remove").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert store.load(workspace) is None
    assert metric(app, Disposition.DO_NOT_CALL.title) == "0"
    assert launch_label(app) == f"Submit {ROWS} calls now"


def test_keeping_the_first_the_last_or_every_copy_changes_what_is_sent() -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.edit({7: {"phone_number": "+91 98765 43210"}})  # row 2's number again
    app = open_page(SUBMIT, session)
    assert_no_exception(app)
    assert metric(app, Disposition.DUPLICATE.title) == "1"
    assert launch_label(app) == f"Submit {ROWS - 1} calls now"
    repeats = next(f.value for f in app.dataframe if "Same as row" in f.value.columns)
    assert list(repeats.columns) == ["Row", "Number", "E.164", "Same as row"]
    assert repeats[["Row", "Same as row"]].values.tolist() == [[7, 2]]
    # Counted in the open, the rows themselves one click away: a long page stays light.
    shown = [e for e in app.expander if e.label == "Show the 1 row"]
    assert len(shown) == 1 and not shown[0].proto.expanded
    assert "Same as row" in shown[0].dataframe[0].value.columns

    app.radio(key="checks-duplicates").set_value("last").run(timeout=TIMEOUT)
    repeats = next(f.value for f in app.dataframe if "Same as row" in f.value.columns)
    assert repeats["Row"].tolist() == [2]
    assert launch_label(app) == f"Submit {ROWS - 1} calls now"
    key_last = session.caches.fates.value

    app.radio(key="checks-duplicates").set_value("all").run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert metric(app, Disposition.DUPLICATE.title) == "0"
    assert launch_label(app) == f"Submit {ROWS} calls now"
    assert key_last is not None and session.caches.fates.value is not None
    assert session.caches.fates.value.digest != key_last.digest


def test_rows_outside_their_hours_and_the_earliest_start_sets_the_schedule() -> None:
    session = loaded_session(leave_out_outside_hours=True)
    app = open_page(SUBMIT, session)
    night_in_india = date.today() + timedelta(days=2)
    schedule(app, night_in_india, time(20, 0))  # 01:30 IST
    assert_no_exception(app)
    assert metric(app, Disposition.OUTSIDE_CALLING_HOURS.title) == f"{ROWS}"
    assert launch_label(app).startswith("Submit 0 calls at")
    assert app.button(key="submit-launch").disabled
    assert "Every row is left out under Before launch" in texts(app.caption)
    outside = next(f.value for f in app.dataframe if "Local time" in f.value.columns)
    assert list(outside.columns) == ["Row", "Number", "Time zones", "Local time", "Inside window"]
    assert len(outside) == 200  # one page
    assert f"**Outside their calling hours: {ROWS} rows** (the first 200)" in texts(app.markdown)
    assert set(outside["Local time"]) == {"01:30"} and set(outside["Inside window"]) == {"No"}
    assert outside["Row"].tolist()[:3] == [2, 3, 4]

    # 09:00 in India is 03:30 UTC: the first moment every row is inside, said once in UTC.
    morning = datetime.combine(night_in_india + timedelta(days=1), time(3, 30))
    assert f"Every row inside from **{morning:%a} {morning.day} {morning:%b} 03:30 UTC**." in (
        texts(app.markdown)
    )
    app.button(key="checks-schedule-all").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert app.date_input(key="submit-date").value == night_in_india + timedelta(days=1)
    assert app.time_input(key="submit-time").value == time(3, 30)
    assert metric(app, Disposition.OUTSIDE_CALLING_HOURS.title) == "0"
    assert launch_label(app) == f"Submit {ROWS} calls at {morning.day} {morning:%b} 03:30 UTC"

    # Calling outside hours anyway is the operator's choice.
    schedule(app, night_in_india, time(20, 0))
    app.checkbox(key="checks-leave-out-hours").uncheck().run(timeout=TIMEOUT)
    assert metric(app, Disposition.OUTSIDE_CALLING_HOURS.title) == "0"
    assert launch_label(app).startswith(f"Submit {ROWS} calls at")


def test_the_earliest_start_is_said_once_in_the_operators_zone_and_in_utc() -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.session_state["workbench"] = loaded_session()
    app.context["timezone"] = "Asia/Kolkata"
    app.switch_page(SUBMIT).run(timeout=TIMEOUT)
    night = datetime.now(ZoneInfo("Asia/Kolkata")).date() + timedelta(days=2)
    schedule(app, night, time(1, 30))  # 01:30 for the operator and the contacts alike
    assert_no_exception(app)
    day = f"{night:%a} {night.day} {night:%b}"
    assert f"Every row inside from **{day} 09:00 (Asia/Kolkata) · 03:30 UTC**." in texts(
        app.markdown
    )
    said = texts(app.caption)
    assert f"Checked for a launch at the schedule: {day} 01:30 (Asia/Kolkata)," in said
    assert f"{night:%Y-%m-%d}" not in said + texts(app.markdown)  # one style, each zone once
    outside = next(f for f in app.dataframe if "Local time" in f.value.columns)
    settings = json.loads(outside.proto.columns)
    assert settings["Row"]["type_config"]["format"] == "localized"  # 120,004, not 120004


def test_a_schedule_typed_in_the_browsers_zone_is_sent_in_utc(client: BatchCallClient) -> None:
    session = loaded_session()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.session_state["workbench"] = session
    app.context["timezone"] = "America/New_York"
    app.switch_page(SUBMIT).run(timeout=TIMEOUT)
    assert app.checkbox(key="submit-schedule").label.endswith("(your time, America/New_York)")
    tomorrow = datetime.now(ZoneInfo("America/New_York")).date() + timedelta(days=1)
    schedule(app, tomorrow, time(22, 30))
    assert_no_exception(app)
    sent = datetime.combine(tomorrow, time(22, 30), ZoneInfo("America/New_York")).astimezone(UTC)
    assert sent.date() == tomorrow + timedelta(days=1)  # 22:30 in New York is tomorrow in UTC
    said = texts(app.caption)
    assert f"Sent to the platform as {sent.day} {sent:%b} {sent:%H:%M} UTC." in said
    assert launch_label(app) == (
        f"Submit {ROWS} calls at {tomorrow.day} {tomorrow:%b} 22:30 (America/New_York)"
    )
    app.button(key="submit-launch").click().run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session.batch_id is not None
    assert client.get_batch(session.batch_id).scheduled_at == sent


def test_without_a_browser_zone_the_schedule_is_in_utc() -> None:
    app = open_page(SUBMIT, loaded_session())  # AppTest sends no time zone by default
    assert app.checkbox(key="submit-schedule").label.endswith("(your time, UTC)")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    schedule(app, tomorrow, time(7, 45))
    assert "Sent to the platform as" not in texts(app.caption)  # typed in UTC: said once
    assert launch_label(app) == f"Submit {ROWS} calls at {tomorrow.day} {tomorrow:%b} 07:45 UTC"


def test_a_refused_dnc_file_says_why_and_keeps_no_list(dnc_store: tuple[DncStore, str]) -> None:
    store, workspace = dnc_store
    app = open_page(SUBMIT, loaded_session())
    app.file_uploader[0].set_value(("opt_outs.txt", b"\x00\x01binary", "text/plain"))
    app.run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert "The do-not-call list was not taken" in texts(app.error)
    assert store.load(workspace) is None
    assert launch_label(app) == f"Submit {ROWS} calls now"


def test_fixed_lines_when_mobiles_are_expected_and_look_alikes_are_warnings() -> None:
    session = loaded_session()
    assert session.table is not None
    session.table.edit(
        {8: {"phone_number": "(022) 2345-6789"}, 9: {"phone_number": "(646) 555-0198"}}
    )
    app = open_page(SUBMIT, session)
    assert_no_exception(app)
    assert not [f for f in app.dataframe if "Type" in f.value.columns]
    lookalikes = next(f.value for f in app.dataframe if "Advice" in f.value.columns)
    assert list(lookalikes.columns) == [
        "Row",
        "Number",
        "Read as",
        "Other country's E.164",
        "Advice",
    ]
    assert lookalikes["Row"].tolist() == [9]
    assert lookalikes["Other country's E.164"].tolist() == ["+16465550198"]

    app.toggle(key="checks-expect-mobile").set_value(True).run(timeout=TIMEOUT)
    assert_no_exception(app)
    flagged = next(f.value for f in app.dataframe if "Type" in f.value.columns)
    assert {8, 9} <= set(flagged["Row"]) and set(flagged["Type"]) == {"Fixed line"}
    report = session.caches.prechecks.value.report  # type: ignore[union-attr]
    fixed = report.rows.index[report.rows["number_type"] == "fixed_line"].tolist()
    assert flagged["Row"].tolist() == fixed
    assert set(report.rows["number_type"]) >= {"fixed_line"}  # the report keeps its words
    assert metric(app, Disposition.TO_CALL.title) == metric(app, "To be called")  # warnings only


def test_a_return_to_submit_builds_nothing_again_for_the_same_rows() -> None:
    session = loaded_session()
    app = open_page(SUBMIT, session)
    assert_no_exception(app)
    caches = session.caches
    built = (caches.cleaned.value, caches.prechecks.value, caches.fates.value)
    assert all(value is not None for value in built)
    app.switch_page(PAGES["fix"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    app.switch_page(SUBMIT).run(timeout=TIMEOUT)
    assert_no_exception(app)
    again = (caches.cleaned.value, caches.prechecks.value, caches.fates.value)
    assert all(a is b for a, b in zip(again, built, strict=True))  # the same objects

    assert session.table is not None
    session.table.drop([int(session.table.active.index[0])])  # a change made elsewhere
    app.switch_page(SUBMIT).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert caches.fates.value is not built[2] and caches.fates.value is not None
    assert caches.fates.value.counts[Disposition.DROPPED] == 1


def test_an_edit_made_elsewhere_builds_the_file_to_send_again() -> None:
    session = loaded_session()
    app = open_page(SUBMIT, session)
    before = session.caches.cleaned.value
    assert before is not None
    row = int(session.table.active.index[0])
    session.table.edit({row: {"phone_number": "+91 98765 00000"}})  # as Fix rows would
    app.switch_page(SUBMIT).run(timeout=TIMEOUT)
    assert_no_exception(app)
    after = session.caches.cleaned.value
    assert after is not before
    assert b"+91 98765 00000" in after[0] and b"+91 98765 00000" not in before[0]
