"""Progress for a group of numbered batches (time-zone waves, parts of a large list), together.

Why counters only: a group's headline and its table need each batch's counters
(``get_batch``), never its calls; a batch's calls are read when the operator opens
that one batch in the single-batch view. A batch that has finished is not read
again, so a poll of a group of ten costs at most ten small requests, and the
fragment that draws it (scheduled while a batch runs, slowly while every batch left
waits for its wave) redraws in a few tens of milliseconds.

The headline follows the single batch's wording rules (``charts.progress``): never
"100% done" while a call is cancelled or left, and a cancelled group says how many
calls were never dialled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from batchcall.api.batches import Batch, BatchState
from batchcall.api.errors import ApiError, NotFoundError
from batchcall.charts.progress import ProgressNumbers, progress_headline, progress_numbers
from batchcall.insight.display import human, when_text
from batchcall.ui.following import workspace_of
from batchcall.ui.group_controls import group_controls
from batchcall.ui.group_records import GroupSummary, counted, load_summary, recent_groups
from batchcall.ui.prechecks_inputs import browser_zone
from batchcall.ui.session import open_client
from batchcall.ui.state import Session

REFRESH_SECONDS = 2.0
WAITING_REFRESH_SECONDS = 30.0
GROUP_KEY = "progress-group"
NO_GROUP = ""


def follow_group(session: Session) -> GroupSummary | None:
    """The group picker (when there is a group to follow) and the group followed, kept in
    the URL (``?group=``) so a reload follows it again."""
    progress = session.progress
    if progress.group is None and st.query_params.get("group"):
        progress.group = st.query_params["group"]
    current = progress.group
    followed = (session.submit.groups.get(current) or load_summary(current)) if current else None
    if current and followed is None:
        st.warning(f"The group `{current[:11]}` is not kept by this workbench; it was cleared.")
        progress.group = progress.group_open = None
    options = {group.key: group for group in recent_groups(workspace_of(session))}
    if followed is not None:
        options = {followed.key: followed, **options}
    if followed is not None:
        st.query_params["group"] = followed.key
    elif "group" in st.query_params:
        del st.query_params["group"]
    if not options:
        return None
    wanted = followed.key if followed is not None else NO_GROUP
    if st.session_state.get(GROUP_KEY) != wanted:
        st.session_state[GROUP_KEY] = wanted

    def chosen() -> None:
        progress.group = st.session_state[GROUP_KEY] or None
        progress.group_open, progress.group_cancel_confirm = None, False

    st.selectbox(
        "Group of numbered batches",
        [NO_GROUP, *options],
        format_func=lambda key: (
            options[key].label if key in options else key or "None: follow one batch"
        ),
        key=GROUP_KEY,
        on_change=chosen,
    )
    return followed


def back_to_group(session: Session, group: GroupSummary) -> None:
    """From one batch opened in the single-batch view, back to its group."""
    st.button(
        f"Back to the group {group.name or ''} ({len(group.batches)} batches)",
        icon=":material/arrow_back:",
        key="progress-group-back",
        on_click=setattr,
        args=(session.progress, "group_open", None),
    )


def read_batches(session: Session, group: GroupSummary) -> dict[str, Batch]:
    """Each batch's counters; a finished one as last read (it will not change)."""
    latest, read = session.progress.latest, {}
    try:
        with open_client(session) as client:
            for batch_id in group.batch_ids:
                known = latest.get(batch_id)
                if known is not None and known.is_finished:
                    read[batch_id] = known
                    continue
                try:
                    read[batch_id] = latest[batch_id] = client.get_batch(batch_id)
                except NotFoundError:
                    continue  # shown as "not found" in the table
    except ApiError as exc:
        st.warning(f"Could not refresh the group's batches, retrying: {exc}")
        read |= {i: latest[i] for i in group.batch_ids if i in latest and i not in read}
    return read


def refresh_interval(batches: Sequence[Batch], now: datetime) -> float | None:
    """None once every batch finished; slow while every batch left waits for its schedule."""
    running = [batch for batch in batches if not batch.is_finished]
    if not running:
        return None
    waiting = all(b.scheduled_at and b.scheduled_at > now and not b.started_at for b in running)
    return WAITING_REFRESH_SECONDS if waiting else REFRESH_SECONDS


