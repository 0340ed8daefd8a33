"""batchcall.rules.validate: the contract's destination rules, groups and the 400 body.

Routes and the telephony config come from conftest: IN route ``+912234567890``
(plivo), US SIP route ``+14155550123``; IN mobile ``+916..+919`` and Mumbai
``+9122`` enabled, IN toll-free ``+911800`` disabled, US ``+1`` enabled, GB off.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.contacts import read_contacts
from batchcall.rules import FailureGroup, Reason, validate

INVALID = "invalid_phone_number"
NO_COUNTRIES = "no_enabled_countries"
COUNTRY = "unsupported_destination_country"
PREFIX = "unsupported_prefix"

# (cell, verdict on the IN route, verdict on the US SIP route); verdict = (reason, country)
CASES = [
    ("9876543210", (None, None), (INVALID, None)),  # local to IN; invalid as a US number
    ("+91 98765 43210", (None, None), (None, None)),
    ("09876543210", (None, None), (INVALID, None)),  # trunk 0
    ("+91 22 2345 6789", (None, None), (None, None)),  # Mumbai landline: +9122 enabled
    ("+1 646 555 0198", (None, None), (None, None)),  # US enabled
    ("201-555-0123", (INVALID, None), (None, None)),  # a US local number, not an IN one
    ("+44 7400 123456", (COUNTRY, "GB"), (None, None)),  # GB: every group off
    ("+61 412 345 678", (COUNTRY, "AU"), (None, None)),  # AU: not configured
    ("+1 416 555 0199", (COUNTRY, "CA"), (None, None)),  # +1 but Canada
    ("1800 123 4567", (PREFIX, "IN"), (INVALID, None)),  # IN toll-free, local form
    ("+91 1800 419 4332", (PREFIX, "IN"), (None, None)),  # IN toll-free, international
    ("+91 11 2345 6789", (PREFIX, "IN"), (None, None)),  # Delhi landline: no +9111 group
    ("12345", (INVALID, None), (INVALID, None)),
    ("", (INVALID, None), (INVALID, None)),
    ("N/A", (INVALID, None), (INVALID, None)),
    ("9876543210.0", (INVALID, None), (INVALID, None)),  # text is never repaired
    ("9876x54321", (INVALID, None), (INVALID, None)),
]


def contacts(cells: list[str], first_row: int = 2) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"phone_number": cells, "name": [f"n{i}" for i in range(len(cells))]},
        index=pd.RangeIndex(first_row, first_row + len(cells), name="row"),
    )
    return frame


def verdicts(report) -> list[tuple[str | None, str | None]]:
    return [
        (reason, country if isinstance(country, str) else None)
        for reason, country in zip(report.rows["reason"], report.rows["country"], strict=True)
    ]


def test_every_reason_on_the_pstn_route(in_route, config):
    report = validate(contacts([c for c, _, _ in CASES]), in_route, config)
    assert verdicts(report) == [pstn for _, pstn, _ in CASES]
    assert not report.ok


def test_sip_route_checks_format_only(sip_route, config):
    report = validate(contacts([c for c, _, _ in CASES]), sip_route, config)
    assert verdicts(report) == [sip for _, _, sip in CASES]
    assert {g.reason for g in report.groups} == {Reason.INVALID_PHONE_NUMBER}


def test_sip_byoc_enabled_skips_country_rules_on_every_route(in_route, config):
    config["sip_byoc_enabled"] = True
    report = validate(contacts([c for c, _, _ in CASES]), in_route, config)
    expected = [(INVALID, None) if pstn[0] == INVALID else (None, None) for _, pstn, _ in CASES]
    assert verdicts(report) == expected


def test_no_enabled_countries(in_route, config):
    for country in config["countries"]:
        for group in country["network_groups"]:
            group["enabled"] = False
    report = validate(contacts(["9876543210", "12345", "+44 7400 123456"]), in_route, config)
    assert verdicts(report) == [(NO_COUNTRIES, None), (INVALID, None), (NO_COUNTRIES, None)]
    assert [g.to_dict() for g in report.groups] == [
        {"reason": INVALID, "count": 1, "rows": [3]},
        {"reason": NO_COUNTRIES, "count": 2, "rows": [2, 4]},
    ]
    assert validate(contacts(["9876543210"]), in_route, {"countries": []}).to_tuples() == [
        (2, NO_COUNTRIES, None)
    ]


def test_enabling_the_toll_free_group_lets_toll_free_through(in_route, config):
    config["countries"][0]["network_groups"][2]["enabled"] = True
    report = validate(contacts(["1800 123 4567", "+91 1800 419 4332"]), in_route, config)
    assert report.ok
    assert report.rows["e164"].tolist() == ["+9118001234567", "+9118004194332"]


def test_local_numbers_take_the_routes_country(in_route, config):
    report = validate(contacts(["9876543210", "201-555-0123"]), in_route, config)
    rows = report.rows
    assert rows.loc[2, ["e164", "region", "number_type", "reason"]].tolist() == [
        "+919876543210",
        "IN",
        "mobile",
        None,
    ]
    assert rows.loc[3, ["e164", "region", "number_type", "reason"]].tolist() == [
        None,
        None,
        None,
        INVALID,
    ]
    us_route = dict(in_route, phone_number="+12125550100", country="US")
    us = validate(contacts(["9876543210", "201-555-0123"]), us_route, config)
    assert us.to_tuples() == [(2, INVALID, None)]
    assert us.rows.loc[3, ["e164", "region", "reason"]].tolist() == ["+12015550123", "US", None]


def test_route_without_country_uses_its_numbers_country(in_route, config):
    del in_route["country"]
    assert validate(contacts(["9876543210"]), in_route, config).ok


def test_rows_frame_columns_and_passing_rows(in_route, config):
    report = validate(contacts(["9876543210", "12345"], first_row=10), in_route, config)
    assert list(report.rows.index) == [10, 11]
    assert report.rows.index.name == "row"
    assert {"phone_number", "e164", "region", "number_type", "reason"} <= set(report.rows.columns)
    assert report.rows.loc[10, "reason"] is None
    assert report.rows.loc[11, "phone_number"] == "12345"
    assert (report.total, report.failed_count) == (2, 1)


def test_groups_are_ordered_by_rule_then_country_with_ascending_rows(in_route, config):
    cells = {
        9: "+44 7400 123456",
        2: "12345",
        7: "+91 1800 419 4332",
        4: "+61 412 345 678",
        3: "+44 20 7946 0958",
        8: "N/A",
        5: "9876543210",
        6: "1800 123 4567",
        10: "+1 416 555 0199",
    }
    frame = pd.DataFrame({"phone_number": list(cells.values())}, index=list(cells))
    report = validate(frame, in_route, config)
    assert [(g.reason, g.country, g.rows, g.count) for g in report.groups] == [
        (Reason.INVALID_PHONE_NUMBER, None, [2, 8], 2),
        (Reason.UNSUPPORTED_DESTINATION_COUNTRY, "AU", [4], 1),
        (Reason.UNSUPPORTED_DESTINATION_COUNTRY, "CA", [10], 1),
        (Reason.UNSUPPORTED_DESTINATION_COUNTRY, "GB", [3, 9], 2),
        (Reason.UNSUPPORTED_PREFIX, "IN", [6, 7], 2),
    ]
    assert all(isinstance(g, FailureGroup) for g in report.groups)
    assert report.to_tuples() == [
        (2, INVALID, None),
        (3, COUNTRY, "GB"),
        (4, COUNTRY, "AU"),
        (6, PREFIX, "IN"),
        (7, PREFIX, "IN"),
        (8, INVALID, None),
        (9, COUNTRY, "GB"),
        (10, COUNTRY, "CA"),
    ]
    body = report.to_error_body()
    assert [r["position"] for r in body["details"]["rows"]] == [2, 3, 4, 6, 7, 8, 9, 10]


def test_error_body_matches_the_contract(in_route, config):
    frame = contacts(
        [
            "9876543210",
            "12345",
            "+44 7400 123456",
            "1800 123 4567",
            "+91 98200 45678",
            "+44 20 7946 0958",
            "",
            "+91 11 2345 6789",
        ]
    )
    body = validate(frame, in_route, config).to_error_body()
    assert body == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "6 of 8 rows failed destination validation",
        "details": {
            "groups": [
                {"reason": INVALID, "count": 2, "rows": [3, 8]},
                {"reason": COUNTRY, "country": "GB", "count": 2, "rows": [4, 7]},
                {"reason": PREFIX, "country": "IN", "count": 2, "rows": [5, 9]},
            ],
            "rows": [
                {"position": 3, "phone_number": "12345", "failed_parsing_reason": INVALID},
                {
                    "position": 4,
                    "phone_number": "+44 7400 123456",
                    "failed_parsing_reason": COUNTRY,
                },
                {"position": 5, "phone_number": "1800 123 4567", "failed_parsing_reason": PREFIX},
                {
                    "position": 7,
                    "phone_number": "+44 20 7946 0958",
                    "failed_parsing_reason": COUNTRY,
                },
                {"position": 8, "phone_number": "", "failed_parsing_reason": INVALID},
                {
                    "position": 9,
                    "phone_number": "+91 11 2345 6789",
                    "failed_parsing_reason": PREFIX,
                },
            ],
        },
    }
    assert list(body) == ["statusCode", "error", "message", "details"]
    assert [list(g) for g in body["details"]["groups"]] == [
        ["reason", "count", "rows"],
        ["reason", "country", "count", "rows"],
        ["reason", "country", "count", "rows"],
    ]
    for row in body["details"]["rows"]:
        assert type(row["position"]) is int and type(row["phone_number"]) is str
    for group in body["details"]["groups"]:
        assert type(group["count"]) is int and all(type(r) is int for r in group["rows"])


def test_all_pass(in_route, config):
    report = validate(contacts(["9876543210", "+91 91234 56789"]), in_route, config)
    assert report.ok
    assert report.groups == []
    assert report.to_tuples() == []
    assert report.to_error_body()["message"] == "0 of 2 rows failed destination validation"
    assert report.to_error_body()["details"] == {"groups": [], "rows": []}


def test_dicts_and_models_give_the_same_report(in_route, sip_route, config):
    frame = contacts([c for c, _, _ in CASES])
    for route in (in_route, sip_route):
        from_dicts = validate(frame, route, config)
        from_models = validate(
            frame, PhoneNumber.model_validate(route), TelephonyConfig.model_validate(config)
        )
        assert from_dicts.to_error_body() == from_models.to_error_body()
        assert from_dicts.groups == from_models.groups
        pd.testing.assert_frame_equal(from_dicts.rows, from_models.rows)


def test_dicts_with_unknown_fields_are_accepted(in_route, config):
    route = dict(in_route, label="Mumbai", extra={"x": 1})
    config = copy.deepcopy(config)
    config["countries"][0]["network_groups"][0]["carrier"] = "any"
    assert validate(contacts(["9876543210"]), route, config).ok


def test_repeated_numbers_are_reported_on_every_row(in_route, config):
    report = validate(contacts(["12345", "9876543210", "12345", "12345"]), in_route, config)
    assert report.groups[0].rows == [2, 4, 5]
    assert report.groups[0].count == 3


def test_the_config_is_read_once_per_validation_not_once_per_number(in_route, config, monkeypatch):
    calls = {"enabled_countries": 0, "enabled_prefixes": 0}
    for method in calls:
        original = getattr(TelephonyConfig, method)

        def counted(self, *args, _original=original, _method=method):
            calls[_method] += 1
            return _original(self, *args)

        monkeypatch.setattr(TelephonyConfig, method, counted)
    cells = [f"+9198{n:08d}" for n in range(300)] + [f"+44 7400 {n:06d}" for n in range(100)]
    report = validate(contacts(cells), in_route, config)
    assert report.failed_count == 100
    assert calls["enabled_countries"] <= 2
    assert calls["enabled_prefixes"] <= len(config["countries"])


def test_reasons_are_the_contracts_slugs():
    assert [str(r) for r in Reason] == [INVALID, NO_COUNTRIES, COUNTRY, PREFIX]
    assert [r.has_country for r in Reason] == [False, False, True, True]


# ------------------------------------------------------------------ read, then validate


def test_blank_rows_are_not_leads_and_not_errors(in_route, config):
    data = b"phone_number,name\n9876543210,a\n,\n\n12345,b\n"
    report = validate(read_contacts(data, "c.csv"), in_route, config)
    assert report.to_error_body()["message"] == "1 of 2 rows failed destination validation"
    assert report.to_tuples() == [(5, INVALID, None)]


def test_sample_messy_contacts_verdicts(sample_path, workspace):
    route = next(n for n in workspace["phone_numbers"] if n["phone_number"] == "+912234567890")
    report = validate(
        read_contacts(sample_path("messy_contacts.xlsx")), route, workspace["telephony_config"]
    )
    assert (report.total, report.failed_count) == (59, 16)
    assert [g.to_dict() for g in report.groups] == [
        {"reason": INVALID, "count": 8, "rows": [12, 20, 23, 25, 37, 43, 45, 47]},
        {"reason": COUNTRY, "country": "AE", "count": 1, "rows": [42]},
        {"reason": COUNTRY, "country": "AU", "count": 1, "rows": [22]},
        {"reason": COUNTRY, "country": "CA", "count": 1, "rows": [36]},
        {"reason": COUNTRY, "country": "GB", "count": 2, "rows": [10, 34]},
        {"reason": PREFIX, "country": "IN", "count": 3, "rows": [18, 29, 40]},
    ]


def test_sample_legacy_xls_verdicts(sample_path, workspace):
    route = next(n for n in workspace["phone_numbers"] if n["phone_number"] == "+912234567890")
    report = validate(
        read_contacts(sample_path("legacy_contacts.xls")), route, workspace["telephony_config"]
    )
    assert (report.total, report.failed_count) == (40, 6)
    assert report.to_tuples() == [
        (9, PREFIX, "IN"),
        (13, COUNTRY, "GB"),
        (15, INVALID, None),
        (23, PREFIX, "IN"),
        (25, INVALID, None),
        (27, COUNTRY, "AU"),
    ]


@pytest.mark.parametrize("sip", [False, True])
def test_sample_loan_followup_passes(sample_path, workspace, sip):
    numbers = workspace["phone_numbers"]
    route = next(n for n in numbers if (n["provider"] == "sip_trunk") == sip)
    report = validate(
        read_contacts(sample_path("loan_followup.csv")), route, workspace["telephony_config"]
    )
    if not sip:
        assert report.ok and report.total == 250
    else:  # bare Indian numbers are local to the US there
        assert {g.reason for g in report.groups} == {Reason.INVALID_PHONE_NUMBER}
        assert (
            report.rows.loc[report.rows["phone_number"].str.startswith("+91"), "reason"]
            .isna()
            .all()
        )
