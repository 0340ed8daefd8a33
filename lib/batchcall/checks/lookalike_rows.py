"""Look-alikes on their own: precheck's ``lookalike`` columns without the rest of precheck,
and what each flagged row would need to reach the other country.

Why apart from :func:`batchcall.checks.precheck`: Fix rows lists the rows whose number
is probably another country's, and it is redrawn after every edit. A whole precheck
(calling hours, zones, duplicates) costs about half a second on a 150,000-row list;
the look-alikes alone need only the platform's verdicts, which the working table
already holds, and one RE2 pass over the distinct cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number
from batchcall.checks.lookalikes import calling_code_mix, country_column, find_lookalikes
from batchcall.checks.zones import calling_code
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import judge_rows
from batchcall.rules.report import DistinctCells
from batchcall.text import as_arrow_text, single_array

__all__ = [
    "LOOKALIKE_COLUMNS",
    "flag_lookalikes",
    "list_mix",
    "lookalike_fixes",
    "place_name",
]

LOOKALIKE_COLUMNS = ["lookalike", "lookalike_e164"]
"""The columns ``precheck`` gives every row: the other country (or None) and its E.164."""

_PLACES = {"US": "the US", "GB": "the UK", "AU": "Australia", "IN": "India", "CA": "Canada"}


def place_name(region: str) -> str:
    """How a sentence names a look-alike country ("the US", "the UK"); else its code."""
    return _PLACES.get(region, region)


def flag_lookalikes(
    contacts: pd.DataFrame,
    verdicts: pd.DataFrame,
    route_region: str | None,
    distinct: DistinctCells | None = None,
    mix: Mapping[int, float] | None = None,
) -> pd.DataFrame:
    """``lookalike`` and ``lookalike_e164`` for every row of ``contacts``, as ``precheck``
    gives them.

    ``verdicts`` are the platform's verdicts on the same rows (``ValidationReport.rows``:
    ``e164`` and ``region`` per row); ``distinct`` the report's distinct cells, reused
    when they belong to this very phone column, else the cells are factorised here.
    ``mix``: the whole list's calling-code shares (``list_mix``) when ``contacts`` are only
    some of its rows (the rows an edit changed).
    """
    phones = contacts[PHONE_COLUMN]
    if (
        distinct is None
        or distinct.source is not phones.array
        or len(distinct.codes) != len(phones)
    ):
        encoded = pc.dictionary_encode(single_array(as_arrow_text(phones)))
        cell_of_row, cells = np.asarray(encoded.indices, dtype=np.intp), encoded.dictionary
    else:
        cell_of_row, cells = distinct.codes, distinct.texts
    e164 = verdicts["e164"].reindex(contacts.index).to_numpy(dtype=object)
    region = verdicts["region"].reindex(contacts.index).to_numpy(dtype=object)
    number_of_row, numbers = pd.factorize(e164)  # -1: invalid, picks the trailing 0
    row_code = np.append(calling_code(pa.array(numbers, pa.string())), 0)[number_of_row]
    countries = contacts[column] if (column := country_column(contacts)) else None
    found, other = find_lookalikes(
        cells, cell_of_row, row_code, region, route_region, countries, mix=mix
    )
    return pd.DataFrame(
        {"lookalike": found, "lookalike_e164": other}, index=contacts.index, dtype=object
    )


def list_mix(verdicts: pd.DataFrame) -> dict[int, float]:
    """The list's calling-code shares, from the platform's verdicts (``e164`` per row)."""
    number_of_row, numbers = pd.factorize(verdicts["e164"].to_numpy(dtype=object))
    codes = np.append(calling_code(pa.array(numbers, pa.string())), 0)  # 0: invalid
    return calling_code_mix(codes[number_of_row])


def lookalike_fixes(
    flagged: pd.DataFrame,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> pd.DataFrame:
    """What each flagged row would need: ``flagged`` (rows with ``phone_number``,
    ``lookalike`` and ``lookalike_e164``, all set) plus ``written`` (the other number in
    international writing), ``passes_after`` (this route and config accept it) and
    ``need`` (one sentence: how to write it, and the route when this one does not reach it).

    Only the flagged rows are judged: a handful, whatever the size of the list.
    """
    route = as_phone_number(route)
    details = flagged.copy()
    others = details["lookalike_e164"].astype(object)
    verdicts = judge_rows(pd.Series(others.to_numpy(), index=details.index), route, config)
    passes = verdicts["reason"].isna().to_numpy(dtype=bool)
    details["written"] = [_international(number) for number in others]
    details["passes_after"] = passes
    details["need"] = [
        f"write it as {written}"
        + ("" if ok else f" and use a route that reaches {place_name(region)}")
        for written, ok, region in zip(
            details["written"], passes, details["lookalike"], strict=True
        )
    ]
    return details


def _international(e164: str) -> str:
    """``+1 646 555 0198``: spaces only, the way the operator would type it into a cell."""
    number = phonenumbers.parse(e164)
    written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return written.replace("-", " ")
