"""``watch``: follow any number of batches until each ends, and say how they ended.

On a terminal each batch gets a live ``rich`` bar; piped or redirected, one plain line
per batch per poll, so a log or a script reads it. The exit code tells a script whether
to look closer: 3 when a batch ended cancelled or failed, 130 when stopped with Ctrl-C.

Why the client comes in as ``connect``: which workspace to talk to is the commands'
choice (``cli.batches``); watching only needs something that reads a batch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from batchcall.api.batches import Batch, BatchState
from batchcall.api.client import BatchCallClient

OK, ENDED_BADLY, INTERRUPTED = 0, 3, 130
"""``watch`` exits 3 when a batch ended cancelled or failed, 130 on Ctrl-C."""
_ENDED = ("completed", "no_answer", "busy", "failed", "cancelled")


def watch_batches(connect: Callable[[], BatchCallClient], ids: list[str], every: float) -> int:
    """Follow every batch until it ends: bars on a terminal, a line per poll otherwise."""
    try:
        with connect() as api:
            if sys.stdout.isatty():
                batches = _watch_bars(api.get_batch, ids, every)
            else:
                batches = _follow(api.get_batch, ids, every, _print_line)
    except KeyboardInterrupt:
        print("\nstopped watching; the batches go on", file=sys.stderr)
        return INTERRUPTED
    bad = [b for b in batches if b.state in (BatchState.CANCELLED, BatchState.FAILED)]
    ended = ", ".join(f"{b.id} {b.status}" for b in batches)
    print(f"{len(batches)} ended: {ended}", flush=True)
    return ENDED_BADLY if bad else OK


Tally = tuple[int, int, int, float]
"""(calls ended, completed, failed, ended calls per minute since watching began)."""


def _follow(
    fetch: Callable[[str], Batch],
    ids: list[str],
    every: float,
    show: Callable[[str, Batch, Tally], None],
) -> list[Batch]:
    """Poll each batch not finished yet, ``show`` it, until all are finished; their last reads."""
    first: dict[str, tuple[float, int]] = {}
    latest: dict[str, Batch] = {}
    while True:
        for batch_id in ids:
            if batch_id in latest and latest[batch_id].is_finished:
                continue
            batch = latest[batch_id] = fetch(batch_id)
            counts = batch.status_counts_or_derived()
            ended = sum(counts.get(status, 0) for status in _ENDED)
            now = time.monotonic()
            since, at_start = first.setdefault(batch_id, (now, ended))
            rate = (ended - at_start) / (now - since) * 60 if now > since else 0.0
            show(
                batch_id, batch, (ended, counts.get("completed", 0), counts.get("failed", 0), rate)
            )
        if all(batch.is_finished for batch in latest.values()):
            return [latest[batch_id] for batch_id in ids]
        time.sleep(every)


def _print_line(_: str, batch: Batch, tally: Tally) -> None:
    ended, completed, failed, rate = tally
    print(
        f"{batch.id} {batch.status}: {ended:,} of {batch.total_leads:,} ended "
        f"({completed:,} completed, {failed:,} failed, {rate:,.0f}/min)",
        flush=True,
    )


def _watch_bars(fetch: Callable[[str], Batch], ids: list[str], every: float) -> list[Batch]:
    """A ``rich`` bar per batch: calls ended of total, completed, failed, rate, status."""
    from rich.markup import escape  # a name or status is the platform's text, not markup
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        refresh_per_second=4,
    ) as bars:
        tasks = {
            batch_id: bars.add_task(batch_id, total=None, counts="waiting for the platform…")
            for batch_id in ids
        }

        def show(batch_id: str, batch: Batch, tally: Tally) -> None:
            ended, completed, failed, rate = tally
            bars.update(
                tasks[batch_id],
                description=escape((batch.name or batch.id)[:40]),
                total=batch.total_leads or None,
                completed=ended,
                counts=(
                    f"{ended:,}/{batch.total_leads:,} ended  [green]{completed:,} completed[/]  "
                    f"[red]{failed:,} failed[/]  {rate:,.0f}/min  [bold]{escape(batch.status)}[/]"
                ),
            )

        return _follow(fetch, ids, every, show)
