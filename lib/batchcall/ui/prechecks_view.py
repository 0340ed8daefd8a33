"""Submit's "Before launch" step: the risks the operator answers for, and each row's fate.

Why here: calling hours, the do-not-call list, repeated numbers, look-alikes and
unusual number types are not the platform's to refuse, so they are shown before
the launch, with counts, the rows concerned and what can be done (schedule
later, keep another copy). The fates returned decide the file sent
(``work.sending``), so what is shown here is exactly what is submitted.

The check itself costs about half a second on a 150,000-row list, so it is kept
per session, keyed by what it depends on (table version, route, window, moment to
the minute, DNC list, mobile expectation), never by hashing a frame.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo

import numpy as np
import pandas as pd
import streamlit as st

from batchcall.charts.checks import local_hour_bars
from batchcall.checks import Disposition, PrecheckReport, precheck, retime
from batchcall.checks.fates import Fates, row_fates
from batchcall.checks.local_time import to_local
from batchcall.checks.recheck import recheck
from batchcall.insight.display import human, plural, when_text
from batchcall.ui.layout import chart
from batchcall.ui.prechecks_inputs import (
    browser_zone,
    calling_window,
    dnc_numbers,
    dnc_panel,
    operator_choices,
)
from batchcall.ui.state import Session
from batchcall.ui.submitting import DATE_KEY, SCHEDULE_KEY, TIME_KEY, BatchSettings
from batchcall.work.exports import CSV_MIME
from batchcall.work.sending import fates_csv

SHOWN_ROWS = 200
"""One page of rows per table: enough to see the pattern, cheap on a 150,000-row list."""
FATES_KEY = "checks-download-fates"
EARLIEST = (
    (1.0, "every row", "checks-schedule-all"),
    (0.95, "95 % of the rows", "checks-schedule-95"),
)
"""(share of the rows, how it is said, the key of its "Schedule at that time" button)."""
SHOWN_FATES = (
    Disposition.TO_CALL,
    Disposition.DO_NOT_CALL,
    Disposition.DUPLICATE,
    Disposition.OUTSIDE_CALLING_HOURS,
    Disposition.DROPPED,
)


@dataclass(frozen=True)
class Checked:
    """A pre-launch report and the answers drawn from it that the page shows every run."""

    report: PrecheckReport
    earliest: dict[float, datetime | None]
    """Share of the rows -> the first moment that share is inside the window."""
    by_hour: pd.DataFrame


def launch_moment(settings: BatchSettings) -> tuple[datetime, bool]:
    """(the moment the rows are checked for, scheduled?): the schedule, else now to the minute."""
    if settings.scheduled_at is not None and settings.valid:
        return settings.scheduled_at, True
    return datetime.now(UTC).replace(second=0, microsecond=0), False


def show_prechecks(session: Session, settings: BatchSettings) -> Fates | None:
    """Draw the inputs and the results; every row's fate, or None if nothing could be checked."""
    table, upload, state = session.table, session.upload, session.prechecks
    assert table is not None and upload is not None
    window = calling_window(state)
    kept = dnc_panel(session, table.route.region)
    operator_choices(state)
    if window is None:
        return None
    at, scheduled = launch_moment(settings)
    blocked = dnc_numbers(session, kept, table.route.region) if kept is not None else None
    base_key: Hashable = (
        upload.digest, id(table), table.version, table.route.phone_number,
        kept.digest if kept is not None else None, state.expect_mobile,
    )  # fmt: skip
    key: Hashable = (base_key, window, at)

    previous = session.caches.precheck_base

    def check() -> PrecheckReport:
        if previous.value is not None and _same_but_version(previous.key, base_key):
            report = recheck(  # after drops or edits: only the rows they changed
                previous.value, table.active, table.route, table.config,
                dnc=blocked, expect_mobile=state.expect_mobile, validation=table.report,
            )  # fmt: skip
        else:
            report = precheck(
                table.active, table.route, table.config,
                at=at, window=window, dnc=blocked, expect_mobile=state.expect_mobile,
                validation=table.report,  # kept up to date by every edit: not judged again
            )  # fmt: skip
        return replace(report, validation=None)  # the table keeps its own verdicts: ~35 MB

    if session.caches.precheck_base.key != base_key:
        with st.spinner("Checking calling hours, the do-not-call list and repeated numbers…"):
            base = session.caches.precheck_base.get(base_key, check)
    else:  # the same rows at another moment or window: only the hours are answered again
        base = session.caches.precheck_base.get(base_key, check)
    checked = session.caches.prechecks.get(key, lambda: _answers(retime(base, at, window)))
    leave_out = state.leave_out_outside_hours and not state.waves  # waves call them later
    fates = session.caches.fates.get(
        (key, state.keep, leave_out, state.waves),
        lambda: row_fates(
            checked.report,
            table.original.index,
            keep=state.keep,  # type: ignore[arg-type]
            leave_out_outside_hours=leave_out,
            leave_out_unknown_zone=state.waves,  # no wave to place them in
            leave_out_never_open=state.waves,
        ),
    )
    zone, zone_name = browser_zone()
    st.caption(
        f"Checked for a launch {'at the schedule' if scheduled else 'now'}: "
        f"{when_text(at, zone, zone_name, weekday=True)}, window {window.label}."
    )
    _show_counts(fates)
    _show_left_out(checked.report, fates)
    _show_hours(checked, scheduled, leave_out, (zone, zone_name), waves=state.waves)
    _show_warnings(checked.report)
    st.download_button(
        "Every row's fate (CSV)",
        lambda: fates_csv(table, fates.dispositions),
        "row_fates.csv",
        CSV_MIME,
        key=FATES_KEY,
        on_click="ignore",
        icon=":material/download:",
        help="Every row of your file, its cells and what happens to it at launch.",
    )
    return fates


