"""Submitted row -> original spreadsheet row, kept as one array of ints.

Why not a dict: a batch of 120,000 rows makes a dict of 240,000 int objects (13 MB)
per copy, and a batch's map is held by the session that sent it and shared by every
tab following it. The submitted file's rows are numbered from 2 (row 1 is its header)
without gaps, so an array indexed by position holds the same map in 1 MB.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

FIRST_ROW = 2
"""The submitted file's first data row (its header is row 1)."""


class RowMap(Mapping[int, int]):
    """A read-only mapping of submitted rows ``FIRST_ROW``… to original rows."""

    __slots__ = ("_originals",)

    def __init__(self, originals: Any) -> None:
        self._originals = np.asarray(originals, dtype=np.int64)
        self._originals.setflags(write=False)

    @classmethod
    def of(cls, mapping: Mapping[int, int]) -> Mapping[int, int]:
        """A ``RowMap`` of ``mapping`` when its keys run from ``FIRST_ROW`` without gaps
        (every map the workbench writes); else ``mapping`` itself."""
        if isinstance(mapping, RowMap):
            return mapping
        size = len(mapping)
        if all(FIRST_ROW + i in mapping for i in range(size)):
            return cls([mapping[FIRST_ROW + i] for i in range(size)])
        return mapping

    @property
    def originals(self) -> np.ndarray:
        """The original row of each submitted row, in order (read-only)."""
        return self._originals

    def __getitem__(self, row: int) -> int:
        position = int(row) - FIRST_ROW
        if 0 <= position < len(self._originals):
            return int(self._originals[position])
        raise KeyError(row)

    def __iter__(self) -> Iterator[int]:
        return iter(range(FIRST_ROW, FIRST_ROW + len(self._originals)))

    def __len__(self) -> int:
        return len(self._originals)

    def __repr__(self) -> str:
        return f"RowMap({len(self)} rows)"
