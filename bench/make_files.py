"""Benchmark contact lists just under the API's 10 MB upload limit.

``make_csv`` and ``make_xlsx`` write a realistic Indian loan follow-up list — mostly
valid Indian mobiles in the formats operators type (bare, ``+91…``, spaced, trunk 0,
some stored as numeric cells in the workbook), a few Mumbai landlines and toll-free
numbers, some UK/US/Australian numbers, some invalid entries and a few fully blank
rows — and return the number of data rows written. Rows come from a seeded
generator, so the same target size always gives the same file.

CLI: ``python -m bench.make_files OUTDIR`` writes ``contacts_10mb.csv`` and
``contacts_10mb.xlsx`` into OUTDIR.

The workbook is written with XlsxWriter when it is installed (fast), else with
openpyxl's write-only mode.
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

TEN_MB = 10 * 1024 * 1024
DEFAULT_TARGET = TEN_MB - 64 * 1024  # "just under": a small margin below the limit
SEED = 42
HEADER = ("phone_number", "customer_name", "loan_amount", "product", "city", "due_date", "email")

Row = tuple[str | int, str, int, str, str, datetime.date, str]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _cities(text: str) -> tuple[str, ...]:
    return tuple(city.strip() for city in text.split(","))


FIRST_NAMES = _names(
    "Priya Rahul Amit Neha Pooja Sanjay Ritu Vikram Anjali Rohit Sunita Deepak Aditya "
    "Sneha Rohan Swati Nikhil Pallavi Karthik Divya Lakshmi Arun Ashwin Shreya Kavya "
    "Srinivas Venkatesh Harika Biju Meera Arjun Sourav Ananya Moumita Farhan Ayesha Imran "
    "Zoya Gurpreet Harpreet Simran Hardik Bhavna Nirav Anthony Maria Manoj Kavita Sachin "
    "Madhuri"
)
SURNAMES = _names(
    "Sharma Verma Gupta Mishra Yadav Agarwal Kapoor Mehra Kulkarni Joshi Patil Deshpande "
    "Patel Shah Desai Mehta Iyer Krishnan Subramanian Rao Hegde Shetty Reddy Naidu Nair "
    "Menon Pillai Banerjee Chatterjee Das Ghosh Bose Khan Sheikh Qureshi Singh Gill "
    "Sandhu Fernandes D'Souza Jain Saxena Tiwari Pandey"
)
CITIES = _cities(
    "Mumbai, Delhi, Bengaluru, Hyderabad, Chennai, Kolkata, Pune, Ahmedabad, Jaipur, "
    "Lucknow, Surat, Kanpur, Nagpur, Indore, Thane, Bhopal, Visakhapatnam, Patna, "
    "Vadodara, Ludhiana, Nashik, Kochi, Coimbatore, Chandigarh, Guwahati, Mysuru, "
    "Bhubaneswar, Thiruvananthapuram, Navi Mumbai"
)
PRODUCTS = (  # (product, min, max, step) in rupees; listed by how often they occur
    ("personal_loan", 25_000, 800_000, 1_000),
    ("personal_loan", 25_000, 800_000, 1_000),
    ("personal_loan", 25_000, 800_000, 1_000),
    ("home_loan", 500_000, 7_500_000, 10_000),
    ("home_loan", 500_000, 7_500_000, 10_000),
    ("car_loan", 150_000, 1_500_000, 5_000),
    ("car_loan", 150_000, 1_500_000, 5_000),
    ("gold_loan", 15_000, 400_000, 500),
    ("gold_loan", 15_000, 400_000, 500),
    ("education_loan", 100_000, 2_500_000, 5_000),
)
MAIL_DOMAINS = ("gmail.com", "gmail.com", "yahoo.co.in", "outlook.com", "rediffmail.com")
FIRST_DUE = datetime.date(2024, 6, 1)
US_AREA_CODES = ("212", "415", "646", "312", "617", "206", "512", "303", "713", "305")
INVALID_SAMPLES = ("N/A", "-", "not available", "0", "12345", "000000")
CREATED = datetime.datetime(2024, 5, 3, 9, 30)  # fixed metadata: same rows, same bytes


def iter_rows(seed: int = SEED) -> Iterator[Row | None]:
    """Endless seeded contact rows; ``None`` is a fully blank row.

    Roughly: 86 % valid Indian mobiles (a quarter of the bare ones as numbers, i.e.
    numeric cells in a workbook), 2 % Indian landlines and toll-free numbers, 5 %
    UK/US/Australian numbers, 7 % invalid or empty phone cells, 0.3 % blank rows.
    """
    rng = random.Random(seed)
    rand, randrange, choice = rng.random, rng.randrange, rng.choice
    used: set[int] = set()
    while True:
        kind = rand()
        if kind < 0.003:
            yield None
            continue
        if kind < 0.863:
            while True:
                number = randrange(6_000_000_000, 10_000_000_000)
                if number not in used:
                    used.add(number)
                    break
            text = str(number)
            style = rand()
            phone: str | int
            if style < 0.11:
                phone = number
            elif style < 0.45:
                phone = text
            elif style < 0.65:
                phone = "+91" + text
            elif style < 0.77:
                phone = f"+91 {text[:5]} {text[5:]}"
            elif style < 0.85:
                phone = "0" + text
            elif style < 0.90:
                phone = f"+91-{text[:5]}-{text[5:]}"
            else:
                phone = f"{text[:5]} {text[5:]}"
        elif kind < 0.878:
            phone = f"+91 22 {randrange(2000, 7000)} {randrange(10_000):04d}"
        elif kind < 0.883:
            phone = f"1800 {randrange(100, 1000)} {randrange(10_000):04d}"
        elif kind < 0.903:
            phone = f"+44 74{randrange(100):02d} {randrange(1_000_000):06d}"
        elif kind < 0.923:
            phone = f"+1 {choice(US_AREA_CODES)} {randrange(200, 1000)} {randrange(10_000):04d}"
        elif kind < 0.933:
            phone = f"+61 4{randrange(100):02d} {randrange(1000):03d} {randrange(1000):03d}"
        else:
            bad = rand()
            if bad < 0.3:
                phone = str(randrange(10_000, 100_000_000))  # too short
            elif bad < 0.5:
                digits = str(randrange(6_000_000_000, 10_000_000_000))
                phone = f"{digits[:4]}x{digits[4:]}"  # a letter in the middle
            elif bad < 0.65:
                phone = str(randrange(10**10, 10**11))  # one digit too many
            elif bad < 0.85:
                phone = ""  # empty phone cell in a filled row
            else:
                phone = choice(INVALID_SAMPLES)
        product, low, high, step = choice(PRODUCTS)
        first, last = choice(FIRST_NAMES), choice(SURNAMES)
        email = ""
        if rand() < 0.7:
            user = f"{first}.{last}".lower().replace("'", "")
            email = f"{user}{randrange(100)}@{choice(MAIL_DOMAINS)}"
        yield (
            phone,
            f"{first} {last}",
            randrange(low // step, high // step + 1) * step,
            product,
            choice(CITIES),
            FIRST_DUE + datetime.timedelta(days=randrange(90)),
            email,
        )


# ------------------------------------------------------------------------- CSV


def _csv_line(row: Row | None) -> bytes:
    if row is None:
        return b",,,,,,\n"
    # The vocabulary holds no commas or quotes, so no CSV quoting is needed.
    phone, name, amount, product, city, due, email = row
    return f"{phone},{name},{amount},{product},{city},{due.isoformat()},{email}\n".encode()


def make_csv(path: str | Path, target_bytes: int = DEFAULT_TARGET, seed: int = SEED) -> int:
    """Write a UTF-8 CSV of at most ``target_bytes``; returns the number of data rows."""
    header = (",".join(HEADER) + "\n").encode()
    size = len(header)
    lines: list[bytes] = [header]
    for row in iter_rows(seed):
        line = _csv_line(row)
        if size + len(line) > target_bytes:
            break
        lines.append(line)
        size += len(line)
    Path(path).write_bytes(b"".join(lines))
    return len(lines) - 1


# ------------------------------------------------------------------------ XLSX


def _write_xlsx(target: str | Path | io.BytesIO, rows: int, seed: int) -> None:
    """Write the first ``rows`` generated rows as a one-sheet workbook."""
    source = islice(iter_rows(seed), rows)
    try:
        import xlsxwriter
    except ImportError:
        _write_xlsx_openpyxl(target, source)
        return
    options: dict[str, Any] = {"default_date_format": "yyyy-mm-dd"}  # due dates as date cells
    if isinstance(target, io.BytesIO):
        options["in_memory"] = True
    workbook = xlsxwriter.Workbook(target, options)
    workbook.set_properties({"created": CREATED})
    sheet = workbook.add_worksheet("Contacts")
    sheet.write_row(0, 0, HEADER)
    write_row = sheet.write_row
    for index, row in enumerate(source, start=1):
        if row is not None:
            write_row(index, 0, row)
    workbook.close()


def _write_xlsx_openpyxl(target: str | Path | io.BytesIO, source: Iterator[Row | None]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = CREATED
    sheet = workbook.create_sheet("Contacts")
    sheet.append(HEADER)
    append = sheet.append
    for row in source:
        append(row if row is not None else ())
    workbook.save(target)


def _xlsx_size(rows: int, seed: int) -> int:
    buffer = io.BytesIO()
    _write_xlsx(buffer, rows, seed)
    return buffer.getbuffer().nbytes


def make_xlsx(path: str | Path, target_bytes: int = DEFAULT_TARGET, seed: int = SEED) -> int:
    """Write an XLSX of at most ``target_bytes`` (within ~3 % of it); returns data rows.

    A zipped workbook's size is not additive per row, so the row count is sized by
    measuring: a sample gives bytes per row, then full writes are rescaled until the
    file lands in [97 %, 100 %] of the target (usually the first or second write).
    """
    sample_rows = 20_000
    per_row = _xlsx_size(sample_rows, seed) / sample_rows
    rows = max(1, int(target_bytes / per_row * 0.99))
    best = 0
    for _ in range(6):
        data = io.BytesIO()
        _write_xlsx(data, rows, seed)
        size = data.getbuffer().nbytes
        if size <= target_bytes:
            best = rows
            Path(path).write_bytes(data.getvalue())
            if size >= target_bytes * 0.97:
                break
            rows = int(rows * target_bytes / size * 0.995)
        else:
            rows = int(rows * target_bytes / size * 0.99)
    if best == 0:
        raise RuntimeError(f"could not fit a workbook under {target_bytes} bytes")
    return best


# ------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write ~10 MB benchmark contact lists.")
    parser.add_argument("outdir", type=Path, help="directory for contacts_10mb.csv/.xlsx")
    parser.add_argument("--target-bytes", type=int, default=DEFAULT_TARGET)
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for name, make in (("contacts_10mb.csv", make_csv), ("contacts_10mb.xlsx", make_xlsx)):
        path = args.outdir / name
        started = time.perf_counter()
        rows = make(path, args.target_bytes)
        elapsed = time.perf_counter() - started
        print(f"{path}: {rows:,} rows, {path.stat().st_size:,} bytes, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
