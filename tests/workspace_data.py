"""The example routes and telephony config the tests share, written out here.

They are the contract's example config grown by US and GB, kept apart from the
sample workspace so rule tests do not move when someone edits the sample.
"""

from __future__ import annotations

from typing import Any

IN_ROUTE: dict[str, Any] = {
    "id": "pn_in_mumbai",
    "phone_number": "+912234567890",
    "country": "IN",
    "provider": "plivo",
    "status": "active",
    "outbound_agent_id": "agt_abc123",
}
SIP_ROUTE: dict[str, Any] = {
    "id": "pn_us_sip",
    "phone_number": "+14155550123",
    "country": "US",
    "provider": "sip_trunk",
    "status": "active",
    "outbound_agent_id": "agt_emi456",
}
TELEPHONY_CONFIG: dict[str, Any] = {
    "provider": "plivo",
    "sip_byoc_enabled": False,
    "countries": [
        {
            "country": "IN",
            "name": "India",
            "network_groups": [
                {
                    "name": "India Mobile",
                    "prefixes": ["+916", "+917", "+918", "+919"],
                    "enabled": True,
                },
                {"name": "India Mumbai Landline", "prefixes": ["+9122"], "enabled": True},
                {"name": "India Toll-free", "prefixes": ["+911800"], "enabled": False},
            ],
        },
        {
            "country": "US",
            "name": "United States",
            "network_groups": [{"name": "US All", "prefixes": ["+1"], "enabled": True}],
        },
        {
            "country": "GB",
            "name": "United Kingdom",
            "network_groups": [
                {"name": "UK Mobile", "prefixes": ["+447"], "enabled": False},
                {"name": "UK Landline", "prefixes": ["+441", "+442"], "enabled": False},
            ],
        },
    ],
}
