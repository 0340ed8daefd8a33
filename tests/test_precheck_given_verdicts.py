"""The pre-launch checks trust a working table's verdicts instead of judging every row
again, and answer exactly as if they had judged them, after edits and drops too."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from batchcall.checks.precheck import precheck
from batchcall.contacts import read_contacts
from batchcall.rules import distinct_cells, validate
from batchcall.samples import sample_path
from batchcall.work.table import WorkTable

from bench.ui_data import make_contacts

WORKSPACE = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
ROUTE = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+912234567890")
CONFIG = WORKSPACE["telephony_config"]


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> WorkTable:
    path = Path(tmp_path_factory.mktemp("lists")) / "contacts.csv"
    make_contacts(path, seed=5, rows=3_000)  # Indian, US, UK numbers; fixable and failing
    return WorkTable(read_contacts(path.read_bytes(), path.name), ROUTE, CONFIG)


def _same(table: WorkTable) -> None:
    given = precheck(table.active, ROUTE, CONFIG, validation=table.report)
    judged = precheck(table.active, ROUTE, CONFIG, at=given.at)
    pd.testing.assert_frame_equal(given.rows, judged.rows)


def test_the_verdicts_of_a_fresh_table_give_the_same_report(table: WorkTable) -> None:
    _same(table)


def test_after_edits_and_drops_the_tables_verdicts_give_the_same_report(
    table: WorkTable,
) -> None:
    rows = list(table.active.index)
    repeated = table.active.loc[rows[10], "phone_number"]
    table.edit(
        {
            rows[0]: {"phone_number": "+44 7400 123456"},  # another country's
            rows[1]: {"phone_number": "12"},  # invalid
            rows[2]: {"phone_number": repeated},  # a repeat of another row
            rows[3]: {"phone_number": "9876543210"},  # written without the country code
        }
    )
    table.drop(rows[20:40])
    assert table.report.distinct is None  # rebuilt from the table's verdicts
    _same(table)


def test_verdicts_of_other_rows_are_not_trusted(table: WorkTable) -> None:
    other = validate(table.active.iloc[:5], ROUTE, CONFIG)
    given = precheck(table.active, ROUTE, CONFIG, validation=other)
    assert len(given.rows) == len(table.active)
    pd.testing.assert_series_equal(
        given.rows["e164"], precheck(table.active, ROUTE, CONFIG, at=given.at).rows["e164"]
    )


def test_distinct_cells_found_again_match_those_validate_keeps(table: WorkTable) -> None:
    fresh = validate(table.active, ROUTE, CONFIG)
    found = distinct_cells(type(fresh)(fresh.rows))
    assert found.texts.to_pylist() == fresh.distinct.texts.to_pylist()
    assert found.codes.tolist() == fresh.distinct.codes.tolist()
    assert found.e164.to_pylist() == fresh.distinct.e164.to_pylist()
