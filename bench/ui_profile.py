"""Where the server's time goes: ``streamlit run`` under a sampling profiler, and its report.

``python -m bench.ui_profile OUT run app.py ...`` runs Streamlit's own command line
in this process with a sampler thread beside it. Every ``INTERVAL`` seconds the
sampler takes every thread's Python stack (``sys._current_frames``) and the CPU
time that thread used since the last sample (its Linux per-thread CPU clock), so
each stack is weighted by the CPU it actually burned: threads blocked on a lock, a
socket or a sleep weigh nothing. The script thread is also counted in wall time,
which shows where a page's run waits (e.g. on the sandbox's HTTP answer). The
samples are pickled to OUT when the server exits (``SIGTERM`` included).

``report(OUT, windows)`` then sums the samples falling inside each benchmark step
(label, start, end in ``time.time()`` seconds): CPU per thread kind, the app's own
functions by cumulative CPU, the library calls they make ("caller → callee") and
the hottest leaf functions.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import pickle
import signal
import sys
import threading
import time
import weakref
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

INTERVAL = 0.005
MEMORY_EVERY = 1.0
ROOT = Path(__file__).resolve().parent.parent
APP_PREFIXES = (str(ROOT / "lib" / "batchcall"), str(ROOT / "pages"), str(ROOT / "app.py"))


def _cpu_clock(native_id: int) -> int:
    """Linux's CPU-time clock id of one thread (``MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)``)."""
    return ((~native_id) << 3) | 6


class Sampler:
    def __init__(self) -> None:
        self.frames: dict[tuple[str, str, int], int] = {}
        self.stacks: dict[tuple[int, ...], int] = {}
        self.names: dict[str, int] = {}
        self.samples: list[tuple[float, int, int, int]] = []
        self._cpu: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _stack_id(self, frame: Any) -> int:
        keys = []
        while frame is not None:
            code = frame.f_code
            key = (code.co_filename, code.co_name, code.co_firstlineno)
            keys.append(self.frames.setdefault(key, len(self.frames)))
            frame = frame.f_back
        stack = tuple(reversed(keys))  # root first
        return self.stacks.setdefault(stack, len(self.stacks))

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(INTERVAL):
            now = time.time()
            threads = {t.ident: t for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                thread = threads.get(ident)
                if ident == me or thread is None or thread.native_id is None:
                    continue
                try:
                    cpu = time.clock_gettime_ns(_cpu_clock(thread.native_id))
                except OSError:  # it has just ended
                    continue
                used = cpu - self._cpu.get(ident, cpu)
                self._cpu[ident] = cpu
                name = self.names.setdefault(thread.name, len(self.names))
                self.samples.append((now, name, self._stack_id(frame), used))

    def dump(self, path: Path) -> None:
        self._stop.set()
        data = {
            "interval": INTERVAL,
            "frames": list(self.frames),
            "stacks": list(self.stacks),
            "names": list(self.names),
            "samples": list(self.samples),
        }
        path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


_LIVE: dict[str, weakref.WeakSet[Any]] = {}


def count_instances(cls: type, name: str) -> None:
    """Keep a weak set of every ``cls`` made from now on, to count the live ones."""
    live: weakref.WeakSet[Any] = weakref.WeakSet()
    _LIVE[name] = live
    original = cls.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        live.add(self)

    cls.__init__ = init  # type: ignore[misc]


_GC = {"count": 0, "total": 0.0, "max": 0.0, "started": 0.0}


def _time_full_collections(phase: str, info: dict[str, Any]) -> None:
    """A ``gc.callbacks`` hook: how long each full (generation 2) collection takes."""
    if info.get("generation") != 2:
        return
    if phase == "start":
        _GC["started"] = time.perf_counter()
    elif _GC["started"]:
        spent = time.perf_counter() - _GC["started"]
        _GC["count"] += 1
        _GC["total"] += spent
        _GC["max"] = max(_GC["max"], spent)


def watch_memory(out: Path, stop: threading.Event) -> None:
    """Every ``MEMORY_EVERY`` s, a JSON line: Streamlit's sessions (connected / kept for
    reconnection), bytes held by pyarrow's memory pool, and this process's RSS."""
    with out.open("a", encoding="utf-8") as lines:
        while not stop.wait(MEMORY_EVERY):
            entry: dict[str, Any] = {"t": time.time()}
            with suppress(Exception):
                from streamlit.runtime import Runtime

                manager = Runtime.instance()._session_mgr
                active = len(manager.list_active_sessions())
                entry.update(
                    sessions_active=active, sessions_kept=len(manager.list_sessions()) - active
                )
            if "pyarrow" in sys.modules:
                with suppress(Exception):
                    entry["arrow_mb"] = sys.modules["pyarrow"].total_allocated_bytes() / 1e6
            entry.update({name: len(live) for name, live in _LIVE.items()})
            entry.update(gc2_count=_GC["count"], gc2_s=_GC["total"], gc2_max_s=_GC["max"])
            with suppress(OSError), open("/proc/self/statm", "rb") as statm:
                entry["rss_mb"] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
            lines.write(json.dumps(entry) + "\n")
            lines.flush()


def main() -> None:
    out = Path(sys.argv[1])
    sampler = Sampler()
    from batchcall.work.table import WorkTable
    from streamlit.runtime.app_session import AppSession

    gc.callbacks.append(_time_full_collections)
    count_instances(WorkTable, "worktables")
    count_instances(AppSession, "app_sessions")
    threading.Thread(
        target=watch_memory,
        args=(out.with_suffix(".mem.jsonl"), sampler._stop),
        name="bench-memory",
        daemon=True,
    ).start()
    dumped = threading.Event()

    def dump() -> None:
        if not dumped.is_set():
            dumped.set()
            sampler.dump(out)

    atexit.register(dump)
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: Any) -> None:
        dump()
        if callable(previous):
            previous(signum, frame)
        else:
            sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
    sampler.start()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[2:]]
    streamlit_main()


