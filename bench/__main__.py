"""``python -m bench`` (``make bench``): is a 10 MB contact list checked in about a second?

Writes a ~10 MB CSV and XLSX into a temporary directory (``bench.make_files``),
then measures, each as the median of cold runs after one warm-up:

* ``csv_s`` / ``xlsx_s``: read + validate + profile with the app's own code
  (``--runs``, default 7);
* ``csv_baseline_s`` / ``xlsx_baseline_s``: pandas read (openpyxl for XLSX) +
  a per-row ``phonenumbers`` parse/is_valid loop (fewer runs: it is slow; 3 of
  each by default), interleaved with the runs above so that when other work
  loads the machine it slows both sides of the speed-up alike;
* ``rerun_s``: revalidating one edited phone cell of the loaded CSV table;
* ``peak_mb``: peak RSS of a fresh process doing the XLSX case;
* the XLSX reader: whether the fast path read the file, and whether its grid
  equals python-calamine's cell for cell;
* ``agreement``: share of the differential corpus (``bench.corpus``, 1M pairs)
  where the answer equals the per-value reference (E.164, region, type,
  reason); every value the vectorised path decides is checked against the
  reference, parsed on 2 processes.

A table of per-stage medians (read / validate / profile) follows, and the load
average at the start and end says how busy the machine was. Human-readable
lines first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import agreement, run

TARGETS = {"csv_s": 1.0, "xlsx_s": 3.0, "speedup": 10.0, "peak_mb": 1024.0, "agreement": 1.0}


def _line(label: str, value: str) -> None:
    print(f"{label:<34} {value}", flush=True)


def _measure_file(path: Path, rows: int, runs: int, baseline_runs: int) -> dict[str, Any]:
    run.pipeline(path)  # warm-up: imports, metadata, regex caches (the app keeps these)
    times, slow_times = run.fast_and_baseline(path, runs, baseline_runs)
    fast, slow = statistics.median(times), statistics.median(slow_times)
    kind = path.suffix.lstrip(".").upper()
    _line(
        f"{kind} read+validate+profile",
        f"{fast:.3f} s  (median of {runs}: " + ", ".join(f"{t:.2f}" for t in times) + ")",
    )
    _line(
        f"{kind} baseline",
        f"{slow:.2f} s  (median of {baseline_runs} run{'s' * (baseline_runs != 1)}, "
        "interleaved with the above: "
        + ", ".join(f"{t:.1f}" for t in slow_times)
        + ")  speed-up "
        + f"{slow / fast:.1f}x",
    )
    return {"rows": rows, "s": fast, "baseline_s": slow}


def _stage_table(files: dict[str, Path], runs: int) -> None:
    """Median seconds per stage, a row per file: where the time goes."""
    _line("stage medians (s)", "  ".join(f"{name:>8}" for name in (*run.STAGES, "total")))
    for kind, path in files.items():
        medians = run.stages(path, runs)
        _line(f"  {kind} (median of {runs})", "  ".join(f"{s:8.3f}" for s in medians.values()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed pipeline runs per file")
    parser.add_argument("--corpus", type=int, default=1_000_000, help="differential pairs")
    parser.add_argument("--baseline-runs", type=int, default=3, help="CSV baseline runs")
    parser.add_argument("--xlsx-baseline-runs", type=int, default=3, help="XLSX baseline runs")
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temp dir")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from bench.make_files import make_csv, make_xlsx

    route, _config, source = run.route_and_config()
    _line("route / config", f"{route.get('phone_number')} ({route.get('country')}) / {source}")
    _line("load average (1 min) at start", f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, xlsx_path = folder / "contacts_10mb.csv", folder / "contacts_10mb.xlsx"
        csv_rows, xlsx_rows = make_csv(csv_path), make_xlsx(xlsx_path)
        _line("CSV file", f"{csv_rows:,} rows, {csv_path.stat().st_size / 2**20:.1f} MiB")
        _line("XLSX file", f"{xlsx_rows:,} rows, {xlsx_path.stat().st_size / 2**20:.1f} MiB")

        peak = run.peak_mb(xlsx_path)  # first: a clean process, nothing else running
        _line("XLSX peak RSS (fresh process)", f"{peak:.0f} MB")
        reader = run.xlsx_reader_check(xlsx_path)
        _line(
            "XLSX reader",
            ("fast path" if reader["fast"] else "python-calamine (fast path stepped aside)")
            + f", date columns read alongside: {reader['date_columns']}; grid "
            + ("identical to python-calamine's" if reader["identical"] else "DIFFERS")
            + f" ({reader['cells']:,} cells)",
        )
        csv = _measure_file(csv_path, csv_rows, args.runs, args.baseline_runs)
        xlsx = _measure_file(xlsx_path, xlsx_rows, args.runs, args.xlsx_baseline_runs)
        _stage_table({"CSV": csv_path, "XLSX": xlsx_path}, args.runs)
        rerun_s, rerun_how = run.rerun(csv_path, args.runs)
        _line("rerun one edited row", f"{rerun_s * 1000:.1f} ms  ({rerun_how}, {csv_rows:,} rows)")
        per_value = run.per_value_us(csv_path)
        _line(
            "per distinct value (CSV list)",
            f"reference {per_value['reference_us']:.1f} µs, fast {per_value['fast_us']:.2f} µs "
            f"({per_value['distinct']:,} distinct, {per_value['fast_share']:.3%} vectorised)",
        )
    from bench.precheck import indian_list_s

    precheck_s, precheck_rows = indian_list_s()
    _line("pre-launch checks", f"{precheck_s:.2f} s  ({precheck_rows:,} rows, 5,000 DNC numbers)")
    agree = agreement.agreement(args.corpus)
    _line(
        "differential corpus",
        f"{agree['pairs']:,} (text, default region) pairs, {agree['distinct']:,} distinct: "
        f"agreement {agree['agreement']:.6%} (E.164, region, type, reason)",
    )
    _line(
        "  vectorised / reference",
        f"{agree['compared']:,} decided by the vectorised path ({agree['fast_share']:.1%}), "
        "each compared with the reference; the rest answered by the reference itself",
    )
    _line(
        "  corpus µs a value",
        f"vectorised {agree['fast_us']:.1f} µs (corpus: ~250 default regions, tiny groups), "
        f"reference {agree['reference_us']:.1f} µs",
    )
    for (text, region), (want, got) in agree["mismatches"]:
        _line("  MISMATCH", f"{text!r} [{region}] reference={want} fast={got}")
    result = {
        "csv_rows": csv["rows"],
        "csv_s": round(csv["s"], 4),
        "csv_baseline_s": round(csv["baseline_s"], 3),
        "xlsx_rows": xlsx["rows"],
        "xlsx_s": round(xlsx["s"], 4),
        "xlsx_baseline_s": round(xlsx["baseline_s"], 3),
        "rerun_s": round(rerun_s, 5),
        "peak_mb": round(peak, 1),
        "precheck_s": round(precheck_s, 3),
        "agreement": agree["agreement"],
    }
    verdicts = {
        "csv_s": result["csv_s"] <= TARGETS["csv_s"],
        "xlsx_s": result["xlsx_s"] <= TARGETS["xlsx_s"],
        "csv speed-up": csv["baseline_s"] / csv["s"] >= TARGETS["speedup"],
        "xlsx speed-up": xlsx["baseline_s"] / xlsx["s"] >= TARGETS["speedup"],
        "peak_mb": peak <= TARGETS["peak_mb"],
        "agreement": agree["agreement"] >= TARGETS["agreement"],
    }
    _line("targets", ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in verdicts.items()))
    _line("load average (1 min) at end", f"{os.getloadavg()[0]:.2f}")
    _line("bench wall time", f"{time.perf_counter() - started:.0f} s")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
