"""One operator's journey through the workbench, every step timed (see ``bench.ui``).

Upload a 10 MB list, switch between Destinations, Fix rows and Submit, edit grid
cells, apply the suggested fixes and drop what is left, submit, then on Progress:
watch the live panel refresh itself, reload the page, filter the calls, open the
cancel confirmation (and step back) and finally cancel.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from playwright.sync_api import Locator, expect

from bench.ui_browser import STEP_MS, Operator

GRID_PHONE_COLUMN = 2  # Row (the index), Drop, Phone number, ...
SUBMIT = re.compile(r"^Submit [\d,]+ calls now$")
HEADLINE = re.compile(r"^(\d+% done|Cancelled|Finished) — ")
ALL_STATUSES = "All statuses"
REASON = re.compile(r"^(.*) \(([\d,]+)\)$")
TICK_WATCH_S = 8.0
EDIT_MS = 20_000  # an edit the grid did not take is not worth a whole step's wait
LOST_EDIT_MS = 5_000
PICK_MS = 2_000
"""An operator's time to pick the file in the browser's file dialog after the first page."""
THINK_MS = 1_000
"""An operator's pause before editing the grid just redrawn. An edit that sends no rerun
within ``LOST_EDIT_MS`` is still noted as lost and made up for by another edit."""


def journey(
    op: Operator,
    file: Path,
    rows: int,
    repeats: int,
    start: threading.Barrier | None = None,
    again: tuple[Path, int] | None = None,
) -> None:
    """The whole journey; ``start`` lines operators up once their first page is drawn.

    With ``again``, another file is uploaded at the end (``upload_cached_s``): the
    browser has every script the pages use by then, as a returning operator's has.
    """
    op.timed(
        "first_load_s",
        lambda: op.page.goto(op.url + "/"),
        lambda: expect(op.page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_attached(),
        critical=True,
    )
    if start is not None:
        start.wait(timeout=300)
    op.page.wait_for_timeout(PICK_MS)
    upload(op, file, rows)
    for _ in range(repeats):
        for key, title in PAGES:
            visit(op, key, title)
    edit_cells(op, repeats)
    fix_and_drop(op)
    visit(op, "submit_page_s", "Submit", ready_to_submit=True)
    submit(op)
    progress(op, repeats)
    if again is not None and not op.broken:
        op.nav_link("Upload & profile").click()
        expect(op.heading("Upload & profile")).to_be_visible()
        op.wait_idle()
        upload(op, *again, key="upload_cached_s")


def upload(op: Operator, file: Path, rows: int, key: str = "upload_s") -> None:
    page = op.page

    def ready() -> None:
        expect(op.metric("Rows")).to_have_text(f"{rows:,}", timeout=STEP_MS)
        expect(page.get_by_role("heading", name=f"Profile of {file.name}")).to_be_visible()
        op.wait_charts(3)  # verdict donut, number formats, fill rates

    op.timed(
        key,
        lambda: page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(file),
        ready,
        critical=key == "upload_s",
    )


def _destinations_ready(op: Operator) -> None:
    expect(op.heading("Destinations & routes")).to_be_visible()
    expect(op.metric("Blocked or invalid")).to_be_visible()
    op.wait_charts(3)  # the world map, contacts by country, network groups
    countries = op.page.locator("[data-testid='stPlotlyChart'] g.geo .layer.countries path")
    expect(countries.first).to_be_attached()


def _fix_rows_ready(op: Operator) -> None:
    expect(op.heading("Fix rows")).to_be_visible()
    expect(op.metric("Failing")).to_be_visible()
    grid = op.page.get_by_test_id("stDataFrame").first
    expect(grid.get_by_test_id("data-grid-canvas")).to_be_visible()
    expect(grid.get_by_test_id("glide-cell-0-0")).to_be_attached()


PAGES = [
    ("destinations_s", "Destinations & routes"),
    ("fix_rows_s", "Fix rows"),
    ("submit_page_s", "Submit"),
]


def visit(op: Operator, key: str, title: str, *, ready_to_submit: bool = False) -> None:
    """Click the sidebar link of ``title``; done when that page is drawn in full."""

    def ready() -> None:
        if title == "Destinations & routes":
            _destinations_ready(op)
        elif title == "Fix rows":
            _fix_rows_ready(op)
        else:
            expect(op.heading(title)).to_be_visible()
            button = op.page.get_by_role("button", name=SUBMIT)
            expect(button).to_be_visible()
            if ready_to_submit:
                expect(button).to_be_enabled()

    op.timed(key, lambda: op.nav_link(title).click(), ready)


def edit_cells(op: Operator, repeats: int) -> None:
    """Type a valid number over the first failing row's phone; done when Failing drops by 1."""
    visit(op, "fix_rows_s", "Fix rows")
    committed: list[float] = []  # when Enter was pressed, per edit
    for n in range(repeats + 2):  # a lost edit (noted) is made up for, twice at most
        if op.broken or sum(t is not None for t in op.times.get("edit_s", [])) >= repeats:
            return
        try:
            op.page.wait_for_timeout(THINK_MS)
            failing = op.metric_int("Failing")
            edited = op.metric_int("Edited")
            op.grid_select_cell(GRID_PHONE_COLUMN)
            field = op.grid_type(f"98{(int(time.time() * 1000) + n) % 10**8:08d}")
        except Exception as exc:
            op.times.setdefault("edit_s", []).append(None)
            op.note(f"edit_s: could not open the grid's editor: {type(exc).__name__}: {exc}")
            continue

        def ready(failing: int = failing, edited: int = edited, since: float = 0.0) -> None:
            try:
                op.wait_new_run(since, LOST_EDIT_MS)
            except Exception:
                raise RuntimeError(
                    f"the edit was lost: no rerun within {LOST_EDIT_MS / 1000:.0f} s of Enter"
                ) from None
            expect(op.metric("Failing")).to_have_text(f"{failing - 1:,}", timeout=EDIT_MS)
            expect(op.metric("Edited")).to_have_text(f"{edited + 1:,}", timeout=EDIT_MS)
            expect(
                op.page.get_by_test_id("stDataFrame").first.get_by_test_id("data-grid-canvas")
            ).to_be_visible()

        def commit(field: Locator = field) -> float:
            committed.append(time.time())
            field.press("Enter")
            return committed[-1]

        op.timed("edit_s", commit, lambda ready=ready: ready(since=committed[-1]))


