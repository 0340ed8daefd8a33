"""What happens to each row at launch: one disposition per row, in a fixed precedence.

Why an enum of its own: the platform's reasons (:class:`batchcall.rules.Reason`)
say what the platform refuses; the operator answers for more (do-not-call,
duplicates, calling hours) and the UI adds rows the operator dropped. The
platform's members reuse the reasons' slugs, so a disposition and a reason
compare equal as text and the rules stay the single source of truth.
"""

from __future__ import annotations

from enum import StrEnum

from batchcall.rules import Reason

__all__ = ["Disposition"]


class Disposition(StrEnum):
    """One per row; members are listed in precedence order (the first that applies wins)."""

    DROPPED = "dropped"
    """Only the UI gives it: a dropped row is not sent at all, so it beats every other."""
    INVALID_PHONE_NUMBER = Reason.INVALID_PHONE_NUMBER.value
    NO_ENABLED_COUNTRIES = Reason.NO_ENABLED_COUNTRIES.value
    UNSUPPORTED_DESTINATION_COUNTRY = Reason.UNSUPPORTED_DESTINATION_COUNTRY.value
    UNSUPPORTED_PREFIX = Reason.UNSUPPORTED_PREFIX.value
    DO_NOT_CALL = "do_not_call"
    DUPLICATE = "duplicate"
    OUTSIDE_CALLING_HOURS = "outside_calling_hours"
    TO_CALL = "to_call"

    @property
    def title(self) -> str:
        """A short human label for tables and charts."""
        if self.is_platform_reason:
            return Reason(self.value).title
        return _TITLES[self]

    @property
    def is_platform_reason(self) -> bool:
        """True for the platform's own refusals (the rules decide these, not the checks)."""
        return self.value in _REASONS

    @property
    def order(self) -> int:
        return list(Disposition).index(self)

    @classmethod
    def from_precheck(cls) -> tuple[Disposition, ...]:
        """The dispositions ``precheck`` gives (all but ``DROPPED``, which only the UI knows)."""
        return tuple(member for member in cls if member is not cls.DROPPED)


_REASONS = frozenset(reason.value for reason in Reason)
_TITLES = {
    Disposition.DROPPED: "Dropped by the operator",
    Disposition.DO_NOT_CALL: "On the do-not-call list",
    Disposition.DUPLICATE: "Duplicate number",
    Disposition.OUTSIDE_CALLING_HOURS: "Outside calling hours",
    Disposition.TO_CALL: "To call",
}
