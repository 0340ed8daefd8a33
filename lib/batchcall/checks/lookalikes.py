"""Look-alikes: numbers valid for the route's country but written as another country writes them.

``(646) 555-0198`` on an Indian route is read as +91 64655 50198, a valid Indian
number, yet it is a New York number written the US way; ``07400 123456`` is read
as +91 74001 23456 but is a UK mobile with its trunk 0. The platform would call
the wrong person, so the operator is told, never corrected silently.

A row is flagged for a candidate country only when that country's reading is a
valid number of that country, and the file itself points there:

* its country column (``country``, ``country_code``, ``nation``, ``iso``...) names
  that country; a column naming any other country vetoes the flag;
* or the number is written in that country's national style (``CANDIDATES``);
* or it is bare digits of the right shape and most of the rest of the list is
  that country (written with its ``+`` code).

Numbers written with ``+`` never qualify: their country is explicit. Patterns run
with RE2 over the distinct cells (arrow), and only the flagged few are parsed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.phones.parse import parse_columns

__all__ = ["CANDIDATES", "MIX_SHARE", "Candidate", "country_column", "find_lookalikes"]


@dataclass(frozen=True)
class Candidate:
    """A country whose national writing collides with another country's numbers."""

    region: str
    """Default region for the other reading."""
    code: int
    """Its calling code: rows of the route's own code are never candidates."""
    shape: str
    """RE2, whole digits-only text: a national number of the right length."""
    styles: tuple[str, ...]
    """RE2, whole stripped text: how people of that country write their numbers."""


_SEP = r"[ .\-]"
CANDIDATES: tuple[Candidate, ...] = (
    Candidate(  # NANP (US, CA and the Caribbean share +1): (NXX) NXX-XXXX, NXX-NXX-XXXX
        "US",
        1,
        r"^1?[2-9][0-9]{2}[2-9][0-9]{6}$",
        (
            rf"^(?:1{_SEP}?)?\([2-9][0-9]{{2}}\) ?[2-9][0-9]{{2}}{_SEP}?[0-9]{{4}}$",
            rf"^(?:1{_SEP})?[2-9][0-9]{{2}}-[2-9][0-9]{{2}}-[0-9]{{4}}$",
            rf"^(?:1{_SEP})?[2-9][0-9]{{2}}\.[2-9][0-9]{{2}}\.[0-9]{{4}}$",
            r"^(?:1 )?[2-9][0-9]{2} [2-9][0-9]{2} [0-9]{4}$",
        ),
    ),
    Candidate(  # UK mobiles: 07xxx xxxxxx, 07xxx xxx xxx (landline styles clash with India's)
        "GB",
        44,
        r"^0[1-9][0-9]{9}$",
        (r"^07[0-9]{3}[ \-][0-9]{6}$", r"^07[0-9]{3} [0-9]{3} [0-9]{3}$"),
    ),
    Candidate(  # Australia: 04xx xxx xxx mobiles, (0x) xxxx xxxx landlines
        "AU",
        61,
        r"^0[2-478][0-9]{8}$",
        (r"^04[0-9]{2} [0-9]{3} [0-9]{3}$", r"^\(0[2378]\) ?[0-9]{4} [0-9]{4}$"),
    ),
    Candidate(  # India: 98765 43210 (5-5), with or without the trunk 0
        "IN",
        91,
        r"^0?[1-9][0-9]{9}$",
        (r"^0?[6-9][0-9]{4}[ \-][0-9]{5}$",),
    ),
)
"""The small explicit table of countries a number may secretly belong to."""

MIX_SHARE = 0.5
"""Bare digits lean to a country when at least this share of the list's valid numbers is it."""

COUNTRY_HEADERS = frozenset(
    {"country", "country_code", "countrycode", "country_name", "nation", "iso", "iso2",
     "iso_code", "iso_country", "country_iso", "dial_code"}
)  # fmt: skip
_COUNTRY_NAMES = {
    "US": ("USA", "UNITEDSTATES", "UNITEDSTATESOFAMERICA", "AMERICA", "US"),
    "CA": ("CANADA", "CAN"),
    "GB": ("UK", "GBR", "UNITEDKINGDOM", "GREATBRITAIN", "BRITAIN", "ENGLAND", "SCOTLAND",
           "WALES", "NORTHERNIRELAND"),
    "AU": ("AUSTRALIA", "AUS"),
    "IN": ("INDIA", "IND", "BHARAT"),
    "FR": ("FRANCE", "FRA"),
}  # fmt: skip
_ADJECTIVES = {"US": "a US", "CA": "a Canadian", "GB": "a UK", "AU": "an Australian",
               "IN": "an Indian"}  # fmt: skip
_NAME_TO_REGION = {name: region for region, names in _COUNTRY_NAMES.items() for name in names}


def country_column(table: pd.DataFrame) -> str | None:
    """The first column whose header says it holds each contact's country, if any."""
    for column in table.columns:
        if re.sub(r"[^a-z0-9]+", "_", str(column).lower()).strip("_") in COUNTRY_HEADERS:
            return str(column)
    return None


