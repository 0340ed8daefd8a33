"""Undo survives a refresh: the working table's history goes into its draft and back."""

from __future__ import annotations

import json

import pytest
from batchcall.work.history import KEPT_ACTIONS
from batchcall.work.table import WorkTable

from tests.test_worktable import small_table
from tests.workspace_data import IN_ROUTE, TELEPHONY_CONFIG


@pytest.fixture
def table() -> WorkTable:
    return small_table()


def reloaded(table: WorkTable) -> WorkTable:
    """The table as a browser refresh rebuilds it: from the draft's JSON text."""
    fresh = WorkTable(table.original, IN_ROUTE, TELEPHONY_CONFIG)
    fresh.apply_draft(json.loads(json.dumps(table.to_draft())))
    return fresh


def test_after_a_reload_undo_takes_back_the_last_actions_in_order(table: WorkTable) -> None:
    table.edit({3: {"phone_number": "9123456789"}}, "Edit in grid")
    table.apply_fixes()
    table.drop_reason("unsupported_destination_country")
    table.edit({3: {"phone_number": "9123456780", "customer_name": "R"}}, "Edit row 3 again")
    fresh = reloaded(table)
    assert [a.label for a in fresh.history] == [a.label for a in table.history]
    assert fresh.edits == table.edits and fresh.dropped == table.dropped
    assert fresh.undo() == "Edit row 3 again"
    assert fresh.edits[3] == {"phone_number": "9123456789"}
    assert fresh.undo() == "Drop: Country not enabled"
    assert fresh.dropped == set()
    assert fresh.undo() == "Apply fixes"
    assert fresh.current.loc[6, "phone_number"] == "9876543210.0"
    assert fresh.undo() == "Edit in grid"
    assert fresh.edits == {} and fresh.undo() is None
    assert (
        fresh.report.to_tuples()
        == WorkTable(table.original, IN_ROUTE, TELEPHONY_CONFIG).report.to_tuples()
    )


def test_recipe_steps_survive_the_reload(table: WorkTable) -> None:
    table.apply_fixes("invalid_phone_number")
    fresh = reloaded(table)
    assert fresh.history[0].steps == table.history[0].steps
    assert fresh.history[0].bulk


def test_drop_all_failing_is_one_step_whatever_the_reason(table: WorkTable) -> None:
    assert table.drop_failing() == 4
    assert table.summary()["failing"] == 0 and table.summary()["dropped"] == 4
    assert {s["reason"] for s in table.history[-1].steps} == {
        "invalid_phone_number",
        "unsupported_destination_country",
        "unsupported_prefix",
    }
    assert reloaded(table).undo() == "Drop all failing rows"
    assert table.undo() == "Drop all failing rows"
    assert table.summary()["failing"] == 4


def test_history_handed_over_later_goes_under_newer_actions(table: WorkTable) -> None:
    table.edit({3: {"phone_number": "9123456789"}}, "First")
    draft = json.loads(json.dumps(table.to_draft()))
    fresh = WorkTable(table.original, IN_ROUTE, TELEPHONY_CONFIG)
    fresh.apply_draft({"edits": draft["edits"], "dropped": draft["dropped"]})
    assert fresh.history_pending and fresh.history == []
    fresh.drop([5], "Second")
    assert fresh.adopt_history(draft["history"]) == 1
    assert not fresh.history_pending
    assert fresh.undo() == "Second" and fresh.undo() == "First"
    assert fresh.edits == {} and fresh.dropped == set()


def test_a_damaged_history_restores_the_work_without_it(table: WorkTable) -> None:
    table.edit({3: {"phone_number": "9123456789"}}, "First")
    draft = json.loads(json.dumps(table.to_draft()))
    for damage in (
        "not a list",
        [{"label": 3}],
        [{"label": "x", "previous_edits": {"99": None}}],  # a row the file does not have
        [{"label": "x", "previous_edits": {"3": {"nope": "1"}}}],
        [{"label": "x", "was_dropped": [True]}],
    ):
        fresh = WorkTable(table.original, IN_ROUTE, TELEPHONY_CONFIG)
        fresh.apply_draft({**draft, "history": damage})
        assert fresh.edits == table.edits
        assert fresh.history == [] and fresh.undo() is None


def test_a_draft_keeps_only_the_last_actions(table: WorkTable) -> None:
    for n in range(KEPT_ACTIONS + 5):
        table.edit({3: {"customer_name": f"name {n}"}}, f"Edit {n}")
    fresh = reloaded(table)
    assert len(fresh.history) == KEPT_ACTIONS
    assert fresh.history[-1].label == f"Edit {KEPT_ACTIONS + 4}"
