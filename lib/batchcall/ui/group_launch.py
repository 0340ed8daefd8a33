"""Submit's numbered batches: time-zone waves, or the parts of a list over 10 MB, sent once.

Why built like the single launch (``ui.submitting``), one level up: each batch carries
its own idempotency key from one base (``work.groups``), and the base covers every
batch's exact bytes, name and schedule. A double click or a rerun therefore asks for
the same batches with the same keys, and the platform answers with those it already
made. The group's record is saved after every batch created (``group_records``), so a
reload after a half-failed group finds the moment its waves were planned, plans the
very same batches, and creates only the missing ones; once complete, Submit shows the
group instead of the button.

The rows are exactly those ``work.sending.sent_csv`` sends (active minus the rows the
pre-launch checks leave out, columns renamed as mapped): the waves split them, and
the rows no wave can carry are shown, not sent.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from batchcall.api.errors import ApiError, BatchValidationError
from batchcall.checks.dispositions import Disposition
from batchcall.checks.fates import Fates
from batchcall.checks.waves import WavePlan, plan_waves
from batchcall.contacts import MAX_FILE_BYTES, ContactFileError
from batchcall.digests import digest
from batchcall.insight.preflight import escape_markdown
from batchcall.settings import row_maps_dir
from batchcall.ui.following import workspace_of
from batchcall.ui.group_records import (
    WORKSPACE_FIELD,
    GroupSummary,
    counted,
    group_store,
    load_summary,
    summarize,
)
from batchcall.ui.prechecks_view import checked_report, launch_moment
from batchcall.ui.session import flash, open_client
from batchcall.ui.state import Rejection, Session
from batchcall.ui.submitting import REUSE_TOLERANCE, BatchSettings, Submission, refresh_config
from batchcall.work.groups import (
    GroupItem,
    GroupRecord,
    group_base_key,
    items_from_parts,
    items_from_waves,
    submit_group,
)
from batchcall.work.parts import split_table
from batchcall.work.submission import KEY_PREFIX, RowMapStore, map_rejected_rows
from batchcall.work.table import WorkTable


@dataclass(frozen=True, eq=False)
class GroupLaunch:
    """The numbered batches one Submit request makes, and the keys that make it harmless
    to repeat."""

    key: str
    """The group's own key: where its record is kept (and, for parts, the whole list's)."""
    base_key: str
    """The base of every batch's idempotency key."""
    kind: str
    """"waves" or "parts"."""
    items: tuple[GroupItem, ...]
    size: int
    """Bytes of the whole list as sent in one file (over 10 MB for parts)."""
    plan: WavePlan | None = None

    @property
    def rows(self) -> int:
        return sum(len(item.row_map) for item in self.items)

    @property
    def largest(self) -> int:
        """The largest batch's file, in bytes (each under the platform's 10 MB)."""
        return max((len(item.data) for item in self.items), default=0)


def sent_rows(
    table: WorkTable, exclude: Collection[int], rename: Mapping[str, str] | None
) -> pd.DataFrame:
    """The rows ``work.sending.sent_csv`` writes, by the same rules: active minus
    ``exclude``, headers renamed as the agent's variables."""
    rows = table.active
    if exclude:
        rows = rows[~rows.index.isin(list(exclude))]
    return rows.rename(columns=dict(rename)) if rename else rows


def plan_group(
    session: Session,
    settings: BatchSettings,
    submission: Submission,
    fates: Fates | None,
    rename: Mapping[str, str] | None = None,
) -> GroupLaunch | None:
    """Waves when the operator asked for them, parts when the file sent is over 10 MB,
    else None (one batch, ``ui.submitting``). Built once per request and plan moment."""
    waves = session.prechecks.waves and fates is not None
    if not waves and len(submission.data) <= MAX_FILE_BYTES:
        return None
    assert session.table is not None and session.upload is not None
    table, upload = session.table, session.upload
    excluded = fates.excluded if fates is not None else ()
    names = tuple(sorted((rename or {}).items()))
    stem, name = Path(upload.filename).stem, settings.name or Path(upload.filename).stem
    if not waves:
        return session.caches.group_launch.get(
            (submission.key, "parts"),
            lambda: _parts(
                table, excluded, dict(names), submission, name, upload.filename, settings
            ),
        )
    report = checked_report(session)
    if report is None:
        return None
    key = KEY_PREFIX + digest(f"{submission.key}|waves|{report.window.label}".encode())[:40]
    kept = load_summary(key)
    at = kept.planned_at if kept is not None and kept.planned_at else launch_moment(settings)[0]

    def build() -> GroupLaunch:
        # The rows no wave can call (no known zone, no calling hours within a week) are
        # left out by their fate already, the only rows waves leave out for their hours;
        # the plan still sees them, to list them by row under the waves.
        outside = str(Disposition.OUTSIDE_CALLING_HOURS)
        assert fates is not None
        waiting = {row for row in excluded if fates.dispositions.get(row) == outside}
        rows = sent_rows(table, set(excluded) - waiting, dict(names))
        plan = plan_waves(report, at=at, rows=rows.index)
        if settings.scheduled_at is not None:  # waves open at the schedule start at it
            moved = [replace(w, scheduled_at=w.scheduled_at or at) for w in plan.waves]
            plan = replace(plan, waves=tuple(moved))
        items = items_from_waves(name, rows, plan, stem=stem)
        base = group_base_key(items, key) if items else key
        return GroupLaunch(key, base, "waves", tuple(items), len(submission.data), plan)

    return session.caches.group_launch.get((submission.key, key, at), build)


