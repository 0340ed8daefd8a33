"""Fix rows' list of failing rows stays exactly what a fresh build gives, edit after edit.

After an edit only the edited rows are redone in the list; any other change (a drop,
an undo, a restore, another route) builds it whole. Whatever the sequence, the list
must equal one built from scratch: the same rows, cells, fixes, order and types.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest
from batchcall.contacts import read_contacts
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.work.failing import failing_frame
from batchcall.work.fixes import suggest_fixes
from batchcall.work.table import WorkTable

from tests.apptest_support import ROUTE, SAMPLE, WORKSPACE
from tests.table_changes import random_change

KINDS = ["phone", "phone", "phone", "other", "drop", "restore", "undo"]
NUMBERS = ["9876543210", "+91 98765 43210", "12345", "+1 212 555 0143", "98765-4321", "", "0"]


def from_scratch(table: WorkTable) -> pd.DataFrame:
    failing = table.report.failing
    cells = list(pd.unique(failing[PHONE_COLUMN].to_numpy(dtype=object)))
    fixes = suggest_fixes(cells, table.route, table.config)
    return failing_frame(failing, table.original, table.current, fixes)


@pytest.mark.parametrize("seed", range(6))
def test_the_failing_list_equals_a_fresh_build_after_any_changes(seed: int) -> None:
    rng = random.Random(seed)
    table = WorkTable(read_contacts(SAMPLE), ROUTE, WORKSPACE["telephony_config"])
    for _ in range(40):
        table.failing_rows()  # as the page does after each change: the cache is warm
        random_change(table, rng, NUMBERS, KINDS, most=3)
        pd.testing.assert_frame_equal(table.failing_rows(), from_scratch(table))


def test_an_edit_followed_by_another_change_is_built_whole() -> None:
    table = WorkTable(read_contacts(SAMPLE), ROUTE, WORKSPACE["telephony_config"])
    first, second = list(table.original.index)[:2]
    table.failing_rows()
    table.edit({first: {PHONE_COLUMN: "12345"}})
    table.edit({second: {PHONE_COLUMN: "12345"}})  # two edits before the list is read
    listed = table.failing_rows()
    assert {first, second} <= set(listed.index)
    pd.testing.assert_frame_equal(listed, from_scratch(table))
