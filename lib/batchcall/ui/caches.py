"""A session's caches: each keeps one value, built once per explicit key.

Why keyed by tokens and one value each: a page asks for what it draws with the
file digest, table version, batch or fetch time it was built from, never by hashing
a frame (a 150,000-row frame hashes slowly, and ``st.cache_data`` samples it); and a
cache holding only its latest value cannot grow a session without bound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # the types cached; their modules import this one
    import pandas as pd

    from batchcall.checks.dnc_store import DncList
    from batchcall.checks.fates import Fates
    from batchcall.checks.report import PrecheckReport
    from batchcall.insight.profile import ContactProfile
    from batchcall.ui.destinations_view import DestinationsView
    from batchcall.ui.downloads import CleanedFiles
    from batchcall.ui.group_launch import GroupLaunch
    from batchcall.ui.prechecks_view import Checked
    from batchcall.ui.sidebar_fates import FateCounts
    from batchcall.work.recipe import Recipe

__all__ = ["Caches", "Memo"]

T = TypeVar("T")


class Memo(Generic[T]):
    """One value, built once per key: asking with another key builds it again."""

    def __init__(self) -> None:
        self.key: Hashable = None
        self._value: T | None = None
        self._filled = False

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        if not self._filled or self.key != key:
            self._value, self.key, self._filled = build(), key, True
        return self._value  # type: ignore[return-value]

    @property
    def value(self) -> T | None:
        """The latest value built, or None."""
        return self._value if self._filled else None

    def clear(self) -> None:
        self.key, self._value, self._filled = None, None, False


@dataclass
class Caches:
    """Built once per state of what they show; each keeps only its latest value."""

    profile: Memo[ContactProfile] = field(default_factory=Memo)
    destinations: Memo[DestinationsView] = field(default_factory=Memo)
    """The Destinations page's figures, tables and advice, per table version."""
    cleaned: Memo[tuple[bytes, Mapping[int, int], str]] = field(default_factory=Memo)
    """The file Submit sends: (bytes, submitted row -> original row, digest)."""
    downloads: Memo[CleanedFiles] = field(default_factory=Memo)
    downloads_wanted: Hashable = None
    """The table state the operator asked downloads for (big tables build on request)."""
    call_downloads: Memo[tuple[bytes, bytes]] = field(default_factory=Memo)
    sheet_names: Memo[list[str]] = field(default_factory=Memo)
    dnc: Memo[DncList | None] = field(default_factory=Memo)
    """The workspace's do-not-call list, read again only when its file changes."""
    dnc_numbers: Memo[frozenset[str]] = field(default_factory=Memo)
    """Its entries as E.164 for the route's country."""
    precheck_base: Memo[PrecheckReport] = field(default_factory=Memo)
    """The pre-launch report per table version, route, DNC list and mobile expectation:
    re-timed (``checks.retime``) for each moment and window instead of checked again."""
    prechecks: Memo[Checked] = field(default_factory=Memo)
    """The pre-launch report and the answers drawn from it, per table version, route,
    window, moment (to the minute), DNC list and mobile expectation."""
    fates: Memo[Fates] = field(default_factory=Memo)
    """Every row's fate for the report above and the operator's choices."""
    recipe: Memo[Recipe] = field(default_factory=Memo)
    """What this operator did, as a recipe, per table version and column mapping."""
    error_file: Memo[bytes] = field(default_factory=Memo)
    """The error file to correct in a spreadsheet, per table version."""
    group_launch: Memo[GroupLaunch | None] = field(default_factory=Memo)
    """The numbered batches Submit would send (waves or parts), per request and plan moment."""
    sidebar_fates: Memo[FateCounts] = field(default_factory=Memo)
    """The sidebar's rows per fate, per table version (and Submit's fates for it): kept
    when other pages let Submit's caches go, so every page shows the same counts."""
    lookalikes: Memo[pd.DataFrame] = field(default_factory=Memo)
    lookalike_flags: Memo[Any] = field(default_factory=Memo)
    """Every active row's look-alike flags per table and route, kept up to date by edits
    (``ui.lookalike_flags.FlagSnapshot``)."""
    """Fix rows' look-alikes (rows probably another country's) and what each would need,
    per table version."""
