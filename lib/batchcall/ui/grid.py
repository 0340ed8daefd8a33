"""The Fix rows grid: failing rows only, keyed by spreadsheet row, edits committed on change.

``st.data_editor`` keeps edits only while the frame's shape and index stay the
same, so each change is applied to the working table in ``on_change`` and the
editor gets a new key (the table's version): fixed rows leave the grid at once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.ui.session import save_draft
from batchcall.ui.state import Session
from batchcall.work.submission import rejected_rows

PAGE_SIZE = 500
DROP = "drop"
READ_ONLY = ["problem", "suggested_fix", "original_number", "hint"]


def grid_frame(session: Session, reason: str | None, page: int) -> pd.DataFrame:
    """One page of failing rows, in the column order the grid shows."""
    table = session.table
    assert table is not None
    failing = table.failing_rows(reason)
    chunk = failing.iloc[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    others = [c for c in table.original.columns if c != PHONE_COLUMN]
    frame = chunk[
        [PHONE_COLUMN, "suggested_fix", "problem", "original_number", "hint", *others]
    ].copy()
    frame.insert(0, DROP, False)
    return frame


def grid_key(session: Session, reason: str | None, page: int) -> str:
    table = session.table
    return f"fix-grid-{table.version if table else 0}-{reason or 'all'}-{page}"


def show_grid(session: Session, frame: pd.DataFrame, key: str) -> None:
    """Draw the editor; its edits reach the working table through ``commit_grid``."""
    session.grid_rows[key] = list(frame.index)
    columns: dict[str, Any] = {
        "_index": st.column_config.NumberColumn("Row", help="Row number in your spreadsheet"),
        DROP: st.column_config.CheckboxColumn("Drop", help="Leave this row out of the batch"),
        PHONE_COLUMN: st.column_config.TextColumn(
            "Phone number", help="Edit to fix", width="medium"
        ),
        "suggested_fix": st.column_config.TextColumn("Suggested fix"),
        "problem": st.column_config.TextColumn("Problem"),
        "original_number": st.column_config.TextColumn("Original"),
        "hint": st.column_config.TextColumn("What to do", width="large"),
    }
    st.data_editor(
        frame,
        key=key,
        column_config=columns,
        disabled=READ_ONLY,
        hide_index=False,
        height=min(38 + 35 * len(frame), 640),
        on_change=commit_grid,
        args=(session, key, list(frame.index)),
    )


def commit_pending(session: Session) -> None:
    """Commit edits that reached a grid's state without its callback (e.g. set by a test).

    Only grids holding edits are touched: a run that takes a grid's key without an
    edit, then is interrupted before the grid is drawn again, would make the edit
    that interrupted it look already committed.
    """
    for key, rows in list(session.grid_rows.items()):
        if (st.session_state.get(key) or {}).get("edited_rows"):
            commit_grid(session, key, rows)


def commit_grid(session: Session, key: str, rows: list[int]) -> None:
    """Apply the editor's changes (positions -> spreadsheet rows) to the working table, once."""
    table = session.table
    if session.grid_rows.pop(key, None) is None:
        return  # already committed, or a grid from an older version of the table
    state = st.session_state.get(key) or {}
    if table is None:
        return
    changes: dict[int, dict[str, str]] = {}
    drops: list[int] = []
    for position, cells in (state.get("edited_rows") or {}).items():
        row = rows[int(position)]
        for column, value in cells.items():
            if column == DROP:
                if value:
                    drops.append(row)
            elif column in table.original.columns:
                changes.setdefault(row, {})[column] = "" if value is None else str(value)
    if changes:
        table.edit(changes, "Edit in grid")
    if drops:
        table.drop(drops, f"Drop {len(drops)} row(s)")
    save_draft(session)


def show_refused(session: Session) -> None:
    """Rows the platform refused on submit that still pass here (the config was stale)."""
    table = session.table
    assert table is not None
    groups = session.submit.server_rejected
    refused = [row for row in rejected_rows(groups) if row in table.active.index]
    if not refused:
        return
    shown = ", ".join(map(str, refused[:30])) + (" …" if len(refused) > 30 else "")
    st.warning(f"The platform refused {len(refused):,} rows on submit (original rows {shown}).")
    if st.button(f"Drop the {len(refused):,} refused rows", icon=":material/delete_sweep:"):
        table.drop(refused, "Drop rows the platform refused", bulk=True)
        session.submit.server_rejected = []
        save_draft(session)
        st.rerun()
