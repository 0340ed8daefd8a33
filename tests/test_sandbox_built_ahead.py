"""Slices built ahead in a worker thread arrive in order, carry the worker's errors to the
consumer, and stop the worker when the consumer stops early."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from batchcall.sandbox.ahead import built_ahead


def _workers() -> int:
    return sum(t.name == "batchcall-built-ahead" for t in threading.enumerate())


def test_every_item_arrives_once_in_order() -> None:
    assert list(built_ahead(iter(range(1000)), depth=3)) == list(range(1000))
    assert list(built_ahead(iter([]))) == []


def test_the_next_item_is_built_while_the_consumer_still_holds_this_one() -> None:
    second_built = threading.Event()

    def items() -> Iterator[int]:
        yield 1
        second_built.set()
        yield 2

    ahead = built_ahead(items())
    assert next(ahead) == 1
    # The consumer has not asked for the next one: the worker builds it meanwhile.
    assert second_built.wait(timeout=10)
    assert list(ahead) == [2]


def test_an_error_in_the_worker_is_raised_in_the_consumer_after_the_items_before_it() -> None:
    def broken() -> Iterator[int]:
        yield 1
        raise ValueError("slice 2 could not be encoded")

    got: list[int] = []
    with pytest.raises(ValueError, match="slice 2"):
        for item in built_ahead(broken()):
            got.append(item)
    assert got == [1]


def test_a_consumer_that_stops_early_stops_the_worker() -> None:
    before = _workers()
    items = built_ahead(iter(range(10_000)), depth=1)
    assert next(items) == 0
    items.close()
    deadline = time.monotonic() + 2
    while _workers() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _workers() == before


def test_an_iterator_never_used_starts_no_worker() -> None:
    before = _workers()
    built_ahead(iter(range(5)))
    assert _workers() == before
