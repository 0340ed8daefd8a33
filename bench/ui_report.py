"""What ``bench.ui`` prints: one line per figure with its target, splits, memory, hot spots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import ui_profile
from bench.ui_browser import Operator

TARGETS = {
    "upload_s": 2.0,
    "destinations_s": 1.0,
    "fix_rows_s": 1.0,
    "submit_page_s": 1.0,
    "edit_s": 0.5,
    "submit_to_progress_s": 3.0,
    "progress_rerun_s": 1.0,
    "cancel_confirm_s": 0.5,
}
RSS_TARGET_MB, SETTLED_MARGIN_MB = 500.0, 100.0
EXTRAS = [
    "first_load_s",
    "upload_cached_s",
    "fix_all_s",
    "filter_s",
    "drop_s",
    "progress_reload_s",
    "progress_interaction_s",
    "progress_tick_s",
    "cancel_keep_s",
    "cancel_done_s",
]
RERUN_PARTS = ("progress_interaction_s", "progress_tick_s")
"""A rerun of Progress while the batch runs: one the operator asks for (a filter) and the
page's own refresh. A browser reload is a new session's first run, not a rerun: it is
reported on its own (``progress_reload_s``)."""


def line(label: str, value: str) -> None:
    print(f"{label:<34} {value}", flush=True)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def figures(op: Operator) -> dict[str, float | None]:
    """Medians per step; ``progress_rerun_s`` is the worse of a filter change and a refresh."""
    found: dict[str, float | None] = {key: op.median(key) for key in [*TARGETS, *EXTRAS]}
    measured = [t for t in (op.median(key) for key in RERUN_PARTS) if t is not None]
    found["progress_rerun_s"] = max(measured) if measured else None
    return found


def print_steps(
    op: Operator, found: dict[str, Any], prefix: str, base: dict[str, Any], every: bool = False
) -> None:
    """A line per figure; under each missed one, and each that took more than twice its
    single-operator time (under every one with ``every``), where its time went."""
    missed = {k for k, t in TARGETS.items() if found.get(k) is not None and found[k] > t}
    if every:
        missed |= set(TARGETS) | set(EXTRAS)
    missed |= {k for k in TARGETS if base.get(k) and (found.get(k) or 0) > 2 * base[k]}
    if "progress_rerun_s" in missed:
        missed.update(RERUN_PARTS)
    for key in [*TARGETS, *EXTRAS]:
        value, label = found[key], prefix + key
        samples = op.samples(key) if key != "progress_rerun_s" else "the worse of the two below"
        if value is None:
            if samples or key in TARGETS or not prefix:
                line(label, f"failed ({samples})" if samples else "not run")
            continue
        text = f"{value:.3f} s  ({samples})"
        if key in TARGETS:
            text += f"  target ≤ {TARGETS[key]}: {verdict(value <= TARGETS[key])}"
        if base.get(key):
            text += f"  {value / base[key]:.1f}x single"
        line(label, text)
        if key in missed and (split := op.split_text(key)):
            line("", "  " + split)


def print_rss_trail(op: Operator) -> None:
    """The server's RSS after each step (first of each kind, and every reload)."""
    shown, seen = [], set()
    for key, mb in op.rss_trail:
        if key not in seen or key == "progress_reload_s":
            seen.add(key)
            shown.append(f"{key.removesuffix('_s')} {mb:.0f}")
    if shown:
        line("server RSS after steps (MB)", ", ".join(shown))


def concurrency_check(single: dict[str, Any], *others: dict[str, Any]) -> tuple[bool, str]:
    """True when no targeted step of any operator took more than twice its single time."""
    worst, where = 0.0, ""
    for found in others:
        for key in TARGETS:
            if single.get(key) and found.get(key) is not None:
                ratio = found[key] / single[key]
                if ratio > worst:
                    worst, where = ratio, key
    return worst <= 2.0, f"worst {worst:.1f}x ({where})" if where else "nothing to compare"


def verdicts(result: dict[str, Any]) -> dict[str, bool]:
    """Every target, met or not; printed as one line."""
    found: dict[str, bool] = {}
    for key, target in TARGETS.items():
        value = result.get(key)
        found[key] = value is not None and value <= target
    rss = result.get("rss_mb")
    found["rss_mb"] = rss is not None and rss <= RSS_TARGET_MB
    after, idle = result.get("rss_after_session_mb"), result.get("idle_rss_mb")
    found["rss_after_session_mb"] = (
        after is not None and idle is not None and after - idle <= SETTLED_MARGIN_MB
    )
    if "concurrent_within_2x" in result:
        found["concurrent_within_2x"] = bool(result["concurrent_within_2x"])
    line("targets", ", ".join(f"{k} {verdict(ok)}" for k, ok in found.items()))
    return found


def print_profile(
    path: Path,
    windows: dict[str, list[tuple[float, float]]],
    missed: list[str],
    moments: list[tuple[str, float]],
) -> None:
    """The profiler's hot spots for each missed step of the single operator."""
    if not path.exists():
        line("profile", "the server wrote no profile")
        return
    wanted = {k: v for k, v in windows.items() if k in missed or not missed}
    if "progress_rerun_s" in missed:
        wanted.update({k: windows[k] for k in RERUN_PARTS if k in windows})
    if {"rss_mb", "rss_after_session_mb"} & set(missed):
        wanted.update({k: v for k, v in windows.items() if k in ("upload_s", "fix_all_s")})
    print("the server's memory (sampled in the server; single operator):", flush=True)
    for text in ui_profile.memory_report(path, moments):
        print("  " + text, flush=True)
    print("where the server's time goes (sampled; single operator):", flush=True)
    for text in ui_profile.report(path, wanted):
        print("  " + text, flush=True)
