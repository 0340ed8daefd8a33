"""Random changes to a working table, as an operator makes them on Fix rows: for tests
that compare what is kept up to date change by change with what is built from scratch."""

from __future__ import annotations

import random
from collections.abc import Sequence

from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.work.table import WorkTable


def random_change(
    table: WorkTable, rng: random.Random, numbers: Sequence[str], kinds: Sequence[str], most: int
) -> str:
    """Make one change of a kind picked from ``kinds`` to 1..``most`` random rows; its kind.

    ``phone``: a cell from ``numbers``; ``repeat``: another row's cell (a number's first
    copy moves, appears or goes); ``other``: a cell of another column; ``drop``,
    ``restore``, ``undo``.
    """
    kind = rng.choice(list(kinds))
    picked = rng.sample(list(table.original.index), rng.randint(1, most))
    if kind == "phone":
        table.edit({row: {PHONE_COLUMN: rng.choice(list(numbers))} for row in picked})
    elif kind == "repeat":
        cell = table.active[PHONE_COLUMN].iloc[rng.randrange(len(table.active))]
        table.edit({row: {PHONE_COLUMN: cell} for row in picked[:3]})
    elif kind == "other":
        other = next(c for c in table.original.columns if c != PHONE_COLUMN)
        table.edit({row: {other: f"note {rng.randrange(10**6)}"} for row in picked})
    elif kind == "drop":
        table.drop(picked)
    elif kind == "restore":
        table.restore(picked)
    else:
        table.undo()
    return kind
