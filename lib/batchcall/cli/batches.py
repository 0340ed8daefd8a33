"""``submit``, ``watch`` and ``calls``: a batch from the shell, through the app's own client.

Without ``BATCHCALL_API_URL`` / ``BATCHCALL_API_KEY`` they talk to a sandbox on this
machine (``batchcall sandbox``: http://127.0.0.1:8765, key ``sandbox``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

from batchcall.api.client import BatchCallClient
from batchcall.api.settings import KEY_VARIABLE, URL_VARIABLE
from batchcall.cli.workspace import CommandError
from batchcall.contacts import read_contacts
from batchcall.digests import digest
from batchcall.settings import row_maps_dir
from batchcall.work.exports import csv_bytes
from batchcall.work.submission import RowMapStore, idempotency_key
from batchcall.work.table import WorkTable

LOCAL_SANDBOX = ("http://127.0.0.1:8765", "sandbox")
"""What ``batchcall sandbox`` serves by default."""
OK, FAILED = 0, 2


def client() -> BatchCallClient:
    url, key = os.environ.get(URL_VARIABLE), os.environ.get(KEY_VARIABLE)
    if bool(url) != bool(key):
        missing = KEY_VARIABLE if url else URL_VARIABLE
        raise CommandError(f"{missing} is not set: set both {URL_VARIABLE} and {KEY_VARIABLE}")
    return BatchCallClient(*((url and key and (url, key)) or LOCAL_SANDBOX))


def run_submit(args: argparse.Namespace) -> int:
    """Send the file once every row passes; the same file and settings give the same batch."""
    contacts = read_contacts(args.file, sheet=args.sheet, phone_column=args.phone_column)
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
        data, row_map = table.cleaned_csv()
        scheduled = datetime.fromisoformat(args.schedule) if args.schedule else None
        if scheduled is not None and scheduled.tzinfo is None:
            raise CommandError(f"--schedule {args.schedule} has no time zone: add +00:00 or Z")
        key = args.idempotency_key or idempotency_key(
            file_digest=digest(args.file.read_bytes()),
            content_digest=digest(data),
            agent_id=args.agent,
            from_phone_number=route.phone_number,
            name=args.name,
            scheduled_at=scheduled,
            max_concurrent_calls=args.max_concurrent,
            retry_config=None,
        )
        batch = api.create_batch(
            (f"{args.file.stem}.csv", data),
            agent_id=args.agent,
            from_phone_number=route.phone_number,
            name=args.name,
            scheduled_at=scheduled,
            max_concurrent_calls=args.max_concurrent,
            idempotency_key=key,
        )
    RowMapStore(row_maps_dir()).save(batch.id, row_map)  # Progress shows the file's rows
    print(batch.id)
    return OK


def run_watch(args: argparse.Namespace) -> int:
    """A progress line until the batch ends (each poll on its own line when not a terminal)."""
    with client() as api:
        while True:
            batch = api.get_batch(args.batch_id)
            counts = batch.status_counts_or_derived()
            ended = sum(counts.get(s, 0) for s in ("completed", "no_answer", "busy", "failed"))
            line = (
                f"{batch.id} {batch.status}: {ended:,} of {batch.total_leads:,} ended "
                f"({counts.get('completed', 0):,} completed, {counts.get('failed', 0):,} failed)"
            )
            if sys.stdout.isatty():
                print("\r" + line, end="", flush=True)
            else:
                print(line, flush=True)
            if batch.is_finished:
                print() if sys.stdout.isatty() else None
                return OK
            time.sleep(args.every)


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
    submit.add_argument("--name", help="the batch's name")
    submit.add_argument("--schedule", help="ISO time with its zone, e.g. 2026-12-05T09:00+05:30")
    submit.add_argument("--max-concurrent", type=int, default=10, help="calls at a time")
    submit.add_argument("--idempotency-key", help="default: derived from the file and settings")
    submit.set_defaults(run=run_submit)
    watch = commands.add_parser("watch", help="follow a batch until it ends")
    watch.add_argument("batch_id")
    watch.add_argument("--every", type=float, default=2.0, help="seconds between polls")
    watch.set_defaults(run=run_watch)
    calls = commands.add_parser("calls", help="write a batch's calls to a CSV file")
    calls.add_argument("batch_id")
    calls.add_argument("-o", "--output", required=True, type=Path)
    calls.set_defaults(run=run_calls)
