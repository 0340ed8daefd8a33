"""Fix rows' look-alike flags after edits: only the changed rows are flagged again, and the
result is the whole list's flags, as if every row had been flagged again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from batchcall import read_contacts
from batchcall.checks.lookalike_rows import LOOKALIKE_COLUMNS, flag_lookalikes
from batchcall.ui import lookalike_flags
from batchcall.ui.lookalike_flags import current_flags
from batchcall.ui.state import Session
from batchcall.work.table import WorkTable

DATA = Path(__file__).resolve().parent / "data" / "checks"


def every_row_again(table: WorkTable) -> pd.DataFrame:
    report = table.report
    return flag_lookalikes(table.active, report.rows, table.route.region)[LOOKALIKE_COLUMNS]


@pytest.mark.parametrize("name", ["india_contacts.csv", "india_with_country.csv"])
def test_edits_drops_and_restores_give_the_flags_of_the_list_as_it_is(
    name: str, workspace: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    route = next(n for n in workspace["phone_numbers"] if n["id"] == "pn_in_mumbai")
    table = WorkTable(read_contacts(DATA / name), route, workspace["telephony_config"])
    session = Session(table=table)
    first = current_flags(session, table)
    pd.testing.assert_frame_equal(first[LOOKALIKE_COLUMNS], every_row_again(table))

    flagged: list[int] = []
    real = lookalike_flags.flag_lookalikes

    def counting(contacts: pd.DataFrame, *args: Any, **kwargs: Any) -> pd.DataFrame:
        flagged.append(len(contacts))
        return real(contacts, *args, **kwargs)

    monkeypatch.setattr(lookalike_flags, "flag_lookalikes", counting)
    rows = table.active.index
    table.edit({int(rows[0]): {"phone_number": "(646) 555-0198"}})  # now looks American
    table.edit({int(rows[1]): {"phone_number": "07400 123456"}})  # now looks British
    table.drop([int(rows[2])])
    after = current_flags(session, table)
    pd.testing.assert_frame_equal(after[LOOKALIKE_COLUMNS], every_row_again(table))
    assert flagged == [2]  # the two edited rows, not the list
    if name == "india_contacts.csv":  # no country column to say these rows are Indian
        assert after.loc[int(rows[0]), "lookalike"] == "US"

    table.restore([int(rows[2])])
    table.edit({int(rows[0]): {"phone_number": "98765 43210"}})  # Indian again
    again = current_flags(session, table)
    pd.testing.assert_frame_equal(again[LOOKALIKE_COLUMNS], every_row_again(table))
    assert flagged == [2, 2]
    assert pd.isna(again.loc[int(rows[0]), "lookalike"])
    current_flags(session, table)  # nothing changed since: nothing flagged again
    assert flagged == [2, 2]
