"""Guessing which column holds the phone numbers when none is called ``phone_number``.

Two signals, combined: the header's name ("Phone Number", "Mobile No.",
"msisdn", …) and the cells' shape (mostly 7-15 digits with phone punctuation).
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
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")
_SAMPLE = 500


def name_score(header: str) -> float:
    """How much a header's name suggests phone numbers, 0..1."""
    squashed = re.sub(r"[^a-z]", "", header.lower())
    if not squashed:
        return 0.0
    if squashed in _NAME_WORDS:
        return _NAME_WORDS[squashed]
    return max((w * 0.85 for word, w in _NAME_WORDS.items() if word in squashed), default=0.0)


def content_score(values: pd.Series) -> float:
    """Share of non-empty sampled cells shaped like phone numbers, 0..1."""
    sample = [v for v in values.head(_SAMPLE) if v]
    if not sample:
        return 0.0
    def looks_like_phone(value: str) -> bool:
        digits = sum(ch.isdigit() for ch in value)
        return 7 <= digits <= 15 and bool(_PHONE_SHAPE.match(value.strip()))
    return sum(looks_like_phone(v) for v in sample) / len(sample)


def suggest_phone_columns(table: pd.DataFrame) -> list[str]:
    """Headers that may hold the phone numbers, likeliest first."""
    scored = []
    for position, header in enumerate(table.columns):
        score = name_score(str(header)) + content_score(table.iloc[:, position])
        if score >= 0.5:
            scored.append((-score, position, str(header)))
    return [header for _, _, header in sorted(scored)]
