"""Fix rows' "Probably another country's number", through the real app script.

The list is the Indian sample (250 mobiles) with what a real export brings along: a
New York number written the US way, a UK mobile with its trunk 0, another US number,
a junk cell, a repeat of row 2 and a UK number written with +44. On the Mumbai route
the first three pass as Indian numbers: they are the look-alikes. The workspace
enables the US but no UK group, so a rewritten US number passes and a UK one is
refused, which the page says and the grid then shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from batchcall.contacts import read_contacts
from batchcall.samples import sample_path
from batchcall.ui.layout import PAGES
from batchcall.ui.lookalikes_view import ALL_KEY, ROW_KEY, TITLE
from batchcall.ui.state import PrecheckState, Session, Upload
from batchcall.work.table import WorkTable
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    ROUTE,
    WORKSPACE,
    assert_no_exception,
    loaded_session,
    open_page,
    texts,
)

FIX = PAGES["fix"][0]
EXTRA_ROWS = """\
(646) 555-0198,Emily Stone,120000,personal_loan,2024-05-20,New York
07400 123456,Oliver Hughes,80000,car_loan,2024-05-21,London
917-555-0134,Jessica Park,150000,home_loan,2024-05-22,New York
12345,Test Row,0,home_loan,2024-05-23,Pune
+91 98765 43210,Priya Sharma,500000,home_loan,2024-05-10,Delhi
+44 7400 123456,Oliver Hughes,80000,car_loan,2024-05-21,London
"""
ROWS = 256
"""The file's rows: 250 from the sample, 6 above (spreadsheet rows 2 to 257)."""
LOOKALIKES = {
    252: ("US", "+16465550198"),
    253: ("GB", "+447400123456"),
    254: ("US", "+19175550134"),
}
PLATFORM_REFUSED = {255: "invalid_phone_number", 257: "unsupported_destination_country"}
REPEAT = 256  # row 2's number again

pytestmark = pytest.mark.usefixtures("app_environment")


def indian_list_session() -> Session:
    """The list above loaded as the Upload page would, on the Mumbai route.

    Rows outside their calling hours are called anyway (as in ``loaded_session``), so no
    count depends on the hour the test runs at.
    """
    data = (sample_path("loan_followup.csv").read_text(encoding="utf-8") + EXTRA_ROWS).encode()
    contacts = read_contacts(data, "collections_may.csv")
    table = WorkTable(contacts, ROUTE, WORKSPACE["telephony_config"])
    return Session(
        upload=Upload("collections_may.csv", data),
        table=table,
        route_number=ROUTE["phone_number"],
        restored=True,
        prechecks=PrecheckState(leave_out_outside_hours=False),
    )


def listed(app: AppTest) -> dict[int, dict[str, str]]:
    """Spreadsheet row -> its line in the section's table ({} without a section)."""
    frames = [f.value for f in app.dataframe if "Other E.164" in f.value.columns]
    if not frames:
        return {}
    return {int(line.pop("Row")): line for line in frames[0].to_dict("records")}


def section_title(app: AppTest) -> str | None:
    return next((h.value for h in app.subheader if h.value.startswith(TITLE)), None)


def undo(app: AppTest) -> Any:
    return next(b for b in app.button if b.label.startswith("Undo"))


def test_the_section_lists_each_lookalike_with_its_country_and_what_it_needs() -> None:
    app = open_page(FIX, indian_list_session())
    assert_no_exception(app)
    assert section_title(app) == f"{TITLE} (3)"
    lines = listed(app)
    assert sorted(lines) == sorted(LOOKALIKES)
    assert lines[252] == {
        "Phone number": "(646) 555-0198",
        "Looks like": "United States",
        "Other E.164": "+16465550198",
        "Would need": "write it as +1 646 555 0198",  # this route reaches the US
    }
    assert lines[253] == {
        "Phone number": "07400 123456",
        "Looks like": "United Kingdom",
        "Other E.164": "+447400123456",
        "Would need": "write it as +44 7400 123456 and use a route that reaches the UK",
    }
    assert (lines[254]["Looks like"], lines[254]["Other E.164"]) == (
        "United States",
        LOOKALIKES[254][1],
    )
    assert [b.label for b in app.button if b.key and b.key.startswith("lookalike-rewrite-2")] == [
        "Rewrite row 252",
        "Rewrite row 253",
        "Rewrite row 254",
    ]
    # They pass the platform: not one of them is in the failing grid.
    assert set(app.data_editor[0].value.index) == set(PLATFORM_REFUSED)


def test_rewriting_one_row_is_one_step_to_undo_and_the_row_is_judged_again() -> None:
    session = indian_list_session()
    table = session.table
    assert table is not None
    app = open_page(FIX, session)
    app.button(key=ROW_KEY.format(row=252)).click().run()
    assert_no_exception(app)
    assert table.edits == {252: {"phone_number": "+16465550198"}}
    assert table.report.rows.loc[252, "reason"] is None  # the US is enabled: still passes
    assert table.report.rows.loc[252, "region"] == "US"
    assert "Rewrote row 252 as +16465550198: it passes" in texts(app.success)
    assert session.flash == [] and session.fix.outcome[2].startswith("Rewrote row 252")  # by Undo
    assert sorted(listed(app)) == [253, 254]
    assert section_title(app) == f"{TITLE} (2)"
    assert undo(app).label == "Undo: Rewrite row 252 as +16465550198"

    undo(app).click().run()
    assert_no_exception(app)
    assert table.edits == {}
    assert table.report.rows.loc[252, "region"] == "IN"
    assert sorted(listed(app)) == sorted(LOOKALIKES)


def test_rewriting_all_is_one_step_and_a_country_the_route_refuses_goes_to_the_grid() -> None:
    session = indian_list_session()
    table = session.table
    assert table is not None
    app = open_page(FIX, session)
    app.button(key=ALL_KEY).click().run()
    assert_no_exception(app)
    assert table.edits == {row: {"phone_number": number} for row, (_, number) in LOOKALIKES.items()}
    reasons = table.report.rows["reason"]
    assert reasons[252] is None and reasons[254] is None
    assert reasons[253] == "unsupported_destination_country"  # no UK group is enabled
    assert "refuses 1 of them (Country not enabled: 1)" in texts(app.warning)
    assert section_title(app) is None  # no look-alike left
    assert set(app.data_editor[0].value.index) == {*PLATFORM_REFUSED, 253}
    assert undo(app).label == "Undo: Rewrite 3 rows as the other country's number"

    undo(app).click().run()
    assert_no_exception(app)
    assert table.edits == {}
    assert set(app.data_editor[0].value.index) == set(PLATFORM_REFUSED)
    assert sorted(listed(app)) == sorted(LOOKALIKES)


def test_a_page_without_lookalikes_shows_no_section() -> None:
    app = open_page(FIX, loaded_session())
    assert_no_exception(app)
    assert section_title(app) is None
    assert not listed(app)


def test_after_submit_checked_the_rows_fix_rows_reuses_its_report(monkeypatch) -> None:
    session = indian_list_session()
    app = open_page(PAGES["submit"][0], session)
    assert_no_exception(app)
    assert session.caches.precheck_base.value is not None

    def not_again(*_: Any, **__: Any) -> None:
        raise AssertionError("the look-alikes were checked again")

    monkeypatch.setattr("batchcall.ui.lookalike_flags.flag_lookalikes", not_again)
    app.switch_page(FIX).run()
    assert_no_exception(app)
    lines = listed(app)
    assert {row: line["Other E.164"] for row, line in lines.items()} == {
        row: number for row, (_, number) in LOOKALIKES.items()
    }
