"""``python -m bench.ui`` (``make bench-ui``): does the workbench answer quickly in a browser?

Starts ``streamlit run app.py`` in sandbox mode (no workspace configured, data in
a temporary folder) and drives Debian's Chromium through an operator's journey on
a generated ~10 MB CSV of ~150,000 rows (``bench.ui_data``; ~23 % failing, ~121k
leads submitted). Each step is timed from the user's action until the page has
finished its run and the expected content is visible: the page's last DOM change
before both were found, not the moment Playwright's polling found them
(``bench.ui_browser``):

* ``upload_s``: file chosen -> the profile's row count and charts drawn, in a fresh
  browser context (its first upload also fetches the scripts of the charts and
  tables); ``upload_cached_s``: another 150k-row file uploaded at the journey's end;
* ``destinations_s`` / ``fix_rows_s`` / ``submit_page_s``: sidebar link -> page drawn;
* ``edit_s``: one grid cell committed on Fix rows -> the counts updated;
* ``submit_to_progress_s``: the final Submit click -> Progress with its headline;
* ``progress_rerun_s``: the worse of the reruns while the batch runs: a status filter
  change (``progress_interaction_s``) and the live panel's own refresh
  (``progress_tick_s``); ``progress_reload_s`` is a browser reload of the page (a new
  session's first run, with its charts drawn), reported on its own;
* ``cancel_confirm_s``: "Cancel batch…" -> the confirmation's buttons;
* ``rss_mb``: peak RSS of the server's process group during the journey (its shared
  libraries read from disk, not from a fresh install's page cache: see ``bench.ui_server``);
  ``idle_rss_mb`` before the first page; ``rss_after_session_mb`` once the session
  has ended: the server's ``disconnectedSessionTTL`` (the reconnection window) plus
  a few seconds after the browser context closed.

Then two operators do the same journey at once (each its own file and browser);
the second's figures are reported as ``second_*``, the first's as ``concurrent_*``,
and ``concurrent_within_2x`` says whether no step of either took more than twice
its single-operator time. Cheap steps are repeated (``--repeats``) and the median
reported. A short warm-up journey on a 2,000-row file runs first (``--no-warmup``
to measure the first imports too); each missed step is followed by where its time
went: the page's script runs, the wait before the first run, the drawing after
the last (from the browser's log of Streamlit's script state) and the slow requests.
``--profile`` runs the server under ``bench.ui_profile`` (slower: use it
to see where the time goes, not for the figures) and prints the hot spots of every
missed step; ``--keep DIR`` keeps the files, server log and profile. Human-readable
lines first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from bench import ui_server
from bench.ui_browser import Operator, launch, operator
from bench.ui_data import make_contacts
from bench.ui_journey import journey
from bench.ui_report import (
    EXTRAS,
    TARGETS,
    concurrency_check,
    figures,
    line,
    print_profile,
    print_rss_trail,
    print_steps,
    verdicts,
)


def _session_ttl() -> float:
    """How long the server keeps a closed tab's session for a reconnect (its config)."""
    try:
        config = tomllib.loads(
            (Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text()
        )
        return float(config.get("server", {}).get("disconnectedSessionTTL", 120))
    except (OSError, ValueError):
        return 120.0


SETTLE_S = _session_ttl() + 8.0
WARMUP_ROWS = 2_000
FILES = ("contacts_solo.csv", "contacts_op1.csv", "contacts_op2.csv", "contacts_again.csv")


def run_operator(
    name: str,
    server: ui_server.Server,
    file: Path,
    rows: int,
    repeats: int,
    barrier: threading.Barrier | None,
    again: tuple[Path, int] | None = None,
    shots: Path | None = None,
) -> Operator:
    """One operator in its own Playwright (the sync API is per thread) and its own browser."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            with operator(browser, name, server.url) as op:
                op.rss_probe = lambda: ui_server.group_rss_mb(server.process.pid)
                op.shots = shots
                try:
                    journey(op, file, rows, repeats, barrier, again)
                except Exception as exc:  # never lose the figures measured so far
                    op.note(f"journey stopped: {type(exc).__name__}: {exc}")
                    if barrier is not None:
                        barrier.abort()
            return op
        finally:
            browser.close()


def _step_at(windows: list[tuple[str, float, float]], moment: float) -> str:
    """The step whose window holds ``moment`` (or the one that ended last before it)."""
    inside = [label for label, start, end in windows if start <= moment <= end]
    if inside:
        return inside[-1]
    before = [(end, label) for label, start, end in windows if end <= moment]
    return f"after {max(before)[1]}" if before else "before the first step"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the cheap steps")
    parser.add_argument("--speed", type=float, default=40.0, help="sandbox simulated s per s")
    parser.add_argument("--rows", type=int, default=150_000, help="rows of the generated CSV")
    parser.add_argument("--no-second", action="store_true", help="skip the two-operator run")
    parser.add_argument("--no-warmup", action="store_true", help="measure a cold server too")
    parser.add_argument("--profile", action="store_true", help="profile the server (slower)")
    parser.add_argument(
        "--splits", action="store_true", help="where every step's time went, not only a miss's"
    )
    parser.add_argument(
        "--profile-steps", default="", help="with --profile: these steps too (comma-separated)"
    )
    parser.add_argument("--keep", type=Path, help="copy files, server log and profile here")
    parser.add_argument("--ttl-wait", type=float, default=0.0, help="read RSS again this late")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    result: dict[str, Any] = {}
    line("load average (1 min) at start", f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as scratch:
        folder = Path(scratch)
        try:
            measure(args, folder, result)
        finally:
            if args.keep:
                shutil.copytree(folder, args.keep, dirs_exist_ok=True)
    line("load average (1 min) at end", f"{os.getloadavg()[0]:.2f}")
    line("bench wall time", f"{time.perf_counter() - began:.0f} s")
    print(json.dumps(result), flush=True)
    return 0


def measure(args: argparse.Namespace, folder: Path, result: dict[str, Any]) -> None:
    files = {}
    for seed, name in enumerate(FILES, start=1):
        made = make_contacts(folder / name, seed, args.rows)
        files[name] = (folder / name, made["rows"])
    line(
        "CSV files (one per operator)",
        f"{made['rows']:,} rows, {made['bytes'] / 2**20:.1f} MiB "
        f"({made['fixable']:,} drawn fixable, {made['failing']:,} failing)",
    )
    data_dir = folder / "data"
    data_dir.mkdir()
    profile_out = folder / "server.prof" if args.profile else None
    notes: list[str] = []
    windows: dict[str, list[tuple[float, float]]] = {}
    moments: list[tuple[str, float]] = []
    ui_server.settle_libraries()  # measure the app, not its fresh install: see bench.ui_server
    server = ui_server.start(data_dir, args.speed, profile_out)
    pid = server.process.pid
    monitor = ui_server.RssMonitor(pid)
    try:
        time.sleep(3)
        result["idle_rss_mb"] = round(ui_server.group_rss_mb(pid), 1)
        line("server idle RSS", f"{result['idle_rss_mb']:.0f} MB  ({server.url})")
        if not args.no_warmup:
            warm_up(server, folder, result)
        monitor.reset()
        path, rows = files[FILES[0]]
        again = files[FILES[3]]
        shots = folder / "failures"
        solo = run_operator("operator", server, path, rows, args.repeats, None, again, shots)
        result["rss_mb"] = round(monitor.peak(), 1)
        time.sleep(SETTLE_S)
        result["rss_after_session_mb"] = round(ui_server.group_rss_mb(pid), 1)
        moments += [(f"after {k}", end) for _, k, end in _firsts(solo)]
        moments.append((f"{SETTLE_S:.0f} s after closing", time.time()))
        single = figures(solo)
        result.update({k: _round(v) for k, v in single.items()})
        notes += solo.notes + [f"operator page error: {e}" for e in solo.errors]
        for label, start, end in solo.windows:
            windows.setdefault(label.split(" ", 1)[1], []).append((start, end))
        print_steps(solo, single, "", {}, args.splits)
        print_rss_trail(solo)
        line("server RSS peak during", _step_at(solo.windows, monitor.peak_at))
        line(
            "server RSS peak / after session",
            f"{result['rss_mb']:.0f} MB / {result['rss_after_session_mb']:.0f} MB "
            f"(idle {result['idle_rss_mb']:.0f} MB, {SETTLE_S:.0f} s after the context closed)",
        )
        if not args.no_second:
            second_phase(
                server,
                monitor,
                files,
                args.repeats,
                single,
                result,
                notes,
                shots,
                windows,
                every=args.splits,
            )
        if args.ttl_wait:
            time.sleep(args.ttl_wait)
            result["rss_after_ttl_mb"] = round(ui_server.group_rss_mb(pid), 1)
            moments.append((f"{args.ttl_wait:.0f} s after that", time.time()))
            line(f"server RSS {args.ttl_wait:.0f} s later", f"{result['rss_after_ttl_mb']} MB")
    finally:
        monitor.stop()
        ui_server.stop(server)
    met = verdicts(result)
    for note in notes:
        line("NOTE", note)
    (folder / "windows.json").write_text(json.dumps({"windows": windows, "moments": moments}))
    if profile_out is not None:
        wanted = [k for k, ok in met.items() if not ok]
        wanted += [k for k in args.profile_steps.split(",") if k and k not in wanted]
        print_profile(profile_out, windows, wanted, moments)


def warm_up(server: ui_server.Server, folder: Path, result: dict[str, Any]) -> None:
    """A short journey on a small file first, so the figures are not those of first imports."""
    path = folder / "contacts_warmup.csv"
    rows = make_contacts(path, 99, WARMUP_ROWS)["rows"]
    warm = run_operator("warm-up", server, path, rows, 1, None, shots=folder / "failures")
    shown = ("first_load_s", "upload_s", "destinations_s", "submit_to_progress_s")
    line(
        f"warm-up ({rows:,} rows, cold server)",
        ", ".join(f"{key} {_text(warm.median(key))}" for key in shown)
        + (f"; {len(warm.notes)} step(s) failed" if warm.notes else ""),
    )
    for note in warm.notes:
        line("NOTE", note)
    time.sleep(2)
    result["warm_rss_mb"] = round(ui_server.group_rss_mb(server.process.pid), 1)
    line("server RSS after the warm-up", f"{result['warm_rss_mb']:.0f} MB")


def second_phase(
    server: ui_server.Server,
    monitor: ui_server.RssMonitor,
    files: dict[str, tuple[Path, int]],
    repeats: int,
    single: dict[str, Any],
    result: dict[str, Any],
    notes: list[str],
    shots: Path,
    windows: dict[str, list[tuple[float, float]]] | None = None,
    every: bool = False,
) -> None:
    """Two operators at once, each with its own file and browser, lined up after page one.

    Their steps' windows go into ``windows`` as ``concurrent_<step>`` and ``second_<step>``,
    so that ``--profile-steps`` can show where a doubled step's time went."""
    monitor.reset()
    barrier = threading.Barrier(2)
    done: dict[str, Operator] = {}

    def one(name: str, file: str) -> None:
        path, rows = files[file]
        done[name] = run_operator(name, server, path, rows, repeats, barrier, shots=shots)

    threads = [
        threading.Thread(target=one, args=("first", FILES[1])),
        threading.Thread(target=one, args=("second", FILES[2])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result["second_rss_mb"] = round(monitor.peak(), 1)
    time.sleep(SETTLE_S)
    result["second_rss_after_session_mb"] = round(ui_server.group_rss_mb(server.process.pid), 1)
    found = {name: figures(op) for name, op in done.items()}
    for name, prefix in (("first", "concurrent_"), ("second", "second_")):
        if name not in found:
            notes.append(f"the {name} concurrent operator did not report")
            continue
        op = done[name]
        notes.extend(op.notes + [f"{name} page error: {e}" for e in op.errors])
        for label, start, end in op.windows if windows is not None else ():
            windows.setdefault(prefix + label.split(" ", 1)[1], []).append((start, end))
        print_steps(op, found[name], prefix, single, every)
        result.update({prefix + k: _round(v) for k, v in found[name].items() if k in TARGETS})
        if prefix == "second_":
            result.update({prefix + k: _round(found[name][k]) for k in EXTRAS})
    ok, how = concurrency_check(single, *found.values())
    result["concurrent_within_2x"] = ok
    line("two operators vs one", f"{'no step more than doubled' if ok else 'DOUBLED'}: {how}")
    line(
        "server RSS peak / after (two)",
        f"{result['second_rss_mb']:.0f} MB / {result['second_rss_after_session_mb']:.0f} MB",
    )


def _firsts(op: Operator) -> list[tuple[str, str, float]]:
    """(operator, step, end) of the first of each step, and of every reload."""
    seen: set[str] = set()
    found = []
    for label, _, end in op.windows:
        who, key = label.split(" ", 1)
        if key not in seen or key == "progress_reload_s":
            seen.add(key)
            found.append((who, key, end))
    return found


def _text(value: float | None) -> str:
    return "failed" if value is None else f"{value:.2f} s"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


if __name__ == "__main__":
    sys.exit(main())
