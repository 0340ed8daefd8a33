"""Date, time and duration cells on the fast XLSX path, against python-calamine.

Workbooks are written by XlsxWriter (and openpyxl) with every kind of cell in
the same columns; the fast path must either give python-calamine's exact grid
or step aside (``fast_grid`` -> None), and must not step aside for plain dates.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from lib.sheets import Workbook, calamine_grid
from lib.xlsx_fast import fast_grid
from lib.xlsx_styles import DATE, DURATION, OTHER, date_columns, format_kind, zip_facts

Cell = tuple[Any, str | None]  # a value and its number format (None: General)


def xlsx(columns: list[list[Cell]], options: dict[str, Any] | None = None) -> bytes:
    """One sheet "S": a header row, then each column's cells written with their formats."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, options or {})
    sheet = book.add_worksheet("S")
    formats: dict[str, Any] = {}
    for column, cells in enumerate(columns):
        sheet.write_string(0, column, f"c{column}")
        for row, (value, code) in enumerate(cells, start=1):
            style = None
            if code:
                style = formats.setdefault(code, book.add_format({"num_format": code}))
            sheet.write(row, column, value, style)
    book.close()
    return buffer.getvalue()


def readings(data: bytes, *, alongside: bool = True) -> tuple[Any, Any]:
    """(fast grid or None, python-calamine's grid) of sheet "S". ``alongside``: columns
    with dates near the top are read as datetimes instead of floats; else all dates are
    found late, and read in a reading of their own."""
    book = Workbook(data, "xlsx", "dates.xlsx")
    facts = zip_facts(data)
    dated = date_columns(data, "S", facts) if alongside else set()
    readers = book.fast_reader(), book.float_reader()
    fast = fast_grid(*readers, "S", dates=facts.sure_dates, date_columns=dated)
    return fast, calamine_grid(book.calamine(), "dates.xlsx", "S")


def assert_fast_and_same(data: bytes, *, alongside: bool = True) -> None:
    fast, reference = readings(data, alongside=alongside)
    assert fast is not None, "the fast path stepped aside"
    assert fast.to_numpy().tolist() == reference.to_numpy().tolist()
    assert list(fast.index) == list(reference.index)


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
    grid = Workbook(data, "xlsx", "dates.xlsx").grid("S")
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
        grid = Workbook(data, "xlsx", "dates.xlsx").grid("S")
        assert grid.to_numpy().tolist() == reference.to_numpy().tolist()
        assert grid[1].tolist()[1:3] == ["2024-02-01", "2024-02-02"]


# calamine's own examples for its format reader, with its verdicts
CALAMINE_FORMATS = {
    "DD/MM/YY": DATE,
    "H:MM:SS;@": DATE,
    "#,##0\\ [$\\u20bd-46D]": OTHER,
    'm"M"d"D";@': DATE,
    "[h]:mm:ss": DURATION,
    '"Y: "0.00"m";"Y: "-0.00"m";"Y: <num>m";@': OTHER,
    '"$"#,##0_);[Red]("$"#,##0)': OTHER,
    '[$-404]e"\\xfc"m"\\xfc"d"\\xfc"': DATE,
    "0_ ;[Red]\\-0\\ ": OTHER,
    "\\Y000000": OTHER,
    '#,##0.0####" YMD"': OTHER,
    "[h]": DURATION,
    "[ss]": DURATION,
    "[s].000": DURATION,
    "[m]": DURATION,
    "[mm]": DURATION,
    "[Blue]\\+[h]:mm;[Red]\\-[h]:mm;[Green][h]:mm": DURATION,
    "[>=100][Magenta][s].00": DURATION,
    "[h]:mm;[=0]\\-": DURATION,
    "[>=100][Magenta].00": OTHER,
    "[>=100][Magenta]General": OTHER,
    "ha/p\\\\m": DATE,
    '#,##0.00\\ _M"H"_);[Red]#,##0.00\\ _M"S"_)': OTHER,
    "#,##0*y": OTHER,
    '0"x"*d': OTHER,
    "*-#,##0": OTHER,
    "*-yyyy-mm-dd": DATE,
}


