"""Suggested repairs for failing phone cells: offered to the operator, never applied silently.

A suggestion is made only when the repaired text is a valid number that the
route accepts, so "apply suggested fixes" can never trade one failure for another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation

import pandas as pd

from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.checks.repairs import international_prefix_fix
from batchcall.phones.parse import parse_number
from batchcall.rules import judge, judge_rows

_WHOLE_FLOAT = re.compile(r"^\s*'?(\+?\d+)\.0+\s*$")
_SCIENTIFIC = re.compile(r"^\s*'?(\d(?:\.\d+)?)[eE]\+?(\d{1,2})\s*$")
_JUNK = re.compile(r"[^\d+]")
_ALPHA = re.compile(r"[A-Za-z]")
_MAX_IMPLIED_ZEROS = 2


def _excel_damage(raw: str) -> Iterator[str]:
    """9876543210.0 -> 9876543210; 9.87654321E+9 -> 9876543210."""
    match = _WHOLE_FLOAT.match(raw)
    if match:
        yield match.group(1)
    match = _SCIENTIFIC.match(raw)
    if match:
        try:
            value = Decimal(match.group(1)) * (Decimal(10) ** int(match.group(2)))
        except InvalidOperation:
            return
        digits = str(int(value)) if value == value.to_integral_value() else ""
        known = len(match.group(1).replace(".", "").rstrip("0"))
        # '9.88E+09' lost seven digits to the column width: only near-complete values qualify.
        if digits and len(digits) - known <= _MAX_IMPLIED_ZEROS:
            yield digits


def _leading_apostrophe(raw: str) -> Iterator[str]:
    if raw.strip().startswith("'"):
        yield raw.strip().lstrip("'")


def _missing_plus(raw: str) -> Iterator[str]:
    """919876543210 or 447911123456 typed without the '+'."""
    digits = _JUNK.sub("", raw)
    if digits and not digits.startswith(("+", "0")) and len(digits) >= 10:
        yield "+" + digits


def _double_prefix(raw: str) -> Iterator[str]:
    """+91 09876543210 or +91 91 98765 43210: a trunk 0 or the code typed twice."""
    digits = _JUNK.sub("", raw)
    match = re.match(r"^\+(\d{1,3})0(\d{6,})$", digits)
    if match:
        yield f"+{match.group(1)}{match.group(2)}"
    match = re.match(r"^\+(\d{1,3})\1(\d{6,})$", digits)
    if match:
        yield f"+{match.group(1)}{match.group(2)}"


def _strip_junk(raw: str) -> Iterator[str]:
    """Stray characters (quotes, stars, '#') around otherwise good digits; not letters."""
    if _ALPHA.search(raw):
        return
    cleaned = _JUNK.sub("", raw)
    if cleaned and cleaned != raw:
        yield cleaned


REPAIRS: tuple[tuple[str, Callable[[str], Iterator[str]]], ...] = (
    ("Spreadsheet damage removed", _excel_damage),
    ("Leading apostrophe removed", _leading_apostrophe),
    ("Duplicate country code or trunk 0 removed", _double_prefix),
    ("Country code '+' added", _missing_plus),
    ("Stray characters removed", _strip_junk),
)


EXIT_CODE_LABEL = "International dialling prefix replaced by '+'"


def _repairs(route: PhoneNumber) -> tuple[tuple[str, Callable[[str], Iterator[str]]], ...]:
    """``REPAIRS`` and, for this route's country, exit codes (00, 011, its own) -> '+'."""

    def exit_code(raw: str) -> Iterator[str]:
        fixed = international_prefix_fix(raw, route.region)
        if fixed is not None:
            yield fixed

    return (*REPAIRS[:2], (EXIT_CODE_LABEL, exit_code), *REPAIRS[2:])


def suggest_fix(raw: str, route: PhoneNumber, config: TelephonyConfig) -> tuple[str, str] | None:
    """(repaired text, what was done) when a repair makes the row pass, else None."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    for label, repair in _repairs(route):
        for candidate in repair(raw):
            if candidate == raw:
                continue
            parsed = parse_number(candidate, route.region)
            reason, _ = judge(parsed, route, config)
            if reason is None:
                return candidate, label
    return None


Suggestion = tuple[str, str] | None


def suggest_fixes(
    raws: Iterable[str], route: PhoneNumber, config: TelephonyConfig
) -> dict[str, Suggestion]:
    """``suggest_fix`` for many values at once, with the same answers.

    Why: a 10 MB list can hold tens of thousands of distinct failing numbers, and
    parsing every repair candidate one by one took seconds. Here each repair's
    candidates, for every value still without a fix, are judged in one call of the
    vectorised rules (the path ``validate`` takes), repairs in the same order.
    """
    values = list(dict.fromkeys(raw for raw in raws))
    found: dict[str, Suggestion] = {}
    pending = [raw for raw in values if isinstance(raw, str) and raw.strip()]
    for label, repair in _repairs(route):
        if not pending:
            break
        candidates = [(raw, c) for raw in pending for c in repair(raw) if c != raw]
        if not candidates:
            continue
        verdicts = judge_rows(pd.Series([c for _, c in candidates], dtype=object), route, config)
        for (raw, candidate), reason in zip(candidates, verdicts["reason"], strict=True):
            if raw not in found and (reason is None or reason != reason):  # None or NaN: passes
                found[raw] = (candidate, label)
        pending = [raw for raw in pending if raw not in found]
    return {raw: found.get(raw) for raw in values}
