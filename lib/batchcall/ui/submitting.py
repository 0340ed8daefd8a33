"""The Submit page's widgets and its one side effect: launching the batch exactly once.

Why the launch is built this way: a double click or a rerun in the middle of the
request runs the page script again. The idempotency key is derived from the
exact bytes and settings being sent, so every repeat carries the same key and
the platform answers with the first batch; the created batch id is also kept in
the session under that key, so after success the page shows the batch instead
of the button.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path

import pandas as pd
import streamlit as st

from batchcall.api.errors import ApiError, BatchValidationError
from batchcall.api.models import Agent, PhoneNumber
from batchcall.checks.fates import Fates
from batchcall.checks.local_time import from_local, to_local
from batchcall.digests import digest
from batchcall.insight.display import rows_text, when_text
from batchcall.insight.preflight import (
    escape_markdown,
    highlight_placeholders,
)
from batchcall.rules import Reason
from batchcall.settings import row_maps_dir
from batchcall.ui.layout import PAGES
from batchcall.ui.prechecks_inputs import browser_zone
from batchcall.ui.session import flash, open_client, save_draft, workspace
from batchcall.ui.state import Rejection, Session
from batchcall.ui.workspace import Workspace
from batchcall.work.sending import sent_csv
from batchcall.work.submission import RowMapStore, idempotency_key, map_rejected_rows

DEFAULT_CONCURRENCY = 10
# A batch created this long before our request is an earlier submission the key matched
# (generous, so a platform clock a little behind ours is not mistaken for one).
REUSE_TOLERANCE = timedelta(seconds=60)
SCHEDULE_KEY, DATE_KEY, TIME_KEY = "submit-schedule", "submit-date", "submit-time"


@dataclass(frozen=True)
class BatchSettings:
    """What the operator chose; ``valid`` is False while the schedule is in the past."""

    name: str
    max_concurrent_calls: int
    scheduled_at: datetime | None
    retry_config: dict[str, int] | None
    valid: bool = True
    zone: tzinfo = UTC
    """The operator's own zone: the schedule is typed, and shown, in it."""
    zone_name: str = "UTC"

    @property
    def when(self) -> str:
        """The launch as the button says it: now, or the schedule in the operator's own time."""
        if self.scheduled_at is None:
            return "now"
        return f"at {when_text(self.scheduled_at, self.zone, self.zone_name)}"


@dataclass(frozen=True)
class Submission:
    """The exact request: bytes, row map and the key that makes repeating it harmless."""

    data: bytes
    row_map: Mapping[int, int]
    key: str


def pick_agent(space: Workspace, route: PhoneNumber) -> tuple[str, str]:
    """(agent id, prompt); typed in where the platform does not list its agents."""
    if not space.agents:
        st.caption("This platform does not list its agents: type the agent's id.")
        agent_id = st.text_input("Agent id", key="submit-agent-id", placeholder="agt_abc123")
        prompt = st.text_area(
            "Agent prompt (optional — paste it to check its {{variables}} against the file)",
            key="submit-agent-prompt",
        )
        return agent_id.strip(), prompt
    agents: dict[str, Agent] = {agent.id: agent for agent in space.agents}
    ids = list(agents)
    default = ids.index(route.outbound_agent_id) if route.outbound_agent_id in agents else 0
    agent_id = st.selectbox(
        "Agent",
        ids,
        index=default,
        format_func=lambda i: f"{agents[i].name or i} ({i})",
        key="submit-agent",
    )
    prompt = agents[agent_id].prompt if agent_id else ""
    with st.container(border=True):
        st.markdown(highlight_placeholders(prompt) if prompt else "_This agent has no prompt._")
    return agent_id or "", prompt


def batch_settings(filename: str) -> BatchSettings:
    """Name, concurrency, optional schedule (the operator's time, future only) and retries."""
    today = datetime.now(UTC).date()
    st.session_state.setdefault("submit-name", f"{Path(filename).stem} {today.isoformat()}")
    left, right = st.columns(2)
    name = left.text_input("Batch name", key="submit-name").strip()
    concurrency = right.number_input(
        "Max concurrent calls", 1, 100, DEFAULT_CONCURRENCY, key="submit-concurrency"
    )
    zone, zone_name = browser_zone()
    scheduled_at, valid = _schedule(zone, zone_name)
    retry = None
    if st.checkbox("Retry unanswered and busy calls", key="submit-retry"):
        left, right = st.columns(2)
        retries = left.number_input("Max retries", 0, 5, 2, key="submit-retries")
        interval = right.number_input(
            "Minutes between retries", 1, 1440, 60, key="submit-retry-interval"
        )
        retry = {"max_retries": int(retries), "retry_interval_minutes": int(interval)}
    return BatchSettings(name, int(concurrency), scheduled_at, retry, valid, zone, zone_name)


def _schedule(zone: tzinfo, zone_name: str) -> tuple[datetime | None, bool]:
    """A date and time in the operator's own zone (the browser's), sent as UTC."""
    if not st.checkbox(f"Schedule for later (your time, {zone_name})", key=SCHEDULE_KEY):
        return None, True
    now = to_local(datetime.now(UTC), zone)
    soon = now + timedelta(hours=1)
    st.session_state.setdefault(DATE_KEY, soon.date())
    st.session_state.setdefault(TIME_KEY, time(soon.hour, 0))
    left, right = st.columns(2)
    day = left.date_input(f"Date ({zone_name})", min_value=now.date(), key=DATE_KEY)
    at = right.time_input(f"Time ({zone_name})", key=TIME_KEY, step=300)
    moment = from_local(day, at, zone, zone_name)
    if zone_name != "UTC":  # typed in UTC, the inputs already say what is sent
        st.caption(f"Sent to the platform as {when_text(moment.utc)}.")
    if moment.note:
        st.warning(moment.note, icon=":material/schedule:")
    if moment.utc <= datetime.now(UTC):
        st.error(
            "The schedule must be in the future: it is "
            f"{when_text(moment.utc, zone, zone_name, with_utc=True)}."
        )
        return moment.utc, False
    return moment.utc, True


