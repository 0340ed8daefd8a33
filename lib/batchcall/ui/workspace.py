"""The workspace's agents, numbers and telephony config, fetched once per session.

Agents, numbers and the config are extension endpoints: a real workspace may
answer 404/405. Then the workbench falls back as the contract says (type the
agent id; type the number and its route type; read the config from a local
file the operator keeps).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from batchcall.api.client import BatchCallClient
from batchcall.api.errors import NotSupportedError
from batchcall.api.models import Agent, PhoneNumber, TelephonyConfig

CONFIG_FILE_VARIABLE = "BATCHCALL_TELEPHONY_CONFIG"


@dataclass
class Workspace:
    agents: list[Agent] = field(default_factory=list)
    numbers: list[PhoneNumber] = field(default_factory=list)
    config: TelephonyConfig | None = None
    missing: list[str] = field(default_factory=list)

    def number(self, phone_number: str | None) -> PhoneNumber | None:
        return next((n for n in self.numbers if n.phone_number == phone_number), None)

    def default_route(self) -> PhoneNumber | None:
        """The first active PSTN number, else the first number."""
        active = [n for n in self.numbers if n.status == "active"]
        pstn = [n for n in active if not n.is_sip]
        return (pstn or active or self.numbers or [None])[0]

    def agent(self, agent_id: str | None) -> Agent | None:
        return next((a for a in self.agents if a.id == agent_id), None)


def fetch_workspace(client: BatchCallClient, config_file: str | None = None) -> Workspace:
    """Everything the pages need about the workspace, with the contract's fallbacks."""
    workspace = Workspace()
    try:
        workspace.agents = client.list_agents()
    except NotSupportedError:
        workspace.missing.append("agents")
    try:
        workspace.numbers = client.list_phone_numbers()
    except NotSupportedError:
        workspace.missing.append("phone numbers")
    try:
        workspace.config = client.get_telephony_config()
    except NotSupportedError:
        workspace.missing.append("telephony config")
        workspace.config = load_config_file(config_file or os.environ.get(CONFIG_FILE_VARIABLE))
    return workspace


def load_config_file(path: str | None) -> TelephonyConfig | None:
    """The operator's own copy of Workspace Settings > Telephony Config, as JSON."""
    if not path:
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return TelephonyConfig.model_validate(data.get("telephony_config", data))
