"""libphonenumber's own metadata, prepared once per region for the vectorised path.

Every pattern is taken verbatim from ``phonenumbers``' ``PhoneMetadata`` objects
and wrapped for RE2 (pyarrow.compute): ``^(?:p)$`` is the reference's
``fullmatch``, ``^(?:p)`` its ``re.match``. The digit strings fed to them are
ASCII-only, where RE2's and Python's ``\\d`` agree. A region whose metadata the
vectorised steps do not model exactly (a national-prefix transform rule, or a
pattern RE2 refuses) is flagged, and its numbers go to the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    COUNTRY_CODES_FOR_NON_GEO_REGIONS,
    SUPPORTED_REGIONS,
    PhoneMetadata,
    PhoneNumberType,
)
from phonenumbers.phonemetadata import PhoneNumberDesc

NON_GEO = "001"
MAX_DIGITS = 24
"""Longest digit string the vectorised path takes (the reference caps NSNs at 17)."""

# ``_number_type_helper``'s order: the first matching special type wins, then
# fixed line / mobile.
SPECIAL_TYPES = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)


@dataclass(frozen=True)
class Desc:
    """One ``PhoneNumberDesc``: an anchored pattern and the lengths it allows."""

    full: str
    lengths: tuple[int, ...]  # empty: no length check (as the reference)

    @property
    def length_ok(self) -> np.ndarray:
        """``length in lengths`` as a lookup table (last slot: any longer length)."""
        return _length_table(self.lengths)


@dataclass(frozen=True)
class Meta:
    """What parse/is_valid_number/number_type read from one region's metadata."""

    key: str
    country_code: int
    re2_ok: bool  # every pattern compiles in RE2
    transform: bool  # has a national_prefix_transform_rule (not modelled: reference)
    general: Desc | None
    special: tuple[tuple[int, Desc], ...]
    fixed_line: Desc | None
    mobile: Desc | None
    same_mobile_and_fixed_line: bool
    national_prefix: str | None  # ``^(?:national_prefix_for_parsing)``
    international_prefix: str | None  # ``^(?:international_prefix)``
    leading_digits: str | None  # ``^(?:leading_digits)``
    strip_lengths: frozenset[int]  # lengths where parse keeps a stripped national prefix
    too_long_lengths: frozenset[int]  # lengths ``_test_number_length`` calls TOO_LONG

    def keeps_stripped(self, sizes: np.ndarray) -> np.ndarray:
        return lookup(_length_table(tuple(sorted(self.strip_lengths))), sizes)

    def too_long(self, sizes: np.ndarray) -> np.ndarray:
        return lookup(_length_table(tuple(sorted(self.too_long_lengths))), sizes)


