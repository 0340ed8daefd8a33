"""A changed table's report, built from the report before it, is the report a full check gives.

``recheck`` reuses the rows whose cell and verdict did not change. Whatever the
sequence of edits, drops, restores and undos, its report must equal ``precheck``'s on
the same rows at the same moment: every column, the groups of rows sharing zones (in
the same order, with the same counts) and each row's group.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from batchcall.checks import CallingWindow, PrecheckReport, precheck
from batchcall.checks.recheck import recheck
from batchcall.contacts import read_contacts
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.samples import sample_path
from batchcall.work.table import WorkTable

from bench.ui_data import make_contacts
from tests.table_changes import random_change

WORKSPACE = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
ROUTE = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+912234567890")
CONFIG = WORKSPACE["telephony_config"]
AT = datetime(2026, 3, 9, 3, 30, tzinfo=UTC)  # the day after the US changes its clocks
WINDOW = CallingWindow(start="09:00", end="19:00")
KINDS = ["phone", "phone", "repeat", "other", "drop", "restore", "undo"]
NUMBERS = [
    "7400123456",  # an Indian mobile
    "07400 123456",  # the same number, written as the UK writes its mobiles: a look-alike
    "+91 98765 43210",
    "022 2345 6789",  # a Mumbai landline
    "+1 212 555 0143",  # New York
    "+1 808 555 0143",  # Hawaii: a zone of its own
    "+44 7400 123456",  # a country the route does not call
    "1800 123 4567",  # toll-free
    "12345",
    "",
    "N/A",
]


@pytest.fixture(scope="module")
def contacts(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = Path(tmp_path_factory.mktemp("lists")) / "contacts.csv"
    make_contacts(path, seed=11, rows=2_000)  # Indian, US, UK numbers; fixable and failing
    return read_contacts(path.read_bytes(), path.name)


def assert_same_report(got: PrecheckReport, expected: PrecheckReport) -> None:
    pd.testing.assert_frame_equal(got.rows, expected.rows)
    assert got.groups.zones == expected.groups.zones
    assert got.groups.countries == expected.groups.countries
    np.testing.assert_array_equal(got.groups.counts, expected.groups.counts)
    np.testing.assert_array_equal(got.row_group, expected.row_group)
    assert (got.at, got.window) == (expected.at, expected.window)


def full_check(table: WorkTable, **options: object) -> PrecheckReport:
    return precheck(
        table.active, table.route, table.config, at=AT, window=WINDOW,
        validation=table.report, **options,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(5))
def test_a_report_rechecked_after_any_changes_equals_a_full_check(
    contacts: pd.DataFrame, seed: int
) -> None:
    rng = random.Random(seed)
    table = WorkTable(contacts, ROUTE, CONFIG)
    blocked = frozenset(rng.sample(list(table.report.rows["e164"].dropna()), 40))
    options = {"dnc": blocked, "expect_mobile": seed % 2 == 1}
    report = full_check(table, **options)
    for _ in range(12):
        random_change(table, rng, NUMBERS, KINDS, most=60)
        again = recheck(
            report, table.active, table.route, table.config,
            validation=table.report, **options,  # type: ignore[arg-type]
        )  # fmt: skip
        assert_same_report(again, full_check(table, **options))
        report = again  # the next change starts from a rechecked report


def test_a_cell_rewritten_to_the_same_number_is_checked_again(contacts: pd.DataFrame) -> None:
    table = WorkTable(contacts, ROUTE, CONFIG)
    row = int(table.active.index[0])
    table.edit({row: {PHONE_COLUMN: "7400123456"}})
    report = full_check(table)
    table.edit({row: {PHONE_COLUMN: "07400 123456"}})  # the same E.164, another country's way
    again = recheck(report, table.active, table.route, table.config, validation=table.report)
    assert again.rows.loc[row, "e164"] == report.rows.loc[row, "e164"]
    assert (report.rows.loc[row, "lookalike"], again.rows.loc[row, "lookalike"]) == (None, "GB")
    assert_same_report(again, full_check(table))


def test_a_telephony_config_changed_on_the_same_route_is_answered(
    contacts: pd.DataFrame,
) -> None:
    table = WorkTable(contacts, ROUTE, CONFIG)
    report = full_check(table)
    narrower = copy.deepcopy(CONFIG)
    for entry in narrower["countries"]:  # the US is no longer called
        for group in entry["network_groups"]:
            group["enabled"] = group["enabled"] and entry["country"] != "US"
    table.set_route(ROUTE, narrower)
    again = recheck(report, table.active, table.route, table.config, validation=table.report)
    assert (again.rows["reason"].notna().sum()) > (report.rows["reason"].notna().sum())
    assert_same_report(again, full_check(table))


def test_a_table_that_did_not_change_gives_the_same_report(contacts: pd.DataFrame) -> None:
    table = WorkTable(contacts, ROUTE, CONFIG)
    report = full_check(table)
    again = recheck(report, table.active, table.route, table.config, validation=table.report)
    assert_same_report(again, report)


def test_most_rows_changed_or_a_country_column_checks_everything_the_same(
    contacts: pd.DataFrame,
) -> None:
    table = WorkTable(contacts.assign(country="IN"), ROUTE, CONFIG)
    report = full_check(table)
    rows = list(table.active.index)
    table.edit({rows[0]: {"country": "US"}})  # look-alikes read this column
    again = recheck(report, table.active, table.route, table.config, validation=table.report)
    assert_same_report(again, full_check(table))

    plain = WorkTable(contacts, ROUTE, CONFIG)
    report = full_check(plain)
    plain.drop(list(plain.active.index)[: len(rows) * 3 // 4])
    again = recheck(report, plain.active, plain.route, plain.config, validation=plain.report)
    assert_same_report(again, full_check(plain))


def test_rows_dropped_down_to_none_give_an_empty_report(contacts: pd.DataFrame) -> None:
    table = WorkTable(contacts.head(50), ROUTE, CONFIG)
    report = full_check(table)
    table.drop(list(table.active.index))
    again = recheck(report, table.active, table.route, table.config, validation=table.report)
    assert again.total == 0
    assert_same_report(again, full_check(table))
