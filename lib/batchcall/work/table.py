"""The working table: the uploaded rows plus the operator's edits and drops.

The original table is never changed. Edits (row -> column -> text) and drops
are kept as a log, so every action can be undone, saved as a draft and replayed
on the same file later. Only rows whose phone cell changed are revalidated, and
``version`` increases on every change so callers can key caches on it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number, as_telephony_config
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import Reason, ValidationReport, judge_rows, validate
from batchcall.work.exports import submission_csv
from batchcall.work.failing import failing_frame, patch_failing
from batchcall.work.fixes import suggest_fix, suggest_fixes
from batchcall.work.history import Action
from batchcall.work.row_map import RowMap
from batchcall.work.table_drafts import DraftWork

Edits = dict[int, dict[str, str]]
__all__ = ["Action", "Edits", "WorkTable"]


class WorkTable(DraftWork):
    """Original rows, edits, drops and the platform's verdict on the result."""

    def __init__(
        self,
        original: pd.DataFrame,
        route: PhoneNumber | dict[str, Any],
        config: TelephonyConfig | dict[str, Any],
    ) -> None:
        self.original = original
        self.current = original.copy()
        self.edits: Edits = {}
        self.dropped: set[int] = set()
        self.history: list[Action] = []
        self.history_pending = False
        """Restored from a draft whose history was not handed over (``adopt_history``)."""
        self.version = 0
        self.route = as_phone_number(route)
        self.config = as_telephony_config(config)
        self._judge_all()
        self._cache: dict[str, tuple[int, Any]] = {}
        self._fixes: dict[str, tuple[str, str] | None] = {}
        self._failing_patch: tuple[int, pd.DataFrame, list[int]] | None = None
        """(the version it is for, the failing rows before an edit, the rows it changed)."""

    # ------------------------------------------------------------ reading

    @property
    def active(self) -> pd.DataFrame:
        """The rows that would be submitted, with edits applied (read only)."""
        if not self.dropped:
            return self.current  # the very frame judged whole: the profile reuses its cells
        return self._cached("active", lambda: self.current.drop(index=list(self.dropped)))

    @property
    def passing(self) -> pd.DataFrame:
        """The active rows that pass: what Submit sends, which it does only once none fail."""
        return self._cached("passing", lambda: self.active.drop(index=self.report.failing.index))

    @property
    def report(self) -> ValidationReport:
        """The platform's verdict on the active rows.

        Until a phone cell changes or a row is dropped it is ``validate``'s own report,
        distinct cells included, so the profile takes the same path the bench measures.
        """
        if self._whole is not None and not self.dropped:
            return self._whole
        return self._cached("report", lambda: ValidationReport(self._kept_verdicts()))

    def _kept_verdicts(self) -> pd.DataFrame:
        """The verdicts of the rows kept, as of this version: a later edit must not change a
        report already handed out. With nothing dropped, a copy-on-write view: the next edit
        copies only the columns it writes, not the 150,000 phone cells."""
        if not self.dropped:
            return self._verdicts.copy(deep=False)
        return self._verdicts.drop(index=list(self.dropped))

    @property
    def failing_count(self) -> int:
        return self.report.failed_count

    def failing_rows(self, reason: str | None = None) -> pd.DataFrame:
        """Failing active rows with reason, hint, suggested fix and original number."""
        table = self._cached("failing", self._build_failing)
        if reason:
            table = table[table["reason"] == reason]
        return table

    def fixable_count(self, reason: str | None = None) -> int:
        """Failing rows (for ``reason``, or all) that have a suggested fix."""
        return int((self.failing_rows(reason)["suggested_fix"] != "").sum())

    def _build_failing(self) -> pd.DataFrame:
        """The failing rows; after an edit, the last list with only the edited rows redone.

        Why patch: an edit changes a few rows, and building the list of every failing row
        again (~35,000 of a 150,000-row list) was the largest part of the time per edit.
        """
        patch, self._failing_patch = self._failing_patch, None
        if patch is not None and patch[0] != self.version:
            patch = None  # another change came after the edit: build it whole
        failing = self.report.failing
        if patch is not None:
            failing = failing[failing.index.isin(patch[2])]
        cells = pd.unique(failing[PHONE_COLUMN].to_numpy(dtype=object))
        unknown = [r for r in cells if r not in self._fixes]
        self._fixes.update(suggest_fixes(unknown, self.route, self.config))
        redone = failing_frame(failing, self.original, self.current, self._fixes)
        return redone if patch is None else patch_failing(patch[1], patch[2], redone)

    # ------------------------------------------------------------ changing

    def edit(
        self,
        changes: Edits,
        label: str = "Edit",
        *,
        bulk: bool = False,
        steps: tuple[dict[str, Any], ...] = (),
    ) -> int:
        """Set cells (row -> column -> text); returns how many cells changed.

        Cells are written one column at a time in a single assignment: the columns are
        Arrow arrays, where each single-cell write copies the column, so restoring a
        draft of thousands of edits cell by cell took seconds.
        """
        by_column: dict[str, dict[int, str]] = {}
        for row, cells in changes.items():
            if row not in self.original.index:
                raise KeyError(f"Row {row} is not in the file.")
            for column, value in cells.items():
                if column not in self.original.columns:
                    raise KeyError(f"Column '{column}' is not in the file.")
                by_column.setdefault(column, {})[row] = "" if value is None else str(value)
        action = Action(label, bulk=bulk, steps=steps)
        phone_rows: list[int] = []
        touched: list[int] = []
        changed = 0
        for column, wanted in by_column.items():
            rows = list(wanted)
            now = self.current.loc[rows, column].tolist()
            moved = [row for row, cell in zip(rows, now, strict=True) if cell != wanted[row]]
            if not moved:
                continue
            for row in moved:
                if row not in action.previous_edits:
                    action.previous_edits[row] = _copy(self.edits.get(row))
            self._set_cells(column, {row: wanted[row] for row in moved})
            touched.extend(moved)
            changed += len(moved)
            if column == PHONE_COLUMN:
                phone_rows.extend(moved)
        if changed:
            self._revalidate(phone_rows)
            failing = self._cache.get("failing")
            if failing is not None and failing[0] == self.version:  # patched, not rebuilt
                self._failing_patch = (self.version + 1, failing[1], touched)
            self._commit(action)
        return changed

    def drop(
        self,
        rows: list[int],
        label: str = "Drop rows",
        *,
        bulk: bool = False,
        steps: tuple[dict[str, Any], ...] = (),
    ) -> int:
        return self._set_dropped(rows, True, label, bulk, steps)

    def restore(self, rows: list[int], label: str = "Restore rows") -> int:
        return self._set_dropped(rows, False, label, False)

    def drop_reason(self, reason: str, country: str | None = None) -> int:
        """Drop every active row failing for ``reason`` (and ``country`` when given)."""
        failing = self.report.failing
        mask = failing["reason"] == reason
        if country:
            mask &= failing["country"] == country
        title = Reason(reason).title + (f" ({country})" if country else "")
        step = {"step": "drop_failing", "reason": str(reason), "country": country or None}
        rows = [int(r) for r in failing.index[mask]]
        return self.drop(rows, f"Drop: {title}", bulk=True, steps=(step,))

    def drop_failing(self) -> int:
        """Drop every failing row, whatever its reason: one step to undo."""
        failing = self.report.failing
        reasons = sorted({str(reason) for reason in failing["reason"]})
        steps = tuple({"step": "drop_failing", "reason": r, "country": None} for r in reasons)
        rows = [int(r) for r in failing.index]
        return self.drop(rows, "Drop all failing rows", bulk=True, steps=steps)

    def apply_fixes(self, reason: str | None = None) -> int:
        """Apply every suggested fix (for one reason, or all); returns rows fixed."""
        table = self.failing_rows(reason)
        table = table[table["suggested_fix"] != ""]
        changes = {int(row): {PHONE_COLUMN: fix} for row, fix in table["suggested_fix"].items()}
        label = "Apply fixes" + (f": {Reason(reason).title}" if reason else "")
        step = {"step": "apply_fixes", "reason": str(reason) if reason else None}
        self.edit(changes, label, bulk=True, steps=(step,))
        return len(changes)

    def undo(self) -> str | None:
        """Undo the last action; returns its label, or None when there is nothing to undo."""
        if not self.history:
            return None
        action = self.history.pop()
        phone_rows = []
        by_column: dict[str, dict[int, str]] = {}
        for row, previous in action.previous_edits.items():
            for column in set(self.edits.get(row, {})) | set(previous or {}):
                value = (previous or {}).get(column, self.original.at[row, column])
                by_column.setdefault(column, {})[row] = value
                if column == PHONE_COLUMN:
                    phone_rows.append(row)
        for column, values in by_column.items():
            self._set_cells(column, values)
        for row, was_dropped in action.previous_dropped.items():
            (self.dropped.add if was_dropped else self.dropped.discard)(row)
        self._revalidate(phone_rows)
        self.version += 1
        return action.label

    def set_route(
        self, route: PhoneNumber | dict[str, Any], config: TelephonyConfig | dict[str, Any]
    ) -> None:
        """Judge every row again against another route or config."""
        self.route = as_phone_number(route)
        self.config = as_telephony_config(config)
        self._judge_all()
        self._fixes.clear()
        self.version += 1

    # ------------------------------------------------------------ output

    def cleaned_csv(self) -> tuple[bytes, RowMap]:
        """UTF-8 CSV of the active rows, and submitted row -> original row."""
        active = self.active
        return submission_csv(active), RowMap(active.index.to_numpy())

    def error_report(self) -> pd.DataFrame:
        """Original rows that fail or were dropped, with what is wrong."""
        verdicts = self._verdicts
        bad = verdicts.index[verdicts["reason"].notna()].union(pd.Index(sorted(self.dropped)))
        report = self.original.loc[bad].copy()
        report.insert(1, "current_number", self.current.loc[bad, PHONE_COLUMN])
        report["status"] = ["dropped" if r in self.dropped else "failing" for r in bad]
        report["reason"] = verdicts.loc[bad, "reason"].fillna("")
        report["hint"] = [Reason(r).hint if r else "" for r in report["reason"]]
        return report

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.original),
            "to_call": len(self.active) - self.failing_count,
            "failing": self.failing_count,
            "dropped": len(self.dropped),
            "edited": len(self.edits),
        }

    # ------------------------------------------------------------ internals

    def _set_cells(self, column: str, values: dict[int, str]) -> None:
        rows = list(values)
        self.current.loc[rows, column] = list(values.values())
        originals = self.original.loc[rows, column].tolist()
        for row, original in zip(rows, originals, strict=True):
            value = values[row]
            cells = self.edits.setdefault(row, {})
            if value == original:
                cells.pop(column, None)
                if not cells:
                    del self.edits[row]
            else:
                cells[column] = value

    def _set_dropped(
        self,
        rows: list[int],
        dropped: bool,
        label: str,
        bulk: bool,
        steps: tuple[dict[str, Any], ...] = (),
    ) -> int:
        action = Action(label, bulk=bulk, steps=steps)
        for row in rows:
            if row not in self.original.index:
                raise KeyError(f"Row {row} is not in the file.")
            if (row in self.dropped) != dropped:
                action.previous_dropped[row] = row in self.dropped
                (self.dropped.add if dropped else self.dropped.discard)(row)
        if action.previous_dropped:
            self._commit(action)
        return len(action.previous_dropped)

    def _suggestion(self, raw: str) -> tuple[str, str] | None:
        """Suggested fix per distinct value; only a route or config change invalidates it."""
        if raw not in self._fixes:
            self._fixes[raw] = suggest_fix(raw, self.route, self.config)
        return self._fixes[raw]

    def _judge_all(self) -> None:
        self._whole: ValidationReport | None = validate(self.current, self.route, self.config)
        # Copy-on-write: a later edit copies the columns it changes, not the report's.
        self._verdicts = self._whole.rows.copy(deep=False)

    def _revalidate(self, rows: list[int]) -> None:
        if not rows:
            return
        self._whole = None  # no longer the verdict on the cells as they are
        rows = sorted(set(rows))
        fresh = judge_rows(self.current.loc[rows, PHONE_COLUMN], self.route, self.config)
        self._verdicts.loc[rows, fresh.columns] = fresh

    def drop_caches(self) -> None:
        """Forget what is built from the cells (failing rows, reports): rebuilt on demand."""
        self._cache.clear()
        self._failing_patch = None

    def _commit(self, action: Action) -> None:
        self.history.append(action)
        self.version += 1

    def _cached(self, name: str, build: Any) -> Any:
        hit = self._cache.get(name)
        if hit is None or hit[0] != self.version:
            hit = (self.version, build())
            self._cache[name] = hit
        return hit[1]


def _copy(cells: dict[str, str] | None) -> dict[str, str] | None:
    return None if cells is None else dict(cells)
