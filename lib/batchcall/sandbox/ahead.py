"""Items built in a thread of their own, a few ahead of the loop that uses them.

Why: a batch's calls are written one JSON slice at a time inside the store's
transaction, which holds the sandbox's write lock. Encoding a slice is Python work;
inserting it is SQLite's, which lets go of Python's lock. Built ahead, the next slice
is encoded while the last one is inserted, so the write lock (which another
operator's create waits on) is held for about the inserts alone.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["built_ahead"]

T = TypeVar("T")
_END = object()
_POLL_SECONDS = 0.05


def built_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """``items`` in order, produced by a worker thread at most ``depth`` ahead.

    The worker starts at the first ``next()`` (an unused iterator costs nothing), an
    exception it meets is raised in the consumer, and a consumer that stops early
    (``close()``, an exception, garbage collection) stops the worker too.
    """
    slots: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object, error: BaseException | None = None) -> bool:
        while not stop.is_set():
            try:
                slots.put((item, error), timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            put(_END, exc)
            return
        put(_END)

    def consume() -> Iterator[T]:
        worker = threading.Thread(target=produce, name="batchcall-built-ahead", daemon=True)
        worker.start()
        try:
            while True:
                item, error = slots.get()
                if item is _END:
                    if error is not None:
                        raise error
                    return
                yield item  # type: ignore[misc]
        finally:
            stop.set()
            worker.join(timeout=5)

    return consume()