def lookup(table: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``size in lengths`` per size, via a table (sizes past the table: False)."""
    return table[np.minimum(sizes, len(table) - 1)]


@cache
def _length_table(lengths: tuple[int, ...]) -> np.ndarray:
    table = np.zeros(MAX_DIGITS + 2, dtype=bool)
    table[[n for n in lengths if 0 <= n <= MAX_DIGITS]] = True
    return table


def _desc(desc: PhoneNumberDesc | None) -> Desc | None:
    """None where ``_match_national_number`` is always False."""
    if desc is None or not desc.national_number_pattern:
        return None
    return Desc(f"^(?:{desc.national_number_pattern})$", tuple(desc.possible_length or ()))


def _length_verdicts(desc: PhoneNumberDesc) -> tuple[frozenset[int], frozenset[int]]:
    """``_test_number_length(n, metadata)`` for every length, as two sets.

    Mirrors the reference: local-only lengths first, then min/max/membership.
    Parse keeps a stripped national prefix unless the verdict is TOO_SHORT,
    IS_POSSIBLE_LOCAL_ONLY or INVALID_LENGTH, i.e. when IS_POSSIBLE or TOO_LONG.
    """
    lengths = tuple(desc.possible_length or ())
    local = tuple(desc.possible_length_local_only or ())
    keep: set[int] = set()
    too_long: set[int] = set()
    for length in range(MAX_DIGITS + 1):
        if not lengths or length in local or length < lengths[0]:
            continue
        if length > lengths[-1]:
            too_long.add(length)
            keep.add(length)
        elif length == lengths[0] or length in lengths[1:]:
            keep.add(length)
    return frozenset(keep), frozenset(too_long)


def _re2_ok(patterns: list[str]) -> bool:
    """True when RE2 compiles every pattern (the reference uses Python ``re``)."""
    probe = pa.array(["0"], pa.string())
    try:
        for pattern in patterns:
            pc.match_substring_regex(probe, pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def _build(key: str, metadata: PhoneMetadata) -> Meta:
    special = tuple(
        (number_type, desc)
        for name, number_type in SPECIAL_TYPES
        if (desc := _desc(getattr(metadata, name))) is not None
    )
    general = _desc(metadata.general_desc)
    npfp = metadata.national_prefix_for_parsing or None
    idd = metadata.international_prefix or None
    leading = metadata.leading_digits
    keep, too_long = _length_verdicts(metadata.general_desc)
    meta = Meta(
        key=key,
        country_code=metadata.country_code,
        re2_ok=True,
        transform=bool(metadata.national_prefix_transform_rule),
        general=general,
        special=special,
        fixed_line=_desc(metadata.fixed_line),
        mobile=_desc(metadata.mobile),
        same_mobile_and_fixed_line=bool(metadata.same_mobile_and_fixed_line_pattern),
        national_prefix=None if npfp is None else f"^(?:{npfp})",
        international_prefix=None if idd is None else f"^(?:{idd})",
        leading_digits=None if leading is None else f"^(?:{leading})",
        strip_lengths=keep,
        too_long_lengths=too_long,
    )
    patterns = [d.full for d in (general, meta.fixed_line, meta.mobile) if d is not None]
    patterns += [d.full for _, d in special]
    prefixes = (meta.national_prefix, meta.international_prefix, meta.leading_digits)
    patterns += [pattern for pattern in prefixes if pattern]
    if not _re2_ok(patterns):
        meta = replace(meta, re2_ok=False)
    return meta


@cache
def region_meta(region: str) -> Meta | None:
    """Metadata of a region code ("IN"), or of a non-geographic code ("001/800")."""
    if region.startswith(NON_GEO + "/"):
        code = int(region.split("/", 1)[1])
        metadata = PhoneMetadata.metadata_for_nongeo_region(code, None)
    else:
        metadata = PhoneMetadata.metadata_for_region(region, None)
    return None if metadata is None else _build(region, metadata)


def meta_key(country_code: int, region: str) -> str:
    """The ``region_meta`` key of ``metadata_for_region_or_calling_code(cc, region)``."""
    return f"{NON_GEO}/{country_code}" if region == NON_GEO else region


def main_region(country_code: int) -> str:
    """``region_code_for_country_code``: the first region listed for the code."""
    return COUNTRY_CODE_TO_REGION_CODE[country_code][0]


def regions_for(country_code: int) -> tuple[str, ...]:
    return tuple(COUNTRY_CODE_TO_REGION_CODE[country_code])


@cache
def country_code_prefixes() -> dict[int, pa.Array]:
    """Calling codes as digit strings, by length (1-3): ``_extract_country_code``'s table."""
    codes = sorted(str(code) for code in COUNTRY_CODE_TO_REGION_CODE)
    return {size: pa.array([c for c in codes if len(c) == size]) for size in (1, 2, 3)}


# Every metadata key there is, numbered once at import: ids never depend on the
# order threads (Streamlit sessions) first meet a region.
_KEYS: tuple[str, ...] = (
    *sorted(SUPPORTED_REGIONS),
    *(f"{NON_GEO}/{code}" for code in sorted(COUNTRY_CODES_FOR_NON_GEO_REGIONS)),
)
_IDS = {key: ident for ident, key in enumerate(_KEYS)}


def meta_id(key: str) -> int:
    """A small integer for a metadata key, so numbers can be grouped with numpy."""
    return _IDS[key]


def meta_by_id(ident: int) -> Meta | None:
    return region_meta(_KEYS[ident])


@cache
def main_meta_ids() -> np.ndarray:
    """Calling code -> id of the metadata ``parse`` switches to for it (-1: unknown code)."""
    table = np.full(1000, -1, dtype=np.int32)
    for code in COUNTRY_CODE_TO_REGION_CODE:
        table[code] = meta_id(meta_key(code, main_region(code)))
    return table
