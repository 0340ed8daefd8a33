"""``submit``, ``watch`` and ``calls``: batches from the shell, through the app's own client.

Without ``BATCHCALL_API_URL`` / ``BATCHCALL_API_KEY`` they talk to a sandbox on this
machine (``batchcall sandbox``: http://127.0.0.1:8765, key ``sandbox``).

``submit`` sends a list over the platform's 10 MB (read with ``--max-file-mb``) as
numbered parts, and with ``--waves`` one batch per time-zone wave; either way each
batch has its own idempotency key from one base, so running it again after a
failure creates only what is missing. ``watch`` follows any number of batches.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from batchcall.api.batches import Batch
from batchcall.api.client import BatchCallClient
from batchcall.api.settings import KEY_VARIABLE, URL_VARIABLE
from batchcall.checks.precheck import precheck
from batchcall.checks.waves import WavePlan, plan_waves
from batchcall.checks.window import CallingWindow
from batchcall.cli.watch import watch_batches
from batchcall.cli.workspace import CommandError
from batchcall.contacts import LARGE_FILE_CEILING, MAX_FILE_BYTES, read_contacts
from batchcall.digests import digest
from batchcall.settings import data_dir, row_maps_dir
from batchcall.work.exports import csv_bytes
from batchcall.work.groups import (
    GroupItem,
    GroupRecord,
    GroupStore,
    group_base_key,
    items_from_parts,
    items_from_waves,
    submit_group,
)
from batchcall.work.parts import split_table
from batchcall.work.submission import RowMapStore, idempotency_key
from batchcall.work.table import WorkTable

LOCAL_SANDBOX = ("http://127.0.0.1:8765", "sandbox")
"""What ``batchcall sandbox`` serves by default."""
OK, FAILED = 0, 2
"""``submit`` exits 2 when it sends nothing; ``watch`` has its own codes (``cli.watch``)."""


def client() -> BatchCallClient:
    url, key = os.environ.get(URL_VARIABLE), os.environ.get(KEY_VARIABLE)
    if bool(url) != bool(key):
        missing = KEY_VARIABLE if url else URL_VARIABLE
        raise CommandError(f"{missing} is not set: set both {URL_VARIABLE} and {KEY_VARIABLE}")
    return BatchCallClient(*((url and key and (url, key)) or LOCAL_SANDBOX))


def read_limit(args: argparse.Namespace) -> int:
    """``--max-file-mb`` in bytes (default: the platform's 10 MB), refused past the ceiling."""
    megabytes = getattr(args, "max_file_mb", None)
    if megabytes is None:
        return MAX_FILE_BYTES
    ceiling = LARGE_FILE_CEILING // 2**20
    if not 0 < megabytes <= ceiling:
        raise CommandError(
            f"--max-file-mb {megabytes:g}: give a size from 1 to {ceiling} (MB); larger lists "
            f"must be split into files of {ceiling} MB or less first"
        )
    return int(megabytes * 2**20)


def run_submit(args: argparse.Namespace) -> int:
    """Send the file once every row passes, in parts or waves; prints every batch id."""
    contacts = read_contacts(
        args.file, sheet=args.sheet, phone_column=args.phone_column, max_bytes=read_limit(args)
    )
    scheduled = _moment(args.schedule, "--schedule")
    if args.waves and scheduled is not None:
        raise CommandError("--waves schedules each wave at its window's opening: drop --schedule")
    with client() as api:
        numbers = {n.phone_number: n for n in api.list_phone_numbers()}
        route = numbers.get(args.from_number)
        if route is None:
            raise CommandError(f"{args.from_number} is not a number of this workspace")
        table = WorkTable(contacts, route, api.get_telephony_config())
        if table.failing_count:
            print(
                f"{args.file.name}: {table.failing_count:,} rows would be refused; nothing "
                f"sent. See `batchcall check {args.file} --from-number {args.from_number}`.",
                file=sys.stderr,
            )
            return FAILED
        window = _window(args.window) if args.waves else None
        key = args.idempotency_key or idempotency_key(
            file_digest=digest(args.file.read_bytes()),
            content_digest=digest(table.cleaned_csv()[0]),
            agent_id=args.agent,
            from_phone_number=route.phone_number,
            name=args.name,
            scheduled_at=scheduled,
            max_concurrent_calls=args.max_concurrent,
            retry_config=None,
            exclusions=f"waves {window.label}" if window else "",
        )
        store = GroupStore(data_dir() / "groups")
        if window is not None:
            items, extra = _wave_items(args, table, window, store.load(key))
        else:
            parts = split_table(table, name=args.file.name)
            name = args.name or (args.file.stem if len(parts) > 1 else "")
            items = items_from_parts(name, parts, scheduled_at=scheduled, stem=args.file.stem)
            extra = {}
        if not items:
            print(f"{args.file.name}: no rows can be timed; nothing sent.", file=sys.stderr)
            return FAILED
        maps = RowMapStore(row_maps_dir())

        def keep(record: GroupRecord) -> None:  # after each batch: a failure loses nothing
            store.save(record, key)
            done = [entry for entry in record.entries if entry.batch_id]
            maps.save(str(done[-1].batch_id), done[-1].row_map)  # Progress shows the rows

        submitted = submit_group(
            api,
            items,
            base_key=key if window is None and len(items) == 1 else group_base_key(items, key),
            agent_id=args.agent,
            from_phone_number=route.phone_number,
            max_concurrent_calls=args.max_concurrent,
            name=args.name or args.file.stem,
            extra={**extra, "file": args.file.name},
            on_created=keep,
        )
    _report(submitted.batches, items)
    return OK


def _wave_items(
    args: argparse.Namespace, table: WorkTable, window: CallingWindow, kept: GroupRecord | None
) -> tuple[list[GroupItem], dict[str, str]]:
    """Waves planned at ``--at``, else at the moment a previous run of the same submission
    planned them (so a re-run makes the same batches), else now."""
    at = _moment(args.at, "--at")
    if at is None and kept is not None and kept.extra.get("at"):
        at = datetime.fromisoformat(str(kept.extra["at"]))
    at = at or datetime.now(UTC).replace(second=0, microsecond=0)
    rows = table.active
    report = precheck(rows, table.route, table.config, at=at, window=window)
    plan = plan_waves(report, rows=rows.index)
    _left_out(plan, args.file.name)
    name = args.name or args.file.stem
    items = items_from_waves(name, rows, plan, stem=args.file.stem)
    return items, {"at": at.isoformat(), "window": window.label}


def _left_out(plan: WavePlan, file: str) -> None:
    for rows, why in (
        (plan.unknown_rows, "have no known time zone"),
        (plan.closed_rows, "have no calling hours in the next 7 days"),
    ):
        if rows:
            shown = ", ".join(map(str, rows[:20])) + (" …" if len(rows) > 20 else "")
            print(
                f"{file}: {len(rows):,} rows {why} and are not sent (rows {shown}); send them "
                "on their own once you know when to call them.",
                file=sys.stderr,
            )


def _report(batches: list[Batch], items: list[GroupItem]) -> None:
    """Every batch id on stdout (one a line, for scripts); names and schedules on stderr."""
    for batch, item in zip(batches, items, strict=True):
        print(batch.id)
        if len(items) > 1:
            when = f", starts {item.scheduled_at:%Y-%m-%d %H:%M} UTC" if item.scheduled_at else ""
            rows = len(item.row_map)
            print(f"  {batch.id}: {item.name} ({rows:,} rows{when})", file=sys.stderr)


def _moment(text: str | None, option: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} {text}: not an ISO time like 2026-12-05T09:00+05:30"
        ) from None
    if moment.tzinfo is None:
        raise CommandError(f"{option} {text} has no time zone: add +00:00 or Z")
    return moment


