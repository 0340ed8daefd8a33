"""Workbooks are opened in a process of their own, with a memory cap and a time limit.

The workbook readers are Rust: a file built (or damaged) the wrong way can make
them allocate without end or abort, and Python can catch neither. The limits in
:mod:`batchcall.contacts.formats.xlsx.guard` stop the bombs we know; this stops
the ones we do not. Each workbook is read in a forked child (instant: the
readers are loaded already, and nothing of the app is imported again, as the
``spawn``/``forkserver`` methods would do by re-running the main module) under
``MEMORY_CAP_BYTES`` more address space than it was born with, and
``TIME_LIMIT_SECONDS`` (both for a file of the platform's 10 MB; a larger file read
with an explicit limit gets them in proportion, ``scale``). Whatever goes
wrong in there costs that one upload, which is refused saying what happened;
every other operator's session carries on. (A child that inherited a lock held
by another thread at the fork and waits on it meets the time limit like any
other.)
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from batchcall.contacts.errors import UnreadableFileError

MEMORY_CAP_BYTES = 3 * 2**30
TIME_LIMIT_SECONDS = 60.0
T = TypeVar("T")


def run_isolated(function: Callable[..., T], *args: Any, name: str, scale: float = 1.0) -> T:
    """``function(*args)`` in a child process; its exceptions are raised here as they were.

    A child that dies (out of memory, a reader's abort) or outlives the time limit
    becomes an ``UnreadableFileError`` naming ``name`` and the limit. ``scale`` (at
    least 1) multiplies both limits: a file twice the platform's 10 MB, read with an
    explicit larger limit, may take twice the memory and time.
    """
    scale = max(1.0, float(scale))
    memory_cap = int(MEMORY_CAP_BYTES * scale)
    time_limit = TIME_LIMIT_SECONDS * scale
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, memory_cap), daemon=True)
    child.start()
    sender.close()
    answered = False
    try:
        ready = wait([receiver, child.sentinel], timeout=time_limit)
        if not ready:
            raise UnreadableFileError(
                f"{name} took longer than {time_limit:.0f} s to open and was stopped. "
                "Open it in your spreadsheet program, save it again as XLSX or CSV, and upload "
                "that."
            )
        try:
            if receiver not in ready and not receiver.poll(0.5):
                raise EOFError  # it ended without a word
            outcome, value = receiver.recv()
            answered = True
        except EOFError:  # the child died before it could answer
            raise UnreadableFileError(
                f"{name} could not be opened: reading it needed more than "
                f"{memory_cap / 2**30:.0f} GB of memory or crashed the workbook reader "
                "(it may be damaged). Open it in your spreadsheet program, save it again as "
                "XLSX or CSV, and upload that."
            ) from None
    finally:
        receiver.close()
        if not answered:
            child.kill()
        # An answering child exits by itself (freeing its memory takes a while): it is
        # reaped with the next child, not waited for here.
    if outcome == "raised" and isinstance(value, MemoryError):
        raise UnreadableFileError(
            f"{name} could not be opened: reading it needed more than "
            f"{memory_cap / 2**30:.0f} GB of memory. Save it again as XLSX or CSV, and "
            "upload that."
        )
    if outcome == "raised":
        raise value
    return value  # type: ignore[no-any-return]


def _address_space() -> int:
    """This process's address space now: a server's threads and arenas reserve much of it,
    and the child inherits all of that from the fork."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child(
    sender: Connection,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    memory_cap: int = MEMORY_CAP_BYTES,
) -> None:
    cap = _address_space() + memory_cap  # growth past what the fork inherited
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        result: tuple[str, Any] = ("returned", function(*args))
    except BaseException as exc:  # handed to the parent, which raises it
        result = ("raised", exc)
    try:
        sender.send(result)
    except Exception as exc:  # an exception that does not pickle: say so in one that does
        sender.send(("raised", UnreadableFileError(f"the reader failed: {type(exc).__name__}")))
    finally:
        sender.close()
