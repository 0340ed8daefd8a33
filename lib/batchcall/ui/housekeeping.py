"""Give the server's memory back when an operator leaves.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds
so that a dropped connection can resume it. Its store of such sessions forgets an
expired one only when another session is stored, and even then does not shut it
down, so the session's uploaded file stays in the upload manager. One operator's
session holds a 150,000-row working table and its caches (a few hundred MB): the
server grew with every closed tab or reload and never shrank.

A daemon thread, started once per server process, sweeps every ``SWEEP_SECONDS``:
expired sessions are removed and shut down (their files go with them), the garbage
is collected, and freed memory is handed back to the operating system (Arrow's
pool, glibc's heap). Everything the operator did lives on in their draft, so a
session past its reconnection window has nothing left to lose.

This reaches into Streamlit's session manager, which has no public hook for it;
every step is guarded, so a Streamlit that moved these internals only loses the sweep.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

log = logging.getLogger(__name__)

SWEEP_SECONDS = 3.0
_start_lock = threading.Lock()
_started: list[threading.Thread] = []


def start_housekeeping() -> None:
    """Start the sweeper once per process (cheap to call on every page run).

    Also freezes what exists at the first page run (the imported modules, tens of
    thousands of objects) out of the garbage collector's reach: each full collection
    then walks only what sessions created, not every module.
    """
    if _started:
        return
    with _start_lock:
        if not _started:
            gc.collect()
            gc.freeze()
            thread = threading.Thread(target=_loop, name="batchcall-housekeeping", daemon=True)
            thread.start()
            _started.append(thread)


def _loop() -> None:
    stop = threading.Event()
    while not stop.wait(SWEEP_SECONDS):
        try:
            sweep()
        except Exception:  # never let housekeeping take the server down
            log.exception("housekeeping sweep failed")


def sweep() -> int:
    """Shut down the sessions past their reconnection window; returns how many."""
    ended = end_expired_sessions()
    if ended:
        gc.collect()
        release_free_memory()
    return ended


def end_expired_sessions() -> int:
    storage = _disconnected_sessions()
    if storage is None:
        return 0
    cache, lock = storage
    with lock:
        expired = cache.expire()
    for _session_id, info in expired:
        session = getattr(info, "session", None)
        try:
            session.shutdown()  # its uploaded files and media go with it
            # Streamlit's runtime loop may keep a reference to the last session it
            # looked at; without its state, that shell holds no working table.
            session._session_state.clear()
        except Exception:
            log.debug("could not shut down an expired session", exc_info=True)
    return len(expired)


def _disconnected_sessions() -> tuple[Any, AbstractContextManager[Any]] | None:
    """Streamlit's store of disconnected sessions and the lock guarding it, if reachable."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return None
        manager = runtime.get_instance()._session_mgr
        cache = manager._session_storage._cache
    except Exception:
        return None
    if not callable(getattr(cache, "expire", None)):
        return None
    return cache, getattr(manager, "_storage_lock", None) or nullcontext()


def release_free_memory() -> None:
    """Hand freed memory back to the OS: Arrow's pool keeps it, and so does glibc's heap."""
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except Exception:
        log.debug("could not release Arrow's unused memory", exc_info=True)
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
        if trim is not None:
            trim(0)
    except OSError:
        pass
