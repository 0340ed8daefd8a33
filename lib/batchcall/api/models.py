"""The platform's resources as typed models, built from the contract's JSON.

One set of models for every part of the project: the validation rules read a
``PhoneNumber`` and a ``TelephonyConfig``, the client returns them, and the
sandbox serves them. Each model accepts the contract's own dicts
(``PhoneNumber.model_validate({...})``) and ignores fields it does not know, so a
platform that adds fields never breaks us.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field

SIP_PROVIDER = "sip_trunk"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Agent(_Model):
    """A voice agent; ``{{name}}`` placeholders in its prompt are the variables it expects."""

    id: str
    name: str = ""
    prompt: str = ""


class PhoneNumber(_Model):
    """A workspace number. As the ``from_phone_number`` of a batch it selects the route."""

    id: str = ""
    phone_number: str
    country: str | None = None
    provider: str = "plivo"
    status: str = "active"
    outbound_agent_id: str | None = None

    @property
    def is_sip(self) -> bool:
        return self.provider == SIP_PROVIDER

    @property
    def region(self) -> str | None:
        """The route's own country: numbers without a country code are local to it."""
        if self.country:
            return self.country.upper()
        try:
            parsed = phonenumbers.parse(self.phone_number, None)
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.region_code_for_number(parsed)


class NetworkGroup(_Model):
    name: str
    prefixes: list[str] = Field(default_factory=list)
    enabled: bool = False


class CountryConfig(_Model):
    country: str
    name: str = ""
    network_groups: list[NetworkGroup] = Field(default_factory=list)

    @property
    def enabled(self) -> bool:
        """A country is enabled when at least one of its network groups is."""
        return any(group.enabled for group in self.network_groups)


class TelephonyConfig(_Model):
    """Workspace Settings > Telephony Config."""

    provider: str = "plivo"
    sip_byoc_enabled: bool = False
    countries: list[CountryConfig] = Field(default_factory=list)

    def enabled_prefixes(self, country: str) -> tuple[str, ...]:
        """Prefixes of the enabled network groups of ``country``."""
        return tuple(
            prefix
            for entry in self.countries
            if entry.country.upper() == country.upper()
            for group in entry.network_groups
            if group.enabled
            for prefix in group.prefixes
        )

    def enabled_countries(self) -> frozenset[str]:
        return frozenset(entry.country.upper() for entry in self.countries if entry.enabled)


def as_phone_number(value: PhoneNumber | dict[str, Any]) -> PhoneNumber:
    return value if isinstance(value, PhoneNumber) else PhoneNumber.model_validate(value)


def as_telephony_config(value: TelephonyConfig | dict[str, Any]) -> TelephonyConfig:
    return value if isinstance(value, TelephonyConfig) else TelephonyConfig.model_validate(value)
