"""How long ``precheck`` takes on a 150,000-row list: ``python -m bench.precheck``.

``make bench`` reports the first figure as ``precheck_s``. Two lists: the benchmark's
realistic Indian loan list (``bench.make_files``) with a 5,000-number DNC list, and a
worst case for look-alikes (most numbers American, the rest bare digits that read as
US numbers too). Median of 5 cold runs each: the parser's memo is cleared before
every run.
"""

from __future__ import annotations

import gc
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import pandas as pd
from batchcall import precheck, read_contacts
from batchcall.phones.parse import parse_number

from bench.make_files import iter_rows
from bench.run import route_and_config

ROWS = 150_000
AT = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)


def timed(run) -> float:
    times = []
    for _ in range(5):
        parse_number.cache_clear()
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def indian_list_s() -> tuple[float, int]:
    """(median seconds, rows) of precheck on the Indian list with 5,000 DNC numbers."""
    route, config, _ = route_and_config()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        rows = islice((row for row in iter_rows() if row), ROWS)  # under 10 MB: two columns
        lines = [b"phone_number,customer_name\n"]
        lines += [f"{row[0]},{row[1]}\n".encode() for row in rows]
        path.write_bytes(b"".join(lines))
        contacts = read_contacts(path)
    dnc = list(contacts["phone_number"].sample(5_000, random_state=1))
    return timed(lambda: precheck(contacts, route, config, at=AT, dnc=dnc)), len(contacts)


def main() -> None:
    seconds, rows = indian_list_s()
    print(f"Indian list, {rows:,} rows, 5,000 DNC: {seconds:.2f} s")
    route, config, _ = route_and_config()
    rng = random.Random(3)

    def exchange() -> str:
        return f"{rng.randrange(200, 999)} {rng.randrange(10**4):04d}"

    numbers = [f"+1 212 {exchange()}" for _ in range(90_000)]
    numbers += [f"646{exchange()}".replace(" ", "") for _ in range(60_000)]
    index = pd.RangeIndex(2, 2 + len(numbers), name="row")  # spreadsheet rows
    american = pd.DataFrame({"phone_number": numbers, "customer_name": ""}, index=index)
    american = american.astype("str")
    seconds = timed(lambda: precheck(american, route, config, at=AT))
    print(f"American list on the Indian route, {len(american):,} rows: {seconds:.2f} s")


if __name__ == "__main__":
    main()
