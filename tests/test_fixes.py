"""Suggested fixes: only offered when the repaired number passes the route."""

from __future__ import annotations

import pytest
from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.work.fixes import suggest_fix

ROUTE = PhoneNumber(phone_number="+912234567890", country="IN")
CONFIG = TelephonyConfig.model_validate(
    {
        "countries": [
            {
                "country": "IN",
                "network_groups": [{"name": "m", "prefixes": ["+91"], "enabled": True}],
            },
            {
                "country": "US",
                "network_groups": [{"name": "us", "prefixes": ["+1"], "enabled": True}],
            },
        ]
    }
)


@pytest.mark.parametrize(
    ("raw", "fixed", "label"),
    [
        ("9876543210.0", "9876543210", "Spreadsheet damage removed"),
        ("9.87654321E+9", "9876543210", "Spreadsheet damage removed"),
        ("'9876543210", "9876543210", "Leading apostrophe removed"),
        ("+91 09876543210", "+919876543210", "Duplicate country code or trunk 0 removed"),
        ("+91 91 98765 43210", "+919876543210", "Duplicate country code or trunk 0 removed"),
        ("14155550123", "+14155550123", "Country code '+' added"),
        ("*9876543210#", "9876543210", "Stray characters removed"),
    ],
)
def test_repairs_that_make_the_row_pass(raw: str, fixed: str, label: str) -> None:
    assert suggest_fix(raw, ROUTE, CONFIG) == (fixed, label)


@pytest.mark.parametrize("raw", ["12345", "", "   ", "98765abc10", "+447400123456", "9.88E+09"])
def test_no_suggestion_when_nothing_safe_passes(raw: str) -> None:
    assert suggest_fix(raw, ROUTE, CONFIG) is None
