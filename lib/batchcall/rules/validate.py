"""The platform's destination rules, written once.

The pre-flight check, the sandbox's 400 and the tests all call :func:`validate`.
Rules, first failure wins (see the API contract):

1. parse with libphonenumber, default region = the route number's country;
   unparseable or not ``is_valid_number`` -> ``invalid_phone_number``;
2. SIP routes (``provider == "sip_trunk"``) and ``sip_byoc_enabled`` stop here;
3. no enabled network group at all -> ``no_enabled_countries``;
4. the number's country has no enabled group -> ``unsupported_destination_country``;
5. no enabled group of that country has a prefix starting the E.164 form
   -> ``unsupported_prefix``.

Each distinct phone value is judged once and the verdict spread to its rows,
so a list with repeats costs what its distinct values cost. The reasons and the
report's shape live in ``batchcall.rules.reasons`` and ``batchcall.rules.report``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from batchcall.api.models import (
    PhoneNumber,
    TelephonyConfig,
    as_phone_number,
    as_telephony_config,
)
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.phones.parse import ParsedNumber, parse_columns
from batchcall.rules.reasons import Reason
from batchcall.rules.report import DistinctCells, ValidationReport
from batchcall.text import as_arrow_text, single_array

__all__ = ["ROW_COLUMNS", "Verdict", "distinct_cells", "judge", "judge_rows", "validate"]


Verdict = tuple[Reason | None, str | None]
"""(reason or None when the row passes, country for the country and prefix reasons)."""


class _Rules(NamedTuple):
    """What rules 2-5 need from the route and the config, read once per validation."""

    format_only: bool
    prefixes: dict[str, tuple[str, ...]]  # enabled country -> its enabled prefixes

    @classmethod
    def of(cls, route: PhoneNumber, config: TelephonyConfig) -> _Rules:
        enabled = config.enabled_countries()
        return cls(
            route.is_sip or config.sip_byoc_enabled,
            {country: config.enabled_prefixes(country) for country in enabled},
        )

    def judge_columns(self, e164: pa.Array, region: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`judge` over columns: (reason, country) per number, one pass per country."""
        reason = np.full(len(e164), None, dtype=object)
        country = np.full(len(e164), None, dtype=object)
        valid = ~np.asarray(e164.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        reason[~valid] = str(Reason.INVALID_PHONE_NUMBER)
        if self.format_only:
            return reason, country
        if not self.prefixes:
            reason[valid] = str(Reason.NO_ENABLED_COUNTRIES)
            return reason, country
        codes, names = pd.factorize(region)  # None -> -1
        for code, name in [(-1, ""), *enumerate(names)]:
            rows = valid & (codes == code)
            if not rows.any():
                continue
            prefixes = self.prefixes.get(name.upper())
            failure = Reason.UNSUPPORTED_DESTINATION_COUNTRY
            if prefixes is not None:
                numbers = e164.filter(pa.array(rows))
                allowed = np.zeros(len(numbers), dtype=bool)
                for prefix in prefixes:
                    allowed |= np.asarray(pc.starts_with(numbers, prefix), dtype=bool)
                rows[rows] = ~allowed
                failure = Reason.UNSUPPORTED_PREFIX
            reason[rows] = str(failure)
            country[rows] = name
        return reason, country

    def judge(self, parsed: ParsedNumber) -> Verdict:
        if parsed.e164 is None:
            return Reason.INVALID_PHONE_NUMBER, None
        if self.format_only:
            return None, None
        if not self.prefixes:
            return Reason.NO_ENABLED_COUNTRIES, None
        country = parsed.region or ""
        prefixes = self.prefixes.get(country.upper())
        if prefixes is None:
            return Reason.UNSUPPORTED_DESTINATION_COUNTRY, country
        if not parsed.e164.startswith(prefixes):
            return Reason.UNSUPPORTED_PREFIX, country
        return None, None


def judge(parsed: ParsedNumber, route: PhoneNumber, config: TelephonyConfig) -> Verdict:
    """Apply rules 2-5 to one parsed number."""
    return _Rules.of(route, config).judge(parsed)


ROW_COLUMNS = [PHONE_COLUMN, "e164", "region", "number_type", "reason", "country"]


def validate(
    contacts: pd.DataFrame,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> ValidationReport:
    """Predict the platform's verdict for every row of ``contacts``.

    ``contacts`` is what ``batchcall.contacts.read.read_contacts`` returns: text cells, a
    ``phone_number`` column, indexed by spreadsheet row.
    """
    phones = contacts[PHONE_COLUMN]
    rows, distinct = _judge(phones, route, config)
    return ValidationReport(rows, distinct=distinct._replace(source=phones.array))


def judge_rows(
    phones: pd.Series,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> pd.DataFrame:
    """Per-row verdicts (columns ``ROW_COLUMNS``) for a series of phone cells."""
    return _judge(phones, route, config)[0]


def _judge(
    phones: pd.Series,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> tuple[pd.DataFrame, DistinctCells]:
    """Each distinct cell parsed and judged once, the verdicts spread to the rows."""
    route = as_phone_number(route)
    config = as_telephony_config(config)
    values = as_arrow_text(phones)
    codes, uniques = _factorize(values)
    parsed = parse_columns(uniques, route.region)
    e164 = parsed.e164_array()
    reason, country = _Rules.of(route, config).judge_columns(e164, parsed.region)
    distinct = {
        "e164": np.asarray(e164.to_numpy(zero_copy_only=False), dtype=object),
        "region": parsed.region,
        "number_type": parsed.number_type,
        "reason": reason,
        "country": country,
    }
    rows = pd.DataFrame(
        {name: column[codes] for name, column in distinct.items()}, index=phones.index, dtype=object
    )
    rows.insert(0, PHONE_COLUMN, values)
    rows.index.name = "row"
    return rows, DistinctCells(codes, uniques, e164)


def distinct_cells(report: ValidationReport) -> DistinctCells:
    """The distinct phone cells behind ``report``: its own, or found again from its rows
    (a report a working table rebuilt after edits keeps none), without judging a cell."""
    if report.distinct is not None:
        return report.distinct
    values = as_arrow_text(report.rows[PHONE_COLUMN])
    codes, uniques = _factorize(values)
    _, first = np.unique(codes, return_index=True)
    e164 = pa.array(report.rows["e164"].to_numpy(dtype=object)[first], pa.string())
    return DistinctCells(codes, uniques, e164, source=report.rows[PHONE_COLUMN].array)


def _factorize(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """(row -> distinct code, distinct cells in order of first appearance), in arrow."""
    encoded = pc.dictionary_encode(single_array(values))
    return np.asarray(encoded.indices, dtype=np.intp), encoded.dictionary
