"""The controls under a group on Progress: open one batch, cancel it, cancel the group.

Why outside the group's refreshed fragment: they act on the whole page (opening a
batch switches to the single-batch view) and need no redraw every poll. Each
cancel waits for a "Yes", acts in a callback and reports once, as a flash message,
so what the operator reads is the platform's answer, not a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from batchcall.api.batches import Batch
from batchcall.api.errors import ApiError, ConflictError, NotSupportedError
from batchcall.insight.preflight import escape_markdown
from batchcall.ui.cancelling import can_cancel, cancel_now
from batchcall.ui.group_records import GroupSummary, counted
from batchcall.ui.session import flash, open_client
from batchcall.ui.state import Session

BATCH_KEY = "progress-group-batch"


def group_controls(session: Session, group: GroupSummary, batches: dict[str, Batch]) -> None:
    """Open one batch in the single-batch view; cancel it, or the whole group (confirmed)."""
    progress = session.progress
    ids = [i for i in group.batch_ids if i in batches]
    if not ids:
        return
    names = {entry.batch_id: f"{entry.number}. {entry.name}" for entry in group.batches}
    if st.session_state.get(BATCH_KEY) not in ids:
        st.session_state[BATCH_KEY] = ids[0]
    pick = st.selectbox(
        "One batch of the group", ids, format_func=lambda i: names.get(i, i), key=BATCH_KEY
    )
    open_col, one_col, all_col = st.columns(3)
    open_col.button(
        "Open this batch", icon=":material/open_in_full:", key="progress-group-open",
        on_click=_open, args=(session, pick),
    )  # fmt: skip
    if progress.cancel_unsupported:
        return
    open_ones = [i for i in ids if can_cancel(batches[i]) and i not in progress.cancel_sent]
    if pick in open_ones and progress.cancel_confirm != pick:
        one_col.button(
            "Cancel this batch…", icon=":material/cancel:", key="progress-group-cancel-one",
            on_click=setattr, args=(progress, "cancel_confirm", pick),
        )  # fmt: skip
    if open_ones and not progress.group_cancel_confirm:
        all_col.button(
            "Cancel the whole group…", icon=":material/cancel:", key="progress-group-cancel",
            on_click=setattr, args=(progress, "group_cancel_confirm", True),
        )  # fmt: skip
    if pick in open_ones and progress.cancel_confirm == pick:
        queued = _queued([batches[pick]])
        shown = escape_markdown(names[pick])
        st.warning(f"{shown}: its queued calls will not be placed; calls in progress finish.")
        _confirm(
            f"Yes, cancel {queued:,} queued calls of this batch", "progress-group-cancel-one",
            cancel_now, (session, pick), (progress, "cancel_confirm", None),
        )  # fmt: skip
    if open_ones and progress.group_cancel_confirm:
        queued = _queued([batches[i] for i in open_ones])
        st.warning(
            f"Not finished: {counted(len(open_ones), 'batch')} of the group. Their queued calls "
            "(and waves not started yet) are not placed; calls in progress finish."
        )
        _confirm(
            f"Yes, cancel {counted(len(open_ones), 'batch')} ({queued:,} queued calls)",
            "progress-group-cancel", cancel_group, (session, open_ones),
            (progress, "group_cancel_confirm", False),
        )  # fmt: skip


def _confirm(
    label: str, key: str, action: Callable[..., None], args: tuple[Any, ...], undo: tuple[Any, ...]
) -> None:
    yes, keep = st.columns(2)
    yes.button(label, type="primary", key=f"{key}-yes", on_click=action, args=args)
    keep.button("Keep calling", key=f"{key}-no", on_click=setattr, args=undo)


def _queued(batches: Sequence[Batch]) -> int:
    counts = [b.status_counts_or_derived() for b in batches]
    return sum(c.get("queued", c.get("pending", 0)) for c in counts)


def _open(session: Session, batch_id: str) -> None:
    session.progress.group_open = session.batch_id = batch_id


def cancel_group(session: Session, batch_ids: Sequence[str]) -> None:
    """Cancel every batch of the group not finished; one message says what happened."""
    progress = session.progress
    progress.group_cancel_confirm = False
    stopped, finished, problems = 0, 0, []
    try:
        with open_client(session) as client:
            for batch_id in batch_ids:
                try:
                    client.cancel_batch(batch_id)
                    stopped += 1
                except ConflictError:
                    finished += 1
                except NotSupportedError:
                    raise
                except ApiError as exc:
                    problems.append(f"`{batch_id}`: {exc}")
                    continue
                progress.cancel_sent.add(batch_id)
    except NotSupportedError:
        progress.cancel_unsupported = True
        flash(session, "info", "This platform does not offer cancelling a batch.")
        return
    message = f"Group cancelled: {counted(stopped, 'batch')} stopped"
    message += f", {finished} had already finished." if finished else "."
    flash(session, "success", message)
    if problems:
        flash(session, "error", "Could not cancel " + "; ".join(problems) + ". Try again.")
