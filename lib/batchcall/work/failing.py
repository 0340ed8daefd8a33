"""The failing rows as Fix rows lists them, and the search over all of them.

Why here and not in the page: the grid shows one page of a few hundred rows, but an
operator looking for "Rahul" or "row 4,512" means the whole failing list; the search
runs on the table's failing rows before they are cut into pages, so it finds a row
on any page. Kept out of ``table.py`` so the working table stays about changes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import Reason

SEARCHED = ["problem", "suggested_fix", "original_number", "hint"]
"""Besides the file's own columns: the grid's read-only text a search also looks in."""


def failing_frame(
    failing: pd.DataFrame,
    original: pd.DataFrame,
    current: pd.DataFrame,
    fixes: Mapping[str, tuple[str, str] | None],
) -> pd.DataFrame:
    """Failing rows with reason, problem, hint, suggested fix, original number and cells."""
    rows = failing.index
    # Python objects, not arrow text: iterating an arrow column costs a call per cell.
    cells = failing[PHONE_COLUMN].to_numpy(dtype=object)
    reasons = failing["reason"].to_numpy(dtype=object)
    pairs = list(zip(reasons, failing["country"].to_numpy(dtype=object), strict=True))
    problems = {pair: describe(*pair) for pair in set(pairs)}  # a few distinct pairs
    hints = {reason: Reason(reason).hint for reason in set(reasons)}
    frame = pd.DataFrame(
        {
            PHONE_COLUMN: current.loc[rows, PHONE_COLUMN],
            "suggested_fix": [(fix[0] if (fix := fixes.get(raw)) else "") for raw in cells],
            "reason": failing["reason"],
            "problem": [problems[pair] for pair in pairs],
            "hint": [hints[reason] for reason in reasons],
            "original_number": original.loc[rows, PHONE_COLUMN],
        },
        index=rows,
    )
    others = [c for c in current.columns if c != PHONE_COLUMN]
    return frame.join(current.loc[rows, others]).sort_index()


def patch_failing(
    before: pd.DataFrame, touched: Collection[int], redone: pd.DataFrame
) -> pd.DataFrame:
    """``before`` with its ``touched`` rows replaced by ``redone`` (those still failing)."""
    kept = before[~before.index.isin(list(touched))]
    if not len(kept) or not len(redone):  # an empty frame's columns have no text dtype
        return redone if not len(kept) else kept
    return pd.concat([kept, redone]).sort_index()


def describe(reason: str, country: Any) -> str:
    """A reason's title, with the country it concerns when there is one."""
    title = Reason(reason).title
    return f"{title} ({country})" if isinstance(country, str) and country else title


def search_failing(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows of ``frame`` matching ``query``: its spreadsheet row number, or text in
    any cell (case-insensitive, anywhere in the cell).

    A number matches its row *and* cells containing it ("98" finds row 98 and every
    number with 98 in it): the operator may mean either, and both are short lists.
    """
    wanted = query.strip()
    if not wanted:
        return frame
    digits = wanted.removeprefix("row ").removeprefix("Row ").replace(",", "").strip()
    hit = pd.Series(False, index=frame.index)
    if digits.isdigit():
        hit |= frame.index == int(digits)
    columns = [c for c in frame.columns if c != "reason"]
    for column in columns:
        cells = frame[column].astype("string").fillna("")
        hit |= cells.str.contains(wanted, case=False, regex=False).to_numpy(dtype=bool)
    return frame[hit.to_numpy(dtype=bool)]
