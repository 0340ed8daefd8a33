"""The column-wise rules (used for whole tables) agree with the per-number rules (fixes)."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pytest
from batchcall.api.models import as_phone_number, as_telephony_config
from batchcall.phones.parse import parse_number
from batchcall.rules import judge, judge_rows

from tests.workspace_data import IN_ROUTE, SIP_ROUTE, TELEPHONY_CONFIG

NUMBERS = [
    "9876543210", "+91 98765 43210", "022 2345 6789", "+911800123456", "1800 123 4567",
    "+447400123456", "+44 20 7946 0958", "+447911123456", "+1 646 555 0198", "+1 416 555 0199",
    "+61 412 345 678", "+971 50 123 4567", "+80012345678", "12345", "", "abc", "9.87654321E+9",
    "+91 11 2345 6789", "080 4567 8901", "0091 98200 12345", "+33 6 12 34 56 78", "+8613812345678",
]  # fmt: skip


def _configs() -> list[dict[str, Any]]:
    nothing = copy.deepcopy(TELEPHONY_CONFIG)
    for country in nothing["countries"]:
        for group in country["network_groups"]:
            group["enabled"] = False
    byoc = {**copy.deepcopy(TELEPHONY_CONFIG), "sip_byoc_enabled": True}
    return [TELEPHONY_CONFIG, nothing, byoc]


@pytest.mark.parametrize("route", [IN_ROUTE, SIP_ROUTE], ids=["pstn", "sip"])
@pytest.mark.parametrize("config", _configs(), ids=["config", "none-enabled", "byoc"])
def test_columns_agree_with_the_per_number_rules(route: dict, config: dict) -> None:
    phones = pd.Series(NUMBERS * 3, index=range(2, 2 + 3 * len(NUMBERS)))  # repeats and > 32
    rows = judge_rows(phones, route, config)
    model_route, model_config = as_phone_number(route), as_telephony_config(config)
    for row, raw in phones.items():
        parsed = parse_number(raw, model_route.region)
        reason, country = judge(parsed, model_route, model_config)
        expected = (parsed.e164, parsed.region, None if reason is None else str(reason), country)
        got = tuple(rows.loc[row, ["e164", "region", "reason", "country"]])
        assert got == expected, raw
