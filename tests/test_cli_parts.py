"""``batchcall`` in real processes on lists over 10 MB, waves and ``watch`` of several batches,
against a real sandbox on loopback."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from batchcall.contacts import MAX_FILE_BYTES
from batchcall.samples import sample_path

from tests.sandbox_server import API_KEY, RunningSandbox, sandbox_settings, serve_sandbox

ROUTE = "+912234567890"
SIP = "+14155550123"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 10.5 MB of valid Indian mobiles (written once for the module)."""
    count = 44_000
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "phone_number": rng.integers(9_000_000_000, 9_999_999_999, count).astype(str),
            "customer_name": [f"Customer {i}" for i in range(count)],
            "note": ["follows up on the loan offer made in May; prefers Hindi; " * 4] * count,
        }
    )
    path = tmp_path_factory.mktemp("big") / "big_list.csv"
    frame.to_csv(path, index=False)
    assert MAX_FILE_BYTES < path.stat().st_size < 2 * MAX_FILE_BYTES
    return path


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    shipped = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
    with serve_sandbox(sandbox_settings(workspace=shipped)) as running:
        yield running


@pytest.fixture
def env(sandbox: RunningSandbox, tmp_path: Path) -> dict[str, str]:
    return {
        "BATCHCALL_API_URL": sandbox.base_url,
        "BATCHCALL_API_KEY": API_KEY,
        "BATCHCALL_DATA_DIR": str(tmp_path),
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BATCHCALL_")}
    return subprocess.run(
        [sys.executable, "-m", "batchcall", *args],
        capture_output=True, text=True, env={**base, **env}, timeout=180,
    )  # fmt: skip


def test_a_list_over_10_mb_is_refused_without_the_flag(env: dict[str, str], big_csv: Path) -> None:
    for command in (["check"], ["submit", "--agent", "agt_abc123"]):
        done = run(env, *command, str(big_csv), "--from-number", ROUTE)
        assert done.returncode == 1
        assert done.stderr.startswith(f"batchcall {command[0]}: big_list.csv is 10.")
        assert "at most 10 MB" in done.stderr and "Traceback" not in done.stderr
    over = run(env, "check", str(big_csv), "--from-number", ROUTE, "--max-file-mb", "150")
    assert over.returncode == 1 and "--max-file-mb 150" in over.stderr and "100" in over.stderr
    small = run(env, "check", str(big_csv), "--from-number", ROUTE, "--max-file-mb", "10.2")
    assert small.returncode == 1 and "allows at most 10.20 MB" in small.stderr


def test_a_list_over_10_mb_is_sent_as_numbered_parts_once(
    env: dict[str, str], big_csv: Path, sandbox: RunningSandbox
) -> None:
    checked = run(env, "check", str(big_csv), "--from-number", ROUTE, "--max-file-mb", "20")
    assert checked.returncode == 0, checked.stderr
    submit = ["submit", str(big_csv), "--agent", "agt_abc123", "--from-number", ROUTE,
              "--max-file-mb", "20", "--name", "Big list"]  # fmt: skip
    first = run(env, *submit)
    assert first.returncode == 0, first.stderr
    ids = first.stdout.split()
    assert len(ids) == 2 and all(i.startswith("batch_") for i in ids)
    assert "Big list (1/2)" in first.stderr and "Big list (2/2)" in first.stderr
    batches = [sandbox.http.get(f"/v1/batch-calls/{i}").json() for i in ids]
    assert sum(b["total_leads"] for b in batches) == 44_000
    again = run(env, *submit)
    assert again.returncode == 0 and again.stdout.split() == ids  # nothing sent twice
    watched = run(env, "watch", *ids, "--every", "0.2")
    assert watched.returncode == 0, watched.stderr
    lines = watched.stdout.strip().splitlines()
    assert any(ids[0] in line and "ended" in line for line in lines[:-1])
    assert lines[-1] == f"2 ended: {ids[0]} completed, {ids[1]} completed"


def test_waves_are_submitted_once_from_the_moment_first_planned(
    env: dict[str, str], tmp_path: Path, sandbox: RunningSandbox
) -> None:
    contacts = tmp_path / "world.csv"
    numbers = ["+12125550143", "+13105550199", "+919876543210", "+61291234567", "+80012345678"]
    contacts.write_text("phone_number,customer_name\n" + "".join(f"{n},c\n" for n in numbers))
    submit = ["submit", str(contacts), "--agent", "agt_abc123", "--from-number", SIP, "--waves",
              "--window", "09:00-20:00"]  # fmt: skip
    first = run(env, *submit, "--at", "2030-03-04T12:00:00+00:00")
    assert first.returncode == 0, first.stderr
    ids = first.stdout.split()
    assert len(ids) == 4  # New York, Los Angeles, India, Sydney: four openings
    assert "1 rows have no known time zone and are not sent (rows 6)" in first.stderr
    names = [sandbox.http.get(f"/v1/batch-calls/{i}").json()["name"] for i in ids]
    assert names[0] == "world — Wave 1/4 — Asia/Calcutta (now)"
    assert names[1] == "world — Wave 2/4 — America/New_York (09:00 local)"
    assert (
        sandbox.http.get(f"/v1/batch-calls/{ids[1]}")
        .json()["scheduled_at"]
        .startswith("2030-03-04T14:00:00")
    )
    again = run(env, *submit)  # no --at: the first run's moment is kept with its record
    assert again.returncode == 0 and again.stdout.split() == ids


def test_watch_exits_3_when_a_batch_ended_cancelled(
    env: dict[str, str], sandbox: RunningSandbox
) -> None:
    clean = sample_path("loan_followup.csv")
    sent = run(env, "submit", str(clean), "--agent", "agt_abc123", "--from-number", ROUTE,
               "--schedule", "2035-01-01T09:00+05:30")  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    batch_id = sent.stdout.strip()
    assert sandbox.http.post(f"/v1/batch-calls/{batch_id}/cancel").status_code == 200
    watched = run(env, "watch", batch_id, "--every", "0.1")
    assert watched.returncode == 3, watched.stderr
    assert watched.stdout.strip().splitlines()[-1] == f"1 ended: {batch_id} cancelled"
    missing = run(env, "watch", "batch_nope")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_watch_draws_bars_on_a_terminal_and_ctrl_c_exits_130(
    env: dict[str, str], sandbox: RunningSandbox
) -> None:
    clean = str(sample_path("loan_followup.csv"))
    now = run(env, "submit", clean, "--agent", "agt_abc123", "--from-number", ROUTE)
    later = run(env, "submit", clean, "--agent", "agt_abc123", "--from-number", ROUTE,
                "--schedule", "2036-01-01T09:00+05:30")  # fmt: skip
    assert now.returncode == 0 and later.returncode == 0, now.stderr + later.stderr
    base = {k: v for k, v in os.environ.items() if not k.startswith("BATCHCALL_")}
    terminal = {**base, **env, "TERM": "xterm-256color", "COLUMNS": "160"}
    command = [sys.executable, "-m", "batchcall", "watch", "--every", "0.1"]

    main, child = pty.openpty()
    with subprocess.Popen(
        [*command, now.stdout.strip()], stdout=child, stderr=subprocess.PIPE, env=terminal
    ) as watching:
        os.close(child)
        drawn = _read_all(main)
        assert watching.wait(60) == 0
    assert "━" in drawn and "250/250" in drawn and "completed" in drawn

    with subprocess.Popen(
        [*command, later.stdout.strip()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=terminal, text=True,
    ) as waiting:  # fmt: skip
        assert waiting.stdout is not None and waiting.stderr is not None
        assert later.stdout.strip() in waiting.stdout.readline()  # it is polling
        waiting.send_signal(signal.SIGINT)
        assert waiting.wait(30) == 130
        said = waiting.stderr.read()
    assert "stopped watching" in said and "Traceback" not in said


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")
