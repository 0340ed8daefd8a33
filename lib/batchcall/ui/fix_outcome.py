"""What the last change on Fix rows did, said once, in one place beside Undo.

Why: a fixed row leaves the grid at once, so without a word the operator can not tell
"it passes now" from "my edit was lost"; and a row that still fails must say why and
what to do. One message per change (per grid commit, however many cells it held),
kept while the table is at the version it describes, replaced by the next change.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from batchcall.rules import Reason
from batchcall.ui.state import Session
from batchcall.ui.wording import count, row_list
from batchcall.work.failing import describe
from batchcall.work.table import WorkTable


def remember(session: Session, kind: str, message: str) -> None:
    """Keep ``message`` as what the table's current version did."""
    if session.table is not None:
        session.fix.outcome = (session.table.version, kind, message)


def show_outcome(session: Session) -> None:
    """The last change's message, while the table is still as that change left it."""
    outcome, table = session.fix.outcome, session.table
    if outcome is None or table is None or outcome[0] != table.version:
        return
    _, kind, message = outcome
    icons = {"success": ":material/check_circle:", "warning": ":material/error:"}
    getattr(st, kind)(message, icon=icons.get(kind, ":material/info:"))


def still_failing(table: WorkTable, rows: list[int]) -> dict[int, str]:
    """Of ``rows`` (active ones), those that fail now -> why and what to do."""
    verdicts = table.report.rows
    known = [row for row in rows if row in verdicts.index]
    found = verdicts.loc[known, ["reason", "country"]]
    failing = found[found["reason"].notna()]
    return {
        int(row): f"{describe(reason, country)}. {Reason(reason).hint}"
        for row, reason, country in zip(
            failing.index, failing["reason"].astype(object), failing["country"], strict=True
        )
    }


def edit_message(table: WorkTable, edited: list[int], dropped: list[int]) -> tuple[str, str]:
    """(kind, message) for one grid commit: each edited row passes or fails, and why."""
    parts: list[str] = []
    gone = set(dropped)
    rows = sorted(row for row in set(edited) if row not in gone)
    failing = still_failing(table, rows)
    if len(rows) == 1:
        [row] = rows
        parts.append(
            f"Row {row:,} still fails: {failing[row]}"
            if row in failing
            else f"Row {row:,} now passes."
        )
    elif rows:
        passing = len(rows) - len(failing)
        said = f"{count(len(rows), 'row')} edited: {passing:,} now {_verb(passing, 'pass')}"
        if failing:
            said += f", {len(failing):,} still {_verb(len(failing), 'fail')} {_first(failing)}"
        parts.append(said + ".")
    if dropped:
        parts.append(
            f"{row_list(sorted(gone)).capitalize()} dropped: left out of the batch "
            "(Undo brings back)."
        )
    return ("warning" if failing else "success"), " ".join(parts)


def fixes_message(table: WorkTable, rows: list[int]) -> tuple[str, str]:
    """(kind, message) after suggested fixes were applied to ``rows``."""
    failing = still_failing(table, rows)
    said = f"{count(len(rows), 'suggested fix', 'suggested fixes')} applied: "
    if not failing:
        return "success", said + ("the row now passes." if len(rows) == 1 else "all now pass.")
    passing = len(rows) - len(failing)
    return "warning", (
        said + f"{passing:,} now {_verb(passing, 'pass')}, {len(failing):,} still "
        f"{_verb(len(failing), 'fail')} {_first(failing)}."
    )


def _verb(n: int, verb: str) -> str:
    """ "1 now passes", "2 now pass"."""
    return verb + ("es" if verb.endswith("s") else "s") if n == 1 else verb


def _first(failing: dict[int, str]) -> str:
    """ "(rows 37 and 43; row 37: why, what to do)": which rows, and the first one's reason."""
    first = min(failing)
    why = failing[first].rstrip(".")
    if len(failing) == 1:
        return f"(row {first:,}: {why})"
    return f"({row_list(sorted(failing))}; row {first:,}: {why})"


def rows_of(frame: pd.DataFrame) -> list[int]:
    return [int(row) for row in frame.index]
