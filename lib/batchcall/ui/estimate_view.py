"""Submit's estimate: when the batch should finish, what it may cost, and whether it
outruns the contacts' calling hours.

The inputs are the operator's own guesses and are kept with the other "Before
launch" answers; the figures come from :mod:`batchcall.checks.estimate`.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from batchcall.checks.estimate import estimate_batch, outrun_rows
from batchcall.checks.local_time import to_local
from batchcall.insight.display import plural
from batchcall.ui.state import Session
from batchcall.ui.submitting import BatchSettings

RATE_KEY, LENGTH_KEY, PRICE_KEY = "estimate-rate", "estimate-length", "estimate-price"


def show_estimate(session: Session, settings: BatchSettings, calls: int) -> None:
    """Inputs, the expected duration, end and cost, and a warning when it outruns hours."""
    checked, state = session.caches.prechecks.value, session.prechecks
    if checked is None or not calls:
        return
    left, middle, right = st.columns(3)
    for key, value in ((RATE_KEY, state.connect_rate), (LENGTH_KEY, state.call_seconds),
                       (PRICE_KEY, state.price_per_minute)):  # fmt: skip
        st.session_state.setdefault(key, value)
    state.connect_rate = left.number_input("Expected answered (%)", 1.0, 100.0, key=RATE_KEY)
    state.call_seconds = middle.number_input(
        "Mean answered call (s)", 5.0, 3_600.0, step=15.0, key=LENGTH_KEY
    )
    state.price_per_minute = right.number_input(
        "Price per connected minute", 0.0, 100.0, step=0.01, format="%.3f", key=PRICE_KEY,
        help="Leave at 0 to show no cost.",
    )  # fmt: skip
    retry = settings.retry_config or {}
    report = checked.report
    estimate = estimate_batch(
        calls,
        concurrency=settings.max_concurrent_calls,
        start=report.at,
        connect_rate=state.connect_rate / 100,
        mean_call_seconds=state.call_seconds,
        max_retries=int(retry.get("max_retries", 0)),
        retry_interval_minutes=float(retry.get("retry_interval_minutes", 0)),
        price_per_minute=state.price_per_minute or None,
    )
    finish = to_local(estimate.finish_at, settings.zone)
    hours = estimate.duration.total_seconds() / 3600
    cols = st.columns(3)
    cols[0].metric(
        "Expected duration", f"{hours:,.1f} h" if hours >= 1 else f"{hours * 60:,.0f} min"
    )
    # The zone is said once, beside the time, and the label stays short enough for a phone.
    cols[1].metric("Expected end", end_text(finish, settings.zone_name))
    cost = "—" if estimate.cost is None else f"{estimate.cost:,.2f}"
    cols[2].metric("Expected cost", cost)
    st.caption(
        f"{plural(calls, 'call')} × {state.connect_rate:.0f} % answered × "
        f"{state.call_seconds:,.0f} s, unanswered attempts ringing 30 s and retried as set, "
        f"at {settings.max_concurrent_calls:,} at a time: "
        f"{plural(round(estimate.attempts), 'attempt')}, "
        f"{plural(round(estimate.talk_minutes), 'connected minute')}."
    )
    late = outrun_rows(report, report.window, estimate.finish_at)
    if late:
        st.warning(
            f"The batch is expected to run past the end of the calling window for "
            f"{plural(late, 'contact')} ({report.window.label}): raise the concurrency, split the "
            "list, or schedule it earlier in the day.",
            icon=":material/schedule:",
        )


def end_text(moment: datetime, zone_name: str) -> str:
    """ "5 Dec 14:05 (Asia/Kolkata)", "5 Dec 14:05 UTC": the time and its zone, once."""
    shown = f"{moment.day} {moment:%b %H:%M}"
    return f"{shown} UTC" if zone_name == "UTC" else f"{shown} ({zone_name})"
