"""batchcall.checks: look-alikes, unusual number types, exit-code repairs and route advice.

Indian route = the shipped workspace's Mumbai route. Every number here was
checked with ``phonenumbers`` for both readings (the route's and the other
country's) before it went into a test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from batchcall import (
    international_prefix_fix,
    precheck,
    read_contacts,
    route_switch_effect,
)
from batchcall.checks import country_column

DATA = Path(__file__).resolve().parent / "data" / "checks"
AT = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)
US_ROUTE = {"id": "pn_us_nyc", "phone_number": "+12125550147", "country": "US", "provider": "plivo"}
FR_ROUTE = {"id": "pn_fr_paris", "phone_number": "+33142685300", "country": "FR"}
FR_CONFIG = {
    "provider": "plivo",
    "countries": [{"country": "FR", "network_groups": [{"name": "FR", "prefixes": ["+33"]}]}],
}


@pytest.fixture
def workspace_routes(workspace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in workspace["phone_numbers"]}


@pytest.fixture
def route(workspace_routes) -> dict[str, Any]:
    return workspace_routes["pn_in_mumbai"]


@pytest.fixture
def config(workspace: dict[str, Any]) -> dict[str, Any]:
    return workspace["telephony_config"]


def table(*numbers: str, **columns: list[str]) -> pd.DataFrame:
    index = pd.Index(range(2, 2 + len(numbers)), name="row")
    return pd.DataFrame({"phone_number": list(numbers), **columns}, index=index)


def test_us_and_uk_numbers_written_nationally_on_an_indian_route(route, config):
    report = precheck(read_contacts(DATA / "india_contacts.csv"), route, config, at=AT)
    found = report.lookalikes
    assert found["lookalike"].to_dict() == {3: "US", 4: "GB", 8: "US"}
    assert found["e164"].to_dict() == {3: "+916465550198", 4: "+917400123456", 8: "+919175550134"}
    assert found["lookalike_e164"].to_dict() == {
        3: "+16465550198",  # (646) 555-0198: New York, written the US way
        4: "+447400123456",  # 07400 123456: a UK mobile with its trunk 0
        8: "+19175550134",  # 917-555-0134
    }
    assert found.loc[3, "advice"] == "probably a US number: +16465550198; add +1 or drop it"
    assert "replace the leading 0 with +44" in found.loc[4, "advice"]
    # Indian numbers in Indian writing, though 91234 56789 is also a valid US number
    for row in (2, 5, 6, 7, 10, 13, 15):
        assert report.rows.loc[row, "lookalike"] is None, row


def test_indian_writing_is_never_flagged_even_when_valid_elsewhere(route, config):
    indian = ("98765 43210", "+91 98765 43210", "098765 43210", "91234 56789", "0 91234 56789",
              "9123456789", "022 2345 6789", "011 4000 1234", "+91 74001 23456")  # fmt: skip
    rows = precheck(table(*indian), route, config, at=AT).rows
    assert rows["e164"].notna().all()
    assert rows["lookalike"].isna().all()


def test_a_country_column_decides_and_vetoes(route, config):
    contacts = read_contacts(DATA / "india_with_country.csv")
    assert country_column(contacts) == "Country"
    rows = precheck(contacts, route, config, at=AT).rows
    assert rows["lookalike"].to_dict() == {
        2: "GB",  # 020 7946 0018 + "UK": London, though it also reads as a Pune landline
        3: "US",  # bare 9175550134 + "USA"
        4: None,  # (212) 555-0147 written the US way, but the file says India
        5: None,
        6: None,  # bare digits, no country given, the list is mostly Indian
        7: "GB",
        8: "US",  # "Canada" names +1; the number itself is in New York
    }
    assert rows.loc[2, "lookalike_e164"] == "+442079460018"


def test_bare_digits_follow_the_mix_of_the_list(route, config):
    americans = ["+1 212 555 0147", "+1 310 555 0123", "+1 312 555 0175", "+1 917 555 0134"]
    rows = precheck(table(*americans, "6465550198", "9876543210"), route, config, at=AT).rows
    assert rows.loc[6, "lookalike"] == "US"  # most of the list is American
    assert rows.loc[7, "lookalike"] is None  # +1 987... is not a valid US number
    assert rows.loc[2:5, "lookalike"].isna().all()  # written with +: explicit


def test_an_indian_number_on_a_us_route(config):
    numbers = table("91234 56789", "(212) 555-0147", "98765 43210")
    rows = precheck(numbers, US_ROUTE, config, at=AT).rows
    assert rows["e164"].tolist() == ["+19123456789", "+12125550147", None]
    assert rows["lookalike"].tolist() == ["IN", None, None]
    assert rows.loc[2, "lookalike_e164"] == "+919123456789"


def test_an_australian_mobile_on_a_french_route():
    rows = precheck(table("0412 345 678", "04 12 34 56 78"), FR_ROUTE, FR_CONFIG, at=AT).rows
    assert rows["e164"].tolist() == ["+33412345678", "+33412345678"]
    assert rows["lookalike"].tolist() == ["AU", None]  # French writing is left alone


UNUSUAL = {
    "+44 800 123 4567": "toll_free",
    "+44 901 234 5678": "premium_rate",
    "+91 1860 345 1234": "shared_cost",
    "+44 56 1234 5678": "voip",
    "+44 7640 123456": "pager",
    "+44 55 1234 5678": "uan",
}
ORDINARY = {
    "+91 81234 56789": "mobile",
    "+91 22 2345 6789": "fixed_line",
    "+1 212 555 0147": "fixed_line_or_mobile",
    "+44 70 1234 5678": "personal_number",
}


def test_number_types_are_readable_and_unusual_ones_flagged(workspace_routes, config):
    sip = workspace_routes["pn_us_sip"]
    numbers = {**UNUSUAL, **ORDINARY}
    rows = precheck(table(*numbers, "12345"), sip, config, at=AT).rows
    assert rows["number_type"].tolist() == [*numbers.values(), "unknown"]
    assert rows["unusual_type"].tolist() == [True] * 6 + [False] * 5
    assert not rows["not_mobile"].any()
    expecting = precheck(table(*numbers), sip, config, at=AT, expect_mobile=True)
    assert expecting.rows.index[expecting.rows["not_mobile"]].tolist() == [9]  # fixed_line only
    assert expecting.flagged_types.index.tolist() == [2, 3, 4, 5, 6, 7, 9]


@pytest.mark.parametrize(
    ("raw", "region", "fixed"),
    [
        ("011 44 20 7946 0018", "IN", "+442079460018"),  # North America's exit code, in India
        ("00 1 646 555 0198", "US", "+16465550198"),  # the ITU's 00, on a US route
        ("0011 61 412 345 678", "AU", "+61412345678"),  # Australia's own exit code
        ("810 7 495 123-45-67", "RU", "+74951234567"),  # Russia's own exit code
        ("0044-20-7946-0018", "GB", "+442079460018"),
        ("011 4000 1234", "IN", None),  # Delhi's trunk 0 + area code 11: a working number
        ("+44 20 7946 0018", "IN", None),  # already international
        ("00 12345", "IN", None),  # nothing valid after the prefix
        ("98765 43210", "IN", None),
        ("00 44 20 7946 oo18", "IN", None),  # letters: not a repair this function makes
    ],
)
def test_international_prefix_fix(raw, region, fixed):
    assert international_prefix_fix(raw, region) == fixed


def test_route_switch_effect_counts_both_sides(route, workspace_routes, config):
    sip = workspace_routes["pn_us_sip"]
    mixed = table("+44 20 7946 0018", "+91 98765 43210", "98765 43210", "(646) 555-0198",
                  "020 7946 0018")  # fmt: skip
    effect = route_switch_effect(mixed, route, sip, config)
    assert effect == (1, 1, 0)  # the UK number starts passing; 98765 43210 is no US number
    assert (effect.newly_passing, effect.newly_failing, effect.net) == (1, 1, 0)
    listed = route_switch_effect(read_contacts(DATA / "india_contacts.csv"), route, sip, config)
    assert listed == (0, 5, -5)  # rows 4, 5, 6, 10 and 13 are Indian only when read from India
    assert route_switch_effect(mixed, sip, route, config) == (1, 1, 0)