def fix_and_drop(op: Operator) -> None:
    """Apply every suggested fix, then drop each remaining reason, until nothing fails."""
    if op.broken:
        return
    page = op.page
    apply_all = page.get_by_role("button", name=re.compile(r"^Apply all [\d,]+ suggested fixes$"))
    try:
        failing = op.metric_int("Failing")
        fixable = int(re.sub(r"\D", "", apply_all.inner_text()))
    except Exception as exc:
        op.note(f"fix_all_s: no 'Apply all … suggested fixes' button: {exc}")
    else:
        op.timed(
            "fix_all_s",
            apply_all.click,
            lambda: expect(op.metric("Failing")).to_have_text(f"{failing - fixable:,}"),
        )
    for _ in range(6):
        if op.broken:
            return
        radios = page.get_by_test_id("stButtonGroup").get_by_role("radio")
        try:
            failing = op.metric_int("Failing")
            if failing == 0:
                return
            labels = [text.strip() for text in radios.all_inner_texts()]
            match = next(REASON.match(t) for t in labels if not t.startswith("All failing"))
        except Exception as exc:
            op.note(f"drop_s: no reason to drop found: {type(exc).__name__}: {exc}")
            op.broken = "drop_s"
            return
        title, count = match.group(1), int(match.group(2).replace(",", ""))
        drop = page.get_by_role("button", name=f"Drop all {count:,} rows: {title}")
        op.timed(
            "filter_s",
            lambda title=title, radios=radios: radios.filter(has_text=title).first.click(),
            lambda drop=drop: expect(drop).to_be_visible(),
        )
        op.timed(
            "drop_s",
            drop.click,
            lambda left=failing - count: expect(op.metric("Failing")).to_have_text(f"{left:,}"),
            critical=True,
        )


