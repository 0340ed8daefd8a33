"""Array versions of the steps of ``phonenumbers.parse`` / ``is_valid_number``.

Each function names the reference function it mirrors. Inputs are pyarrow
string arrays of ASCII digits; masks and codes are numpy arrays. Patterns come
from ``_meta`` (libphonenumber's metadata, anchored for RE2).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import PhoneNumberType

from batchcall.phones.fast.byte_ops import byte_lengths
from batchcall.phones.fast.meta import (
    Desc,
    Meta,
    country_code_prefixes,
    lookup,
    meta_key,
    region_meta,
    regions_for,
)

UNKNOWN = PhoneNumberType.UNKNOWN
Bools = np.ndarray


class Unsure(Exception):
    """The metadata needed here is not modelled exactly: use the reference."""


def bools(array: pa.Array | pa.ChunkedArray) -> Bools:
    """A pyarrow boolean result as numpy (nulls as False)."""
    if array.null_count:
        array = pc.fill_null(array, False)
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def lengths(digits: pa.Array) -> np.ndarray:
    """Lengths of ASCII digit strings."""
    return byte_lengths(digits)


SMALL = 48
"""Below this many candidates Python's ``re`` (patterns compiled once) beats an RE2
pass, which pyarrow compiles afresh on every call."""


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def matches(values: pa.Array, pattern: str, where: Bools | None = None) -> Bools:
    """``re.match``/``fullmatch`` of an anchored pattern, evaluated only ``where`` asked."""
    size = len(values)
    rows = np.arange(size) if where is None else np.flatnonzero(where)
    out = np.zeros(size, dtype=bool)
    if len(rows) == 0:
        return out
    if len(rows) <= SMALL:
        search = _compiled(pattern).search
        every = values.to_pylist() if size <= 4 * SMALL else values.take(rows).to_pylist()
        picked = [every[row] for row in rows] if size <= 4 * SMALL else every
        out[rows] = [search(value) is not None for value in picked]
        return out
    if len(rows) * 3 > size:  # dense: one pass over everything is cheaper than a take
        found = bools(pc.match_substring_regex(values, pattern))
        return found if where is None else found & where
    out[rows] = bools(pc.match_substring_regex(values.take(rows), pattern))
    return out


def full_match(values: pa.Array, desc: Desc | None, where: Bools | None = None) -> Bools:
    """``_match_national_number(number, desc, False)``: the whole pattern, no length check."""
    if desc is None:
        return np.zeros(len(values), bool)
    return matches(values, desc.full, where)


def matches_desc(values: pa.Array, sizes: np.ndarray, desc: Desc | None, where: Bools) -> Bools:
    """``_is_number_matching_desc``: a possible length first, then the pattern."""
    if desc is None:
        return np.zeros(len(values), bool)
    if desc.lengths:
        where = where & lookup(desc.length_ok, sizes)
    return full_match(values, desc, where)


def number_types(nsn: pa.Array, meta: Meta) -> np.ndarray:
    """``_number_type_helper``: PhoneNumberType values, UNKNOWN when no pattern matches."""
    if not meta.re2_ok:
        raise Unsure(meta.key)
    sizes = lengths(nsn)
    out = np.full(len(nsn), UNKNOWN, dtype=np.int16)
    todo = matches_desc(nsn, sizes, meta.general, np.ones(len(nsn), bool))
    for number_type, desc in meta.special:
        if not todo.any():
            return out
        hit = matches_desc(nsn, sizes, desc, todo)
        out[hit] = number_type
        todo &= ~hit
    if not todo.any():
        return out
    fixed = matches_desc(nsn, sizes, meta.fixed_line, todo)
    if meta.same_mobile_and_fixed_line:
        out[fixed] = PhoneNumberType.FIXED_LINE_OR_MOBILE
        return out
    mobile = matches_desc(nsn, sizes, meta.mobile, todo)
    out[fixed & mobile] = PhoneNumberType.FIXED_LINE_OR_MOBILE
    out[fixed & ~mobile] = PhoneNumberType.FIXED_LINE
    out[~fixed & mobile] = PhoneNumberType.MOBILE
    return out


def strip_prefix(values: pa.Array, pattern: str, where: Bools) -> pa.Array:
    """``number[match.end():]`` where ``where``; RE2 and ``re`` pick the same match."""
    if not where.any():
        return values
    rows = np.flatnonzero(where)
    stripped = pc.replace_substring_regex(values.take(rows), pattern, "", max_replacements=1)
    return pc.replace_with_mask(values, pa.array(where), stripped.cast(values.type))


def strip_national_prefix(numbers: pa.Array, meta: Meta) -> pa.Array:
    """``_maybe_strip_national_prefix_carrier_code`` without a transform rule.

    Strips the national prefix unless the number fit the general pattern before
    and no longer does after. (The carrier code it also returns is not needed.)
    """
    if not meta.re2_ok or meta.transform:
        raise Unsure(meta.key)
    if meta.national_prefix is None or len(numbers) == 0:
        return numbers
    found = matches(numbers, meta.national_prefix)
    if not found.any():
        return numbers
    stripped = strip_prefix(numbers, meta.national_prefix, found)
    viable_before = full_match(numbers, meta.general, found)
    viable_after = full_match(stripped, meta.general, viable_before)
    keep = found & ~(viable_before & ~viable_after)
    return pc.if_else(pa.array(keep), stripped, numbers) if not keep.all() else stripped


def strip_idd(digits: pa.Array, meta: Meta) -> tuple[Bools, pa.Array]:
    """``_parse_prefix_as_idd``: strip the international prefix unless a 0 follows it."""
    if meta.international_prefix is None:
        return np.zeros(len(digits), bool), digits
    found = matches(digits, meta.international_prefix)
    rest = strip_prefix(digits, meta.international_prefix, found)
    return found & ~bools(pc.starts_with(rest, "0")), rest


def split_country_code(digits: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """``_extract_country_code``: the 1-3 digit calling code (0 if none) and the rest."""
    size = len(digits)
    codes = np.zeros(size, dtype=np.int32)
    rest = digits
    sizes = lengths(digits)
    for width, known in country_code_prefixes().items():
        head = pc.utf8_slice_codeunits(digits, 0, width)
        hit = (codes == 0) & (sizes >= width) & bools(pc.is_in(head, known))
        if not hit.any():
            continue
        rows = np.flatnonzero(hit)
        codes[rows] = np.asarray(pc.cast(head.take(rows), pa.int32()).to_numpy(), dtype=np.int32)
        rest = pc.replace_with_mask(
            rest, pa.array(hit), pc.utf8_slice_codeunits(digits.take(rows), width)
        )
    return codes, rest


def resolve_regions(country_code: int, nsn: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """``region_code_for_number`` then ``number_type`` for numbers sharing one calling code.

    Returns (region per number or None, PhoneNumberType per number). For shared
    codes the reference tries regions in listed order: leading digits when the
    region has them, else "any type matches".
    """
    size = len(nsn)
    regions = regions_for(country_code)
    region_out = np.full(size, None, dtype=object)
    types = np.full(size, UNKNOWN, dtype=np.int16)
    if len(regions) == 1:
        meta = region_meta(meta_key(country_code, regions[0]))
        if meta is None:
            return region_out, types
        region_out[:] = regions[0]
        return region_out, number_types(nsn, meta)
    todo = np.ones(size, bool)
    for region in regions:
        meta = region_meta(region)
        if meta is None or not todo.any():
            continue
        if not meta.re2_ok:
            raise Unsure(region)
        if meta.leading_digits is not None:
            hit = matches(nsn, meta.leading_digits, todo)
            region_types = _types_where(nsn, meta, hit)
        else:
            region_types = _types_where(nsn, meta, todo)
            hit = todo & (region_types != UNKNOWN)
        region_out[hit] = region
        types[hit] = region_types[hit]
        todo &= ~hit
    return region_out, types


def _types_where(nsn: pa.Array, meta: Meta, where: Bools) -> np.ndarray:
    out = np.full(len(nsn), UNKNOWN, dtype=np.int16)
    if where.any():
        rows = np.flatnonzero(where)
        out[rows] = number_types(nsn.take(rows), meta)
    return out
