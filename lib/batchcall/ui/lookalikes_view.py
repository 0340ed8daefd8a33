"""Fix rows' "Probably another country's number": look-alikes, and rewriting them.

Why on Fix rows: ``(646) 555-0198`` on an Indian route passes the platform as an
Indian number, so it is never in the failing grid, yet the call would reach a
stranger. The rows are listed with the country they look like, the other number
and what it would need, and each can be rewritten as that number in one step to
undo, like every other fix. Rewritten, the row is judged again at once: a
country this route does not reach then shows up in the grid above.

The look-alikes are computed once per table version: taken from Submit's checked
report when it is for this very version, else from the working table's verdicts
(``checks.lookalike_rows``), without the rest of the pre-launch checks.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from batchcall.checks.lookalike_rows import LOOKALIKE_COLUMNS, lookalike_fixes
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.insight.destinations import country_name
from batchcall.rules import Reason
from batchcall.ui.fix_outcome import remember
from batchcall.ui.lookalike_flags import current_flags
from batchcall.ui.session import save_draft
from batchcall.ui.sidebar_fates import keyed_on, table_token
from batchcall.ui.state import Session
from batchcall.work.table import WorkTable

TITLE = "Probably another country's number"
PAGE_ROWS = 20
"""Rows listed (each with its own button) at once: a list of look-alikes can be long."""
BUTTONS_PER_LINE = 5
PAGE_KEY = "lookalike-page"
ALL_KEY = "lookalike-rewrite-all"
ROW_KEY = "lookalike-rewrite-{row}"


def current_lookalikes(session: Session) -> pd.DataFrame:
    """The active rows flagged as another country's number, with what each would need.

    Columns: ``phone_number`` (the cell now), ``e164`` (as the route reads it),
    ``lookalike``, ``country``, ``lookalike_e164``, ``written``, ``passes_after``,
    ``need``; indexed by spreadsheet row, ascending.
    """
    table = session.table
    assert table is not None
    token = table_token(table)
    return session.caches.lookalikes.get(("lookalikes", *token), lambda: _build(session, table))


def _build(session: Session, table: WorkTable) -> pd.DataFrame:
    base = session.caches.precheck_base
    if base.value is not None and keyed_on(base.key, table_token(table)):
        flags = base.value.rows[LOOKALIKE_COLUMNS]  # Submit checked this very version
    else:  # only the rows an edit changed are flagged again
        flags = current_flags(session, table)
    flagged = flags[flags["lookalike"].notna()].sort_index()
    rows = flagged.index  # a few rows: only they are looked up in the 150,000
    details = flagged.assign(
        **{PHONE_COLUMN: table.active.loc[rows, PHONE_COLUMN].to_numpy(dtype=object)},
        e164=table.report.rows.loc[rows, "e164"].to_numpy(dtype=object),
    )
    details = lookalike_fixes(details, table.route, table.config)
    details["country"] = details["lookalike"].map(country_name)
    return details


def show_lookalikes(session: Session) -> None:
    """The section: nothing at all when no row looks like another country's number."""
    table = session.table
    assert table is not None
    found = current_lookalikes(session)
    if found.empty:
        return
    st.subheader(f"{TITLE} ({len(found):,})")
    st.caption(
        f"These rows pass for route {table.route.phone_number}, so they would be called as "
        "read, but each is written the way another country writes its numbers. Rewrite a "
        "cell as that country's number (one step to undo), or leave it if it is right."
    )
    everything = {int(row): str(number) for row, number in found["lookalike_e164"].items()}
    st.button(
        f"Rewrite all {len(found):,} as the other country's number",
        key=ALL_KEY,
        icon=":material/public:",
        on_click=rewrite,
        args=(session, everything, table.version),
    )
    pages = max(1, -(-len(found) // PAGE_ROWS))
    if st.session_state.get(PAGE_KEY, 1) > pages:  # rewrites shortened the list
        st.session_state[PAGE_KEY] = pages
    page = st.number_input("Page", 1, pages, 1, key=PAGE_KEY) - 1 if pages > 1 else 0
    shown = found.iloc[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]
    st.dataframe(listing(shown), hide_index=True)
    _row_buttons(session, shown, table.version)


def listing(found: pd.DataFrame) -> pd.DataFrame:
    """The rows as the section lists them: row, cell, country, other number, what it needs."""
    return pd.DataFrame(
        {
            "Row": [int(row) for row in found.index],
            "Phone number": found[PHONE_COLUMN].astype(str).to_list(),
            "Looks like": found["country"].to_list(),
            "Other E.164": found["lookalike_e164"].to_list(),
            "Would need": found["need"].to_list(),
        }
    )


def _row_buttons(session: Session, shown: pd.DataFrame, version: int) -> None:
    """One "Rewrite row N" button per listed row, a few to a line."""
    rows = [(int(row), str(number)) for row, number in shown["lookalike_e164"].items()]
    for start in range(0, len(rows), BUTTONS_PER_LINE):
        line = st.columns(BUTTONS_PER_LINE)
        for column, (row, other) in zip(line, rows[start : start + BUTTONS_PER_LINE], strict=False):
            column.button(
                f"Rewrite row {row}",
                key=ROW_KEY.format(row=row),
                icon=":material/edit:",
                help=f"Write {other} in row {row}'s phone cell. Undo is one click.",
                on_click=rewrite,
                args=(session, {row: other}, version),
            )


def rewrite(session: Session, numbers: dict[int, str], version: int) -> None:
    """Write each row's other E.164 in its phone cell: one action to undo, judged again.

    A callback, so the page is drawn once with the result. ``version`` is the table's
    when the button was drawn: after another change (another tab) nothing is written.
    """
    table = session.table
    if table is None or not numbers:
        return
    if table.version != version:
        remember(session, "warning", "The list changed since: look at the rows again.")
        return
    label = _described(numbers)
    table.edit(
        {row: {PHONE_COLUMN: number} for row, number in numbers.items()},
        label,
        bulk=len(numbers) > 1,
    )
    save_draft(session)
    remember(session, *_outcome(table, numbers))  # beside Undo


def _outcome(table: WorkTable, numbers: dict[int, str]) -> tuple[str, str]:
    """What the platform now says of the rewritten rows, as the message beside Undo."""
    reasons = table.report.rows.loc[list(numbers), "reason"]
    refused = reasons.dropna()
    written = _described(numbers).replace("Rewrite", "Rewrote", 1)
    if refused.empty:
        passes = "it passes" if len(numbers) == 1 else "they pass"
        return "success", f"{written}: {passes} for route {table.route.phone_number}."
    why = "; ".join(
        f"{Reason(reason).title}: {count:,}" for reason, count in refused.value_counts().items()
    )
    which, where = (
        ("it", "it is") if len(numbers) == 1 else (f"{len(refused):,} of them", "they are")
    )
    return "warning", (
        f"{written}. Route {table.route.phone_number} refuses {which} ({why}): {where} now "
        "in the grid above, to drop or to call from a route that reaches them."
    )


def _described(numbers: dict[int, str]) -> str:
    """The step's name, as the undo button shows it."""
    if len(numbers) == 1:
        row, number = next(iter(numbers.items()))
        return f"Rewrite row {row} as {number}"
    return f"Rewrite {len(numbers):,} rows as the other country's number"
