"""``workspace.json``: the sandbox workspace the samples are validated against.

The verdicts documented in ``lib/batchcall/samples/README.md`` follow from this configuration
(which agent each number calls with, which prefixes each country enables), so the
tables below are the single place to change them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LOAN_PROMPT = (
    "You are Ananya, a polite collections assistant calling from Sahayak Finance. "
    "Speak Hindi or English, whichever the customer prefers. Greet the customer: "
    '"Namaste {{customer_name}} ji, main Sahayak Finance se Ananya bol rahi hoon." '
    "Remind them that the instalment on their {{product}} with an outstanding amount of "
    "Rs {{loan_amount}} is due on {{due_date}}. Ask whether they will pay by the due date; "
    "if not, note a promised payment date. Never threaten, never ask for OTPs or card "
    "numbers, and offer a callback from the branch if they have a dispute."
)
EMI_PROMPT = (
    "You are Rohan, calling from Sahayak Finance about an upcoming EMI. Say: "
    '"Hello {{customer_name}}, this is a reminder that your EMI of Rs {{emi_amount}} '
    "is due on {{due_date}}.\" Confirm the customer's auto-debit mandate is active and "
    "share the payment link by SMS if they ask. Keep the call under two minutes."
)

AGENTS: tuple[dict[str, str], ...] = (
    {"id": "agt_abc123", "name": "Loan follow-up (Hindi/English)", "prompt": LOAN_PROMPT},
    {"id": "agt_emi456", "name": "EMI reminder (English)", "prompt": EMI_PROMPT},
)

PHONE_NUMBER_FIELDS = ("id", "phone_number", "country", "provider", "status", "outbound_agent_id")
PHONE_NUMBERS: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("pn_in_mumbai", "+912234567890", "IN", "plivo", "active", "agt_abc123"),
    ("pn_us_sip", "+14155550123", "US", "sip_trunk", "active", "agt_emi456"),
    ("pn_in_delhi", "+911140001234", "IN", "plivo", "active", None),
    ("pn_in_bengaluru_old", "+918045678901", "IN", "plivo", "inactive", "agt_abc123"),
)

# country code -> (country name, network groups as (name, prefixes, enabled))
NetworkGroup = tuple[str, tuple[str, ...], bool]
COUNTRIES: dict[str, tuple[str, tuple[NetworkGroup, ...]]] = {
    "IN": (
        "India",
        (
            ("India Mobile", ("+916", "+917", "+918", "+919"), True),
            ("India Mumbai Landline", ("+9122",), True),
            ("India Toll-free", ("+911800",), False),
        ),
    ),
    "US": ("United States", (("US All", ("+1",), True),)),
    "GB": (
        "United Kingdom",
        (
            ("UK Mobile", ("+447",), False),
            ("UK Landline", ("+441", "+442"), False),
        ),
    ),
}


def _country(code: str, name: str, groups: tuple[NetworkGroup, ...]) -> dict[str, Any]:
    """One country of the telephony config in the contract's shape."""
    return {
        "country": code,
        "name": name,
        "network_groups": [
            {"name": group, "prefixes": list(prefixes), "enabled": enabled}
            for group, prefixes, enabled in groups
        ],
    }


def workspace() -> dict[str, Any]:
    """The sandbox workspace in the contract's shapes."""
    return {
        "agents": [dict(agent) for agent in AGENTS],
        "phone_numbers": [
            dict(zip(PHONE_NUMBER_FIELDS, number, strict=True)) for number in PHONE_NUMBERS
        ],
        "telephony_config": {
            "provider": "plivo",
            "sip_byoc_enabled": False,
            "countries": [
                _country(code, name, groups) for code, (name, groups) in COUNTRIES.items()
            ],
        },
    }


def write_workspace(path: Path) -> None:
    """Write ``workspace.json`` as UTF-8 with a trailing newline."""
    text = json.dumps(workspace(), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
