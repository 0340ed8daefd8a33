"""Everything one browser session keeps, typed, in one place.

``Session`` is what every page reads and changes (through the helpers of
:mod:`batchcall.ui.session`). Its parts group what belongs to one step: the
upload in progress, what Submit created or was refused, what Progress follows,
and the session's caches. Caches are ``Memo`` objects keyed by explicit tokens
(file digest, table version, batch and fetch time), never by hashing a frame,
and hold only their latest value, so a session never grows without bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from time import monotonic
from typing import TYPE_CHECKING, Any

from batchcall.digests import digest
from batchcall.ui.caches import Caches, Memo

if TYPE_CHECKING:  # the types that fill the state; their modules import this one
    from batchcall.api.batches import Batch
    from batchcall.api.settings import Connection
    from batchcall.insight.progress import ProgressLog
    from batchcall.ui.calls_view import CallsSnapshot
    from batchcall.ui.following import Followed
    from batchcall.ui.group_records import GroupSummary
    from batchcall.ui.uploading import Pending
    from batchcall.ui.workspace import Workspace
    from batchcall.work.drafts import Draft
    from batchcall.work.submission import RejectedGroup
    from batchcall.work.table import WorkTable


@dataclass
class Upload:
    """The file the operator is working on."""

    filename: str
    data: bytes = field(repr=False)
    digest: str = ""
    sheet: str | None = None
    phone_column: str | None = None
    max_bytes: int | None = None
    """The read's size limit: None is the platform's 10 MB; larger (at most 100 MB) only once
    the operator chose to read a large list, which Submit then sends as numbered batches."""

    def __post_init__(self) -> None:
        self.digest = self.digest or digest(self.data)


@dataclass
class UploadState:
    """The Upload page between runs: a refusal, a question, a draft to offer."""

    error: str | None = None
    """The last refusal, as shown."""
    refused: tuple[str, str] | None = None
    """(filename, digest) of the file refused last, while another one is still shown."""
    pending: Pending | None = None
    """A file waiting for the operator to choose its phone column."""
    offer_draft: Draft | None = None
    """Saved work on the file just loaded, offered until resumed or declined."""
    uploader_file: str | None = None
    """The uploader's file id taken last: a rerun does not load it twice."""
    uploader_generation: int = 0
    """Bumped to give the uploader a new key, which empties it."""
    oversized: Upload | None = None
    """A file refused only for being over 10 MB (and at most 100 MB): kept so the operator
    can read it anyway, to be sent as numbered batches, without uploading it again."""


@dataclass(frozen=True)
class Rejection:
    """The platform's refusal of one submission, in the operator's own row numbers."""

    key: str
    groups: list[RejectedGroup]
    message: str


SWITCH_SECONDS = 30.0
"""How long after a launch a run of Submit still goes straight on to Progress."""


@dataclass
class SubmitState:
    """What Submit launched or was refused, so a repeat shows it instead of sending again."""

    created: dict[str, str] = field(default_factory=dict)
    """Idempotency key -> the batch it created."""
    rejection: Rejection | None = None
    row_maps: dict[str, Mapping[int, int]] = field(default_factory=dict)
    """Batch id -> submitted row -> original spreadsheet row (for Progress)."""
    switching_to: str | None = None
    """A batch (or group) just launched, until Progress is drawn in full."""
    switching_since: float = 0.0
    """When it was launched (``time.monotonic()``): Submit goes on to Progress only for a
    launch this recent, so a Progress that failed to draw never locks Submit away."""
    pending: Any = None
    """What the Submit button launches (``ui.launch_button.PendingLaunch``), kept with
    each run that draws it; None on every other page."""
    launch_error: tuple[str, str] | None = None
    """(request key, message): why the platform created nothing for the last click."""
    server_rejected: list[RejectedGroup] = field(default_factory=list)
    """Groups the platform refused, handed to Fix rows."""
    variable_map: dict[str, str] = field(default_factory=dict)
    """File column -> the agent's variable it fills (the sent file's header says so)."""
    groups: dict[str, GroupSummary] = field(default_factory=dict)
    """Group key -> the numbered batches (waves or parts) it created, once all were."""

    def go_to_progress(self, launched: str) -> None:
        """Mark ``launched`` (a batch id or group key) as the batch Progress shows next."""
        self.switching_to, self.switching_since = launched, monotonic()

    def going_to_progress(self) -> bool:
        """A launch was just made and Progress has not been drawn since."""
        if self.switching_to is None:
            return False
        if monotonic() - self.switching_since > SWITCH_SECONDS:
            self.switching_to = None
            return False
        return True


