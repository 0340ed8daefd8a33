"""batchcall.checks.zones: the vectorised zone lookup agrees with libphonenumber.

``time_zones_for_number`` is the reference; the checks redo its longest-prefix
match over whole arrow columns. Compared here number for number on every
region's example number of every type, plus variants of them (other area codes
and exchanges), plus the non-geographic global numbers.
"""

from __future__ import annotations

import random

import phonenumbers
import pyarrow as pa
from batchcall.checks.zones import calling_code, zone_sets_for
from batchcall.phones.parse import parse_number
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers.timezone import time_zones_for_number


def corpus() -> list[str]:
    """Valid E.164 numbers of every region and type, and valid variants of them."""
    examples = []
    kinds = [v for k, v in vars(PhoneNumberType).items() if k.isupper() and isinstance(v, int)]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in kinds:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                examples.append(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            examples.append(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    rng = random.Random(7)
    variants = []
    for number in examples:
        for _ in range(6):  # change digits after the country code: other prefixes, same shape
            digits = list(number)
            for position in rng.sample(range(4, len(digits)), k=min(3, len(digits) - 4)):
                digits[position] = str(rng.randrange(10))
            variants.append("".join(digits))
    parsed = (parse_number(n, None).e164 for n in dict.fromkeys(examples + variants))
    return list(dict.fromkeys(e164 for e164 in parsed if e164))  # as validation writes them


def reference(e164: str) -> tuple[str, ...]:
    zones = time_zones_for_number(phonenumbers.parse(e164, None))
    return tuple(zone for zone in zones if zone != "Etc/Unknown")


def test_zone_sets_agree_with_phonenumbers_number_for_number() -> None:
    numbers = corpus()
    assert len(numbers) > 3000
    kinds = [parse_number(n, None).number_type for n in numbers]
    keys, sets = zone_sets_for(pa.array(numbers, pa.string()), kinds)
    mismatches = [
        (number, sets[key], reference(number))
        for number, key in zip(numbers, keys.tolist(), strict=True)
        if sets[key] != reference(number)
    ]
    assert mismatches == []
    assert sets[0] == ()
    assert len({len(zones) for zones in sets}) > 3  # single and multi-zone sets both seen


def test_nulls_and_unknown_types_have_no_zone() -> None:
    keys, sets = zone_sets_for(pa.array([None, "+919876543210"], pa.string()), [None, "unknown"])
    assert [sets[key] for key in keys] == [(), ()]


def test_calling_codes_are_read_prefix_free() -> None:
    e164 = pa.array(["+12125550147", "+919876543210", "+3725123456", "+8801812345678", None])
    assert calling_code(e164).tolist() == [1, 91, 372, 880, 0]