def submit(op: Operator) -> None:
    """Launch now with every passing row: the operator chooses to call outside the
    default calling hours (the generated contacts are Indian; the bench runs at any
    hour), so the batch is as big as the file whatever the time of day."""
    page = op.page
    label = "Leave out rows outside their calling hours"
    box = page.get_by_role("checkbox", name=label)
    if box.is_checked():
        since = time.time()
        page.get_by_text(label, exact=True).click()
        op.wait_new_run(since)  # not wait_idle: the rerun may not have begun yet
    expect(box).not_to_be_checked()

    def ready() -> None:
        expect(op.heading("Progress")).to_be_visible()
        expect(page.get_by_test_id("stProgress").get_by_text(HEADLINE)).to_be_visible()

    op.timed(
        "submit_to_progress_s",
        lambda: page.get_by_role("button", name=SUBMIT).click(),
        ready,
        critical=True,
    )


def progress(op: Operator, repeats: int) -> None:
    """Progress while the batch runs: its own refreshes, reloads, a filter, cancel."""
    if op.broken:
        return
    page = op.page
    since = time.time()
    page.wait_for_timeout(TICK_WATCH_S * 1000)  # the live panel refreshes on its own
    op.times["progress_tick_s"] = list(op.run_lengths(since))
    if not op.times["progress_tick_s"]:
        op.note("progress_tick_s: no refresh of the live panel was seen")

    def drawn() -> None:
        expect(op.heading("Progress")).to_be_visible()
        expect(page.get_by_test_id("stProgress").get_by_text(HEADLINE)).to_be_visible()
        expect(page.get_by_role("button", name="Cancel batch…")).to_be_visible()

    for _ in range(repeats):
        op.timed("progress_reload_s", page.reload, drawn)
    filter_calls(op, repeats)
    cancel(op, repeats)


def filter_calls(op: Operator, repeats: int) -> None:
    """Pick another status in the calls' filter: a rerun of the live panel.

    Done when the calls' count says it counts the status picked and the run has ended.
    Not "a run seen to start after the pick": a quick fragment run may go from running to
    done between two paints, and waiting for the next visible run then measured the live
    panel's refresh interval instead.
    """
    page = op.page
    box = page.get_by_test_id("stSelectbox").filter(has_text="Status")
    chosen: list[str] = []
    for _ in range(repeats):

        def choose() -> float:
            for _ in range(5):  # a refresh of the panel may close the list: open it again
                showing = _shown(box)
                box.get_by_role("button", name="Open").click()
                options = page.get_by_role("option")
                try:
                    expect(options.first).to_be_visible(timeout=3_000)
                    names = [name.strip() for name in options.all_inner_texts()]
                    # One status each time, never "All statuses": the count then names it.
                    wanted = [n for n in names if n and n not in showing and n != ALL_STATUSES]
                    wanted.sort(key=lambda n: n.lower() != "completed")
                    started = time.time()
                    options.filter(has_text=wanted[0]).first.click(timeout=1_500)
                    # Timed from the press: Playwright may wait for the list to settle first.
                    started = max(started, op.pressed_at())
                    chosen.append(wanted[0])
                    return started
                except Exception:
                    page.keyboard.press("Escape")
            raise RuntimeError("the status list never stayed open long enough to pick one")

        def ready() -> None:
            counted = re.compile(rf"^[\d,]+ calls? match(es)? status {re.escape(chosen[-1])}\b")
            expect(page.get_by_text(counted)).to_be_visible()
            op.wait_idle()
            if chosen[-1] not in _shown(box):
                raise RuntimeError(f"the pick of {chosen[-1]!r} was not taken: {_shown(box)!r}")

        op.timed("progress_interaction_s", choose, ready)


def _shown(box: Locator) -> str:
    """What a selectbox shows: its chosen option is the value of its input, not text."""
    field = box.locator("input")
    value = field.first.input_value() if field.count() else ""
    return f"{box.inner_text()} {value}"


def cancel(op: Operator, repeats: int) -> None:
    page = op.page
    ask = page.get_by_role("button", name="Cancel batch…")
    yes = page.get_by_role("button", name=re.compile(r"^Yes, cancel [\d,]+ queued calls$"))
    keep = page.get_by_role("button", name="Keep calling")
    for n in range(repeats):
        op.timed("cancel_confirm_s", ask.click, lambda: expect(yes).to_be_visible())
        if n < repeats - 1:
            op.timed("cancel_keep_s", keep.click, lambda: expect(ask).to_be_visible())
    done = page.get_by_text(re.compile(r"^Batch `?batch_\w+`? cancelled\.$"))
    op.timed("cancel_done_s", yes.click, lambda: expect(done).to_be_visible())