# --- the report ---------------------------------------------------------------------------


def _short(frame: tuple[str, str, int]) -> str:
    filename, name, _ = frame
    for marker in ("/site-packages/", "/lib/python3"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    else:
        filename = filename.removeprefix(str(ROOT) + "/").removeprefix("lib/")
    return f"{filename}:{name}"


def _thread_kind(name: str) -> str:
    if name.startswith("ScriptRunner"):
        return "script runs"
    if name == "MainThread":
        return "server event loop"
    if "sandbox" in name.lower() or "simulat" in name.lower():
        return "sandbox simulator"
    if "AnyIO" in name or "ThreadPool" in name or "asyncio" in name:
        return "worker threads"
    return "other threads"


def report(path: Path, windows: dict[str, list[tuple[float, float]]], top: int = 8) -> list[str]:
    """Lines describing where the server's CPU went in each labelled set of windows."""
    data = pickle.loads(path.read_bytes())
    frames, stacks, names = data["frames"], data["stacks"], data["names"]
    is_app = [frame[0].startswith(APP_PREFIXES) for frame in frames]
    lines: list[str] = []
    for label, spans in windows.items():
        chosen = [s for s in data["samples"] if any(a <= s[0] <= b for a, b in spans)]
        wall = sum(b - a for a, b in spans)
        kinds: Counter[str] = Counter()
        app_cumulative: Counter[int] = Counter()
        calls: Counter[str] = Counter()
        leaves: Counter[int] = Counter()
        script_wall: Counter[str] = Counter()
        for _, name, stack_id, cpu in chosen:
            stack = stacks[stack_id]
            thread = names[name]
            if thread.startswith("ScriptRunner"):
                script_wall[_boundary(stack, frames, is_app)] += 1
            if cpu <= 0:
                continue
            kinds[_thread_kind(thread)] += cpu
            for frame_id in set(stack):
                if is_app[frame_id]:
                    app_cumulative[frame_id] += cpu
            calls[_boundary(stack, frames, is_app)] += cpu
            leaves[stack[-1]] += cpu
        total = sum(kinds.values())
        lines.append(
            f"{label}: {len(spans)} window(s), {wall:.2f} s wall, server CPU {total / 1e9:.2f} s ("
            + ", ".join(f"{k} {v / 1e9:.2f}" for k, v in kinds.most_common())
            + ")"
        )
        if not total:
            continue
        lines.append("    app functions, cumulative CPU:")
        for frame_id, cpu in app_cumulative.most_common(top):
            lines.append(f"      {cpu / 1e9:6.2f} s {cpu / total:4.0%}  {_short(frames[frame_id])}")
        lines.append("    where app code hands over to libraries (caller → callee), CPU:")
        for key, cpu in calls.most_common(top):
            lines.append(f"      {cpu / 1e9:6.2f} s {cpu / total:4.0%}  {key}")
        lines.append("    hottest leaf functions (self CPU):")
        for frame_id, cpu in leaves.most_common(top // 2):
            lines.append(f"      {cpu / 1e9:6.2f} s {cpu / total:4.0%}  {_short(frames[frame_id])}")
        if script_wall:
            interval, count = data["interval"], sum(script_wall.values())
            lines.append(f"    script thread wall time (~{count * interval:.2f} s sampled):")
            for key, n in script_wall.most_common(top // 2):
                lines.append(f"      {n * interval:6.2f} s {n / count:4.0%}  {key}")
    return lines


def memory_report(path: Path, moments: list[tuple[str, float]]) -> list[str]:
    """The server's sessions and pyarrow's bytes at each named moment (``time.time()``)."""
    mem_path = path.with_suffix(".mem.jsonl")
    if not mem_path.exists():
        return []
    entries = [json.loads(text) for text in mem_path.read_text().splitlines() if text.strip()]
    lines = []
    for label, at in moments:
        before = [e for e in entries if e["t"] <= at]
        if not before:
            continue
        e = before[-1]
        lines.append(
            f"{label:<28} sessions {e.get('sessions_active', '?')} connected + "
            f"{e.get('sessions_kept', '?')} kept for reconnection "
            f"({e.get('app_sessions', '?')} AppSession and {e.get('worktables', '?')} WorkTable "
            f"objects alive), pyarrow pool {e.get('arrow_mb', 0):.0f} MB, "
            f"server process RSS {e.get('rss_mb', 0):.0f} MB"
        )
    if entries and "gc2_count" in entries[-1]:
        last = entries[-1]
        lines.append(
            f"{'full gc.collect()':<28} {last['gc2_count']} collections, "
            f"{last['gc2_s']:.1f} s in all, {last['gc2_s'] / max(last['gc2_count'], 1):.3f} s "
            f"each on average, longest {last['gc2_max_s']:.3f} s (Streamlit collects after "
            "every script run: runner.postScriptGC)"
        )
    return lines


def _boundary(stack: tuple[int, ...], frames: list[Any], is_app: list[bool]) -> str:
    """The deepest app frame and the library function it called ("caller → callee")."""
    deepest = max((i for i, frame_id in enumerate(stack) if is_app[frame_id]), default=None)
    if deepest is None:
        return "(no app code) " + _short(frames[stack[-1]])
    caller = _short(frames[stack[deepest]])
    if deepest == len(stack) - 1:
        return caller + " (itself)"
    return f"{caller} → {_short(frames[stack[deepest + 1]])}"


if __name__ == "__main__":
    main()
