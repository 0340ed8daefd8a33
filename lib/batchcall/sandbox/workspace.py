"""The sandbox's workspace: agents, numbers and telephony config from one JSON file.

The file has the contract's shapes (``{"agents": [...], "phone_numbers": [...],
"telephony_config": {...}}``) and is parsed with the project's models, so the
sandbox validates destinations with exactly what the workbench reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from batchcall.api.models import Agent, PhoneNumber, TelephonyConfig

_NOISE = re.compile(r"[\s\-().]")


class WorkspaceError(ValueError):
    """The workspace file is missing or not in the contract's shape."""


def normalise_number(value: str) -> str:
    """``+91 22 3456-7890`` -> ``+912234567890``, for matching a workspace number."""
    return _NOISE.sub("", value.strip())


@dataclass(frozen=True)
class Workspace:
    agents: tuple[Agent, ...]
    phone_numbers: tuple[PhoneNumber, ...]
    telephony_config: TelephonyConfig

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "workspace") -> Workspace:
        try:
            return cls(
                agents=tuple(Agent.model_validate(item) for item in data.get("agents", [])),
                phone_numbers=tuple(
                    PhoneNumber.model_validate(item) for item in data.get("phone_numbers", [])
                ),
                telephony_config=TelephonyConfig.model_validate(data.get("telephony_config") or {}),
            )
        except (ValidationError, AttributeError, TypeError) as exc:
            raise WorkspaceError(f"{source} is not a valid workspace: {exc}") from exc

    @classmethod
    def load(cls, path: Path) -> Workspace:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise WorkspaceError(f"cannot read the workspace file {path}: {exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise WorkspaceError(f"{path} is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise WorkspaceError(f"{path} must hold a JSON object")
        return cls.from_dict(data, str(path))

    def agent(self, agent_id: str) -> Agent | None:
        return next((agent for agent in self.agents if agent.id == agent_id), None)

    def number(self, phone_number: str) -> PhoneNumber | None:
        wanted = normalise_number(phone_number)
        return next(
            (item for item in self.phone_numbers if normalise_number(item.phone_number) == wanted),
            None,
        )
