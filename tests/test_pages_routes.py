"""Destinations & routes: choosing the route, and what each route allows, through AppTest."""

from __future__ import annotations

import pytest
from batchcall.ui.layout import PAGES
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    ROUTE,
    TIMEOUT,
    assert_no_exception,
    loaded_session,
    open_page,
    session_of,
)

SIP_NUMBER = "+14155550123"
MUMBAI = ROUTE["phone_number"]
DELHI_NO_AGENT = "+911140001234"

pytestmark = pytest.mark.usefixtures("app_environment")


def route_picker(app: AppTest):
    return next(s for s in app.selectbox if s.label.startswith("Outbound number"))


def sidebar_route(app: AppTest) -> str:
    """The route the sidebar names (the markdown right after its "Route" caption)."""
    captions = [c.value for c in app.sidebar.caption]
    assert "Route" in captions
    return next(m.value for m in app.sidebar.markdown if m.value.startswith("**+"))


def test_every_route_change_takes_effect_at_once() -> None:
    app = open_page(PAGES["destinations"][0], loaded_session())
    assert_no_exception(app)
    assert route_picker(app).value == MUMBAI
    for number in (SIP_NUMBER, MUMBAI, SIP_NUMBER, DELHI_NO_AGENT):
        route_picker(app).set_value(number).run(timeout=TIMEOUT)
        assert_no_exception(app)
        session = session_of(app)
        assert session.route_number == number
        assert session.table.route.phone_number == number
        assert route_picker(app).value == number
        assert sidebar_route(app) == f"**{number}**"  # the sidebar of the same run


def test_the_route_chosen_survives_a_page_switch() -> None:
    app = open_page(PAGES["destinations"][0], loaded_session())
    route_picker(app).set_value(SIP_NUMBER).run(timeout=TIMEOUT)
    app.switch_page(PAGES["fix"][0]).run(timeout=TIMEOUT)
    app.switch_page(PAGES["destinations"][0]).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert route_picker(app).value == SIP_NUMBER
    assert session_of(app).table.route.phone_number == SIP_NUMBER


def test_a_route_the_platform_refuses_is_flagged_where_it_is_chosen() -> None:
    app = open_page(PAGES["destinations"][0], loaded_session())
    assert not app.warning
    assert route_picker(app).format_func(DELHI_NO_AGENT).endswith("no outbound agent")
    route_picker(app).set_value(DELHI_NO_AGENT).run(timeout=TIMEOUT)
    assert_no_exception(app)
    assert f"{DELHI_NO_AGENT} has no outbound agent" in app.warning[0].value
