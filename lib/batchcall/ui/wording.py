"""Counts said right: "1 edited row", "2 edited rows", "1,250 rows".

Why a helper: Fix rows builds most of its labels from counts that are often 1 (one
edit, one fix, one row dropped), and "1 rows" reads as a bug to a first-time user.
"""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with thousands separators and ``noun`` in the number it needs."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def row_list(rows: list[int], limit: int = 5) -> str:
    """ "row 43", "rows 43, 57 and 60", "rows 43, 57, 60, 61, 70 and 3 more"."""
    shown = [f"{row:,}" for row in rows[:limit]]
    rest = len(rows) - len(shown)
    if len(rows) == 1:
        return f"row {shown[0]}"
    if rest:
        return f"rows {', '.join(shown)} and {rest:,} more"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"
