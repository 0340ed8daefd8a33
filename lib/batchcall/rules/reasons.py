"""Why the platform rejects a row: the contract's four reasons, each with a slug, title and hint.

Adding a reason means adding a member here (its slug is the contract's
``failed_parsing_reason``), its title and hint below, and the rule that gives it
in :mod:`batchcall.rules.validate`; charts, tables and the sandbox read them
from here.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why the platform rejects a row. The value is the contract's stable slug.

    Members are listed in rule order, which is also the order of the report's groups.
    """

    INVALID_PHONE_NUMBER = "invalid_phone_number"
    NO_ENABLED_COUNTRIES = "no_enabled_countries"
    UNSUPPORTED_DESTINATION_COUNTRY = "unsupported_destination_country"
    UNSUPPORTED_PREFIX = "unsupported_prefix"

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def hint(self) -> str:
        """What the operator can do about it."""
        return _HINTS[self]

    @property
    def order(self) -> int:
        return list(Reason).index(self)

    @property
    def has_country(self) -> bool:
        return self in (Reason.UNSUPPORTED_DESTINATION_COUNTRY, Reason.UNSUPPORTED_PREFIX)


_TITLES = {
    Reason.INVALID_PHONE_NUMBER: "Invalid phone number",
    Reason.NO_ENABLED_COUNTRIES: "No enabled countries",
    Reason.UNSUPPORTED_DESTINATION_COUNTRY: "Country not enabled",
    Reason.UNSUPPORTED_PREFIX: "Prefix not enabled",
}
_HINTS = {
    Reason.INVALID_PHONE_NUMBER: (
        "Check the digits. Add the country code (e.g. +91) for numbers outside the "
        "route's country, and remove letters, extra digits or spreadsheet damage like '.0'."
    ),
    Reason.NO_ENABLED_COUNTRIES: (
        "Enable at least one network group in Workspace Settings > Telephony Config, "
        "or choose a SIP route."
    ),
    Reason.UNSUPPORTED_DESTINATION_COUNTRY: (
        "Enable this country in Workspace Settings > Telephony Config, "
        "or choose a route that allows it (a SIP route checks format only)."
    ),
    Reason.UNSUPPORTED_PREFIX: (
        "Enable the network group whose prefix covers this number in Workspace Settings > "
        "Telephony Config, or choose a SIP route."
    ),
}
