"""Which workspace a command checks against: the configured one, else the bundled sandbox's.

``BATCHCALL_API_URL`` and ``BATCHCALL_API_KEY`` name a real workspace (its numbers
and Telephony Config are fetched); unset, the workspace the sandbox serves is read
from the package, so ``batchcall check`` works on a fresh machine without a server.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from batchcall.api.client import BatchCallClient
from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number
from batchcall.api.settings import KEY_VARIABLE, URL_VARIABLE
from batchcall.samples import WORKSPACE_FILE, sample_path


class CommandError(Exception):
    """A refusal the command prints as one line (exit code 1)."""


@dataclass(frozen=True)
class Workspace:
    label: str
    numbers: list[PhoneNumber]
    config: TelephonyConfig

    def route(self, number: str) -> PhoneNumber:
        """The workspace's number ``number`` (spaces and dashes ignored)."""
        wanted = "".join(ch for ch in number if ch.isdigit() or ch == "+")
        for candidate in self.numbers:
            if candidate.phone_number == wanted:
                return candidate
        known = ", ".join(n.phone_number for n in self.numbers) or "none"
        raise CommandError(
            f"{number} is not a number of {self.label} (its numbers: {known}); "
            "pass one of them with --from-number"
        )


def load_workspace() -> Workspace:
    """The configured workspace, or the bundled sandbox workspace when none is set."""
    url, key = os.environ.get(URL_VARIABLE), os.environ.get(KEY_VARIABLE)
    if url and key:
        with BatchCallClient(url, key) as client:
            return Workspace(url, client.list_phone_numbers(), client.get_telephony_config())
    if url or key:
        missing = KEY_VARIABLE if url else URL_VARIABLE
        raise CommandError(f"{missing} is not set: set both {URL_VARIABLE} and {KEY_VARIABLE}")
    data = json.loads(sample_path(WORKSPACE_FILE).read_text(encoding="utf-8"))
    numbers = [as_phone_number(number) for number in data["phone_numbers"]]
    config = TelephonyConfig.model_validate(data["telephony_config"])
    return Workspace("the sandbox workspace", numbers, config)
