"""The browser benchmark's contact list: ~150,000 rows, ~10 MB, about a fifth of them failing.

``make_contacts`` writes a CSV with a ``phone_number`` column and the variables the
sandbox's default agent uses (``customer_name``, ``product``, ``loan_amount``,
``due_date``) plus ``city``. Against the sandbox's default route (+912234567890,
whose Telephony Config enables Indian mobiles, Mumbai landlines and the US):

* ~77 % pass: unique Indian mobiles in the formats operators type, a few Mumbai
  landlines and US numbers;
* ~4 % fail but carry a suggested fix (``9876543210.0``, ``+91 91 98765 43210``);
* ~19 % fail for good: too short or long, a letter inside, empty, ``N/A``,
  UK and Australian numbers (country not enabled), Indian toll-free (prefix not enabled).

So after "Apply all suggested fixes" and dropping every remaining reason, Submit
sends ~81 % of the rows (~121,000 leads). Rows come from a seeded generator: each
operator of the benchmark gets a file of its own (its own seed), so the platform
never takes one operator's submission for a repeat of another's.
"""

from __future__ import annotations

import random
from pathlib import Path

from bench.make_files import CITIES, FIRST_DUE, FIRST_NAMES, PRODUCTS, SURNAMES, US_AREA_CODES

HEADER = "phone_number,customer_name,loan_amount,product,due_date,city\n"
ROWS = 150_000
MAX_BYTES = 10 * 1024 * 1024 - 64 * 1024  # under the platform's 10 MiB with a margin


def _mobile(rng: random.Random, used: set[int]) -> str:
    while True:
        number = rng.randrange(6_000_000_000, 10_000_000_000)
        if number not in used:
            used.add(number)
            return str(number)


def _valid(rng: random.Random, used: set[int]) -> str:
    kind = rng.random()
    if kind < 0.013:
        return f"+91 22 {rng.randrange(2000, 7000)} {rng.randrange(10_000):04d}"
    if kind < 0.026:
        area = rng.choice(US_AREA_CODES)
        return f"+1 {area} {rng.randrange(200, 1000)} {rng.randrange(10_000):04d}"
    text, style = _mobile(rng, used), rng.random()
    if style < 0.35:
        return text
    if style < 0.60:
        return "+91" + text
    if style < 0.75:
        return f"+91 {text[:5]} {text[5:]}"
    if style < 0.85:
        return "0" + text
    return f"{text[:5]} {text[5:]}"


def _fixable(rng: random.Random, used: set[int]) -> str:
    text = _mobile(rng, used)
    if rng.random() < 0.6:
        return text + ".0"  # spreadsheet damage
    return f"+91 91 {text[:5]} {text[5:]}"  # the country code typed twice


def _failing(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.22:
        return str(rng.randrange(10_000, 100_000_000))  # too short
    if kind < 0.38:
        digits = str(rng.randrange(6_000_000_000, 10_000_000_000))
        return f"{digits[:4]}x{digits[4:]}"  # a letter in the middle
    if kind < 0.48:
        return str(rng.randrange(10**10, 10**11))  # one digit too many
    if kind < 0.58:
        return ""
    if kind < 0.63:
        return "N/A"
    if kind < 0.76:
        return f"+44 74{rng.randrange(100):02d} {rng.randrange(1_000_000):06d}"
    if kind < 0.89:
        return f"+61 4{rng.randrange(100):02d} {rng.randrange(1000):03d} {rng.randrange(1000):03d}"
    return f"1800 {rng.randrange(100, 1000)} {rng.randrange(10_000):04d}"  # toll-free


def make_contacts(path: Path, seed: int, rows: int = ROWS) -> dict[str, int]:
    """Write the CSV; returns its rows, bytes and how many rows were drawn failing/fixable."""
    rng = random.Random(seed)
    used: set[int] = set()
    lines, size = [HEADER], len(HEADER)
    drawn = {"fixable": 0, "failing": 0}
    while len(lines) <= rows:
        kind = rng.random()
        if kind < 0.77:
            phone = _valid(rng, used)
        elif kind < 0.81:
            phone, drawn["fixable"] = _fixable(rng, used), drawn["fixable"] + 1
        else:
            phone, drawn["failing"] = _failing(rng), drawn["failing"] + 1
        product, low, high, step = rng.choice(PRODUCTS)
        amount = rng.randrange(low // step, high // step + 1) * step
        due = FIRST_DUE.toordinal() + rng.randrange(90)
        line = (
            f"{phone},{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)},{amount},{product},"
            f"{type(FIRST_DUE).fromordinal(due).isoformat()},{rng.choice(CITIES)}\n"
        )
        if size + len(line) > MAX_BYTES:
            break
        lines.append(line)
        size += len(line)
    path.write_text("".join(lines), encoding="utf-8")
    return {"rows": len(lines) - 1, "bytes": path.stat().st_size, **drawn}
