"""``agreement``: the vectorised phone path against the per-value reference.

Measured on the differential corpus (``bench.corpus``): every value the
vectorised path decides is parsed again by the reference, on worker processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from batchcall.phones.parse import parse_number

from bench.run import route_and_config


def _reference_chunk(job: tuple[str | None, list[str]]) -> tuple[float, list[tuple[Any, ...]]]:
    """Reference verdicts for one chunk, and the seconds they took (in a worker process)."""
    region, texts = job
    reference = parse_number.__wrapped__  # no memo: every value really parsed
    started = time.perf_counter()
    answers = [tuple(reference(text, region)) for text in texts]
    return time.perf_counter() - started, answers


def agreement(count: int, workers: int = 2) -> dict[str, Any]:
    """Fast path vs reference on ``count`` corpus pairs: agreement, coverage, speed.

    ``batchcall.phones.parse.parse_columns`` answers a value either from the vectorised path
    or by calling the reference itself. So every value the vectorised path
    decides is compared with the reference (parsed on ``workers`` processes);
    the others agree by construction and are not parsed twice.
    (``tests/test_fastphones_differential.py`` checks the combined path whole.)
    """
    import multiprocessing

    import numpy as np
    import pyarrow as pa
    from batchcall.phones import fast as fastphones

    from bench.corpus import generate

    pairs = list(generate(count))
    by_region: dict[str | None, dict[str, None]] = {}
    for text, region in pairs:
        by_region.setdefault(region, {})[text] = None
    started = time.perf_counter()
    fast: dict[tuple[str, str | None], tuple[Any, ...]] = {}
    jobs: list[tuple[str | None, list[str]]] = []
    for region, texts in by_region.items():
        values = list(texts)
        columns = fastphones.parse_columns(pa.array(values, pa.string()), region)
        e164 = columns.e164_array().to_pylist()
        decided = np.flatnonzero(columns.fast)
        for row in decided:
            fast[values[row], region] = (e164[row], columns.region[row], columns.number_type[row])
        jobs += [(region, chunk) for chunk in _chunks([values[row] for row in decided], 4000)]
    fast_s = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = pool.map(_reference_chunk, jobs, chunksize=1)
    reference_s = sum(seconds for seconds, _ in done)  # summed over the workers
    reason = _reason_of()
    wrong: dict[tuple[str, str | None], tuple[Any, ...]] = {}
    for (region, chunk), (_, answers) in zip(jobs, done, strict=True):
        for text, want in zip(chunk, answers, strict=True):
            got = fast[text, region]
            if got != want or reason(got) != reason(want):
                wrong[text, region] = (want, got)
    distinct = sum(len(texts) for texts in by_region.values())
    return {
        "pairs": len(pairs),
        "distinct": distinct,
        "compared": len(fast),
        "agreement": 1 - sum(1 for pair in pairs if pair in wrong) / len(pairs),
        "mismatches": list(wrong.items())[:10],
        "fast_share": len(fast) / distinct,
        "fast_us": fast_s / distinct * 1e6,
        "reference_us": reference_s / max(1, len(fast)) * 1e6,
    }


def _reason_of() -> Callable[[tuple[Any, ...]], Any]:
    """``batchcall.rules.validate.judge`` under the IN route, memoised on what it reads.

    judge() reads whether there is an E.164, the region, and whether the E.164
    starts with an enabled prefix, so (valid, region, first L characters) with L
    the longest prefix decides it.
    """
    from batchcall.api.models import as_phone_number, as_telephony_config
    from batchcall.phones.parse import ParsedNumber
    from batchcall.rules import judge

    route, config = route_and_config()[:2]
    route, config = as_phone_number(route), as_telephony_config(config)
    longest = max(
        (len(p) for c in config.countries for g in c.network_groups for p in g.prefixes), default=0
    )
    memo: dict[tuple[Any, ...], Any] = {}

    def reason(verdict: tuple[Any, ...]) -> Any:
        e164, region, _ = verdict
        key = (e164 is None, region, e164[:longest] if e164 else None)
        if key not in memo:
            memo[key] = judge(ParsedNumber(*verdict), route, config)
        return memo[key]

    return reason


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
