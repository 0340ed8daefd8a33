"""``python -m batchcall`` in a real process: exit codes, the ``--json`` shape, fixed files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from batchcall.contacts import read_contacts
from batchcall.samples import sample_path

ROUTE = "+912234567890"
MESSY = sample_path("messy_contacts.xlsx")
CLEAN = sample_path("loan_followup.csv")


def batchcall(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATCHCALL_API")}
    return subprocess.run(
        [sys.executable, "-m", "batchcall", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_check_exits_0_when_every_row_passes() -> None:
    done = batchcall("check", str(CLEAN), "--from-number", ROUTE)
    assert done.returncode == 0, done.stderr
    assert "250 rows, 250 pass" in done.stdout


def test_check_json_groups_the_failing_rows_by_reason_in_spreadsheet_rows() -> None:
    done = batchcall("check", str(MESSY), "--from-number", ROUTE, "--json")
    assert done.returncode == 2, done.stderr
    summary = json.loads(done.stdout)
    assert set(summary) == {"file", "rows", "passing", "groups"}
    assert summary["rows"] == 59 and summary["passing"] == 43
    assert sum(group["count"] for group in summary["groups"]) == 16
    for group in summary["groups"]:
        assert set(group) == {"reason", "count", "rows", "country"}
        assert group["count"] == len(group["rows"]) and min(group["rows"]) >= 2
    reasons = {group["reason"] for group in summary["groups"]}
    assert reasons <= {
        "invalid_phone_number", "no_enabled_countries",
        "unsupported_destination_country", "unsupported_prefix",
    }  # fmt: skip
    gb = next(g for g in summary["groups"] if g["country"] == "GB")
    assert gb["reason"] == "unsupported_destination_country"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "missing.csv", "--from-number", ROUTE], "missing.csv"),
        (["check", str(CLEAN), "--from-number", "+10000"], "+10000 is not a number"),
    ],
)
def test_an_error_is_one_line_on_stderr_and_exit_1(args: list[str], said: str) -> None:
    done = batchcall(*args)
    assert done.returncode == 1
    assert said in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_fix_writes_the_cleaned_file_by_the_output_extension(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"clean{suffix}"
    done = batchcall("fix", str(MESSY), "--from-number", ROUTE, "-o", str(out), "--drop-failing")
    assert done.returncode == 0, done.stderr
    cleaned = read_contacts(out)
    assert len(cleaned) == 45  # 43 passing + 2 repaired; 14 still failing dropped
    again = batchcall("check", str(out), "--from-number", ROUTE)
    assert again.returncode == 0, again.stdout


def test_fix_without_dropping_exits_2_while_rows_still_fail(tmp_path: Path) -> None:
    out = tmp_path / "clean.csv"
    done = batchcall("fix", str(MESSY), "--from-number", ROUTE, "-o", str(out))
    assert done.returncode == 2
    assert len(read_contacts(out)) == 59


# --- submit, watch and calls against a real sandbox on loopback -----------------------------


@pytest.fixture
def workspace_env(tmp_path: Path):
    from tests.sandbox_server import API_KEY, sandbox_settings, serve_sandbox

    shipped = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
    with serve_sandbox(sandbox_settings(workspace=shipped)) as running:
        yield {
            "BATCHCALL_API_URL": running.base_url,
            "BATCHCALL_API_KEY": API_KEY,
            "BATCHCALL_DATA_DIR": str(tmp_path),
        }


def run_in(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BATCHCALL_")}
    return subprocess.run(
        [sys.executable, "-m", "batchcall", *args],
        capture_output=True, text=True, env={**base, **env}, timeout=120,
    )  # fmt: skip


def test_submit_watch_and_calls_follow_one_batch_end_to_end(
    workspace_env: dict[str, str], tmp_path: Path
) -> None:
    submit = ["submit", str(CLEAN), "--agent", "agt_abc123", "--from-number", ROUTE]
    first = run_in(workspace_env, *submit, "--name", "cli test")
    assert first.returncode == 0, first.stderr
    batch_id = first.stdout.strip()
    assert batch_id.startswith("batch_")
    again = run_in(workspace_env, *submit, "--name", "cli test")
    assert again.stdout.strip() == batch_id  # the same file and settings: the same batch
    watched = run_in(workspace_env, "watch", batch_id, "--every", "0.2")
    assert watched.returncode == 0, watched.stderr
    assert "completed" in watched.stdout.splitlines()[-1]
    out = tmp_path / "results.csv"
    listed = run_in(workspace_env, "calls", batch_id, "-o", str(out))
    assert listed.returncode == 0, listed.stderr
    calls = read_contacts(out, phone_column="to")
    assert len(calls) == 250
    assert {"row", "status", "customer_name", "loan_amount"} <= set(calls.columns)
    assert sorted(int(row) for row in calls["row"]) == list(range(2, 252))


def test_submit_sends_nothing_while_a_row_would_be_refused(workspace_env: dict[str, str]) -> None:
    done = run_in(workspace_env, "submit", str(MESSY), "--agent", "agt_abc123",
                  "--from-number", ROUTE)  # fmt: skip
    assert done.returncode == 2
    assert "nothing sent" in done.stderr and not done.stdout.strip()


def test_sandbox_passes_its_own_options_through() -> None:
    done = batchcall("sandbox", "--help")
    assert done.returncode == 0 and "--port" in done.stdout and "--speed" in done.stdout
