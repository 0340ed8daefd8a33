"""The operator's answers under "Before launch": calling window, do-not-call list, choices.

Why kept in ``PrecheckState`` and seeded into the widgets: Streamlit forgets a
widget's value when its page is not drawn, but an operator who checks Progress
and comes back must find the window and choices they set. The do-not-call list
is the workspace's, on disk (``checks.dnc_store``), so every session and every
file of that workspace is checked against the same list.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

import streamlit as st

from batchcall.checks import (
    KEEP_CHOICES,
    PRESETS,
    WEEKDAYS,
    CallingWindow,
    dnc_entries,
    load_dnc,
)
from batchcall.checks.dnc_store import MAX_AGE, DncList, DncStore
from batchcall.checks.local_time import operator_zone
from batchcall.contacts import MAX_FILE_BYTES, ContactFileError
from batchcall.contacts.kinds import EXTENSIONS
from batchcall.insight.preflight import escape_markdown
from batchcall.settings import dnc_dir
from batchcall.ui.following import workspace_of
from batchcall.ui.state import PrecheckState, Session

PRESET_KEY = "checks-window"
START_KEY = "checks-start"
END_KEY = "checks-end"
DAYS_KEY = "checks-days"
HOLIDAYS_KEY = "checks-holidays"
MOBILE_KEY = "checks-expect-mobile"
KEEP_KEY = "checks-duplicates"
HOURS_KEY = "checks-leave-out-hours"
WAVES_KEY = "checks-waves"
DNC_UPLOAD_KEY = "checks-dnc-upload-{generation}"
DNC_REMOVE_KEY = "checks-dnc-remove"

PRESET_LABELS = {
    "default": "Default 09:00–20:00",
    "tcpa": "US TCPA 08:00–21:00",
    "india": "India 09:00–21:00",
    "custom": "Custom",
}
KEEP_LABELS = {"first": "Keep the first", "last": "Keep the last", "all": "Keep all (call each)"}
DNC_TYPES = sorted({extension.lstrip(".") for extension in EXTENSIONS} | {"txt"})


def browser_zone() -> tuple[tzinfo, str]:
    """The operator's zone as the browser names it; UTC when it does not (or is unknown)."""
    return operator_zone(st.context.timezone)


def _seed(key: str, value: Any) -> None:
    """Give a widget the value kept in the session, the first time it is drawn again."""
    if key not in st.session_state:
        st.session_state[key] = value


def calling_window(state: PrecheckState) -> CallingWindow | None:
    """The window the rows are checked against; None (with the reason shown) if impossible."""
    _seed(PRESET_KEY, state.preset)
    _seed(HOLIDAYS_KEY, state.skip_holidays)
    left, right = st.columns([2, 1])
    state.preset = left.selectbox(
        "Calling window (each contact's local time)",
        list(PRESET_LABELS),
        format_func=PRESET_LABELS.get,
        key=PRESET_KEY,
    )
    state.skip_holidays = right.checkbox(
        "Skip public holidays",
        key=HOLIDAYS_KEY,
        help="A public holiday in the contact's country is outside the window all day.",
    )
    if state.preset != "custom":
        return CallingWindow(**_window_fields(PRESETS[state.preset]), holidays=state.skip_holidays)
    _seed(START_KEY, state.start)
    _seed(END_KEY, state.end)
    _seed(DAYS_KEY, list(state.days))
    start, end, days = st.columns([1, 1, 3])
    state.start = start.time_input("From", key=START_KEY, step=900)
    state.end = end.time_input("Until", key=END_KEY, step=900)
    chosen = days.multiselect("Days", list(WEEKDAYS), key=DAYS_KEY, format_func=str.title)
    state.days = tuple(chosen)
    try:
        return CallingWindow(state.start, state.end, state.days, state.skip_holidays)
    except ValueError as exc:
        st.error(f"This calling window cannot be used: {exc}.")
        return None


def _window_fields(window: CallingWindow) -> dict[str, Any]:
    return {"start": window.start, "end": window.end, "days": window.days}


