"""Parsing destination numbers: what libphonenumber says about each distinct value.

Two paths, side by side, that must agree exactly:

* :func:`parse_number` is the reference: one ``phonenumbers.parse`` +
  ``is_valid_number`` per distinct string, memoised. ~48 µs a value.
* :func:`parse_columns` / :func:`parse_distinct` decide whole columns at once
  with ``batchcall.phones.fast`` (libphonenumber's own metadata matched with RE2) and
  hand every value the fast path is not sure about to :func:`parse_number`.
  ~1-2 µs a value on a typical list.

``tests/test_fastphones_differential.py`` and ``python -m bench`` check the two
agree on a generated corpus. Validation rules (``batchcall.rules.validate``) only ever
see the parsed columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import phonenumbers
import pyarrow as pa
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from batchcall.phones import fast as fastphones

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
FEW = 32
"""Below this many values the reference alone is quicker than the vectorised path."""


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


def parse_columns(
    texts: pa.Array, default_region: str | None, *, few: int = FEW
) -> fastphones.Columns:
    """Parse a column of text: the fast path first, the reference for what it leaves.

    ``texts`` is a pyarrow string array (nulls allowed). The result is aligned
    with it: ``e164_array()``, ``region``, ``number_type``; ``fast`` says which
    values the vectorised path decided itself. Under ``few`` values the reference
    does it all (the differential tests pass 0 to exercise the fast path).
    """
    if len(texts) >= few:
        columns = fastphones.parse_columns(texts, default_region)
    else:  # a handful (an edited cell): the fast path's fixed cost is not worth it
        columns = fastphones.Columns.empty(len(texts))
    undecided = np.flatnonzero(~columns.fast)
    if len(undecided):
        raw = texts.take(undecided).to_pylist()
        verdicts = [parse_number(value, default_region) for value in raw]
        valid = [i for i, verdict in enumerate(verdicts) if verdict.e164 is not None]
        if valid:
            columns.set_valid(
                undecided[valid],
                pa.array([verdicts[i].e164 for i in valid], pa.string()),
                [verdicts[i].region for i in valid],
                [verdicts[i].number_type for i in valid],
            )
    return columns


def parse_distinct(values: Iterable[str], default_region: str | None) -> dict[str, ParsedNumber]:
    """Parse each distinct value once; the caller maps rows onto the result."""
    texts, others = fastphones.distinct_texts(values)
    columns = parse_columns(texts, default_region)
    e164 = columns.e164_array().to_pylist()
    verdicts = map(ParsedNumber, e164, columns.region, columns.number_type)
    parsed = dict(zip(texts.to_pylist(), verdicts, strict=True))
    for value in others:  # None and other non-text cells: the reference, as before
        parsed[value] = parse_number(value, default_region)
    return parsed
