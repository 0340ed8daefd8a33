"""What the Progress page keeps and shows about a batch, as plain data.

``ProgressLog``: the status counts of one batch over time. The platform reports
only the counts of *now*; the status-over-time chart needs the history, so the
page keeps every poll it made. Identical consecutive polls add nothing, and a
long-running batch must not grow the session without bound, so the log halves
itself past ``max_samples`` (always keeping the first and the latest sample).

``calls_table``: the batch's calls as one row each, with the row's variables
flattened into columns and the operator's own spreadsheet row numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from batchcall.api.batches import Call

DEFAULT_MAX_SAMPLES = 2_000
TIME_COLUMN = "t"  # the column batchcall.charts.progress.status_area reads


@dataclass(frozen=True)
class Sample:
    """One poll: when, and how many calls were in each status."""

    at: datetime
    counts: dict[str, int]


@dataclass
class ProgressLog:
    """Samples of one batch, oldest first, deduplicated and bounded."""

    max_samples: int = DEFAULT_MAX_SAMPLES
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.max_samples < 2:
            raise ValueError("max_samples must be at least 2 (the first and the latest)")

    def add(self, at: datetime, counts: Mapping[str, int]) -> bool:
        """Record a poll; False when it repeats the latest sample (nothing changed)."""
        snapshot = {str(status): int(count) for status, count in counts.items()}
        if self.samples and self.samples[-1].counts == snapshot:
            return False
        if self.samples and at < self.samples[-1].at:
            return False  # a late answer from an older poll must not fold the time axis
        self.samples.append(Sample(at, snapshot))
        if len(self.samples) > self.max_samples:
            self._downsample()
        return True

    def __len__(self) -> int:
        return len(self.samples)

    @property
    def latest(self) -> Sample | None:
        return self.samples[-1] if self.samples else None

    def frame(self) -> pd.DataFrame:
        """Wide table: a ``t`` column (time), then one column per status (first seen first).

        A status absent from a poll counts 0 there, so stacked areas never gap.
        """
        statuses = list(dict.fromkeys(s for sample in self.samples for s in sample.counts))
        rows = [
            {TIME_COLUMN: sample.at, **{s: sample.counts.get(s, 0) for s in statuses}}
            for sample in self.samples
        ]
        table = pd.DataFrame(rows, columns=[TIME_COLUMN, *statuses])
        if statuses:
            table[statuses] = table[statuses].astype("int64")
        return table

    def long_frame(self) -> pd.DataFrame:
        """Long table (``t``, ``status``, ``count``), the shape plotting libraries prefer."""
        wide = self.frame()
        return wide.melt(id_vars=TIME_COLUMN, var_name="status", value_name="count")

    def _downsample(self) -> None:
        """Keep every other sample, plus the latest, so the whole run stays visible."""
        latest = self.samples[-1]
        kept = self.samples[:-1:2]
        if kept[-1] is not latest:
            kept.append(latest)
        self.samples = kept


def log_for(logs: dict[str, ProgressLog], batch_id: str) -> ProgressLog:
    """The batch's log in a per-session mapping, created on first use."""
    if batch_id not in logs:
        logs[batch_id] = ProgressLog()
    return logs[batch_id]


CALL_COLUMNS = ["to_phone_number", "status", "duration_seconds", "end_reason", "ended_at"]


def calls_table(calls: Iterable[Call], row_map: Mapping[int, int] | None = None) -> pd.DataFrame:
    """One row per call: its spreadsheet row, number, outcome, then its variables.

    The platform numbers rows in the file it received; with the submission's
    ``row_map`` they become the original file's rows (column ``row``), without
    it they stay the submitted file's (column ``submitted_row``). A variable
    whose name clashes with a fixed column gets a ``var_`` prefix.
    """
    row_column = "row" if row_map is not None else "submitted_row"
    records = []
    variables: dict[str, None] = {}
    for call in calls:
        position = call.position
        if position is not None and row_map is not None:
            position = row_map.get(position)
        record: dict[str, object] = {
            row_column: position,
            "to_phone_number": call.to_phone_number,
            "status": call.status,
            "duration_seconds": call.duration_seconds,
            "end_reason": call.end_reason,
            "ended_at": call.ended_at,
        }
        for name, value in call.metadata.items():
            column = _variable_column(str(name), row_column)
            variables.setdefault(column, None)
            record[column] = "" if value is None else str(value)
        records.append(record)
    columns = [row_column, *CALL_COLUMNS, *variables]
    table = pd.DataFrame(records, columns=columns)
    table[row_column] = table[row_column].astype("Int64")
    return table.sort_values(row_column, kind="stable", na_position="last").reset_index(drop=True)


def _variable_column(name: str, row_column: str) -> str:
    return f"var_{name}" if name in (row_column, *CALL_COLUMNS) else name