@dataclass
class ReplayState:
    """Fix rows' recipe and error-file uploaders between runs."""

    generation: int = 0
    """Bumped once a file is taken, to give the uploaders new keys: each file is used once."""
    recipe_error: str | None = None
    """The last recipe refused, as shown."""
    corrections_error: str | None = None
    """The last corrected error file refused, as shown."""


@dataclass
class FixRowsState:
    """Fix rows between runs: what the operator was looking at and what the last change did.

    Kept here, not in widget state, because Streamlit forgets a widget's value once a
    page without it is drawn: coming back to Fix rows shows the same filter, search and
    page, and the message about the last edit stays until the next change.
    """

    filter: str = "all"
    """The "Show" control's choice ("all", or one reason), kept when its active option is
    clicked again (which would otherwise select nothing)."""
    search: str = ""
    """Text or a row number searched for in all failing rows (before paging)."""
    page: int = 0
    """The page of the failing rows shown, from 0."""
    outcome: tuple[int, str, str] | None = None
    """(table version, "success" / "warning" / "info", message): what the last change on
    this page did ("Row 43 now passes"), shown while the table is at that version."""
    confirm_drop_all: int | None = None
    """The failing-row count "Drop all failing" asked about, until "Yes" or "Cancel"."""


@dataclass
class PrecheckState:
    """The operator's answers under "Before launch", kept across pages (widgets are not).

    Each widget is seeded from here when it is drawn again, so leaving Submit and
    coming back keeps the window, the duplicate choice and the calling-hours choice.
    """

    preset: str = "default"
    """A key of ``checks.PRESETS``, or "custom"."""
    start: time = time(9, 0)
    end: time = time(20, 0)
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    """Weekdays of the custom window, as ``checks.WEEKDAYS`` names."""
    skip_holidays: bool = False
    expect_mobile: bool = False
    keep: str = "first"
    """Which copy of a repeated number is called: "first", "last" or "all"."""
    leave_out_outside_hours: bool = True
    waves: bool = False
    """Send as time-zone waves: each batch starts when its rows' calling hours open."""
    connect_rate: float = 50.0
    """The estimate's expected share of calls answered, in percent."""
    call_seconds: float = 90.0
    """The estimate's expected length of an answered call."""
    price_per_minute: float = 0.0
    """What a connected minute costs (0: no cost shown)."""
    dnc_error: str | None = None
    """The last do-not-call upload refused, as shown."""
    dnc_generation: int = 0
    """Bumped to give the DNC uploader a new key, which empties it."""


@dataclass
class ProgressState:
    """What Progress follows: each batch's history and the platform's abilities."""

    logs: dict[str, ProgressLog] = field(default_factory=dict)
    calls: dict[str, CallsSnapshot] = field(default_factory=dict)
    calls_unsupported: bool = False
    feed_unsupported: bool = False
    """The platform has no change feed of calls: Progress lists calls instead."""
    followed: dict[str, Followed] = field(default_factory=dict)
    """Each batch's latest view from the progress store (drawn by the live panel)."""
    latest: dict[str, Batch] = field(default_factory=dict)
    """Each batch as the live panel's numbers last read it (its charts and calls use it)."""
    catching_up: set[str] = field(default_factory=set)
    """Batches whose local copy of calls is still behind the platform's."""
    created_notice: tuple[str, str, str] | None = None
    """(batch id, its status when created, message): "created" is true only until the
    batch's first state change, so the live panel shows it while the status is the same."""
    cancel_unsupported: bool = False
    cancel_confirm: str | None = None
    """The batch whose cancel waits for "Yes"."""
    cancel_sent: set[str] = field(default_factory=set)
    """Batches this session cancelled (or found finished): no cancel button for them."""
    group: str | None = None
    """The key of the group of batches followed together (None: one batch)."""
    group_open: str | None = None
    """A batch of that group opened in the single-batch view (None: the group's view)."""
    group_cancel_confirm: bool = False
    """Cancelling the whole group waits for "Yes"."""