@pytest.mark.parametrize(("code", "kind"), CALAMINE_FORMATS.items())
def test_format_kind_reads_codes_as_calamine_does(code: str, kind: str):
    assert format_kind(code) == kind


def test_a_fill_character_older_calamine_reads_as_a_date_makes_dates_unsure():
    assert format_kind("#,##0*y", fill_is_literal=False) == DATE
    data = xlsx([[(45413, "#,##0*y"), (dt.datetime(2024, 5, 1), "yyyy-mm-dd")]])
    assert not zip_facts(data).sure_dates
    fast, reference = readings(data)
    assert fast is None
    assert Workbook(data, "xlsx", "d.xlsx").grid("S").equals(reference)


class CountingReader:
    """A fastexcel reader that counts its sheet readings."""

    def __init__(self, reader: Any) -> None:
        self.reader, self.readings = reader, 0

    def load_sheet(self, *args: Any, **kwargs: Any) -> Any:
        self.readings += 1
        return self.reader.load_sheet(*args, **kwargs)


def contact_list(rows: int) -> bytes:
    start = dt.date(2024, 6, 1)
    phones: list[Cell] = [(f"+91 98765 {i:05d}", None) for i in range(rows)]
    names: list[Cell] = [(f"Name {i}", None) for i in range(rows)]
    due: list[Cell] = [(start + dt.timedelta(days=i % 90), "dd-mm-yyyy") for i in range(rows)]
    amounts: list[Cell] = [(1000 + i * 0.25, "#,##0.00") for i in range(rows)]
    return xlsx([phones, names, due, amounts])


def test_a_date_column_is_read_as_datetimes_with_the_floats_and_nothing_more():
    data = contact_list(3_000)
    facts = zip_facts(data)
    assert date_columns(data, "S", facts) == {2}
    book = Workbook(data, "xlsx", "list.xlsx")
    texts, floats = CountingReader(book.fast_reader()), CountingReader(book.float_reader())
    fast = fast_grid(texts, floats, "S", dates=True, date_columns={2})
    assert (texts.readings, floats.readings) == (1, 1)
    reference = calamine_grid(book.calamine(), "list.xlsx", "S")
    assert fast is not None and fast.equals(reference)
    assert fast[2].tolist()[1:4] == ["2024-06-01", "2024-06-02", "2024-06-03"]


def test_dates_found_below_the_peek_take_one_more_reading():
    data = contact_list(3_000)
    book = Workbook(data, "xlsx", "list.xlsx")
    texts, floats = CountingReader(book.fast_reader()), CountingReader(book.float_reader())
    fast = fast_grid(texts, floats, "S", dates=True, date_columns=set())
    assert (texts.readings, floats.readings) == (2, 1)
    assert fast is not None and fast.equals(calamine_grid(book.calamine(), "l.xlsx", "S"))


def test_the_peek_finds_the_named_sheet_among_several():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, column in (("Notes & <Info>", 0), ("Leads", 3)):
        sheet = book.add_worksheet(title)
        sheet.write_string(0, 0, "phone_number")
        sheet.write_datetime(1, column, dt.datetime(2024, 5, 1), dated)
    book.close()
    data = buffer.getvalue()
    facts = zip_facts(data)
    assert date_columns(data, "Notes & <Info>", facts) == {0}
    assert date_columns(data, "Leads", facts) == {3}
    assert date_columns(data, "Missing", facts) == set()
    grid = Workbook(data, "xlsx", "x.xlsx").grid("Leads")
    assert grid.loc[2].tolist() == ["", "", "", "2024-05-01"]


def test_libreoffice_dates_are_read_fast_and_the_same():
    data = (Path(__file__).parent / "fixtures" / "dates.xlsx").read_bytes()
    facts = zip_facts(data)
    book = Workbook(data, "xlsx", "dates.xlsx")
    dated = date_columns(data, "Dates", facts)
    fast = fast_grid(
        book.fast_reader(), book.float_reader(), "Dates", dates=True, date_columns=dated
    )
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
    grid = Workbook(data, "xlsx", "iso.xlsx").grid("S")
    assert grid.loc[3].tolist() == ["2024-02-02", "10:30:00.500000", "2024-02-02"]
