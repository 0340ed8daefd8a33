"""Driving one operator's browser page and timing its steps.

A step is timed from the user's action until the expected content is visible AND
Streamlit has finished its run: the root element reads
``data-test-script-state="notRunning"``, the connection is up and no skeleton is
left. No fixed waits: a run too quick to be seen in the ``running`` state costs
nothing. An init script also logs every change of the script state with its time,
so the length of runs nobody started (the Progress fragment's own refreshes) can
be read back. A step that fails is recorded as ``None`` with a note, and the
journey carries on.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, Playwright, expect

from bench.ui_server import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1400, "height": 900}
STEP_MS = 90_000  # a step slower than this is recorded as failed
ROW_HEIGHT = 35  # glide-data-grid rows (and its header row) in Streamlit's editors

expect.set_options(timeout=STEP_MS)  # expect() has its own 5 s default otherwise

_TRACKER = """
(() => {
  performance.setResourceTimingBufferSize(100000);
  const log = (window.__benchStates = []);
  let last = null;
  const look = () => {
    const app = document.querySelector("[data-testid='stApp']");
    const state = app ? app.getAttribute("data-test-script-state") : null;
    if (state !== last) { last = state; log.push([state, Date.now()]); }
  };
  // The user's action is the press itself, not Playwright's wait before it.
  window.__benchPressed = 0;
  // Long tasks: the main thread busy (a click waits for it).
  const long = (window.__benchLong = []);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        long.push([performance.timeOrigin + e.startTime, e.duration]);
      }
    }).observe({type: "longtask", buffered: true});
  } catch (e) {}
  // When the browser told the server (a rerun request is a websocket message).
  const sends = (window.__benchSends = []);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    sends.push(Date.now());
    return send.call(this, data);
  };
  document.addEventListener("pointerdown", () => { window.__benchPressed = Date.now(); }, true);
  const clicks = (window.__benchClicks = []);
  document.addEventListener("click", () => clicks.push(Date.now()), true);
  // When the page last changed: a step ends when the page took its final shape, not
  // when Playwright's polling next looked (every 0.5 s once a wait passes ~0.3 s).
  window.__benchChanged = Date.now();
  new MutationObserver(() => { window.__benchChanged = Date.now(); }).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-test-script-state"],
  });
})();
"""
_IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute("data-test-script-state") === "notRunning"
    && app.getAttribute("data-test-connection-state") === "CONNECTED"
    && !document.querySelector("[data-testid='stSkeleton']");
}"""
_NEW_RUN = """(since) => {
  const log = window.__benchStates || [];
  const at = log.findIndex(([state, time]) => state === "running" && time >= since);
  return at >= 0 && log.slice(at).some(([state]) => state === "notRunning");
}"""
_PARTS = """([since, until]) => {
  const runs = [];
  let began = null;
  for (const [state, at] of window.__benchStates || []) {
    if (state === "running" && began === null) began = at;
    if (state !== "running" && began !== null) { runs.push([began, at]); began = null; }
  }
  if (began !== null) runs.push([began, until]);
  const inside = runs.filter(([a, b]) => b >= since && a <= until);
  const requests = performance.getEntriesByType("resource")
    .filter((e) => performance.timeOrigin + e.startTime >= since && e.duration > 100)
    .map((e) => [new URL(e.name).pathname.split("/").slice(-2).join("/"), e.duration / 1000]);
  const sent = (window.__benchSends || []).find((at) => at >= since);
  const busy = (window.__benchLong || [])
    .filter(([at, ms]) => at + ms >= since && at <= (sent || until))
    .reduce((sum, [at, ms]) => sum + Math.min(at + ms, sent || until) - Math.max(at, since), 0);
  const drawing = (window.__benchLong || [])
    .filter(([at, ms]) => at + ms >= since && at <= until)
    .reduce((sum, [at, ms]) => sum + Math.min(at + ms, until) - Math.max(at, since), 0);
  const clicked = (window.__benchClicks || []).find((at) => at >= since);
  return {
    runs: inside, requests, sent: sent === undefined ? null : sent, busy: busy / 1000,
    drawing: drawing / 1000,
    clicked: clicked === undefined ? null : clicked,
  };
}"""
_CHARTS = """(n) => {
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.length >= n && charts.every((chart) => chart.querySelector(".main-svg"));
}"""


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium; never a downloaded browser."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium)")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class Operator:
    """One browser context on the app, and what its steps measured."""

    name: str
    page: Page
    url: str
    times: dict[str, list[float | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    windows: list[tuple[str, float, float]] = field(default_factory=list)
    broken: str | None = None
    errors: list[str] = field(default_factory=list)
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per step: how long the page's script ran, waited before it, drew after it."""
    shots: Path | None = None
    """Where a failed step leaves a screenshot of the page (``--keep``)."""
    rss_probe: Callable[[], float] | None = None
    rss_trail: list[tuple[str, float]] = field(default_factory=list)

    # --- timing -----------------------------------------------------------------------

    def timed(
        self,
        key: str,
        action: Callable[[], Any],
        ready: Callable[[], Any],
        *,
        critical: bool = False,
    ) -> float | None:
        """Time ``action`` until ``ready`` holds and the app is idle; None when it failed.

        An ``action`` that had to retry before the real action returns its own start time.
        """
        if self.broken:
            self.times.setdefault(key, []).append(None)
            return None
        started = time.time()
        try:
            restarted = action()
            if isinstance(restarted, float):
                started = restarted
            ready()
            self.wait_idle()
        except Exception as exc:
            self.times.setdefault(key, []).append(None)
            self.note(f"{key} failed after {time.time() - started:.1f} s: {_short(exc)}")
            if self.shots is not None:
                shot = self.shots / f"{self.name}-{key}-{len(self.times[key])}.png"
                with suppress(Exception):
                    self.shots.mkdir(parents=True, exist_ok=True)
                    self.page.screenshot(path=str(shot), full_page=True)
                    self.note(f"{key}: the page then is in {shot.name}")
            if critical:
                self.broken = key
            return None
        elapsed = self._drawn_at(started) - started
        self.times.setdefault(key, []).append(elapsed)
        self.windows.append((f"{self.name} {key}", started, started + elapsed))
        self._split(key, started, started + elapsed)
        self.check_exceptions(key)
        if self.rss_probe is not None:
            self.rss_trail.append((key, self.rss_probe()))
        return elapsed

    def _drawn_at(self, started: float) -> float:
        """When the page, found ready and idle just now, last changed (``time.time()``).

        Playwright polls a failing ``expect`` 20, 50, 100, 100 ms apart, then every 0.5 s:
        "now" would add up to half a second to any step longer than ~0.3 s, more often
        the slower the machine. The page's last DOM change before now is when it took the
        shape found ready; later changes (a live panel's refresh) only move the end later.
        """
        now = time.time()
        with suppress(Exception):
            changed = float(self.page.evaluate("() => window.__benchChanged || 0")) / 1000
            return min(now, max(changed, started))
        return now

    def _split(self, key: str, started: float, ended: float) -> None:
        """Script time, wait before the first run and drawing after the last, from the log."""
        with suppress(Exception):
            found = self.page.evaluate(_PARTS, [started * 1000, ended * 1000])
            runs = [(max(a / 1000, started), min(b / 1000, ended)) for a, b in found["runs"]]
            self.parts.setdefault(key, []).append(
                {
                    "runs": sum(b - a for a, b in runs),
                    "count": len(runs),
                    "before": (runs[0][0] - started) if runs else None,
                    "after": (ended - runs[-1][1]) if runs else None,
                    "requests": found["requests"],
                    "sent": (found["sent"] / 1000 - started) if found.get("sent") else None,
                    "busy": found.get("busy"),
                    "drawing": found.get("drawing"),
                    "clicked": (found["clicked"] / 1000 - started)
                    if found.get("clicked")
                    else None,
                }
            )

    def split_text(self, key: str) -> str:
        """The median split of a step, as one phrase."""
        parts = self.parts.get(key) or []
        if not parts:
            return ""

        def med(name: str) -> str:
            values = [p[name] for p in parts if p[name] is not None]
            return f"{statistics.median(values):.2f} s" if values else "—"

        text = (
            f"script running {med('runs')} in {statistics.median(p['count'] for p in parts):.0f}"
            f" run(s); before the first run {med('before')} (clicked after {med('clicked')},"
            f" message sent after {med('sent')},"
            f" the page's main thread busy {med('busy')} before it);"
            f" drawing after the last {med('after')};"
            f" the page's main thread busy {med('drawing')} in all"
        )
        slow: dict[str, list[float]] = {}
        for part in parts:
            for name, seconds in part["requests"]:
                slow.setdefault(name, []).append(seconds)
        if slow:
            worst = sorted(slow.items(), key=lambda item: -max(item[1]))
            text += f"; {len(slow)} request(s) over 0.1 s, slowest " + ", ".join(
                f"{name} {max(times):.2f} s" for name, times in worst[:3]
            )
        return text

    def note(self, text: str) -> None:
        self.notes.append(f"{self.name}: {text}")

    def median(self, key: str) -> float | None:
        done = [t for t in self.times.get(key, []) if t is not None]
        return statistics.median(done) if done else None

    def samples(self, key: str) -> str:
        return ", ".join("failed" if t is None else f"{t:.2f}" for t in self.times.get(key, []))

    # --- waiting ----------------------------------------------------------------------

    def pressed_at(self) -> float:
        """When the last pointer press reached the page (``time.time()``), 0 if none."""
        return float(self.page.evaluate("() => window.__benchPressed || 0")) / 1000

    def wait_idle(self, timeout_ms: int = STEP_MS) -> None:
        self.page.wait_for_function(_IDLE, timeout=timeout_ms)

    def wait_new_run(self, since: float, timeout_ms: int = STEP_MS) -> None:
        """Until a run that started after ``since`` (``time.time()``) has ended."""
        self.page.wait_for_function(_NEW_RUN, arg=since * 1000 - 5, timeout=timeout_ms)

    def wait_charts(self, count: int) -> None:
        self.page.wait_for_function(_CHARTS, arg=count, timeout=STEP_MS)

    def run_lengths(self, since: float) -> list[float]:
        """Seconds of each run (running -> notRunning) that started after ``since``."""
        log = self.page.evaluate("() => window.__benchStates || []")
        lengths, began = [], None
        for state, at in log:
            if state == "running" and at / 1000 >= since:
                began = at
            elif state == "notRunning" and began is not None:
                lengths.append((at - began) / 1000)
                began = None
        return lengths

    def check_exceptions(self, key: str) -> None:
        boxes = self.page.get_by_test_id("stException")
        with suppress(Exception):
            if boxes.count():
                self.note(f"{key}: the page shows an exception: {boxes.first.inner_text()[:300]}")

    # --- the page ---------------------------------------------------------------------

    def heading(self, title: str) -> Locator:
        return self.page.get_by_role("heading", name=title, level=1, exact=True)

    def metric(self, label: str) -> Locator:
        box = self.page.get_by_test_id("stMetric").filter(
            has=self.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        )
        return box.get_by_test_id("stMetricValue")

    def metric_int(self, label: str) -> int:
        expect(self.metric(label)).to_be_visible(timeout=STEP_MS)
        return int(self.metric(label).inner_text().replace(",", ""))

    def nav_link(self, title: str) -> Locator:
        nav = self.page.get_by_test_id("stSidebarNav")
        links = nav.get_by_test_id("stSidebarNavLink")
        return links.filter(has=self.page.get_by_text(title, exact=True))

    def grid_select_cell(self, column: int) -> None:
        """Select the first row's cell ``column`` of the Fix rows grid, ready for Enter.

        The row is selected by clicking its index cell at the canvas's left edge (a
        scroller overlays the canvas, so by coordinates), then arrows move right.
        """
        grid = self.page.get_by_test_id("stDataFrame").first
        canvas = grid.get_by_test_id("data-grid-canvas")
        expect(canvas).to_be_visible(timeout=STEP_MS)
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None, "the grid's canvas has no bounding box"
        self.page.mouse.click(box["x"] + 12, box["y"] + ROW_HEIGHT * 1.5)
        first = grid.get_by_test_id("glide-cell-0-0")
        expect(first).to_have_attribute("aria-selected", "true", timeout=10_000)
        for _ in range(column):
            self.page.keyboard.press("ArrowRight")
        target = grid.get_by_test_id(f"glide-cell-{column}-0")
        expect(target).to_have_attribute("aria-selected", "true", timeout=10_000)

    def grid_type(self, value: str) -> Locator:
        """Open the selected cell's editor and type ``value`` (not yet committed)."""
        self.page.keyboard.press("Enter")
        editor = self.page.get_by_test_id("portal").locator(".gdg-clip-region")
        expect(editor).to_be_visible(timeout=10_000)
        field = editor.locator("textarea, input").first
        field.press("ControlOrMeta+a")
        field.press_sequentially(value)
        expect(field).to_have_value(value)
        settle_editor(self.page)
        return field


def settle_editor(page: Page) -> None:
    """Let the grid's overlay editor finish handling the keys typed so far.

    glide-data-grid's overlay editor queues a ``setTimeout(0)`` on every keydown that,
    once a key has set the editor's motion, finishes the edit with the value of *its*
    render (none for an ordinary key). Keys typed faster than those timers run (the
    browser runs input before timers) let a typing key's timer run after Enter's: the
    edit is then cancelled, yet the selection moves down and no rerun is sent. Timers
    with the same delay run in order, so awaiting one queued now flushes them all.
    """
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")


@contextmanager
def operator(browser: Browser, name: str, url: str) -> Any:
    """A fresh browser context (its own cookies: another operator), closed after."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_MS)
    page = context.new_page()
    page.add_init_script(_TRACKER)
    current = Operator(name, page, url)
    page.on("pageerror", lambda error: current.errors.append(str(error)[:300]))
    try:
        yield current
    finally:
        with suppress(Exception):
            context.close()


def _short(exc: BaseException) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return f"{type(exc).__name__}: {text[:240]}"
