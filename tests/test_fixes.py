"""Suggested fixes: only offered when the repaired number passes the route."""

from __future__ import annotations

import random

import pytest
from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.work.fixes import suggest_fix, suggest_fixes

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
        ("011 1 415 555 0123", "+14155550123", "International dialling prefix replaced by '+'"),
    ],
)
def test_repairs_that_make_the_row_pass(raw: str, fixed: str, label: str) -> None:
    assert suggest_fix(raw, ROUTE, CONFIG) == (fixed, label)


@pytest.mark.parametrize("raw", ["12345", "", "   ", "98765abc10", "+447400123456", "9.88E+09"])
def test_no_suggestion_when_nothing_safe_passes(raw: str) -> None:
    assert suggest_fix(raw, ROUTE, CONFIG) is None


def damaged_numbers(count: int, seed: int = 11) -> list[str]:
    """Numbers as spreadsheets and people damage them, with a share left beyond repair."""
    rng = random.Random(seed)
    shapes = [
        lambda d: f"{d}.0",
        lambda d: f"{d[0]}.{d[1:9]}E+{len(d) - 1}",
        lambda d: f"'{d}",
        lambda d: f"+91 0{d}",
        lambda d: f"+91 91 {d[:5]} {d[5:]}",
        lambda d: f"91{d}",
        lambda d: f"1415{d[:7]}",
        lambda d: f"*{d}#",
        lambda d: f"({d[:3]}) {d[3:]}x",
        lambda d: d[:7],
        lambda d: f"+44 {d}",
        lambda d: f"{d[:5]}abc{d[5:]}",
        lambda d: f"00{d}",
        lambda d: f"011 91 {d}",
        lambda d: f"011 1 415{d[:7]}",
        lambda d: f" {d} ",
    ]
    values = []
    for _ in range(count):
        digits = rng.choice("6789") + "".join(rng.choice("0123456789") for _ in range(9))
        values.append(rng.choice(shapes)(digits))
    return values


def test_suggestions_for_many_values_match_one_at_a_time() -> None:
    values = [*damaged_numbers(3_000), "", "   ", "9.88E+09", "12345"]
    batched = suggest_fixes(values, ROUTE, CONFIG)
    assert set(batched) == set(values)
    expected = {raw: suggest_fix(raw, ROUTE, CONFIG) for raw in set(values)}
    assert batched == expected
    assert sum(fix is not None for fix in batched.values()) > 1_000  # most shapes repair