def prepare(
    session: Session,
    agent_id: str,
    settings: BatchSettings,
    fates: Fates | None = None,
    rename: dict[str, str] | None = None,
) -> Submission:
    """The file sent: the passing rows minus those the pre-launch checks leave out, its
    columns named as the agent's variables where the operator mapped them (cached per
    table version, rows left out and names), and the key for this exact request."""
    assert session.table is not None and session.upload is not None
    table, upload = session.table, session.upload
    excluded, exclusions = (fates.excluded, fates.digest) if fates is not None else ((), "")
    names = tuple(sorted((rename or {}).items()))

    def build() -> tuple[bytes, Mapping[int, int], str]:
        data, row_map = sent_csv(table, excluded, dict(names))
        return data, row_map, digest(data)

    state = (upload.digest, id(table), table.version, exclusions, names)
    data, row_map, sent_digest = session.caches.cleaned.get(state, build)
    key = idempotency_key(
        file_digest=upload.digest,
        content_digest=sent_digest,
        agent_id=agent_id,
        from_phone_number=table.route.phone_number,
        name=settings.name or None,
        scheduled_at=settings.scheduled_at,
        max_concurrent_calls=settings.max_concurrent_calls,
        retry_config=settings.retry_config,
        exclusions=exclusions,
    )
    return Submission(data, row_map, key)


def created_batch(session: Session, submission: Submission) -> str | None:
    """The batch this exact submission already created in this session, if any."""
    return session.submit.created.get(submission.key)


def launch(
    session: Session, agent_id: str, settings: BatchSettings, submission: Submission
) -> None:
    """Create the batch; on success remember it and mark Progress as the next page, else
    keep why not. Run from the Submit button's callback (``ui.launch_button``): it draws
    nothing, the page run that follows does."""
    assert session.table is not None and session.upload is not None
    filename = f"{Path(session.upload.filename).stem}.csv"
    sent_at = datetime.now(UTC)
    session.submit.launch_error = None
    try:
        with open_client(session) as client:
            batch = client.create_batch(
                (filename, submission.data),
                agent_id=agent_id,
                from_phone_number=session.table.route.phone_number,
                name=settings.name or None,
                scheduled_at=settings.scheduled_at,
                max_concurrent_calls=settings.max_concurrent_calls,
                retry_config=settings.retry_config,
                idempotency_key=submission.key,
            )
    except BatchValidationError as exc:
        groups = map_rejected_rows(exc, submission.row_map)
        session.submit.rejection = Rejection(submission.key, groups, exc.message)
        refresh_config(session)  # the page then draws the pre-flight with fresh verdicts
        return
    except ApiError as exc:
        message = f"The platform did not create the batch. {exc}"
        session.submit.launch_error = (submission.key, message)
        return
    session.submit.created[submission.key] = batch.id
    session.submit.row_maps[batch.id] = submission.row_map
    RowMapStore(row_maps_dir()).save(batch.id, submission.row_map)
    session.submit.rejection = None
    session.batch_id = batch.id
    session.progress.group = session.progress.group_open = None  # Progress follows this one
    label = f"**{escape_markdown(batch.name or batch.id)}** (`{batch.id}`)"
    if batch.created_at is not None and batch.created_at < sent_at - REUSE_TOLERANCE:
        flash(
            session,
            "info",
            f"These rows and settings were already submitted as batch {label} at "
            f"{when_text(batch.created_at, settings.zone, settings.zone_name)}: the platform "
            "returned it instead of "
            "creating a second one. Change the batch name to launch them again.",
        )
    else:
        session.progress.created_notice = (batch.id, batch.status, f"Batch {label} created.")
    session.submit.go_to_progress(batch.id)


def refresh_config(session: Session) -> None:
    """Re-judge the rows with the workspace's current Telephony Config.

    A refusal of rows that passed here means the config this table was judged
    with is out of date; with the fresh one they show up as failing in Fix rows.
    """
    session.workspace = None
    space, table = workspace(session), session.table
    if space is None or space.config is None or table is None or space.config == table.config:
        return
    table.set_route(table.route, space.config)
    save_draft(session)


def show_rejection(session: Session, submission: Submission) -> None:
    """The platform's refusal, in the operator's own row numbers, with a way to fix them."""
    rejection = session.submit.rejection
    if rejection is None or rejection.key != submission.key:
        return
    groups = rejection.groups
    st.error(
        f"The platform refused the batch: {rejection.message}. Nothing was created. "
        "Row numbers below are those of your original file."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Reason": [_reason_title(group.reason) for group in groups],
                "Country": [group.country or "" for group in groups],
                "Rows": [len(group.original_rows) for group in groups],
                "Row numbers": [rows_text(group.original_rows, 30) for group in groups],
            }
        ),
        hide_index=True,
        column_config={
            "Rows": st.column_config.NumberColumn(format="localized"),
            "Row numbers": st.column_config.TextColumn(width="large"),
        },
    )
    if st.button("Open these rows in Fix rows", icon=":material/build:", key="submit-open-fix"):
        session.submit.server_rejected = groups
        st.switch_page(PAGES["fix"][0])


def _reason_title(reason: str) -> str:
    try:
        return Reason(reason).title
    except ValueError:
        return reason
