"""Time zones of valid numbers, for whole columns at once.

Why not call ``phonenumbers.timezone.time_zones_for_number`` per number: it needs a
parsed ``PhoneNumber`` (~50 µs each), and a 10 MB list holds ~150,000 distinct
numbers. The library's rule is a longest-prefix match of the E.164 digits in its
own ``TIMEZONE_DATA`` table (for geographical number types; the country code for
the rest), so the same match is done here with arrow over every distinct E.164
at once, one pass per prefix length. ``tests/test_checks_zones.py`` checks it
agrees with the library number for number.

Zone sets are returned as small integers into a list of tuples: rows share a
handful of zone sets, so everything per zone is computed once per set.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import PhoneNumberType
from phonenumbers.timezone import UNKNOWN_TIMEZONE
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

__all__ = ["ZoneSets", "calling_code", "zone_sets_for"]

ZoneSets = list[tuple[str, ...]]
"""Distinct zone tuples; index 0 is always ``()`` (unknown)."""

_TYPES = {
    name.lower(): value
    for name, value in vars(PhoneNumberType).items()
    if not name.startswith("_") and isinstance(value, int)
}
_CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def calling_code(e164: pa.Array) -> np.ndarray:
    """The country calling code of each E.164 string (0 where null or unknown).

    Calling codes are prefix-free, so the first of 1, 2 or 3 digits that is a
    known code is the code.
    """
    codes = np.zeros(len(e164), dtype=np.int64)
    found = np.zeros(len(e164), dtype=bool)
    for width in (1, 2, 3):
        known = pa.array([str(code) for code in _CODES if len(str(code)) == width])
        head = pc.utf8_slice_codeunits(e164, 1, 1 + width)
        hit = np.asarray(pc.fill_null(pc.is_in(head, value_set=known), False), dtype=bool)
        hit &= ~found
        if hit.any():
            codes[hit] = np.asarray(pc.cast(head.filter(pa.array(hit)), pa.int64()))
            found |= hit
    return codes


def zone_sets_for(e164: pa.Array, number_type: np.ndarray) -> tuple[np.ndarray, ZoneSets]:
    """(zone-set index per number, the zone sets), as ``time_zones_for_number`` decides.

    ``e164`` holds valid numbers (nulls allowed: they get ``()``); ``number_type``
    the readable type names the parser gives (``"mobile"``...). "Etc/Unknown" is
    reported as ``()``.
    """
    sets: ZoneSets = [()]
    index: dict[tuple[str, ...], int] = {(): 0}
    keys = np.zeros(len(e164), dtype=np.int64)
    if len(e164) == 0:
        return keys, sets
    codes = calling_code(e164)
    type_codes, type_names = pd.factorize(np.asarray(number_type, dtype=object))
    kinds = np.array([_TYPES.get(name, -1) for name in type_names] + [-1])[type_codes]
    inverse, pairs = pd.factorize(codes * 100 + kinds + 1)
    geographical = np.zeros(len(e164), dtype=bool)
    for column, pair in enumerate(pairs.tolist()):
        code, kind = divmod(pair, 100)
        if code == 0 or kind - 1 in (-1, PhoneNumberType.UNKNOWN):
            continue
        members = inverse == column
        if phonenumbers.is_number_type_geographical(kind - 1, code):
            geographical |= members
        else:
            keys[members] = _key(_country_zones(code), sets, index)
    if geographical.any():
        chosen = np.flatnonzero(geographical)
        digits = pc.utf8_slice_codeunits(e164.take(pa.array(chosen)), 1, 99)
        keys[chosen] = _prefix_zone_keys(digits, sets, index)
    return keys, sets


def _prefix_zone_keys(
    digits: pa.Array, sets: ZoneSets, index: dict[tuple[str, ...], int]
) -> np.ndarray:
    """Longest-prefix match of each digit string in ``TIMEZONE_DATA``, one pass per length;
    the zone set of each matched prefix is looked up once, not once per number."""
    keys = np.zeros(len(digits), dtype=np.int64)
    pending = np.ones(len(digits), dtype=bool)
    for width in range(TIMEZONE_LONGEST_PREFIX, 0, -1):
        table = _prefixes_of_width(width)
        if not len(table) or not pending.any():
            continue
        head = pc.utf8_slice_codeunits(digits, 0, width)
        where = np.asarray(pc.fill_null(pc.index_in(head, value_set=table), -1))
        hit = pending & (where >= 0)
        if hit.any():
            found, inverse = np.unique(where[hit], return_inverse=True)
            found_keys = np.array(
                [_key(_known(TIMEZONE_DATA[table[int(i)].as_py()]), sets, index) for i in found]
            )
            keys[hit] = found_keys[inverse.reshape(-1)]
        pending &= ~hit
    return keys


@lru_cache(maxsize=16)
def _prefixes_of_width(width: int) -> pa.Array:
    return pa.array(sorted(key for key in TIMEZONE_DATA if len(key) == width), pa.string())


@lru_cache(maxsize=1024)
def _country_zones(code: int) -> tuple[str, ...]:
    """What ``time_zones_for_number`` gives a non-geographical type: the country's zones."""
    text = str(code)
    for width in range(TIMEZONE_LONGEST_PREFIX, 0, -1):
        if text[: 1 + width] in TIMEZONE_DATA:
            return _known(TIMEZONE_DATA[text[: 1 + width]])
    return ()


def _known(zones: tuple[str, ...] | None) -> tuple[str, ...]:
    return tuple(zone for zone in zones or () if zone != UNKNOWN_TIMEZONE)


def _key(zones: tuple[str, ...], sets: ZoneSets, index: dict[tuple[str, ...], int]) -> int:
    if zones not in index:
        index[zones] = len(sets)
        sets.append(zones)
    return index[zones]
