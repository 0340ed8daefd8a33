"""A working table as a draft and back: the operator's work as plain data, replayed later.

Kept apart from :mod:`batchcall.work.table` so that the table reads as the rows and
their changes; this is how that work leaves the process (a draft file beside the
uploaded file) and comes back after a refresh or a restart, undo history included.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from batchcall.api.models import PhoneNumber
from batchcall.work.history import Action, history_from_json, history_to_json

__all__ = ["DraftWork"]


class DraftWork:
    """``WorkTable``'s drafts: what it saves of itself and how a saved draft is replayed.

    It reads the table's state below and changes it only through ``edit`` and ``drop``,
    the table's own steps, so a replayed draft is judged as the operator's work was.
    """

    original: pd.DataFrame
    edits: dict[int, dict[str, str]]
    dropped: set[int]
    route: PhoneNumber
    history: list[Action]
    history_pending: bool
    version: int
    edit: Any
    drop: Any

    def to_draft(self) -> dict[str, Any]:
        """The operator's work as plain JSON data (the file itself is stored beside it),
        with the undo history, so a refresh can still undo the last actions in order."""
        return {
            "edits": {str(row): cells for row, cells in self.edits.items()},
            "dropped": sorted(self.dropped),
            "route": self.route.model_dump(),
            "history": history_to_json(self.history),
        }

    def apply_draft(self, draft: dict[str, Any]) -> None:
        """Replay a saved draft onto this table (same file).

        Replaying is not itself a step: undo never takes the whole draft back in one
        click. The draft's own history (its last actions) is restored with it, so undo
        goes back one action at a time, as before the refresh. A draft without one (an
        older draft, or a caller that passed only the work) starts from the restored
        work; ``adopt_history`` can add the stored history later.
        """
        before = len(self.history)
        edits = {int(row): cells for row, cells in draft.get("edits", {}).items()}
        known = {row: cells for row, cells in edits.items() if row in self.original.index}
        self.edit(known, "Restore draft", bulk=True)
        rows = [int(r) for r in draft.get("dropped", []) if int(r) in self.original.index]
        self.drop(rows, "Restore draft")
        del self.history[before:]
        self.history_pending = "history" not in draft
        if not self.history_pending:
            self.adopt_history(draft["history"])

    def adopt_history(self, stored: Any) -> int:
        """Put a draft's stored actions under this table's own (they came first).

        Safe after further changes: each action holds the cells as they were before
        it, so the restored actions undo correctly once the newer ones are undone.
        Returns how many actions were restored (none from a damaged history).
        """
        actions = history_from_json(stored, self.original.index, self.original.columns)
        self.history[:0] = actions
        self.history_pending = False
        if actions:
            self.version += 1
        return len(actions)
