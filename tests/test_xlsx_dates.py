"""Date, time and duration cells on the fast XLSX path, against python-calamine.

Workbooks are written by XlsxWriter (and openpyxl) with every kind of cell in
the same columns; the fast path must either give python-calamine's exact grid
or step aside (``fast_grid`` -> None), and must not step aside for plain dates.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from batchcall.contacts.formats.calamine import calamine_grid
from batchcall.contacts.formats.xlsx.fast import fast_grid
from batchcall.contacts.formats.xlsx.reader import XlsxWorkbook
from batchcall.contacts.formats.xlsx.zipfacts import iso_date_cells, zip_facts
from batchcall.work.exports import xlsx_bytes

from tests.xlsx_support import Cell, CountingReader, assert_fast_and_same, readings, xlsx

MIXED: list[Cell] = [
    (dt.datetime(2024, 5, 1), "yyyy-mm-dd"),
    ("2024-05-01 00:00:00", None),  # text in fastexcel's own date shape
    ("2024-05-01T00:00:00", None),
    ("2024-05-01", None),
    (dt.time(10, 30), "hh:mm:ss"),
    (45000, None),
    (45000.5, "dd/mm/yyyy"),
    (0.0, "h:mm"),
    (1.5, "yyyy-mm-dd"),
    (60, "d-mmm-yy"),
    (61, "mm/dd/yyyy"),
    (0.99999, "hh:mm:ss"),
    (dt.datetime(2024, 5, 1, 10, 30, 15, 500000), "yyyy-mm-dd hh:mm:ss.000"),
    (45413.0000000001, "yyyy-mm-dd hh:mm"),
    (45413.9999999999, "yyyy-mm-dd hh:mm"),
    (0.5000001, "yyyy-mm-dd hh:mm"),
    (True, None),
    ("45000", None),
    (9876543210, None),
    (2958465.99999999, "yyyy-mm-dd hh:mm:ss"),
    (45413, "[$-409]mmmm d, yyyy;@"),
    (45413.25, "h:mm AM/PM"),
    (12.5, '0.0" days"'),  # quoted d: a number, not a date
    (9876543210, "[<=9999999]###-####;(###) ###-####"),  # Excel's phone format
]


@pytest.mark.parametrize("alongside", [True, False], ids=["alongside", "after"])
def test_a_column_of_every_kind_is_read_fast_and_the_same(alongside: bool):
    assert_fast_and_same(xlsx([MIXED, list(reversed(MIXED))]), alongside=alongside)


def test_calamine_texts_of_dates_and_times():
    fast, _ = readings(xlsx([MIXED[:5] + MIXED[11:13]]))
    assert fast is not None
    assert fast[0].tolist()[1:] == [
        "2024-05-01",
        "2024-05-01 00:00:00",
        "2024-05-01T00:00:00",
        "2024-05-01",
        "10:30:00",
        "23:59:59.136000",
        "2024-05-01 10:30:15",
    ]


EVERYDAY_FORMATS = [  # what Excel and LibreOffice offer, in several locales
    "yyyy-mm-dd",
    "dd/mm/yyyy hh:mm",
    "h:mm:ss",
    "mmm-yy",
    "m/d/yyyy",
    "d-mmm-yy",
    "[$-en-US]dddd, mmmm d, yyyy",
    "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
    "h:mm:ss AM/PM",
    "mm:ss.0",
    "yyyy\\-mm\\-dd",
    "dd\\.mm\\.yyyy",
    "dd.mm.yy;@",
    "0.00",
    "#,##0",
    '#,##0.00 "INR"',
    "[$₹-4009] #,##0.00",
    "0%",
    "0.00E+00",
    "# ?/?",
    "[Red]0.00",
    '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-',
    "@",
    "General",
]


@pytest.mark.parametrize("seed", range(3))
def test_random_serials_in_date_formats(seed: int):
    rng = random.Random(seed)
    codes = [*EVERYDAY_FORMATS, None]
    serial: list[Callable[[], float]] = [
        lambda: rng.randint(1, 80_000),
        lambda: rng.uniform(0, 1),
        lambda: round(rng.uniform(1, 80_000), rng.randint(0, 12)),
        lambda: rng.randint(1, 80_000) + rng.randint(0, 86_399) / 86_400,
    ]
    columns = [[(rng.choice(serial)(), rng.choice(codes)) for _ in range(2_000)] for _ in range(3)]
    assert_fast_and_same(xlsx(columns))


def test_text_shaped_like_dates_in_a_workbook_without_date_formats_stays_fast():
    cells: list[Cell] = [("2024-05-01", None), ("2024-05-01 10:30:00", None), ("10:30", None)]
    data = xlsx([cells])
    assert not zip_facts(data).dates
    assert_fast_and_same(data)


@pytest.mark.parametrize(
    ("columns", "options"),
    [
        ([[(1.75, "[h]:mm:ss"), (dt.datetime(2024, 5, 1), "yyyy-mm-dd")]], None),
        ([[(45413, "yyyy-mm-dd"), (45413.5, "yyyy-mm-dd hh:mm")]], {"date_1904": True}),
        ([[(-0.5, "yyyy-mm-dd hh:mm"), (45413, "yyyy-mm-dd")]], None),
        ([[(1.0, "yyyy-mm-dd hh:mm:ss")]], None),
    ],
    ids=["duration", "1904 dates", "negative serial", "serial one"],
)
def test_doubtful_dates_step_aside_and_the_workbook_still_reads_the_same(columns, options):
    data = xlsx(columns, options)
    fast, reference = readings(data)
    assert fast is None
    grid = XlsxWorkbook(data, "dates.xlsx").grid("S")
    assert grid.to_numpy().tolist() == reference.to_numpy().tolist()


def test_openpyxl_dates_and_iso_date_cells():
    for iso_dates in (False, True):
        book = openpyxl.Workbook(iso_dates=iso_dates)
        sheet = book.active
        sheet.title = "S"
        sheet.append(["phone_number", "due_date", "called_at"])
        for day in range(1, 29):
            when = dt.datetime(2024, 2, day, day % 24, day)
            sheet.append([f"+9198765432{day:02d}", dt.date(2024, 2, day), when])
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        fast, reference = readings(data)
        assert fast is None or fast.to_numpy().tolist() == reference.to_numpy().tolist()
        if not iso_dates:
            assert fast is not None
        grid = XlsxWorkbook(data, "dates.xlsx").grid("S")
        assert grid.to_numpy().tolist() == reference.to_numpy().tolist()
        assert grid[1].tolist()[1:3] == ["2024-02-01", "2024-02-02"]


def test_libreoffice_dates_are_read_fast_and_the_same():
    data = (Path(__file__).parent / "fixtures" / "dates.xlsx").read_bytes()
    book = XlsxWorkbook(data, "dates.xlsx")
    fast = book.fast_grid("Dates")
    reference = calamine_grid(book.calamine(), "dates.xlsx", "Dates")
    assert fast is not None and fast.equals(reference)
    assert fast.loc[3].tolist()[:5] == [
        "+91 98765 00001",
        "Name 1",
        "2024-06-02",
        "16:16:00",
        "2024-06-01 16:16:00",
    ]


def test_iso_date_cells_are_read_as_python_calamine_reads_them():
    book = openpyxl.Workbook(iso_dates=True)
    sheet = book.active
    sheet.title = "S"
    sheet.append(["when", "at", "date"])
    sheet.append([dt.datetime(2024, 2, 1, 10, 30), dt.time(10, 30), dt.date(2024, 2, 1)])
    sheet.append([dt.datetime(2024, 2, 2), dt.time(10, 30, 0, 500_000), "2024-02-02"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    for alongside in (True, False):
        fast, _ = readings(data, alongside=alongside)
        assert fast is None  # "2024-02-01T10:30:00" and "10:30:00.5" are python-calamine's
    grid = XlsxWorkbook(data, "iso.xlsx").grid("S")
    assert grid.loc[3].tolist() == ["2024-02-02", "10:30:00.500000", "2024-02-02"]


def test_text_dates_without_date_formats_take_no_datetime_reading():
    """A cleaned file written by the workbench: dates are text, no style shows dates."""
    table = pd.DataFrame(
        {"phone_number": ["9876543210"] * 3, "due": ["2024-05-01", "", "10:30:00"]}
    )
    data = xlsx_bytes(table)
    assert not zip_facts(data).dates
    book = XlsxWorkbook(data, "cleaned.xlsx")
    texts, floats = CountingReader(book.fast_reader()), CountingReader(book.float_reader())
    no_iso_cells = partial(iso_date_cells, data, "contacts")
    fast = fast_grid(texts, floats, "contacts", dates=True, iso_only=True, iso_cells=no_iso_cells)
    assert (texts.readings, floats.readings) == (1, 1)
    assert fast is not None and fast[1].tolist() == ["due", "2024-05-01", "", "10:30:00"]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("2024-02-01T10:30:00", "2024-02-01 10:30:00"), ("10:30", "10:30:00"), ("2024-02-01", None)],
)
def test_iso_date_cells_without_date_formats_read_as_python_calamine_does(stored, shown):
    table = pd.DataFrame({"phone_number": ["9876543210"], "when": ["PLACEHOLDER"]})
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(table))) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    iso_cell = f'<c r="B2" t="d"><v>{stored}</v></c>'.encode()
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<c r="B2"[^>]*>.*?</c>', iso_cell, sheet)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    data = buffer.getvalue()
    reference = calamine_grid(XlsxWorkbook(data, "iso.xlsx").calamine(), "iso.xlsx", "contacts")
    assert reference.loc[2, 1] == (shown or stored)
    assert XlsxWorkbook(data, "iso.xlsx").grid("contacts").equals(reference)


def test_whole_numbers_past_two_to_the_53_read_as_their_shortest_digits():
    cells: list[Cell] = [
        (98765432101234600, None),
        ("98765432101234592", None),  # text: kept exactly
        ("12345678901234567890", None),
        (1e20, None),
        (9007199254740993, "0"),
    ]
    data = xlsx([cells])
    fast, reference = readings(data)
    assert reference[0].tolist()[1:] == [
        "98765432101234600",
        "98765432101234592",
        "12345678901234567890",
        "100000000000000000000",
        "9007199254740992",
    ]
    assert fast is None or fast.equals(reference)
    assert XlsxWorkbook(data, "big.xlsx").grid("S").equals(reference)


def test_durations_read_as_a_duration_format_shows_them():
    data = xlsx([[(1.5 + 5 / 1440, "[h]:mm:ss"), (dt.datetime(2024, 5, 1), "yyyy-mm-dd")]])
    grid = XlsxWorkbook(data, "d.xlsx").grid("S")
    assert grid[0].tolist()[1:] == ["36:05:00", "2024-05-01"]
