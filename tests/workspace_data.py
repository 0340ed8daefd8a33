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


# The sandbox tests' workspace: two agents, routes in every state, and the shared
# config without US (they need a country it lacks).
AGENT = "agt_abc123"
IN_NUMBER = "+912234567890"  # PSTN, India: mobile and Mumbai landline enabled, toll-free not
SIP_NUMBER = "+14155550123"  # SIP trunk: format checks only
NO_AGENT_NUMBER = "+911140001234"
INACTIVE_NUMBER = "+918045678901"

WORKSPACE: dict[str, Any] = {
    "agents": [
        {"id": AGENT, "name": "Loan follow-up", "prompt": "Namaste {{customer_name}} ..."},
        {"id": "agt_emi456", "name": "EMI reminder", "prompt": "Hello {{customer_name}}"},
    ],
    "phone_numbers": [
        {
            "id": "pn_in",
            "phone_number": IN_NUMBER,
            "country": "IN",
            "provider": "plivo",
            "status": "active",
            "outbound_agent_id": AGENT,
        },
        {
            "id": "pn_sip",
            "phone_number": SIP_NUMBER,
            "country": "US",
            "provider": "sip_trunk",
            "status": "active",
            "outbound_agent_id": "agt_emi456",
        },
        {
            "id": "pn_noagent",
            "phone_number": NO_AGENT_NUMBER,
            "country": "IN",
            "provider": "plivo",
            "status": "active",
            "outbound_agent_id": None,
        },
        {
            "id": "pn_old",
            "phone_number": INACTIVE_NUMBER,
            "country": "IN",
            "provider": "plivo",
            "status": "inactive",
            "outbound_agent_id": AGENT,
        },
    ],
    # The shared example config without US: the sandbox tests need a country it lacks.
    "telephony_config": {
        **TELEPHONY_CONFIG,
        "countries": [c for c in TELEPHONY_CONFIG["countries"] if c["country"] != "US"],
    },
}
