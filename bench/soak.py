"""``python -m bench.soak`` (``make soak``): the sandbox under load, on loopback only.

Starts ``python -m batchcall.sandbox`` on a free 127.0.0.1 port (its own process,
database in a temporary folder) and, for a bounded time, runs creators (each
launching small batches one after another) and pollers (each reading a random
known batch and a page of its calls, as Progress does) through the shared client,
with no retries so every failure counts. Every batch's counters are checked
never to go backwards between two reads.

Human-readable lines first; the last line is one JSON object: ``requests``,
``errors``, ``p50_ms``, ``p95_ms``, ``batches``, ``backwards``, ``seconds``.
Exit status 1 when any request failed or any counter went backwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from batchcall import ApiError, BatchCallClient

ROUTE, AGENT = "+912234567890", "agt_abc123"  # the shipped workspace's Mumbai route


@dataclass
class Tally:
    """What every worker saw, under one lock."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    backwards: list[str] = field(default_factory=list)
    batches: list[str] = field(default_factory=list)
    seen: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)
    """(poller, batch) -> the counters that poller read last: one client's reads follow each
    other, so they may never go back (two clients' answers may arrive in either order)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return call()
        except ApiError as exc:
            with self.lock:
                self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return None
        finally:
            with self.lock:
                self.latencies.append(time.perf_counter() - started)

    def counters(self, reader: int, batch_id: str, finished: int, total: int) -> None:
        with self.lock:
            before = self.seen.get((reader, batch_id), (0, total))
            if finished < before[0] or total != before[1]:
                self.backwards.append(f"{batch_id}: {before} -> {(finished, total)}")
            self.seen[reader, batch_id] = (max(finished, before[0]), total)


def contacts(rows: int, start: int) -> bytes:
    lines = ["phone_number,customer_name"]
    lines += [f"+9198{start + i:08d},Lead {i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def creator(url: str, key: str, tally: Tally, until: float, worker: int) -> None:
    with BatchCallClient(url, key, max_retries=0) as client:
        serial = 0
        while time.monotonic() < until:
            serial += 1
            data = contacts(20, worker * 1_000_000 + serial * 100)
            key_of_this = f"soak-{worker}-{serial}-{secrets.token_hex(4)}"
            batch = tally.timed(
                lambda data=data, once=key_of_this: client.create_batch(
                    ("leads.csv", data),
                    agent_id=AGENT,
                    from_phone_number=ROUTE,
                    max_concurrent_calls=5,
                    idempotency_key=once,
                )
            )
            if batch is not None:
                with tally.lock:
                    tally.batches.append(batch.id)
            time.sleep(0.2)


def poller(url: str, key: str, tally: Tally, until: float, seed: int) -> None:
    pick = random.Random(seed)
    with BatchCallClient(url, key, max_retries=0) as client:
        while time.monotonic() < until:
            with tally.lock:
                known = list(tally.batches)
            if not known:
                tally.timed(lambda: client.list_batches(limit=5))
                time.sleep(0.05)
                continue
            batch_id = pick.choice(known)
            batch = tally.timed(lambda batch_id=batch_id: client.get_batch(batch_id))
            if batch is not None:
                finished = batch.completed + batch.failed
                tally.counters(seed, batch_id, finished, batch.total_leads)
            tally.timed(lambda batch_id=batch_id: client.list_calls(batch_id=batch_id, limit=50))
            time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(folder: Path, key: str, speed: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable, "-m", "batchcall.sandbox", "--host", "127.0.0.1", "--port", str(port),
        "--api-key", key, "--speed", str(speed), "--db", str(folder / "sandbox.db"),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the sandbox did not start within 30 s")


def soak(seconds: float, pollers: int, creators: int, speed: float = 400.0) -> dict[str, Any]:
    key = secrets.token_urlsafe(16)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        process, url = serve(Path(folder), key, speed)
        try:
            until = time.monotonic() + seconds
            workers = [
                threading.Thread(target=creator, args=(url, key, tally, until, i))
                for i in range(creators)
            ] + [
                threading.Thread(target=poller, args=(url, key, tally, until, i))
                for i in range(pollers)
            ]
            started = time.monotonic()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=seconds + 60)
            elapsed = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=10)
    latencies = sorted(tally.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    return {
        "requests": len(latencies),
        "errors": len(tally.errors),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0.0,
        "p95_ms": round(p95 * 1000, 1),
        "batches": len(tally.batches),
        "backwards": len(tally.backwards),
        "seconds": round(elapsed, 1),
        "first_errors": tally.errors[:3] + tally.backwards[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pollers", type=int, default=50)
    parser.add_argument("--creators", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"soak: {args.pollers} pollers, {args.creators} creators, {args.seconds:.0f} s", flush=True
    )
    result = soak(args.seconds, args.pollers, args.creators)
    for name, value in result.items():
        print(f"{name:<12} {value}")
    print(json.dumps(result))
    return 0 if not result["errors"] and not result["backwards"] else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
