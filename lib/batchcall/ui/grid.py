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
from batchcall.digests import digest
from batchcall.ui.fix_outcome import edit_message, remember
from batchcall.ui.session import save_draft
from batchcall.ui.state import Session
from batchcall.ui.wording import count, row_list
from batchcall.work.failing import search_failing
from batchcall.work.submission import rejected_rows

PAGE_SIZE = 500
DROP = "drop"
READ_ONLY = ["problem", "suggested_fix", "original_number", "hint"]
SEARCH_KEY = "fix-search"
PAGE_KEY = "fix-page"


def searched_rows(session: Session, reason: str | None) -> pd.DataFrame:
    """The failing rows (of ``reason``, or all) the search box asks for, before paging."""
    table = session.table
    assert table is not None
    return search_failing(table.failing_rows(reason), session.fix.search)


def grid_frame(session: Session, reason: str | None, page: int) -> pd.DataFrame:
    """One page of the searched failing rows, in the column order the grid shows."""
    table = session.table
    assert table is not None
    failing = searched_rows(session, reason)
    chunk = failing.iloc[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    others = [c for c in table.original.columns if c != PHONE_COLUMN]
    frame = chunk[
        [PHONE_COLUMN, "suggested_fix", "problem", "original_number", "hint", *others]
    ].copy()
    frame.insert(0, DROP, False)
    return frame


def grid_key(session: Session, reason: str | None, page: int) -> str:
    """A new editor per table version, filter, search and page: its edits are positions."""
    table = session.table
    search = digest(session.fix.search.encode())[:8] if session.fix.search else ""
    return f"fix-grid-{table.version if table else 0}-{reason or 'all'}-{page}-{search}"


def show_failing(session: Session, reason: str | None) -> None:
    """Search box, what is shown, the grid, then the page control below the grid.

    The page control sits under the grid: the editor's own toolbar (search, download,
    fullscreen) appears on hover over the grid's top right corner, and would cover
    anything placed there.
    """
    fix = session.fix
    total = len(session.table.failing_rows(reason)) if session.table is not None else 0
    if st.session_state.get(SEARCH_KEY) != fix.search:
        st.session_state[SEARCH_KEY] = fix.search
    st.text_input(
        f"Search all {count(total, 'failing row')}",
        key=SEARCH_KEY,
        on_change=_searched,
        args=(session,),
        placeholder="A name, part of a number, or a row number such as 4512",
        help="Looks in every column of every failing row shown by the filter, on all pages.",
    )
    found = searched_rows(session, reason)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    fix.page = min(fix.page, pages - 1)
    first, last = fix.page * PAGE_SIZE + 1, min((fix.page + 1) * PAGE_SIZE, len(found))
    if fix.search and found.empty:
        st.info(
            f"No failing row matches “{fix.search}”. Clear the search box to see all "
            f"{count(total, 'failing row')}."
        )
        return
    where = f"matching “{fix.search}”" if fix.search else "failing"
    st.caption(
        f"Rows {first:,}–{last:,} of {len(found):,} {where}. The grid's own search (its "
        "magnifier, top right) looks in the rows shown only; the box above searches them all."
    )
    show_grid(session, grid_frame(session, reason, fix.page), grid_key(session, reason, fix.page))
    _page_control(session, pages)


def _page_control(session: Session, pages: int) -> None:
    fix = session.fix
    if pages == 1:
        return
    text = f"Page {fix.page + 1:,} of {pages:,} · {PAGE_SIZE:,} rows each"
    if st.session_state.get(PAGE_KEY) != fix.page + 1:
        st.session_state[PAGE_KEY] = fix.page + 1
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.number_input(
        "Go to page", 1, pages, key=PAGE_KEY, on_change=_paged, args=(session,), step=1
    )
    right.markdown(text)


def _searched(session: Session) -> None:
    session.fix.search = str(st.session_state.get(SEARCH_KEY) or "").strip()
    session.fix.page = 0


def _paged(session: Session) -> None:
    session.fix.page = max(0, int(st.session_state.get(PAGE_KEY) or 1) - 1)


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
    edited = table.edit(changes, f"Edit {row_list(sorted(changes))}") if changes else 0
    if drops:
        table.drop(drops, f"Drop {count(len(drops), 'row')}")
    save_draft(session)
    if edited or drops:
        remember(session, *edit_message(table, list(changes) if edited else [], drops))


def show_refused(session: Session) -> None:
    """Rows the platform refused on submit that still pass here (the config was stale)."""
    table = session.table
    assert table is not None
    groups = session.submit.server_rejected
    refused = [row for row in rejected_rows(groups) if row in table.active.index]
    if not refused:
        return
    st.warning(
        f"The platform refused {count(len(refused), 'row')} on submit ({row_list(refused, 30)} "
        "of your file) that pass here: its configuration changed since. Drop them, or check "
        "the route on Destinations & routes."
    )
    if st.button(f"Drop the {count(len(refused), 'refused row')}", icon=":material/delete_sweep:"):
        table.drop(refused, "Drop rows the platform refused", bulk=True)
        session.submit.server_rejected = []
        save_draft(session)
        st.rerun()
