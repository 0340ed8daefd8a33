"""Parsing destination numbers: what libphonenumber says about each distinct value.

This is the reference path: one ``phonenumbers.parse`` per distinct string,
memoised, so a list with the same number a thousand times parses it once.
Validation rules (``lib.validation``) only ever see the parsed columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

_TYPE_NAMES = {
    value: name.lower()
    for name, value in vars(PhoneNumberType).items()
    if not name.startswith("_") and isinstance(value, int)
}


class ParsedNumber(NamedTuple):
    """What the platform learns from one cell. ``e164`` is None when the number is invalid."""

    e164: str | None
    region: str | None
    number_type: str | None


INVALID = ParsedNumber(None, None, None)


@lru_cache(maxsize=262_144)
def parse_number(raw: str, default_region: str | None) -> ParsedNumber:
    """Parse one cell as the platform does: invalid unless ``is_valid_number`` holds."""
    if not raw or not raw.strip():
        return INVALID
    try:
        number = phonenumbers.parse(raw, default_region)
    except NumberParseException:
        return INVALID
    if not phonenumbers.is_valid_number(number):
        return INVALID
    return ParsedNumber(
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(number),
        _TYPE_NAMES.get(phonenumbers.number_type(number), "unknown"),
    )


def parse_distinct(values: Iterable[str], default_region: str | None) -> dict[str, ParsedNumber]:
    """Parse each distinct value once; the caller maps rows onto the result."""
    return {value: parse_number(value, default_region) for value in set(values)}