def _same_but_version(before: Hashable, now: tuple[Hashable, ...]) -> bool:
    """Two base keys for the same file, table, route, DNC list and expectation."""
    return (
        isinstance(before, tuple)
        and len(before) == len(now)
        and before[:2] == now[:2]
        and before[3:] == now[3:]
    )


def checked_report(session: Session) -> PrecheckReport | None:
    """The report Before launch drew in this run (its moment and window with it): the time
    zones that time-zone waves are planned from."""
    checked = session.caches.prechecks.value
    return checked.report if checked is not None else None


def _answers(report: PrecheckReport) -> Checked:
    earliest = {share: report.earliest_start(share) for share, _, _ in EARLIEST}
    return Checked(report, earliest, report.by_local_hour())


def _show_counts(fates: Fates) -> None:
    counts = fates.counts
    for column, disposition in zip(st.columns(len(SHOWN_FATES)), SHOWN_FATES, strict=True):
        column.metric(disposition.title, f"{counts[disposition]:,}")
    refused = [f"{d.title}: {n:,}" for d, n in counts.items() if d.is_platform_reason and n]
    if refused:
        st.caption("Refused by the platform (fix or drop them): " + "; ".join(refused) + ".")


ROW_HEADER, SAME_AS_HEADER = "Row", "Same as row"
ROW_NUMBERS = {
    ROW_HEADER: st.column_config.NumberColumn(ROW_HEADER, format="localized"),
    SAME_AS_HEADER: st.column_config.NumberColumn(
        SAME_AS_HEADER, format="localized", help="The row whose copy is called"
    ),
}
"""Spreadsheet row numbers as people write them, 120,004, in the tables shown only."""


