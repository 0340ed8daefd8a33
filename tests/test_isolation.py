"""Workbooks are read in a process of their own: a reader that aborts, eats memory or
never ends costs that one upload, refused saying why, and nothing else."""

from __future__ import annotations

import os
import time

import pytest
from batchcall.contacts import (
    MissingPhoneColumnError,
    UnreadableFileError,
    isolation,
    read_contacts,
)
from batchcall.contacts.isolation import run_isolated

from tests.test_workbook_bombs import workbook


def abort_now() -> None:
    os.abort()  # what a Rust panic in a reader does to its process


def eat_memory() -> bytearray:
    return bytearray(64 * 2**30)


def never_end() -> None:
    time.sleep(3600)


def refuse() -> None:
    raise MissingPhoneColumnError("no phone", suggestions=["Mobile"], columns=["Mobile", "Name"])


def test_a_reader_that_aborts_costs_one_upload() -> None:
    with pytest.raises(UnreadableFileError, match=r"^x\.xlsx could not be opened"):
        run_isolated(abort_now, name="x.xlsx")
    assert run_isolated(len, b"abc", name="y.xlsx") == 3  # the next upload is read as ever


def test_a_reader_that_eats_memory_meets_the_cap() -> None:
    with pytest.raises(UnreadableFileError, match=r"more than 3 GB of memory"):
        run_isolated(eat_memory, name="x.xlsx")


def test_a_reader_that_never_ends_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "TIME_LIMIT_SECONDS", 1.0)
    started = time.monotonic()
    with pytest.raises(UnreadableFileError, match=r"took longer than 1 s"):
        run_isolated(never_end, name="x.xlsx")
    assert time.monotonic() - started < 10


def test_refusals_cross_whole() -> None:
    with pytest.raises(MissingPhoneColumnError) as caught:
        run_isolated(refuse, name="x.xlsx")
    assert caught.value.suggestions == ["Mobile"] and caught.value.columns == ["Mobile", "Name"]
    assert caught.value.row == 1


def test_a_workbook_is_read_through_it() -> None:
    assert read_contacts(workbook(), "w.xlsx")["phone_number"].tolist() == ["9876543210"]


def test_a_child_forked_after_the_readers_ran_here_still_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fork copies a thread pool without its threads: the child must make its own."""
    from batchcall.contacts.read import _read

    monkeypatch.setattr(isolation, "TIME_LIMIT_SECONDS", 20.0)
    data = workbook()
    assert len(_read(data, "xlsx", "w.xlsx", None, None)) == 1  # the pools' threads start here
    assert len(read_contacts(data, "w.xlsx")) == 1


def test_the_cap_counts_from_what_the_child_inherits() -> None:
    """A server's address space is large before any upload (threads, arenas): the cap is
    room to grow, so a big parent does not make every workbook 'need too much memory'."""
    import mmap

    reserved = mmap.mmap(-1, 4 * 2**30)  # address space, not memory: nothing is touched
    try:
        assert read_contacts(workbook(), "w.xlsx")["phone_number"].tolist() == ["9876543210"]
    finally:
        reserved.close()
