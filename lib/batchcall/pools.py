"""Thread pools that survive a fork.

Workbooks are read in a forked child (:mod:`batchcall.contacts.isolation`). A
fork copies a ``ThreadPoolExecutor`` but not its threads, so work submitted in
the child would wait for ever. ``ProcessLocalPool`` makes its executor in the
process that first uses it, and a new one in each child.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["ProcessLocalPool"]


class ProcessLocalPool:
    """A ``ThreadPoolExecutor`` of ``workers`` threads, one per process."""

    def __init__(self, workers: int, name: str) -> None:
        self.workers, self.name = workers, name
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def submit(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        return self._here().submit(function, *args, **kwargs)

    def _here(self) -> ThreadPoolExecutor:
        pid = os.getpid()
        if self._executor is None or self._pid != pid:
            with self._lock:
                if self._executor is None or self._pid != pid:
                    self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix=self.name)
                    self._pid = pid
        return self._executor
