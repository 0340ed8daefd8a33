"""batchcall.checks.lookalike_rows: precheck's look-alikes without precheck, and what each
flagged row would need. Indian route = the shipped workspace's Mumbai route, whose config
enables the US and no UK group."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from batchcall import precheck, read_contacts
from batchcall.checks.lookalike_rows import (
    LOOKALIKE_COLUMNS,
    flag_lookalikes,
    lookalike_fixes,
    place_name,
)
from batchcall.work.table import WorkTable

DATA = Path(__file__).resolve().parent / "data" / "checks"
AT = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)


@pytest.fixture
def route(workspace: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in workspace["phone_numbers"] if n["id"] == "pn_in_mumbai")


@pytest.fixture
def config(workspace: dict[str, Any]) -> dict[str, Any]:
    return workspace["telephony_config"]


def flags_of(table: WorkTable, *, reuse_cells: bool = True) -> pd.DataFrame:
    report = table.report
    distinct = report.distinct if reuse_cells else None
    return flag_lookalikes(table.active, report.rows, table.route.region, distinct)


@pytest.mark.parametrize(
    "name", ["india_contacts.csv", "india_with_country.csv", "world_contacts.csv"]
)
def test_the_same_flags_as_precheck_with_or_without_the_reports_cells(name, route, config):
    contacts = read_contacts(DATA / name)
    expected = precheck(contacts, route, config, at=AT).rows[LOOKALIKE_COLUMNS]
    table = WorkTable(contacts, route, config)
    assert table.report.distinct is not None  # untouched: validate's own cells are reused
    pd.testing.assert_frame_equal(flags_of(table), expected)
    pd.testing.assert_frame_equal(flags_of(table, reuse_cells=False), expected)


def test_after_edits_and_drops_the_flags_follow_the_cells_as_they_are(route, config):
    table = WorkTable(read_contacts(DATA / "india_contacts.csv"), route, config)
    table.edit({3: {"phone_number": "+1 646 555 0198"}, 2: {"phone_number": "(212) 555-0147"}})
    table.drop([4])
    flags = flags_of(table)
    expected = precheck(table.active, route, config, at=AT).rows[LOOKALIKE_COLUMNS]
    pd.testing.assert_frame_equal(flags, expected)
    assert flags["lookalike"].dropna().to_dict() == {2: "US", 8: "US"}
    assert 4 not in flags.index


def test_what_each_flagged_row_would_need(route, config):
    table = WorkTable(read_contacts(DATA / "india_with_country.csv"), route, config)
    flags = flags_of(table)
    flagged = flags[flags["lookalike"].notna()].join(table.active[["phone_number"]])
    details = lookalike_fixes(flagged, table.route, table.config)
    assert details["written"].to_dict() == {
        2: "+44 20 7946 0018",
        3: "+1 917 555 0134",
        7: "+44 7400 123456",
        8: "+1 646 555 0198",
    }
    assert details["passes_after"].to_dict() == {2: False, 3: True, 7: False, 8: True}
    assert details.loc[3, "need"] == "write it as +1 917 555 0134"
    assert details.loc[7, "need"] == (
        "write it as +44 7400 123456 and use a route that reaches the UK"
    )


def test_a_list_without_lookalikes_needs_nothing(route, config):
    table = WorkTable(read_contacts(DATA / "world_contacts.csv"), route, config)
    flags = flags_of(table)
    flagged = flags[flags["lookalike"].notna()].join(table.active[["phone_number"]])
    details = lookalike_fixes(flagged, table.route, table.config)
    assert details.empty
    assert {"written", "passes_after", "need"} <= set(details.columns)


def test_place_names_read_in_a_sentence():
    assert place_name("US") == "the US"
    assert place_name("GB") == "the UK"
    assert place_name("AU") == "Australia"
    assert place_name("NZ") == "NZ"
