"""Destinations draws from one view per state of the working table: built once, and again
whenever an edit, a drop or another route changes what it shows."""

from __future__ import annotations

from apptest_support import (
    GB_MOBILE,
    TIMEOUT,
    assert_no_exception,
    loaded_session,
    metric,
    open_page,
    session_of,
)
from batchcall.ui.layout import PAGES

DESTINATIONS, FIX = PAGES["destinations"][0], PAGES["fix"][0]


def test_a_second_visit_draws_the_same_view_without_building_it_again() -> None:
    app = open_page(DESTINATIONS, loaded_session())
    assert_no_exception(app)
    first = session_of(app).caches.destinations.value
    assert first is not None
    app.switch_page(FIX).run(timeout=TIMEOUT)
    app.switch_page(DESTINATIONS).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert session_of(app).caches.destinations.value is first


def test_an_edit_or_a_drop_is_drawn_on_the_next_visit() -> None:
    session = loaded_session()
    table = session.table
    first, second = list(table.active.index[:2])
    app = open_page(DESTINATIONS, session)
    blocked = int(metric(app, "Blocked or invalid").replace(",", ""))
    total = table.report.total

    table.edit({first: {"phone_number": "12345"}, second: {"phone_number": GB_MOBILE}})
    app.switch_page(DESTINATIONS).run(timeout=TIMEOUT)  # as after Fix rows
    assert_no_exception(app)
    assert metric(app, "Blocked or invalid") == f"{blocked + 2:,}"

    table.drop([first])
    app.switch_page(DESTINATIONS).run(timeout=TIMEOUT)
    assert metric(app, "Blocked or invalid") == f"{blocked + 1:,}"
    assert metric(app, "Contacts") == f"{total - 1:,}"