def _parts(
    table: WorkTable,
    excluded: Collection[int],
    rename: dict[str, str],
    submission: Submission,
    name: str,
    filename: str,
    settings: BatchSettings,
) -> GroupLaunch | None:
    """The list as parts of at most 10 MB, each a batch named "<name> (n/N)"; the schedule
    is part of ``submission.key``, so of the cache key too."""
    try:
        parts = split_table(table, excluded, rename, name=filename)
    except ContactFileError as exc:  # one row alone over 10 MB: no part can carry it
        st.error(str(exc))
        return None
    stem = Path(filename).stem
    items = items_from_parts(name, parts, scheduled_at=settings.scheduled_at, stem=stem)
    return GroupLaunch(
        submission.key, group_base_key(items, submission.key), "parts", tuple(items),
        len(submission.data),
    )  # fmt: skip


def created_group(session: Session, launch: GroupLaunch) -> GroupSummary | None:
    """The group this exact request already created in full (this session, or kept on disk)."""
    made = session.submit.groups.get(launch.key)
    if made is not None:
        return made
    kept = load_summary(launch.key)
    return kept if kept is not None and kept.complete else None


def unfinished_note(launch: GroupLaunch) -> None:
    """A group an earlier attempt left half-made: what submitting again does."""
    kept = load_summary(launch.key)
    if kept is not None and not kept.complete and kept.batch_ids:
        st.info(
            f"An earlier attempt created {len(kept.batch_ids)} of {len(kept.batches)} batches of "
            "this group. Submitting again creates only the missing ones.",
            icon=":material/info:",
        )


def launch_group(
    session: Session, agent_id: str, settings: BatchSettings, launch: GroupLaunch
) -> None:
    """Create the batches in order; on success keep the group and mark Progress as the next
    page, else keep why not (run from the Submit button's callback: it draws nothing)."""
    assert session.table is not None and session.upload is not None
    session.submit.launch_error = None
    store, maps = group_store(), RowMapStore(row_maps_dir())
    made: list[GroupRecord] = []

    def keep(record: GroupRecord) -> None:  # after each batch: a failure loses nothing
        store.save(record, launch.key)
        entry = [entry for entry in record.entries if entry.batch_id][-1]
        row_map = launch.items[entry.number - 1].row_map
        maps.save(str(entry.batch_id), row_map)
        session.submit.row_maps[str(entry.batch_id)] = row_map
        made[:] = [record]

    extra: dict[str, object] = {
        WORKSPACE_FIELD: workspace_of(session),
        "kind": launch.kind,
        "file": session.upload.filename,
    }
    if launch.plan is not None:
        extra |= {"at": launch.plan.at.isoformat(), "window": launch.plan.window.label}
    sent_at = datetime.now(UTC)
    try:
        with open_client(session) as client:
            result = submit_group(
                client,
                launch.items,
                base_key=launch.base_key,
                agent_id=agent_id,
                from_phone_number=session.table.route.phone_number,
                max_concurrent_calls=settings.max_concurrent_calls,
                retry_config=settings.retry_config,
                name=settings.name or Path(session.upload.filename).stem,
                extra=extra,
                on_created=keep,
            )
    except ApiError as exc:
        done = len(made[0].batch_ids) if made else 0
        item = launch.items[done]
        before = (
            f"{done} of {len(launch.items)} batches were created (they stay, and are not "
            "created again); "
            if done
            else "Nothing was created; "
        )
        if isinstance(exc, BatchValidationError):
            groups = map_rejected_rows(exc, item.row_map)
            message = f"{before}it refused {item.name}: {exc.message}"
            session.submit.rejection = Rejection(launch.key, groups, message)
            refresh_config(session)  # the page then draws the pre-flight with fresh verdicts
            return
        session.submit.launch_error = (
            launch.key,
            f"The platform did not create {item.name}. {before}{exc} Submit again: only the "
            "missing batches are sent.",
        )
        return
    summary = summarize(result.record, launch.key, sent_at)
    session.submit.groups[launch.key] = summary
    session.submit.rejection = None
    session.progress.group, session.progress.group_open = launch.key, None
    session.batch_id = result.batches[0].id
    old = [b for b in result.batches if b.created_at and b.created_at < sent_at - REUSE_TOLERANCE]
    count = len(result.batches)
    if old:
        flash(
            session,
            "info",
            f"{len(old)} of these {count} batches were already submitted earlier: the "
            "platform returned them instead of creating them again. Change the batch name to "
            "launch the rows again.",
        )
    else:
        made = counted(count, "batch")
        flash(session, "success", f"{made} created: **{escape_markdown(summary.name)}**.")
    session.submit.go_to_progress(launch.key)