def operator_choices(state: PrecheckState) -> None:
    """Mobiles expected, which copy of a repeated number is called, calls outside hours,
    time-zone waves (which call those rows when their hours open instead)."""
    _seed(MOBILE_KEY, state.expect_mobile)
    _seed(KEEP_KEY, state.keep)
    _seed(HOURS_KEY, state.leave_out_outside_hours)
    _seed(WAVES_KEY, state.waves)
    state.expect_mobile = st.toggle(
        "This agent expects mobiles",
        key=MOBILE_KEY,
        help="Fixed lines are then listed below: a warning, they are still called.",
    )
    state.keep = st.radio(
        "Repeated numbers",
        list(KEEP_CHOICES),
        format_func=KEEP_LABELS.get,
        key=KEEP_KEY,
        horizontal=True,
    )
    state.waves = st.toggle(
        "Send as time-zone waves",
        key=WAVES_KEY,
        help="One batch per wave of contacts whose calling hours open at the same moment, "
        "each scheduled then; rows with no known time zone (or no opening within 7 days) "
        "are listed and not sent.",
    )
    state.leave_out_outside_hours = st.checkbox(
        "Leave out rows outside their calling hours",
        key=HOURS_KEY,
        disabled=state.waves,
        help="Off: they are called anyway, at the launch time. With waves, each row is "
        "called in its wave, when its hours open.",
    )


def stored_dnc(session: Session) -> DncList | None:
    """The workspace's list, read from disk again only when its file changed."""
    store, workspace = DncStore(dnc_dir()), workspace_of(session)
    stamp = (workspace, store.stamp(workspace))
    return session.caches.dnc.get(stamp, lambda: store.load(workspace))


def dnc_numbers(session: Session, kept: DncList, region: str | None) -> frozenset[str]:
    """The list's E.164 numbers for the route's country, parsed once per list and country."""
    return session.caches.dnc_numbers.get(
        (kept.digest, region), lambda: load_dnc(kept.entries, region)
    )


def dnc_panel(session: Session, region: str | None) -> DncList | None:
    """The list in use, its age, and a way to upload, replace or remove it."""
    state, kept = session.prechecks, stored_dnc(session)
    if kept is not None:
        numbers = len(dnc_numbers(session, kept, region))
        unread = len(set(kept.entries)) - numbers
        left, right = st.columns([3, 1])
        left.markdown(
            f"Do-not-call list: **{numbers:,} numbers**, uploaded "
            f"{kept.uploaded_at.date().isoformat()} (`{escape_markdown(kept.filename)}`)"
        )
        if unread > 0:
            left.caption(
                "1 entry of the list is not a valid phone number."
                if unread == 1
                else f"{unread:,} entries of the list are not valid phone numbers."
            )
        if right.button("Remove the list", key=DNC_REMOVE_KEY, icon=":material/delete:"):
            DncStore(dnc_dir()).remove(workspace_of(session))
            st.rerun()
        if kept.is_stale():
            st.warning(
                f"The do-not-call list is {kept.age().days} days old: scrub it again (at least "
                f"every {MAX_AGE.days} days) and upload the new one.",
                icon=":material/history:",
            )
    label = "Replace the do-not-call list" if kept else "Do-not-call list (optional)"
    uploaded = st.file_uploader(
        label,
        type=DNC_TYPES,
        max_upload_size=MAX_FILE_BYTES // 2**20,  # as every other file: "10MB per file"
        key=DNC_UPLOAD_KEY.format(generation=state.dnc_generation),
        help="A CSV or Excel file with a phone column, or text with one number per line. "
        "Kept for this workspace; matching rows are never called.",
    )
    if uploaded is not None:
        _take_dnc(session, uploaded.name, uploaded.getvalue())
        st.rerun()
    if state.dnc_error:
        st.error(state.dnc_error)
    return kept


def _take_dnc(session: Session, filename: str, data: bytes) -> None:
    state = session.prechecks
    state.dnc_generation += 1  # empty the uploader: the list is kept on disk, not there
    try:
        entries = dnc_entries(data, filename)
    except ContactFileError as exc:
        state.dnc_error = f"The do-not-call list was not taken: {exc}"
        return
    DncStore(dnc_dir()).save(workspace_of(session), filename, entries, datetime.now(UTC))
    state.dnc_error = None