def calling_code_of(value: object) -> int:
    """The calling code a country cell names ("US", "United States", "+1", "USA"); 0 if none."""
    if not isinstance(value, str):
        return 0
    text = re.sub(r"[\s.\-_']", "", value).upper()
    if text.lstrip("+").isdigit():
        code = int(text.lstrip("+"))
        return code if phonenumbers.region_code_for_country_code(code) != "ZZ" else 0
    region = _NAME_TO_REGION.get(text, text)
    return phonenumbers.country_code_for_region(region) if len(region) == 2 else 0


def calling_code_mix(row_code: np.ndarray) -> dict[int, float]:
    """Each calling code's share of the valid numbers (``row_code`` 0 when invalid): the
    list's own leaning, which lets a bare national number read as another country's."""
    valid = row_code[row_code > 0]
    if not len(valid):
        return {}
    codes, counts = np.unique(valid, return_counts=True)
    return {int(code): count / len(valid) for code, count in zip(codes, counts, strict=True)}


def find_lookalikes(
    cells: pa.Array,
    cell_of_row: np.ndarray,
    row_code: np.ndarray,
    region: np.ndarray,
    route_region: str | None,
    countries: pd.Series | None = None,
    mix: Mapping[int, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(look-alike region or None, the other E.164 or None) per row.

    ``cells`` are the distinct phone cells and ``cell_of_row`` each row's cell (as
    ``validate`` factorised them); ``row_code`` / ``region`` the calling code (0 when
    invalid) and region validation gave each row; ``countries`` the file's
    country column, when it has one. ``mix`` is each calling code's share of the list's
    valid numbers (``calling_code_mix``), given when these rows are only part of the list.
    """
    n = len(cell_of_row)
    found_region = np.full(n, None, dtype=object)
    found_e164 = np.full(n, None, dtype=object)
    route_code = phonenumbers.country_code_for_region(route_region or "")
    stripped = pc.utf8_trim_whitespace(cells)
    written_plus = _matches(stripped, r"^\+")
    own = (row_code > 0) & (region == (route_region or "")) & ~written_plus[cell_of_row]
    rows = np.flatnonzero(own)
    if not len(rows) or not route_code:
        return found_region, found_e164
    codes = cell_of_row[rows]
    digits = pc.replace_substring_regex(stripped, r"[^0-9]", "")
    bare = _matches(stripped, r"^[0-9]+$")
    column = _column_codes(countries, rows)
    shares = calling_code_mix(row_code) if mix is None else mix
    for candidate in CANDIDATES:
        if candidate.code == route_code:
            continue
        shaped = _matches(digits, candidate.shape)
        styled = _matches(stripped, "|".join(f"(?:{style})" for style in candidate.styles))
        leaning = bare & (shares.get(candidate.code, 0.0) >= MIX_SHARE)
        flag = shaped[codes] & np.where(
            column == 0, (styled | leaning)[codes], column == candidate.code
        )
        flag &= pd.isna(found_region[rows])
        if not flag.any():
            continue
        wanted = np.unique(codes[flag])
        other = parse_columns(stripped.take(pa.array(wanted)), candidate.region)
        other_e164 = np.asarray(other.e164_array().to_numpy(zero_copy_only=False), dtype=object)
        other_region = np.asarray(other.region, dtype=object)
        lookup = np.full(len(cells), -1)
        lookup[wanted] = np.arange(len(wanted))
        positions = np.flatnonzero(flag)
        hits = lookup[codes[positions]]
        numbers = pd.Series(other_e164[hits], dtype=object)
        right = numbers.str.startswith(f"+{candidate.code}").fillna(False).to_numpy(dtype=bool)
        found_region[rows[positions[right]]] = other_region[hits[right]]
        found_e164[rows[positions[right]]] = other_e164[hits[right]]
    return found_region, found_e164


def advice(raw: str, other_e164: str, region: str) -> str:
    """One sentence: which country, the number there, and what the cell would need."""
    adjective = _ADJECTIVES.get(region, f"a {region}")
    code = phonenumbers.parse(other_e164).country_code
    national = phonenumbers.national_significant_number(phonenumbers.parse(other_e164))
    digits = re.sub(r"[^0-9]", "", raw)
    if digits.startswith("0") and not national.startswith("0"):
        need = f"replace the leading 0 with +{code}"
    else:
        need = f"add +{code}"
    return f"probably {adjective} number: {other_e164}; {need} or drop it"


def _matches(texts: pa.Array, pattern: str) -> np.ndarray:
    return np.asarray(pc.fill_null(pc.match_substring_regex(texts, pattern), False), dtype=bool)


def _column_codes(countries: pd.Series | None, rows: np.ndarray) -> np.ndarray:
    """The calling code the country column names, per candidate row (0: blank or unknown)."""
    if countries is None:
        return np.zeros(len(rows), dtype=np.int64)
    values = countries.to_numpy(dtype=object)[rows]
    keys, distinct = pd.factorize(values)
    table = np.array([calling_code_of(value) for value in distinct] + [0], dtype=np.int64)
    return table[keys]  # -1 (missing) picks the trailing 0