def _window(text: str | None) -> CallingWindow:
    """``--window 09:00-20:00`` (default: the workbench's 09:00-20:00, every day)."""
    if not text:
        return CallingWindow()
    start, _, end = text.partition("-")
    try:
        return CallingWindow(start=start, end=end)
    except ValueError as exc:
        raise CommandError(f"--window {text}: {exc}; write it like 09:00-20:00") from None


def run_watch(args: argparse.Namespace) -> int:
    """Follow the batches through this workspace's client; the exit code says how they ended."""
    return watch_batches(client, args.batch_id, args.every)


def run_calls(args: argparse.Namespace) -> int:
    """Every call of the batch with its variables, as CSV."""
    with client() as api:
        calls = list(api.iter_calls(args.batch_id, limit=100))
    rows = [
        {
            "row": call.position,
            "to": call.to_phone_number,
            "status": call.status,
            "duration_seconds": call.duration_seconds,
            "ended_at": call.ended_at,
            "end_reason": call.end_reason,
            **{str(k): v for k, v in (call.metadata or {}).items()},
        }
        for call in calls
    ]
    frame = pd.DataFrame(rows)
    args.output.write_bytes(csv_bytes(frame))
    print(f"{args.output}: {len(frame):,} calls", file=sys.stderr)
    return OK


def add_commands(commands: argparse._SubParsersAction, file_options: object) -> None:
    submit = commands.add_parser("submit", help="send a file whose every row passes, once")
    file_options(submit)  # type: ignore[operator]
    submit.add_argument("--agent", required=True, help="the agent's id")
    submit.add_argument("--name", help="the batch's name (numbered when sent in parts)")
    submit.add_argument("--schedule", help="ISO time with its zone, e.g. 2026-12-05T09:00+05:30")
    submit.add_argument("--max-concurrent", type=int, default=10, help="calls at a time")
    submit.add_argument("--idempotency-key", help="default: derived from the file and settings")
    submit.add_argument(
        "--waves", action="store_true", help="one batch per time-zone wave, each at its opening"
    )
    submit.add_argument("--window", help="calling hours for --waves, e.g. 09:00-20:00 (default)")
    submit.add_argument("--at", help="plan --waves from this ISO time (default: now)")
    submit.set_defaults(run=run_submit)
    watch = commands.add_parser(
        "watch", help="follow batches until they end (exit 3: one ended cancelled or failed)"
    )
    watch.add_argument("batch_id", nargs="+")
    watch.add_argument("--every", type=float, default=2.0, help="seconds between polls")
    watch.set_defaults(run=run_watch)
    calls = commands.add_parser("calls", help="write a batch's calls to a CSV file")
    calls.add_argument("batch_id")
    calls.add_argument("-o", "--output", required=True, type=Path)
    calls.set_defaults(run=run_calls)
