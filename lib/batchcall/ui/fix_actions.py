"""Fix rows' controls above the grid: Undo with the last change's message, the "Show"
filter, and the bulk actions (suggested fixes, dropping a reason or every failing row).

Why together: they are what changes the table in bulk, and each says what it did in
the one message beside Undo (``fix_outcome``), which is always drawn in the same place
(a disabled "Nothing to undo" when there is nothing), so it never jumps as work is done.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from batchcall.rules import Reason
from batchcall.ui.fix_outcome import fixes_message, remember, rows_of, show_outcome
from batchcall.ui.session import save_draft
from batchcall.ui.state import Session
from batchcall.ui.wording import count

FILTER_KEY = "fix-filter"


def show_undo_bar(session: Session) -> None:
    """Undo (its label names the action) on the left, the last change's message beside it."""
    table = session.table
    assert table is not None
    left, right = st.columns([2, 5])
    with left:
        if table.history:
            st.button(
                f"Undo: {table.history[-1].label}",
                icon=":material/undo:",
                key="fix-undo",
                on_click=_undo,
                args=(session,),
                help="Takes back the last change; it works after a refresh too.",
            )
        else:
            st.button("Nothing to undo", icon=":material/undo:", key="fix-undo", disabled=True)
    with right:
        show_outcome(session)


def _undo(session: Session) -> None:
    table = session.table
    if table is None:
        return
    label = table.undo()
    save_draft(session)
    if label:
        remember(session, "info", f"Undone: {label}.")


def show_filter(session: Session, counts: Mapping[Reason, int], failing: int) -> str | None:
    """The "Show" control; returns the reason chosen, or None for all failing rows.

    Clicking the option already chosen would leave nothing chosen (and an empty page):
    the control keeps its choice instead. A reason no row fails for any more falls back
    to all failing rows.
    """
    fix = session.fix
    options = ["all", *[str(reason) for reason in counts]]
    labels = {"all": f"All failing ({failing:,})"}
    labels.update({str(r): f"{r.title} ({n:,})" for r, n in counts.items()})
    if fix.filter not in options:
        fix.filter, fix.page = "all", 0
    if st.session_state.get(FILTER_KEY) != fix.filter:
        st.session_state[FILTER_KEY] = fix.filter
    st.segmented_control(
        "Show",
        options,
        format_func=labels.get,
        key=FILTER_KEY,
        on_change=_filtered,
        args=(session,),
    )
    return None if fix.filter == "all" else fix.filter


def _filtered(session: Session) -> None:
    chosen = st.session_state.get(FILTER_KEY)
    if chosen is None:  # the active option clicked again: keep it chosen
        st.session_state[FILTER_KEY] = session.fix.filter
        return
    session.fix.filter, session.fix.page = str(chosen), 0


def show_bulk_actions(session: Session, reason: str | None, counts: Mapping[Reason, int]) -> None:
    """Suggested fixes and drops for the rows shown: one reason's, or every failing row."""
    table = session.table
    assert table is not None
    fixable = table.fixable_count(reason)
    left, right = st.columns(2)
    with left:
        if not fixable:
            st.caption("No safe fixes for these rows: edit them in the grid below, or drop them.")
        elif reason:
            label = f"Apply {count(fixable, 'suggested fix', 'suggested fixes')}"
            left.button(
                label, icon=":material/auto_fix_high:", on_click=_fix, args=(session, reason)
            )
        else:
            label = (
                "Apply the 1 suggested fix"
                if fixable == 1
                else f"Apply all {fixable:,} suggested fixes"
            )
            left.button(label, icon=":material/auto_fix_high:", on_click=_fix, args=(session, None))
    with right:
        if reason:
            n, title = counts[Reason(reason)], Reason(reason).title
            label = f"Drop the 1 row: {title}" if n == 1 else f"Drop all {n:,} rows: {title}"
            st.button(
                label, icon=":material/delete_sweep:", on_click=_drop_reason, args=(session, reason)
            )
        else:
            _drop_all_failing(session)


def _fix(session: Session, reason: str | None) -> None:
    table = session.table
    if table is None:
        return
    failing = table.failing_rows(reason)
    rows = rows_of(failing[failing["suggested_fix"] != ""])
    table.apply_fixes(reason)
    save_draft(session)
    if rows:
        remember(session, *fixes_message(table, rows))


def _drop_reason(session: Session, reason: str) -> None:
    table = session.table
    if table is None:
        return
    dropped = table.drop_reason(reason)
    save_draft(session)
    remember(
        session,
        "success",
        f"Dropped {count(dropped, 'row')} failing for {Reason(reason).title}: left out of the "
        "batch. Undo brings them back.",
    )


def _drop_all_failing(session: Session) -> None:
    """ "Drop all failing", then a confirmation naming how many rows go."""
    table = session.table
    assert table is not None
    failing, fix = table.failing_count, session.fix
    rows = count(failing, "failing row")
    if fix.confirm_drop_all != failing:  # not asked, or the count changed since
        fix.confirm_drop_all = None
        if st.button(f"Drop all {rows}…", icon=":material/delete_sweep:", key="fix-drop-all"):
            fix.confirm_drop_all = failing
            st.rerun()
        return
    st.warning(
        f"Drop all {rows}? {'It is' if failing == 1 else 'They are'} left out of the batch "
        "and the cleaned file; Undo brings them back.",
        icon=":material/delete_sweep:",
    )
    yes, no = st.columns(2)
    yes.button(
        f"Yes, drop {count(failing, 'row')}",
        type="primary",
        key="fix-drop-all-yes",
        on_click=_confirm_drop_all,
        args=(session,),
    )
    if no.button("Cancel", key="fix-drop-all-no"):
        fix.confirm_drop_all = None
        st.rerun()


def _confirm_drop_all(session: Session) -> None:
    table = session.table
    session.fix.confirm_drop_all = None
    if table is None:
        return
    dropped = table.drop_failing()
    save_draft(session)
    remember(
        session,
        "success",
        f"Dropped all {count(dropped, 'failing row')}: left out of the batch. "
        "Undo brings them back.",
    )
