"""What a batch's calls say: outcomes by an uploaded column, and "Call again".

Both read the local progress store. Outcomes by column is drawn inside the live
panel and rebuilt only when the store moved on (its feed revision), and for a big
running batch at most every ``BIG_REFRESH_SECONDS``: 120,000 calls take a few
hundred milliseconds to regroup, too much for every two-second refresh.

"Call again" turns the calls that ended no answer, busy or failed back into a
contact list (their numbers and variables) and opens it like any upload: the same
checks, Fix rows, and the same exactly-once Submit.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from batchcall.api.batches import Batch
from batchcall.charts.outcomes import outcomes_bar
from batchcall.insight.display import outcome_headers, plural
from batchcall.insight.outcomes import CONNECT_RATE, MEAN_DURATION, outcome_columns, outcomes_by
from batchcall.tracking.store import CallFilter
from batchcall.ui.following import Followed, progress_store
from batchcall.ui.layout import PAGES
from batchcall.ui.state import Session, Upload
from batchcall.ui.uploading import accept
from batchcall.work.exports import submission_csv

AGAIN_STATUSES = ("no_answer", "busy", "failed")
BIG_BATCH = 20_000
BIG_REFRESH_SECONDS = 15.0
SAMPLE_ROWS = 500
COLUMN_KEY = "outcomes-column"


def outcomes_section(session: Session, batch: Batch, followed: Followed) -> None:
    """A table and a stacked bar of outcomes per value of the chosen uploaded column."""
    store = progress_store()
    sample = store.calls_frame(followed.workspace, batch.id, limit=SAMPLE_ROWS)
    columns = outcome_columns(sample, min_rows=min(len(sample), 50))
    if not columns:
        return
    st.subheader("Outcomes by column")
    column = st.selectbox("Break the calls down by", columns, key=COLUMN_KEY)
    if column is None:
        return
    moment = int(time.monotonic() // BIG_REFRESH_SECONDS)
    fresh = followed.revision if batch.is_finished or followed.kept < BIG_BATCH else moment
    table = _outcomes(followed.workspace, batch.id, column, fresh)
    st.caption(
        "Connect rate: completed calls out of those dialled (no answer, busy and failed "
        "included; calls still queued or cancelled are not). Mean duration: completed calls."
    )
    st.dataframe(table, hide_index=True, placeholder="—", column_config=_outcome_config(table))
    st.plotly_chart(outcomes_bar(table, column), key="outcomes-bar")


def _outcome_config(table: pd.DataFrame) -> dict[str, object]:
    """Headers in words ("No answer", "Connect rate"), counts with thousands separators;
    the frame keeps ``outcomes_by``'s names, which the notebooks and tests read."""
    config: dict[str, object] = {}
    for column, label in outcome_headers(table).items():
        if column == CONNECT_RATE:
            config[column] = st.column_config.NumberColumn(label, format="percent")
        elif column == MEAN_DURATION:
            config[column] = st.column_config.NumberColumn(f"{label} (s)", format="%.0f")
        else:
            config[column] = st.column_config.NumberColumn(label, format="localized")
    return config


@st.cache_data(max_entries=64, show_spinner=False)
def _outcomes(workspace: str, batch_id: str, column: str, fresh: object) -> pd.DataFrame:
    """Shared by every session of the server (a reload, a second tab): keyed by the
    store's revision (or a time bucket for a big running batch), never by a frame."""
    return outcomes_by(progress_store().outcomes_frame(workspace, batch_id, column), column)


def call_again_section(session: Session, batch: Batch, followed: Followed | None) -> None:
    """Once the batch has ended: a new contact list from its unanswered calls."""
    if followed is None or not batch.is_finished:
        return
    st.subheader("Call again")
    if not followed.caught_up:
        st.caption("Gathering the batch's last calls; this is ready in a moment.")
        return
    where = CallFilter(statuses=AGAIN_STATUSES)
    count = progress_store().count(followed.workspace, batch.id, where)
    if not count:
        st.caption("No call ended no answer, busy or failed: nobody to call again.")
        return
    them = "them" if count > 1 else "it"
    st.write(
        f"{plural(count, 'contact')} did not answer, {'were' if count > 1 else 'was'} busy or "
        f"failed. Start a new batch with {them} and {'their' if count > 1 else 'its'} "
        f"variables: it is checked like any upload before you submit it."
    )
    if st.button(
        f"Call {plural(count, 'contact')} again", icon=":material/replay:", key="call-again"
    ):
        table = progress_store().contacts(followed.workspace, batch.id, where)
        accept(session, Upload(_again_name(batch), submission_csv(table)))
        st.switch_page(PAGES["upload"][0])  # its profile, or why the list was refused


def _again_name(batch: Batch) -> str:
    stem = (batch.name or batch.id).removesuffix(".csv")
    return f"{stem} - call again.csv"