def group_panel(session: Session, group: GroupSummary) -> None:
    """The combined headline and one row per batch, redrawn while a batch runs; then the
    controls: open one batch, cancel one, cancel the group."""
    count = len(group.batches)
    st.subheader(f"{group.name or 'Unnamed'} — {counted(count, 'numbered batch')}")
    first = read_batches(session, group)
    interval = refresh_interval(list(first.values()), datetime.now(UTC))
    full_run = [True]

    @st.fragment(run_every=interval)
    def live() -> None:
        batches = first if full_run[0] else read_batches(session, group)
        done = bool(batches) and all(b.is_finished for b in batches.values())
        if interval is not None and done and not full_run[0]:
            st.rerun(scope="app")  # the final state once, unscheduled, without controls
        group_numbers(list(batches.values()), count)
        st.dataframe(
            group_table(group, batches),
            hide_index=True,
            key="progress-group-table",
            column_config=GROUP_TABLE_CONFIG,
        )

    live()
    full_run[0] = False
    group_controls(session, group, first)


def group_figures(batches: Sequence[Batch]) -> ProgressNumbers:
    """The batches' counters summed, paced from the first start to now (or the last end)."""
    counts: dict[str, int] = {}
    for batch in batches:
        for status, number in batch.status_counts_or_derived().items():
            counts[status] = counts.get(status, 0) + number
    starts = [b.started_at for b in batches if b.started_at]
    ends = [b.completed_at or b.cancelled_at for b in batches]
    finished = bool(batches) and all(b.is_finished for b in batches)
    now = max(e for e in ends if e) if finished and any(ends) else datetime.now(UTC)
    total = sum(batch.total_leads for batch in batches)
    return progress_numbers(counts, total, min(starts) if starts else None, now)  # type: ignore[arg-type]


def group_headline(figures: ProgressNumbers, batches: Sequence[Batch], count: int) -> str:
    """The single batch's wording for the whole group: a group cancelled in full reads as a
    cancelled batch; one cancelled in part says so, and neither ever reads "100% done"."""
    cancelled = sum(1 for b in batches if b.state == BatchState.CANCELLED)
    finished = len(batches) == count and all(b.is_finished for b in batches)
    if cancelled == count:
        return progress_headline(figures, cancelled=True, finished=finished)
    if not cancelled:
        return progress_headline(figures, cancelled=False, finished=finished)
    part = f"{cancelled} of {count} batches cancelled, {figures.cancelled:,} calls never dialled"
    if finished:
        outcome = f"{figures.completed:,} completed, {figures.unsuccessful:,} failed"
        return f"Finished — {outcome}; {part}"
    return f"{progress_headline(figures, cancelled=False, finished=False)}; {part}"


def group_numbers(batches: Sequence[Batch], count: int) -> None:
    """The headline and five figures: calls, completed, failed, in progress, never dialled."""
    figures = group_figures(batches)
    st.progress(figures.completion, text=group_headline(figures, batches, count))
    cols = st.columns(5)
    cols[0].metric("Calls", f"{figures.total:,}")
    cols[1].metric("Completed", f"{figures.completed:,}")
    cols[2].metric("Failed", f"{figures.unsuccessful:,}", help="No answer, busy or failed.")
    cols[3].metric("In progress or queued", f"{figures.remaining:,}")
    cols[4].metric("Never dialled", f"{figures.cancelled:,}", help="Cancelled before their turn.")


GROUP_COUNTS = ("Calls", "Completed", "Failed", "In progress or queued", "Never dialled")
GROUP_TABLE_CONFIG = {
    column: st.column_config.NumberColumn(format="localized") for column in GROUP_COUNTS
} | {"Starts": st.column_config.TextColumn(help="In your time zone, and in UTC if that is another")}
"""Counts with thousands separators; a wave's start once in each zone."""


def group_table(group: GroupSummary, batches: dict[str, Batch]) -> pd.DataFrame:
    """One row per batch, headed in words: its name, status, counts and, for a wave not
    started, its start in the operator's zone (and UTC, what the platform was sent)."""
    zone, zone_name = browser_zone()
    rows = []
    for entry in group.batches:
        batch = batches.get(entry.batch_id or "")
        figures = progress_numbers(batch.status_counts_or_derived(), batch.total_leads, None,
                                   datetime.now(UTC)) if batch else None  # fmt: skip
        starts = ""
        scheduled = (batch.scheduled_at if batch else None) or entry.scheduled_at
        if scheduled and not (batch and batch.started_at) and not (batch and batch.is_finished):
            starts = when_text(scheduled, zone, zone_name, weekday=True, with_utc=True)
        status = batch.status if batch else ("not found" if entry.batch_id else "not created")
        rows.append(
            {
                "#": entry.number,
                "Batch": entry.name,
                "Status": human(status),
                "Calls": figures.total if figures else 0,
                "Completed": figures.completed if figures else 0,
                "Failed": figures.unsuccessful if figures else 0,
                "In progress or queued": figures.remaining if figures else 0,
                "Never dialled": figures.cancelled if figures else 0,
                "Starts": starts,
                "Id": entry.batch_id or "",
            }
        )
    return pd.DataFrame(rows)