@dataclass
class Session:
    """One browser session's state."""

    connection: Connection | None = None
    typed_connection: bool = False
    """The operator typed the connection in (else: the configured one or the sandbox)."""
    workspace: Workspace | None = None
    """Agents, numbers and config, fetched once per connection."""
    upload: Upload | None = None
    table: WorkTable | None = None
    route_number: str | None = None
    batch_id: str | None = None
    draft_id: str | None = None
    """The draft this session writes to (in the URL); None until the first save."""
    draft_version: int = 0
    """The draft's version this session last read or wrote: a newer one means another tab."""
    draft_stale: bool = False
    """Another tab saved the draft since: this one stops saving and asks for a reload."""
    draft_saved_at: str | None = None
    browser: str = ""
    """This browser, as drafts record their owner (see ``ui.session.browser_token``)."""
    restored: bool = False
    """The URL was read (after a refresh or on a first visit)."""
    browser_warm: bool = False
    """The browser was asked to load the charts' and tables' code (``ui.warmup``)."""
    pending_draft: str | None = None
    """A draft named in the URL, restored by the first page that shows the working table."""
    flash: list[tuple[str, str]] = field(default_factory=list)
    sidebar_slot: Any = field(default=None, repr=False, compare=False)
    """The current run's sidebar placeholder for the file summary (``ui.layout``)."""
    grid_rows: dict[str, list[int]] = field(default_factory=dict)
    """Grid key -> the spreadsheet rows it shows, until its edits are committed."""
    uploads: UploadState = field(default_factory=UploadState)
    submit: SubmitState = field(default_factory=SubmitState)
    prechecks: PrecheckState = field(default_factory=PrecheckState)
    progress: ProgressState = field(default_factory=ProgressState)
    replay: ReplayState = field(default_factory=ReplayState)
    fix: FixRowsState = field(default_factory=FixRowsState)
    caches: Caches = field(default_factory=Caches)

    def drop_caches(self) -> None:
        """Forget everything built from the working table (rebuilt when next shown):
        before a new file is read, so that two files' caches never share the memory.

        Emptied in place as well as replaced: a widget's callback arguments can still
        hold the old object, and must not keep a whole file's reports alive through it."""
        for memo in vars(self.caches).values():
            if isinstance(memo, Memo):
                memo.clear()
        self.caches = Caches()
        self.submit.pending = None
        if self.table is not None:
            self.table.drop_caches()

    def drop_submit_caches(self) -> None:
        """Forget the plan of numbered batches on every page but Submit: rebuilt when
        Submit is drawn again.

        The checked report stays (checking again costs ~0.2 s), its answers for the
        moment shown and every row's fate too (~18 MB for 150,000 rows, ~0.1 s to draw
        again on every return to Submit), and so does the file to send: one file's bytes,
        the size of the upload at most, where building it again cost every visit ~0.2 s
        for 120,000 rows. All are keyed by the table's version, so an edit elsewhere still
        builds them again; the click that launches lets them all go before the request."""
        self.caches.group_launch.clear()

    def drop_checks(self) -> None:
        """Forget every pre-launch answer (the report, its answers, the fates, the plan):
        at launch, before the request, Progress comes next and shows none of them."""
        caches = self.caches
        for memo in (caches.precheck_base, caches.prechecks, caches.fates, caches.group_launch):
            memo.clear()
        self.submit.pending = None  # it holds the file to send

    def release(self) -> None:
        """Let go of the heavy parts (the file, the working table, caches): the browser
        session is gone, and a stale reference to this object must not keep them."""
        self.upload = self.table = None
        self.restored = False  # should its browser reconnect after all: restore the draft
        self.sidebar_slot = None
        self.uploads = UploadState()
        self.submit = SubmitState()
        self.progress = ProgressState()
        self.caches = Caches()
