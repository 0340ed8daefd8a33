"""Give the server's memory back when an operator leaves.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds
so that a dropped connection can resume it. Its store of such sessions forgets an
expired one only when another session is stored, and even then does not shut it
down, so the session's uploaded file stays in the upload manager. One operator's
session holds a 150,000-row working table and its caches (a few hundred MB): the
server grew with every closed tab or reload and never shrank.

A daemon thread, started once per server process, sweeps every ``SWEEP_SECONDS``:
expired sessions are removed and shut down (their files go with them); every
workbench session whose browser session is gone, however Streamlit dropped it, lets
go of its working table and caches (Streamlit itself may keep a stale reference to
a session object for a while); the garbage is collected, and freed memory is handed
back to the operating system (Arrow's pool, glibc's heap). Everything the operator
did lives on in their draft, so a session past its reconnection window has nothing
left to lose.

This reaches into Streamlit's session manager, which has no public hook for it;
every step is guarded, so a Streamlit that moved these internals only loses the sweep.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
import weakref
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

log = logging.getLogger(__name__)

SWEEP_SECONDS = 3.0
_start_lock = threading.Lock()
_started: list[threading.Thread] = []


def start_housekeeping() -> None:
    """Start the sweeper once per process (cheap to call on every page run).

    Also freezes what exists at the first page run (the imported modules, tens of
    thousands of objects) out of the garbage collector's reach: each full collection
    then walks only what sessions created, not every module. And has Arrow allocate
    from the system's heap: its default pool kept ~45 MB of every 10 MB list it had
    read after the list was freed (measured: +70 MB retained → +26 MB; the read and
    check run as fast), where ``malloc_trim`` hands the system's heap back.
    """
    if _started:
        return
    with _start_lock:
        if not _started:
            _use_the_system_heap_for_arrow()
            _tune_the_heap()
            gc.collect()
            gc.freeze()
            thread = threading.Thread(target=_loop, name="batchcall-housekeeping", daemon=True)
            thread.start()
            _started.append(thread)


def _use_the_system_heap_for_arrow() -> None:
    try:
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    except Exception:
        log.debug("Arrow keeps its default memory pool", exc_info=True)


# glibc's mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 256 * 1024
ARENA_MAX = 2


def _tune_the_heap() -> None:
    """Make glibc's heap give memory back, at a negligible cost in speed.

    Every thread that allocates (each session's script thread, each fragment run) gets
    an arena of its own by default, up to eight per core, and freed memory stays in
    the arena that held it. And glibc raises its mmap threshold each time a large
    block is freed, so a table's column buffers soon come from those arenas instead of
    from ``mmap`` (which gives them back when freed). Two arenas and a fixed threshold
    keep the big buffers of a 150,000-row table out of the arenas.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = getattr(libc, "mallopt", None)
        if mallopt is not None:
            mallopt(_M_ARENA_MAX, ARENA_MAX)
            mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except OSError:
        log.debug("glibc's heap keeps its defaults", exc_info=True)


def _loop() -> None:
    stop = threading.Event()
    while not stop.wait(SWEEP_SECONDS):
        try:
            sweep()
        except Exception:  # never let housekeeping take the server down
            log.exception("housekeeping sweep failed")


class Releasable(Protocol):
    def release(self) -> None: ...


_owned: dict[str, tuple[weakref.ref[Releasable], weakref.ref[Any] | None]] = {}
_owned_lock = threading.Lock()


def watch_session(session_id: str, state: Releasable) -> None:
    """Have ``state.release()`` called once the browser session ``session_id`` is gone."""
    with _owned_lock:
        if session_id not in _owned:
            _owned[session_id] = (weakref.ref(state), _app_session(session_id))


def _app_session(session_id: str) -> weakref.ref[Any] | None:
    try:
        from streamlit import runtime

        info = runtime.get_instance()._session_mgr.get_active_session_info(session_id)
        return weakref.ref(info.session) if info is not None else None
    except Exception:
        return None


def _forget_state(app_session: Any) -> None:
    """Shut a gone session down and empty its widget state.

    Streamlit's runtime loop keeps a reference to the last session it served, and
    widget callbacks there reach the page's globals (the working table among them);
    an emptied state reaches nothing."""
    try:
        # Streamlit drops a session it reaps on its own without shutting it down: its
        # uploaded file and download buttons' files would stay in memory for good.
        app_session.shutdown()
    except Exception:
        log.debug("could not shut down a gone session", exc_info=True)
    try:
        state = app_session._session_state  # also held by its script runner: empty it in place
        state.clear()
        state._new_widget_state.widget_metadata.clear()
    except Exception:
        log.debug("could not detach a gone session's state", exc_info=True)


COLLECT_SWEEPS = 3
"""Sweeps that collect garbage after a session was freed: what a freed session held is
garbage only once Streamlit's own asynchronous shutdown (and its fragments) let go."""
_collect_left = [0]


def sweep() -> int:
    """End the sessions past their reconnection window and free what the gone ones held;
    returns how many were freed."""
    end_expired_sessions()
    freed = release_gone_sessions()
    if freed:
        _collect_left[0] = COLLECT_SWEEPS
    if _collect_left[0] > 0:
        _collect_left[0] -= 1
        gc.collect()
        release_free_memory()
    return freed


def release_replaced(session_id: str, browser: str) -> int:
    """Free the work of this browser's disconnected sessions: a reload starts a new
    session, and the old one would hold its table for the whole reconnection window.

    Only disconnected ones: another open tab of the same browser keeps its work. A
    released session that reconnects after all restores its draft from its URL.
    """
    active = _connected_session_ids()
    if not browser or active is None:
        return 0
    with _owned_lock:
        owned = list(_owned.items())
    freed = 0
    for key, (ref, _) in owned:
        state = ref()
        if key == session_id or key in active or state is None:
            continue
        if getattr(state, "browser", None) == browser:
            state.release()
            freed += 1
    if freed:
        _collect_left[0] = COLLECT_SWEEPS
    return freed


def release_gone_sessions() -> int:
    alive = _live_session_ids()
    if alive is None:
        return 0
    with _owned_lock:
        gone = [(key, ref) for key, ref in _owned.items() if key not in alive]
        for key, _ in gone:
            del _owned[key]
    for _, (ref, app_ref) in gone:
        state = ref()
        if state is not None:
            state.release()
        app_session = app_ref() if app_ref is not None else None
        if app_session is not None:
            _forget_state(app_session)
    return len(gone)


def _connected_session_ids() -> set[str] | None:
    """Browser sessions connected now; None when unknown (not under a server)."""
    try:
        from streamlit import runtime

        return set(runtime.get_instance()._session_mgr._active_session_info_by_id)
    except Exception:
        return None


def _live_session_ids() -> set[str] | None:
    """Browser sessions connected or kept for a reconnect; None when unknown."""
    storage = _disconnected_sessions()
    if storage is None:
        return None
    cache, lock = storage
    try:
        from streamlit import runtime

        manager = runtime.get_instance()._session_mgr
        with lock:
            active = set(manager._active_session_info_by_id)
            kept = {key for key in list(cache.keys()) if key in cache}  # unexpired only
    except Exception:
        return None
    return active | kept


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
