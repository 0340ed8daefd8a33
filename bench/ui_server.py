"""The server under test: ``streamlit run app.py`` in sandbox mode, and its memory.

Also what the browser tests start (``tests/browser.py``), with the same Chromium.

Started as users start it (optionally under ``bench.ui_profile``, the sampling
profiler), in its own process group, with no workspace configured (so the app
plays against its embedded sandbox) and its data folder in a temporary directory.
``RssMonitor`` sums the resident memory of every process in that group from
``/proc`` a few times a second and keeps the peak of each phase.

``settle_libraries`` first lets the page cache forget the installed packages' shared
libraries, so the server maps them as read from disk. Right after ``make install`` (a
fresh clone), Linux still holds the files just written in large folios, and a process
mapping them then counts their pages as resident in bigger pieces: the same server
measured 268 MB idle instead of 231 MB, about 37 MB more at every step, for clean
library pages that any later start (or another process) shares and the kernel can
drop at will. Without this a fresh clone measures its own installation, not the app.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: never a browser downloaded by Playwright."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REMOVED = ("BATCHCALL_API_URL", "BATCHCALL_API_KEY")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """What the server wrote (stdout and stderr) so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.read().decode().strip() == "ok"
    except (OSError, urllib.error.URLError):
        return False


def settle_libraries() -> int:
    """Drop the page cache of this environment's shared libraries (``posix_fadvise``
    ``DONTNEED``, after ``sync``: no root needed, nothing else touched); how many files."""
    os.sync()
    folders = {Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    settled = 0
    for folder in folders:
        for path in folder.rglob("*.so*"):
            if not path.is_file():
                continue
            with suppress(OSError):
                descriptor = os.open(path, os.O_RDONLY)
                try:
                    os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
                    settled += 1
                finally:
                    os.close(descriptor)
    return settled


def start(
    data_dir: Path, speed: float, profile_out: Path | None = None, *, timeout: float = 90.0
) -> Server:
    """Start the server and wait for ``/_stcore/health``; raises with its log if it fails."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in REMOVED}
    env.update(
        BATCHCALL_SANDBOX_SPEED=str(speed),
        BATCHCALL_DATA_DIR=str(data_dir),
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    args = ["run", "app.py", "--server.port", str(port), "--server.headless", "true"]
    if profile_out is None:
        command = [str(Path(sys.executable).parent / "streamlit"), *args]
    else:
        command = [sys.executable, "-m", "bench.ui_profile", str(profile_out), *args]
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + timeout
    while not _healthy(server.url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"the server did not start:\n{server.log_tail()}")
        time.sleep(0.25)
    return server


def stop(server: Server) -> None:
    """Terminate the server's process group; kill it if it has not gone within 15 s."""
    process = server.process
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with suppress(ProcessLookupError):  # anything of the group left behind
        os.killpg(process.pid, signal.SIGKILL)


def group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in process group ``pgid``, in MB."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:  # the 5th field, 3rd after the command's ")"
                continue
            with open(f"/proc/{entry.name}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE_BYTES
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e6


class RssMonitor:
    """Samples the group's RSS every ``interval`` s; ``peak()`` since the last ``reset()``."""

    def __init__(self, pgid: int, interval: float = 0.2) -> None:
        self.pgid, self.interval = pgid, interval
        self._peak = 0.0
        self.peak_at = 0.0
        """When the peak was sampled (``time.time()``), to name the step it fell in."""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            now = group_rss_mb(self.pgid)
            with self._lock:
                if now > self._peak:
                    self._peak, self.peak_at = now, time.time()

    def reset(self) -> None:
        with self._lock:
            self._peak, self.peak_at = group_rss_mb(self.pgid), time.time()

    def peak(self) -> float:
        with self._lock:
            return max(self._peak, group_rss_mb(self.pgid))

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2)
