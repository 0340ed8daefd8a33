"""Cancelling a running batch: a confirmation, one request, the outcome as a flash message."""

from __future__ import annotations

import streamlit as st

from batchcall.api.batches import Batch, BatchState
from batchcall.api.errors import ApiError, ConflictError, NotSupportedError
from batchcall.ui.session import flash, open_client
from batchcall.ui.state import Session


def can_cancel(batch: Batch) -> bool:
    """Not once finished, nor once cancelled (its calls in flight may still be finishing)."""
    return not batch.is_finished and batch.state != BatchState.CANCELLED


@st.fragment
def cancel(session: Session, batch: Batch, counts: dict[str, int]) -> None:
    """Cancel with a confirmation; hidden once sent, or once the platform says it can not.

    A fragment of its own: a click redraws just these buttons, at once, instead of
    the whole live panel. The buttons act in callbacks, so the answer is known
    before anything is drawn again; the outcome is flashed, here when only this
    fragment runs, else at the top of the live panel.
    """
    for kind, message in session.flash:
        getattr(st, kind)(message)
    session.flash.clear()
    sent = batch.id in session.progress.cancel_sent
    if not can_cancel(batch) or sent or session.progress.cancel_unsupported:
        return
    if session.progress.cancel_confirm != batch.id:
        st.button(
            "Cancel batch…",
            icon=":material/cancel:",
            key="progress-cancel",
            on_click=setattr,
            args=(session.progress, "cancel_confirm", batch.id),
        )
        return
    queued = counts.get("queued", counts.get("pending", 0))
    st.warning("Queued calls will not be placed; calls in progress finish.")
    yes, keep = st.columns(2)
    yes.button(
        f"Yes, cancel {queued:,} queued calls",
        type="primary",
        key="progress-cancel-yes",
        on_click=cancel_now,
        args=(session, batch.id),
    )
    keep.button(
        "Keep calling",
        key="progress-cancel-no",
        on_click=setattr,
        args=(session.progress, "cancel_confirm", None),
    )


def cancel_now(session: Session, batch_id: str) -> None:
    """Send the cancel once; the outcome, whatever it is, becomes a flash message."""
    session.progress.cancel_confirm = None
    try:
        with open_client(session) as client:
            client.cancel_batch(batch_id)
        session.progress.cancel_sent.add(batch_id)
        flash(session, "success", f"Batch `{batch_id}` cancelled.")
    except NotSupportedError:
        session.progress.cancel_unsupported = True
        flash(session, "info", "This platform does not offer cancelling a batch.")
    except ConflictError:
        session.progress.cancel_sent.add(batch_id)
        flash(session, "info", f"Batch `{batch_id}` had already finished.")
    except ApiError as exc:
        flash(session, "error", f"Could not cancel the batch: {exc}")
