"""How Submit shows the numbered batches it will send: the time-zone waves, line by line,
with the rows no wave carries, or the parts of a list over 10 MB.

Why shown before the button: the operator launches exactly what these lines say
(``ui.group_launch`` sends the same items), so the rows left out and each wave's
start in their own zone and in UTC are read before anything is created.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

import pandas as pd
import streamlit as st

from batchcall.checks.local_time import to_local
from batchcall.checks.waves import Wave
from batchcall.insight.preflight import escape_markdown
from batchcall.ui.group_launch import GroupLaunch
from batchcall.ui.group_records import counted
from batchcall.ui.prechecks_inputs import browser_zone
from batchcall.ui.submitting import BatchSettings

SHOWN_ROWS = 20


def show_waves(launch: GroupLaunch) -> None:
    """One line per wave (label, local opening, start in the operator's zone and UTC, rows)
    and the rows no wave carries."""
    plan = launch.plan
    if plan is None:
        return
    zone, zone_name = browser_zone()
    batches = len(launch.items)
    extra = f" in {batches:,} batches" if batches != len(plan.waves) else ""
    st.markdown(
        f"**Time-zone waves: {len(plan.waves):,} waves{extra}, {launch.rows:,} calls** "
        f"(window {plan.window.label}, each contact's own time)."
    )
    if plan.waves:
        st.dataframe(
            pd.DataFrame(
                {
                    "wave": [wave.label for wave in plan.waves],
                    "local opening": [_opening(wave) for wave in plan.waves],
                    f"starts ({zone_name})": [_local(w.scheduled_at, zone) for w in plan.waves],
                    "starts (UTC)": [
                        f"{w.scheduled_at:%Y-%m-%d %H:%M}" if w.scheduled_at else "now"
                        for w in plan.waves
                    ],
                    "rows": [len(wave.rows) for wave in plan.waves],
                }
            ),
            hide_index=True,
            key="waves-plan",
        )
    for rows, why in (
        (plan.unknown_rows, "have no known time zone"),
        (plan.closed_rows, "have no calling hours in the next 7 days"),
    ):
        if rows:
            shown = ", ".join(map(str, rows[:SHOWN_ROWS])) + (
                " …" if len(rows) > SHOWN_ROWS else ""
            )
            st.warning(
                f"{len(rows):,} rows {why} and are not sent (rows {shown}): send them on their "
                "own once you know when to call them, or turn waves off.",
                icon=":material/schedule:",
            )


def _opening(wave: Wave) -> str:
    """The wall clocks at the wave's start in its zones; "open now" when it starts at once."""
    if wave.scheduled_at is None:
        return "open now"
    return ", ".join(sorted(set(wave.local_opening)))


def _local(moment: datetime | None, zone: tzinfo) -> str:
    if moment is None:
        return "now"
    return f"{to_local(moment, zone):%a %Y-%m-%d %H:%M}"


def parts_notice(launch: GroupLaunch) -> None:
    """The list's size and the batches it becomes."""
    if launch.kind != "parts":
        return
    st.info(
        f"This list is {launch.size / 2**20:.1f} MB: it will be sent as {len(launch.items):,} "
        f"batches under 10 MB each (the platform's limit), no row split: "
        + ", ".join(f"**{escape_markdown(item.name)}**" for item in launch.items)
        + ".",
        icon=":material/splitscreen:",
    )


def button_label(launch: GroupLaunch, settings: BatchSettings) -> str:
    if launch.kind == "waves":
        return f"Submit {launch.rows:,} calls as {counted(len(launch.items), 'time-zone wave')}"
    return f"Submit {launch.rows:,} calls as {len(launch.items):,} batches {settings.when}"
