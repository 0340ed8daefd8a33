"""Guessing which column holds the phone numbers when none is called ``phone_number``.

Two signals, combined: the header's name ("Phone Number", "Mobile No.",
"msisdn", …) and the cells' shape (mostly 8-15 digits with phone punctuation,
and not dates or amounts with decimals).
"""

from __future__ import annotations

import re

import pandas as pd

_NAME_WORDS = {
    "phonenumber": 1.0,
    "phone": 0.9,
    "mobile": 0.9,
    "msisdn": 0.9,
    "cell": 0.7,
    "contactnumber": 0.8,
    "whatsapp": 0.7,
    "tel": 0.6,
    "telephone": 0.8,
    "mob": 0.6,
    "number": 0.4,
    "contact": 0.4,
}
# Words that say "phone" even inside a longer word ("customerphone", "mobileno").
_EMBEDDED = ("phone", "mobile", "msisdn", "whatsapp", "telephone")
# Generic words that count only beside a phone word or phone-like cells.
_GENERIC = ("number", "contact")
# Headers of numbers that are not phones: account numbers, ids, amounts, dates.
_NOT_PHONE = {
    "account",
    "acct",
    "id",
    "loan",
    "amount",
    "amt",
    "date",
    "pin",
    "pincode",
    "zip",
    "postcode",
    "policy",
    "order",
    "invoice",
    "aadhaar",
    "aadhar",
    "pan",
    "card",
    "emi",
    "ref",
    "reference",
    "customerid",
    "serial",
    "sr",
    "sno",
    "year",
    "age",
    "salary",
}
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,24}$")
_DATE_SHAPE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
_DECIMAL = re.compile(r"^-?\d+[.,]\d*[1-9]\d*$")
_SAMPLE = 500


def _words(header: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)  # camelCase -> camel Case
    return re.findall(r"[a-z]+", spaced.lower())


def name_score(header: str) -> float:
    """How much a header's name suggests phone numbers, -0.5..1."""
    words = _words(header)
    squashed = "".join(words)
    if not squashed:
        return 0.0
    if squashed in _NAME_WORDS:
        return _NAME_WORDS[squashed]
    scores = [_NAME_WORDS[w] * 0.85 for w in words if w in _NAME_WORDS and w not in _GENERIC]
    scores += [_NAME_WORDS[w] * 0.85 for w in _EMBEDDED if w in squashed]
    if scores:
        return max(scores)
    if any(w in _NOT_PHONE for w in words):
        return -0.5
    return max((_NAME_WORDS[w] * 0.85 for w in words if w in _GENERIC), default=0.0)


def looks_like_phone(value: str) -> bool:
    """8-15 digits in phone punctuation; not a date, not an amount with decimals."""
    value = value.strip()
    digits = sum(ch.isdigit() for ch in value)
    return (
        8 <= digits <= 15
        and bool(_PHONE_SHAPE.match(value))
        and not _DATE_SHAPE.match(value)
        and not _DECIMAL.match(value)
    )


def content_score(values: pd.Series) -> float:
    """Share of non-empty sampled cells shaped like phone numbers, 0..1."""
    sample = [v for v in values.head(_SAMPLE) if v]
    if not sample:
        return 0.0
    return sum(looks_like_phone(v) for v in sample) / len(sample)


def suggest_phone_columns(table: pd.DataFrame) -> list[str]:
    """Headers that may hold the phone numbers, likeliest first."""
    scored = []
    for position, header in enumerate(table.columns):
        score = name_score(str(header)) + content_score(table.iloc[:, position])
        if score >= 0.5:
            scored.append((-score, position, str(header)))
    return [header for _, _, header in sorted(scored)]
