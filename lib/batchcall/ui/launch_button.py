"""The Submit button: it launches in its callback, before the page runs again.

Why a callback: with ``if st.button(...)`` a click first drew the whole Submit page
once more (its checks, previews and charts) only to leave it for Progress. In the
callback the batch is created at once, and the run that follows goes straight on to
Progress (``layout.page_frame``).

What to launch is kept in the session with each run that draws the button
(``session.submit.pending``), not in the button's arguments: those stay with the
widget and would keep an older file's bytes alive.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from batchcall.ui.group_launch import GroupLaunch, created_group, launch_group
from batchcall.ui.state import Session
from batchcall.ui.submitting import BatchSettings, Submission, created_batch, launch

__all__ = ["PendingLaunch", "launch_button", "show_launch_error"]

BUTTON_KEY = "submit-launch"


@dataclass(frozen=True)
class PendingLaunch:
    """Exactly what the button sends: one batch, or a group of numbered batches."""

    agent_id: str
    settings: BatchSettings
    submission: Submission
    group: GroupLaunch | None = None

    @property
    def key(self) -> str:
        return self.group.key if self.group is not None else self.submission.key


def launch_button(session: Session, label: str, pending: PendingLaunch | None) -> None:
    """The button, enabled with something to launch (``pending``), else disabled."""
    session.submit.pending = pending
    st.button(
        label,
        type="primary",
        disabled=pending is None,
        icon=":material/send:",
        key=BUTTON_KEY,
        on_click=_clicked,
        args=(session,),
    )


def _clicked(session: Session) -> None:
    pending = session.submit.pending
    session.submit.pending = None  # a second click before the page ran again sends nothing
    if pending is None:
        return
    # Progress comes next, and Submit draws a created batch without them: let the checked
    # reports go (tens of MB for a big list) before the request, not after the page switch.
    session.drop_checks()
    if pending.group is not None:
        made = created_group(session, pending.group)
        if made is not None:  # created in full already: go and follow it
            session.submit.go_to_progress(pending.group.key)
            return
        launch_group(session, pending.agent_id, pending.settings, pending.group)
        return
    made_batch = created_batch(session, pending.submission)
    if made_batch is not None:  # created already (a click that raced the first): follow it
        session.submit.go_to_progress(made_batch)
        return
    launch(session, pending.agent_id, pending.settings, pending.submission)


def show_launch_error(session: Session, key: str) -> None:
    """Why the last click on this very request created nothing (the platform's answer)."""
    error = session.submit.launch_error
    if error is not None and error[0] == key:
        st.error(error[1])
