"""What ``python -m bench`` measures, one function per number.

Every timed run starts cold: ``parse_number``'s memo is cleared first, so a
repeated run does not profit from the one before. The pipeline is the app's
own: ``batchcall.contacts.read.read_contacts`` -> ``batchcall.rules.validate.validate`` -> profile.
"""

from __future__ import annotations

import contextlib
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import phonenumbers
from batchcall.contacts import read_contacts
from batchcall.insight.profile import profile_contacts
from batchcall.phones.parse import parse_number
from batchcall.rules import validate
from batchcall.samples import sample_path
from batchcall.work.table import WorkTable

ROOT = Path(__file__).resolve().parent.parent
WORKSPACE = sample_path("workspace.json")


def route_and_config() -> tuple[dict[str, Any], dict[str, Any], str]:
    """The IN route and telephony config of the workspace the package ships (the sandbox's)."""
    workspace = json.loads(WORKSPACE.read_text())
    for number in workspace["phone_numbers"]:
        usable = number.get("provider") != "sip_trunk" and number.get("status") == "active"
        if number.get("country") == "IN" and usable:
            return number, workspace["telephony_config"], "batchcall/samples/workspace.json"
    raise LookupError("the shipped workspace has no active Indian PSTN route")


def pipeline(path: Path) -> int:
    """Read, validate and profile one file, as the Upload page does; returns rows."""
    route, config, _ = route_and_config()
    table = WorkTable(read_contacts(path), route, config)  # the Upload page's own path
    table.report.groups  # noqa: B018  (the grouped verdict is part of what the page shows)
    profile_contacts(table.active, table.report)
    return len(table.active)


def baseline(path: Path) -> int:
    """pandas read (openpyxl for XLSX) + a per-row phonenumbers parse/is_valid loop."""
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, engine="openpyxl", dtype=str, keep_default_na=False)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    valid = 0
    for raw in frame["phone_number"]:
        with contextlib.suppress(phonenumbers.NumberParseException):
            valid += phonenumbers.is_valid_number(phonenumbers.parse(raw, "IN"))
    return len(frame)


def timed(function: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """Median wall time of ``runs`` cold runs (and the runs, and the last result).

    Cold: ``parse_number``'s memo is cleared and the garbage of the run before is
    collected before the clock starts, so no run pays for another.
    """
    times, result = [], None
    for _ in range(runs):
        parse_number.cache_clear()
        gc.collect()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def fast_and_baseline(path: Path, runs: int, baseline_runs: int) -> tuple[list[float], list[float]]:
    """Pipeline and baseline runs interleaved, so a busy spell hits both alike.

    Each kind's runs are spread evenly over the session; returns the wall times
    of both (take medians).
    """
    plan = sorted(
        [((i + 0.5) / runs, False) for i in range(runs)]
        + [((i + 0.5) / baseline_runs, True) for i in range(baseline_runs)]
    )
    fast: list[float] = []
    slow: list[float] = []
    for _, is_baseline in plan:
        if is_baseline:
            slow += timed(lambda: baseline(path), 1)[1]
        else:
            fast += timed(lambda: pipeline(path), 1)[1]
    return fast, slow


STAGES = ("read", "validate", "profile")


def stages(path: Path, runs: int) -> dict[str, float]:
    """Median seconds of each stage of the pipeline, and of the whole, over ``runs`` runs."""
    route, config, _ = route_and_config()
    found: dict[str, list[float]] = {name: [] for name in (*STAGES, "total")}
    for _ in range(runs):
        parse_number.cache_clear()
        gc.collect()
        clock = [time.perf_counter()]
        contacts = read_contacts(path)
        clock.append(time.perf_counter())
        table = WorkTable(contacts, route, config)  # validates, as the Upload page does
        report = table.report
        report.groups  # noqa: B018  (part of what the page shows)
        clock.append(time.perf_counter())
        profile_contacts(table.active, report)
        clock.append(time.perf_counter())
        for name, start, end in zip(STAGES, clock, clock[1:], strict=False):
            found[name].append(end - start)
        found["total"].append(clock[-1] - clock[0])
    return {name: statistics.median(times) for name, times in found.items()}


def rerun(path: Path, runs: int) -> tuple[float, str]:
    """Revalidating one edited phone cell of a loaded table (what a Fix-rows edit costs)."""
    route, config, _ = route_and_config()
    contacts = read_contacts(path)
    try:
        from batchcall.work.table import WorkTable
    except ImportError:
        return _rerun_splice(contacts, route, config, runs), "validate(1 row) + splice"
    table = WorkTable(contacts, route, config)
    table.failing_count  # noqa: B018  (warm the report the page already shows)
    rows = list(contacts.index[:: max(1, len(contacts) // runs)][:runs])
    times = []
    for number, row in enumerate(rows):
        started = time.perf_counter()
        table.edit({int(row): {"phone_number": f"98{number:08d}"}})
        table.failing_count  # noqa: B018  (the count the page shows after the edit)
        times.append(time.perf_counter() - started)
    return statistics.median(times), "WorkTable.edit + failing_count"


def _rerun_splice(contacts: pd.DataFrame, route: Any, config: Any, runs: int) -> float:
    report = validate(contacts, route, config)
    rows = report.rows.copy()
    times = []
    for number in range(runs):
        row = contacts.index[number]
        started = time.perf_counter()
        one = contacts.loc[[row]].assign(phone_number=f"98{number:08d}")
        fresh = validate(one, route, config).rows
        rows.loc[fresh.index, fresh.columns] = fresh
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_mb(path: Path) -> float:
    """Peak RSS of a fresh process running the pipeline on ``path``."""
    code = (
        "import resource, sys; from pathlib import Path; from bench.run import pipeline; "
        "pipeline(Path(sys.argv[1])); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1]) / 1024  # Linux reports KiB


def max_rss_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def per_value_us(path: Path, sample: int = 20_000) -> dict[str, float]:
    """µs per distinct value on a real list: the reference (sampled) vs the fast path (all)."""
    from batchcall.phones import fast as fastphones
    from batchcall.phones.parse import parse_columns

    contacts = read_contacts(path)
    texts, _ = fastphones.distinct_texts(contacts["phone_number"])
    region = route_and_config()[0].get("country", "IN")
    reference = parse_number.__wrapped__
    values = texts.to_pylist()[:sample]
    started = time.perf_counter()
    for value in values:
        reference(value, region)
    reference_us = (time.perf_counter() - started) / len(values) * 1e6
    fast_s = timed(lambda: parse_columns(texts, region).e164_array(), 5)[0]
    decided = parse_columns(texts, region).fast.mean()
    return {
        "distinct": len(texts),
        "reference_us": reference_us,
        "fast_us": fast_s / len(texts) * 1e6,
        "fast_share": float(decided),
    }


def xlsx_reader_check(path: Path) -> dict[str, Any]:
    """Whether the fast XLSX path took the file, and gave python-calamine's grid cell for cell."""
    from batchcall.contacts.formats.calamine import calamine_grid
    from batchcall.contacts.formats.xlsx.reader import XlsxWorkbook
    from batchcall.contacts.formats.xlsx.zipfacts import date_columns, zip_facts

    data = path.read_bytes()
    book = XlsxWorkbook(data, path.name)
    sheet = book.sheet_names()[0]
    grid = book.fast_grid(sheet)
    reference = calamine_grid(book.calamine(), path.name, sheet)
    return {
        "fast": grid is not None,
        "date_columns": sorted(date_columns(data, sheet, zip_facts(data))),
        "identical": grid is not None and grid.equals(reference),
        "cells": reference.size,
    }
