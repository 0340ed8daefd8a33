"""What the zip says before a sheet is read: calamine's reading of number formats,
whether dates are sure, and the peek that finds date columns near a sheet's top."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from batchcall.contacts.formats.calamine import calamine_grid
from batchcall.contacts.formats.xlsx.fast import fast_grid
from batchcall.contacts.formats.xlsx.reader import XlsxWorkbook
from batchcall.contacts.formats.xlsx.zipfacts import (
    DATE,
    DURATION,
    OTHER,
    date_columns,
    format_kind,
    zip_facts,
)

from tests.xlsx_support import Cell, CountingReader, readings, xlsx

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
    assert XlsxWorkbook(data, "d.xlsx").grid("S").equals(reference)


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
    book = XlsxWorkbook(data, "list.xlsx")
    texts, floats = CountingReader(book.fast_reader()), CountingReader(book.float_reader())
    fast = fast_grid(texts, floats, "S", dates=True, date_columns={2}, iso_cells=lambda: False)
    assert (texts.readings, floats.readings) == (1, 1)
    reference = calamine_grid(book.calamine(), "list.xlsx", "S")
    assert fast is not None and fast.equals(reference)
    assert fast[2].tolist()[1:4] == ["2024-06-01", "2024-06-02", "2024-06-03"]


def test_dates_found_below_the_peek_take_one_more_reading():
    data = contact_list(3_000)
    book = XlsxWorkbook(data, "list.xlsx")
    texts, floats = CountingReader(book.fast_reader()), CountingReader(book.float_reader())
    fast = fast_grid(texts, floats, "S", dates=True, date_columns=set(), iso_cells=lambda: False)
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
    grid = XlsxWorkbook(data, "x.xlsx").grid("Leads")
    assert grid.loc[2].tolist() == ["", "", "", "2024-05-01"]


def test_dates_the_fast_path_cannot_read_near_the_top_send_the_sheet_straight_to_calamine(
    monkeypatch: pytest.MonkeyPatch,
):
    durations = xlsx([[(1.75, "[h]:mm:ss"), ("9876543210", None)]])
    plain = xlsx([[(45413, "yyyy-mm-dd"), ("9876543210", None)]])
    assert zip_facts(durations).doubtful_styles and not zip_facts(plain).doubtful_styles
    tried: list[str] = []
    original = XlsxWorkbook.fast_grid

    def spy(self: XlsxWorkbook, sheet: str, **kwargs: object):
        tried.append(self.name)
        return original(self, sheet, **kwargs)

    monkeypatch.setattr(XlsxWorkbook, "fast_grid", spy)
    grid = XlsxWorkbook(durations, "durations.xlsx").grid("S")
    assert grid[0].tolist()[1:] == ["42:00:00", "9876543210"]
    XlsxWorkbook(plain, "plain.xlsx").grid("S")
    assert tried == ["plain.xlsx"]