def _rows(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """One page of ``frame`` with its spreadsheet row numbers first, headed in words: a copy
    for the screen, the report (and the fates download) keep the library's columns."""
    shown = frame.head(SHOWN_ROWS)[list(columns)].rename(columns=columns)
    shown.insert(0, ROW_HEADER, [int(row) for row in shown.index])
    return shown.reset_index(drop=True)


def _listed(
    title: str, frame: pd.DataFrame, columns: dict[str, str], note: str, total: int | None = None
) -> None:
    """``total`` rows (default: the frame's), of which ``frame`` holds at least the first page."""
    total = len(frame) if total is None else total
    if not total:
        return
    more = f" (the first {SHOWN_ROWS})" if total > SHOWN_ROWS else ""
    st.markdown(f"**{title}: {plural(total, 'row')}**{more}. {note}")
    # Closed until asked for: a browser draws a grid's canvas only once it is opened, and
    # Submit lists up to six of these (~0.1 s of the browser's work each, on every visit).
    with st.expander(f"Show the {plural(min(total, SHOWN_ROWS), 'row')}", expanded=False):
        st.dataframe(_rows(frame, columns), hide_index=True, column_config=ROW_NUMBERS)


def _show_left_out(report: PrecheckReport, fates: Fates) -> None:
    rows, fate = report.rows, fates.dispositions.reindex(report.rows.index).to_numpy()
    do_not_call = np.flatnonzero(fate == Disposition.DO_NOT_CALL.value)
    _listed(
        Disposition.DO_NOT_CALL.title,
        rows.iloc[do_not_call[:SHOWN_ROWS]],  # one page copied, not every row
        {"phone_number": "Number", "e164": "E.164"},
        "Always left out.",
        total=len(do_not_call),
    )
    repeated = np.flatnonzero(fate == Disposition.DUPLICATE.value)
    _listed(
        "Repeated numbers left out",
        rows.iloc[repeated[:SHOWN_ROWS]],
        {"phone_number": "Number", "e164": "E.164", "duplicate_of": SAME_AS_HEADER},
        "Choose which copy is called under Repeated numbers.",
        total=len(repeated),
    )


def _show_hours(
    checked: Checked,
    scheduled: bool,
    leave_out: bool,
    operator: tuple[tzinfo, str],
    *,
    waves: bool = False,
) -> None:
    zone, zone_name = operator
    rows = checked.report.rows
    outside = np.flatnonzero(rows["in_window"].isin(["no", "partly"]).to_numpy())
    page = rows.iloc[outside[:SHOWN_ROWS]].copy()  # one page copied and joined, not every row
    page["time_zones"] = page["time_zones"].map(", ".join)
    page["local_times"] = page["local_times"].map(", ".join)
    page["in_window"] = page["in_window"].map(human)
    _listed(
        "Outside their calling hours",
        page,
        {
            "phone_number": "Number",
            "time_zones": "Time zones",
            "local_times": "Local time",
            "in_window": "Inside window",
        },
        (
            "Called in their wave, when their hours open."
            if waves
            else "Left out."
            if leave_out
            else "Called anyway, as chosen above."
        )
        + " “Partly”: a number whose country spans zones, inside in only some of them.",
        total=len(outside),
    )
    when = "at the scheduled launch" if scheduled else "now"
    chart(local_hour_bars(checked.by_hour, when, checked.report.window.label))
    for share, who, key in EARLIEST:
        moment = checked.earliest[share]
        if moment is None:
            st.caption(f"No time in the next 7 days has {who} inside the calling window.")
        elif moment <= checked.report.at:
            st.caption(f"At the launch time, {who} with a known time zone is inside the window.")
        else:
            text, button = st.columns([3, 1], vertical_alignment="center")
            text.markdown(
                f"{who.capitalize()} inside from "
                f"**{when_text(moment, zone, zone_name, weekday=True, with_utc=True)}**."
            )
            button.button(
                "Schedule at that time",
                key=key,
                icon=":material/schedule:",
                on_click=_schedule_at,
                args=(moment, zone),
            )


def _schedule_at(moment: datetime, zone: tzinfo) -> None:
    """Submit's schedule widgets set to ``moment`` in the operator's zone; a callback, so
    it runs before they are drawn again."""
    local = to_local(moment, zone)
    st.session_state[SCHEDULE_KEY] = True
    st.session_state[DATE_KEY] = local.date()
    st.session_state[TIME_KEY] = local.time()


def _show_warnings(report: PrecheckReport) -> None:
    lookalikes = report.lookalikes
    _listed(
        "Look-alikes",
        lookalikes,
        {
            "phone_number": "Number",
            "e164": "Read as",
            "lookalike_e164": "Other country's E.164",
            "advice": "Advice",
        },
        "Probably another country's number: these are still called as read; fix the cell "
        "in Fix rows if it is the other one.",
    )
    flagged = report.flagged_types.head(SHOWN_ROWS).assign(
        number_type=lambda frame: frame["number_type"].map(human)
    )  # one page in words ("Fixed line"), the report's own frame untouched
    _listed(
        "Unusual number types",
        flagged,
        {"phone_number": "Number", "number_type": "Type"},
        "Toll-free, premium, fixed lines where mobiles are expected…: a warning, still called.",
        total=len(report.flagged_types),
    )
