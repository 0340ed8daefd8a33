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

from batchcall.checks.waves import Wave
from batchcall.insight.display import plural, rows_text, when_text
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
        f"**Time-zone waves: {plural(len(plan.waves), 'wave')}{extra}, "
        f"{plural(launch.rows, 'call')}** "
        f"(window {plan.window.label}, each contact's own time)."
    )
    if plan.waves:
        st.dataframe(
            pd.DataFrame(
                {
                    "Wave": [wave.label for wave in plan.waves],
                    "Local opening": [_opening(wave) for wave in plan.waves],
                    "Starts": [_starts(w.scheduled_at, zone, zone_name) for w in plan.waves],
                    "Rows": [len(wave.rows) for wave in plan.waves],
                }
            ),
            hide_index=True,
            key="waves-plan",
            column_config={
                "Rows": st.column_config.NumberColumn(format="localized"),
                "Starts": st.column_config.TextColumn(
                    help="In your time zone, and in UTC (what the platform is sent) if that "
                    "is another"
                ),
            },
        )
    for rows, why in (
        (plan.unknown_rows, "with no known time zone"),
        (plan.closed_rows, "with no calling hours in the next 7 days"),
    ):
        if rows:
            one = len(rows) == 1
            st.warning(
                f"{plural(len(rows), 'row')} {why} {'is' if one else 'are'} not sent "
                f"({'row' if one else 'rows'} {rows_text(rows, SHOWN_ROWS)}): send "
                f"{'it' if one else 'them'} on {'its' if one else 'their'} own once you know "
                "when to call, or turn waves off.",
                icon=":material/schedule:",
            )


def _opening(wave: Wave) -> str:
    """The wall clocks at the wave's start in its zones; "open now" when it starts at once."""
    if wave.scheduled_at is None:
        return "open now"
    return ", ".join(sorted(set(wave.local_opening)))


def _starts(moment: datetime | None, zone: tzinfo, zone_name: str) -> str:
    """ "Sat 5 Dec 09:00 (Asia/Kolkata) · 03:30 UTC", or "now": one cell, each zone once."""
    if moment is None:
        return "now"
    return when_text(moment, zone, zone_name, weekday=True, with_utc=True)


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
        waves = counted(len(launch.items), "time-zone wave")
        return f"Submit {plural(launch.rows, 'call')} as {waves}"
    batches = counted(len(launch.items), "batch")
    return f"Submit {plural(launch.rows, 'call')} as {batches} {settings.when}"
