"""The vectorised phone path must say exactly what libphonenumber says, value by value.

``batchcall.phones.parse.parse_number`` (one ``phonenumbers.parse`` + ``is_valid_number``
per value) is the reference; ``batchcall.phones.parse.parse_columns`` runs the fast path
(``batchcall.phones.fast``) and sends what it is unsure about to the reference. Here
both judge the first 60,000 pairs of the differential corpus (``bench.corpus``:
every region's example numbers, mutated, in many written shapes, under several
default regions); ``make bench`` runs the full million.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import phonenumbers
import pyarrow as pa
import pytest
from batchcall.phones import fast as fastphones
from batchcall.phones.fast.meta import region_meta
from batchcall.phones.parse import ParsedNumber, parse_columns, parse_distinct, parse_number
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import ValidationResult, _test_number_length

CORPUS_PAIRS = 60_000
ROOT = Path(__file__).resolve().parent.parent


def _corpus_module():
    """``bench.corpus`` by path: ``bench`` is not an installed package."""
    if "bench.corpus" in sys.modules:
        return sys.modules["bench.corpus"]
    spec = importlib.util.spec_from_file_location("bench.corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench.corpus"] = module
    spec.loader.exec_module(module)
    return module


def reference(value: str, region: str | None) -> ParsedNumber:
    return parse_number.__wrapped__(value, region)  # unmemoised: really parse


def fast(values: list[str], region: str | None) -> tuple[list[ParsedNumber], float]:
    """Verdicts of ``parse_columns`` and the share the vectorised path decided itself."""
    columns = parse_columns(pa.array(values, pa.string()), region, few=0)
    e164 = columns.e164_array().to_pylist()
    verdicts = list(map(ParsedNumber, e164, columns.region, columns.number_type))
    return verdicts, float(columns.fast.mean()) if len(values) else 0.0


def test_corpus_agrees_with_the_reference() -> None:
    by_region: dict[str | None, dict[str, None]] = {}
    for text, region in _corpus_module().generate(CORPUS_PAIRS):
        by_region.setdefault(region, {})[text] = None
    wrong, decided, total = [], 0.0, 0
    for region, texts in by_region.items():
        values = list(texts)
        verdicts, share = fast(values, region)
        decided += share * len(values)
        total += len(values)
        for value, got in zip(values, verdicts, strict=True):
            want = reference(value, region)
            if got != want:
                wrong.append((value, region, want, got))
    assert not wrong, f"{len(wrong)} disagreements, e.g. {wrong[:5]}"
    assert decided / total > 0.6, "the vectorised path should decide most corpus values"


TRICKY = [
    "+91 98765 43210",
    "098765 43210",
    "919876543210",
    "0091 98765 43210",
    "+91 0 98765 43210",
    "(+91) 98765-43210",
    "9876543210.0",
    "98765 43210 x 12",
    "98765 43210 x 1234567890",
    "1x23456789",
    "+44 7911 123456",
    "+44 07911 123456",
    "+44 1481 256789",  # Guernsey
    "+44 7624 123456",  # Isle of Man
    "+1 268 464 1234",  # Antigua (shared +1)
    "+1 800 555 0199",
    "+7 701 123 4567",  # Kazakhstan (shared +7)
    "+39 06 1234 5678",  # Italian leading zero
    "+39 06 698 12345",  # Vatican
    "+54 9 11 1234 5678",  # Argentina: transform rule, reference path
    "+52 1 55 1234 5678",  # Mexico
    "+55 11 91234 5678",
    "+800 1234 5678",  # non-geographic
    "+0 12 345",
    "+999 1234 5678",
    "00",
    "12",
    "",
    "   ",
    "+",
    "9" * 30,
]


@pytest.mark.parametrize("region", ["IN", "US", "GB", "IT", "AR", "GG", None])
def test_tricky_values_agree(region: str | None) -> None:
    verdicts, _ = fast(TRICKY, region)
    for value, got in zip(TRICKY, verdicts, strict=True):
        assert got == reference(value, region), value


def test_plain_indian_numbers_take_the_vectorised_path() -> None:
    values = [f"{prefix}{9_800_000_000 + i}" for i in range(500) for prefix in ("", "+91", "0")]
    columns = fastphones.parse_columns(pa.array(values), "IN")
    assert columns.fast.all()
    assert columns.e164_array().to_pylist()[:4] == ["+919800000000"] * 3 + ["+919800000001"]


def test_parse_distinct_keeps_non_text_cells_on_the_reference() -> None:
    parsed = parse_distinct(["9876543210", None, "9876543210"], "IN")
    assert parsed["9876543210"] == ParsedNumber("+919876543210", "IN", "mobile")
    assert parsed[None] == ParsedNumber(None, None, None)


def test_length_tables_match_test_number_length() -> None:
    """``_meta`` re-derives ``_test_number_length`` per length; check every region."""
    keep = {ValidationResult.IS_POSSIBLE, ValidationResult.TOO_LONG}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        meta, metadata = region_meta(region), PhoneMetadata.metadata_for_region(region)
        for length in range(25):
            verdict = _test_number_length("5" * length, metadata)
            assert (length in meta.strip_lengths) == (verdict in keep), (region, length)
            assert (length in meta.too_long_lengths) == (verdict == ValidationResult.TOO_LONG)
