"""Repairs the fixer lacks: international dialling prefixes written instead of ``+``.

Why a pure function here: people copy numbers as they dial them from their desk
phone (``00 44 20 7946 0018`` in Europe and India, ``011 44 …`` from North
America, ``0011 61 …`` from Australia). libphonenumber only understands the
route country's own exit code, so the others come out invalid. The fixer (in
``batchcall.work``) will offer this as a suggestion; nothing is applied here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from batchcall.phones.parse import parse_number

__all__ = ["international_prefix_fix"]

_SEPARATORS = re.compile(r"[\s().\-/\u00a0]")
_COMMON_PREFIXES = ("011", "00")
"""North America's exit code and the ITU's recommended one, tried after the route's own."""


def international_prefix_fix(raw: str, route_region: str | None) -> str | None:
    """``+`` and the rest of the digits when ``raw`` starts with an exit code and the
    result is a valid number; else None.

    None too when ``raw`` is already a valid number *of another reading* (Delhi's
    ``011 4000 1234`` on an Indian route is a trunk 0 and an area code, not North
    America's exit code): a repair must never change a number that works.
    """
    if not isinstance(raw, str):
        return None
    digits = _SEPARATORS.sub("", raw.strip())
    if not digits.isdigit() or not digits.isascii():
        return None
    as_written = parse_number(raw, route_region).e164
    for prefix in _prefixes(route_region):
        match = prefix.match(digits)
        if not match or match.end() == len(digits):
            continue
        candidate = "+" + digits[match.end() :]
        repaired = parse_number(candidate, None).e164
        if repaired is not None and as_written in (None, repaired):
            return repaired
    return None


@lru_cache(maxsize=256)
def _prefixes(region: str | None) -> tuple[re.Pattern[str], ...]:
    """The route country's exit code pattern (from libphonenumber's metadata), then 011, 00."""
    patterns = []
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region or "")
    if metadata is not None and metadata.international_prefix:
        patterns.append(metadata.international_prefix)
    patterns += [p for p in _COMMON_PREFIXES if p not in patterns]
    return tuple(re.compile(f"(?:{pattern})") for pattern in patterns)
