"""A deterministic differential corpus: (cell text, default region) pairs.

The fast path (``batchcall.phones.parse.parse_columns``) must give exactly what the
reference (``batchcall.phones.parse.parse_number``) gives for every pair. The corpus is built
to find where they could differ:

* seeds: every supported region's example number for every number type, the
  non-geographic entities' examples and each region's invalid example;
* numbers drawn from the seeds by changing, adding or dropping digits;
* many shapes of each: E.164, international and national formats, bare national
  number, trunk prefix, IDD (00 / 011 / the region's own), calling code without
  ``+``, spaced / dashed / dotted / bracketed, extensions, letters, Excel damage,
  full-width digits, unicode spaces, ``tel:`` URIs, junk around the number;
* plausible Indian mobiles in the forms operators type;
* default regions: IN, US, GB, the seed's own region, a random region, or None.

``generate(n, seed)`` yields the same ``n`` pairs for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType

SEED = 20_240_501
Pair = tuple[str, str | None]

FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
UNICODE_SPACES = ("\u00a0", "\u2009", "\u3000", "\u200b", "\u2007")
SEPARATORS = (" ", "-", ".", " - ", "  ")
EXTENSIONS = (" ext. 12", " x12", " ext 345", "#77", " ,12", ";ext=9", " extension 4", " X 1")
JUNK_BEFORE = ("Tel: ", "Mob ", "(", " ", "  ", "'", "\t", "ph:", "-", ".")
JUNK_AFTER = (" ", ")", ".", ";", " (home)", " / 9876543210", "\t", "\n", "-", " x")
OTHER_DEFAULTS = ("DE", "FR", "IT", "AU", "BR", "AR", "MX", "JP", "RU", "CA", "SG", "AE", "GG")


@dataclass(frozen=True)
class Seed:
    """One real-looking number: its region, calling code, NSN and written forms."""

    region: str
    country_code: int
    nsn: str
    national: str  # as formatted nationally (trunk prefix, brackets...)
    international: str
    trunk: str  # the region's national prefix ("0", "1", "8"...) or ""
    idd: str  # a dialable international prefix of the region


@cache
def seeds() -> tuple[Seed, ...]:
    """Example numbers of every region and type, plus non-geographic and invalid ones."""
    numbers: list[tuple[str, phonenumbers.PhoneNumber]] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for number_type in PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is not None:
                numbers.append((region, example))
        invalid = phonenumbers.invalid_example_number(region)
        if invalid is not None:
            numbers.append((region, invalid))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            numbers.append(("001", example))
    out = []
    for region, number in numbers:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(number.country_code, region)
        idd = (metadata.preferred_international_prefix or "00") if metadata else "00"
        out.append(
            Seed(
                region=region,
                country_code=number.country_code,
                nsn=phonenumbers.national_significant_number(number),
                national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
                international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
                trunk=(metadata.national_prefix or "") if metadata else "",
                idd=idd if idd.isdigit() else "00",
            )
        )
    return tuple(dict.fromkeys(out))


def _mutate(rng: random.Random, digits: str) -> str:
    """Change a few digits, sometimes add or drop one: near-valid numbers."""
    chars = list(digits)
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
        if chars:
            chars[rng.randrange(len(chars))] = rng.choice("0123456789")
    roll = rng.random()
    if roll < 0.08 and chars:
        del chars[rng.randrange(len(chars))]
    elif roll < 0.16:
        chars.insert(rng.randrange(len(chars) + 1), rng.choice("0123456789"))
    return "".join(chars)


def _mutate_written(rng: random.Random, text: str, keep: int) -> str:
    """Change digits of a formatted number after its first ``keep`` characters."""
    chars = list(text)
    places = [i for i, c in enumerate(chars) if c.isdigit() and i >= keep]
    for _ in range(rng.choice((0, 1, 1, 2))):
        if places:
            chars[rng.choice(places)] = rng.choice("0123456789")
    return "".join(chars)


def _group(rng: random.Random, digits: str) -> str:
    """Digits split into random groups by one separator, sometimes a bracketed head."""
    separator = rng.choice(SEPARATORS)
    parts, rest = [], digits
    while rest:
        size = rng.randint(2, 5)
        parts.append(rest[:size])
        rest = rest[size:]
    if len(parts) > 1 and rng.random() < 0.3:
        parts[0] = f"({parts[0]})"
    return separator.join(parts)


def _indian_mobile(rng: random.Random) -> str:
    digits = str(rng.randrange(6_000_000_000, 10_000_000_000))
    form = rng.randrange(12)
    forms = (
        digits,
        "+91" + digits,
        f"+91 {digits[:5]} {digits[5:]}",
        "0" + digits,
        "91" + digits,
        "0091" + digits,
        f"+91-{digits[:5]}-{digits[5:]}",
        f"{digits[:5]} {digits[5:]}",
        f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
        f"(+91) {digits}",
        digits + ".0",
        "+91 0" + digits,
    )
    return _mutate(rng, forms[form]) if rng.random() < 0.15 else forms[form]


def _shape(rng: random.Random, seed: Seed) -> str:
    """One written form of a (mutated) seed number."""
    nsn = _mutate(rng, seed.nsn)
    code = str(seed.country_code)
    form = rng.randrange(20)
    if form == 0:
        return "+" + code + nsn
    if form == 1:
        return _mutate_written(rng, seed.international, len(code) + 2)
    if form == 2:
        return _mutate_written(rng, seed.national, 2)
    if form == 3:
        return nsn
    if form == 4:
        return seed.trunk + nsn
    if form == 5:
        return rng.choice(("00", "011", seed.idd)) + code + nsn
    if form == 6:
        return code + nsn
    if form == 7:
        return "+" + code + " " + _group(rng, nsn)
    if form == 8:
        return _group(rng, seed.trunk + nsn)
    if form == 9:
        return rng.choice(("+" + code + nsn, nsn, seed.national)) + rng.choice(EXTENSIONS)
    if form == 10:
        text = rng.choice(("+" + code + nsn, nsn))
        spot = rng.randrange(len(text) + 1)
        return text[:spot] + rng.choice("abcxyzEXT") + text[spot:]
    if form == 11:
        return _excel(rng, seed.trunk + nsn if rng.random() < 0.5 else code + nsn)
    if form == 12:
        text = rng.choice(("+" + code + nsn, nsn, seed.international))
        return text.translate(rng.choice((FULL_WIDTH, ARABIC_INDIC)))
    if form == 13:
        return seed.international.replace(" ", rng.choice(UNICODE_SPACES))
    if form == 14:
        return (
            rng.choice(JUNK_BEFORE) + rng.choice((seed.international, nsn)) + rng.choice(JUNK_AFTER)
        )
    if form == 15:
        return rng.choice(("tel:+", "tel:", "+0", "++", "+ ", "(+", "+(")) + code + "-" + nsn
    if form == 16:
        return nsn[: rng.randint(0, max(0, len(nsn) - 2))]  # too short
    if form == 17:
        return "+" + code + nsn + str(rng.randrange(10, 10_000))  # too long
    if form == 18:
        return "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 20)))
    return rng.choice(("", " ", "  ", "\t", "\u00a0", "N/A", "-", "+", "0", "00", "+91"))


def _excel(rng: random.Random, digits: str) -> str:
    """What spreadsheets do to numbers: float text, scientific notation, apostrophe."""
    if not digits:
        return "'"
    form = rng.randrange(4)
    if form == 0:
        return digits + ".0"
    if form == 1:
        head = digits.lstrip("0") or "0"
        return f"{head[0]}.{head[1:10] or '0'}E+{len(head) - 1}"
    if form == 2:
        return "'" + digits
    return digits + rng.choice((".00", ",0", " "))


def _default_region(rng: random.Random, seed: Seed) -> str | None:
    roll = rng.random()
    if roll < 0.35:
        return "IN"
    if roll < 0.47:
        return "US"
    if roll < 0.57:
        return "GB"
    if roll < 0.80:
        return seed.region if seed.region != "001" else None
    if roll < 0.97:
        return rng.choice(OTHER_DEFAULTS)
    return None


def generate(count: int, seed: int = SEED) -> Iterator[Pair]:
    """``count`` deterministic (text, default region) pairs."""
    rng = random.Random(seed)
    pool = seeds()
    for _ in range(count):
        roll = rng.random()
        if roll < 0.25:
            yield _indian_mobile(rng), rng.choice(("IN", "IN", "IN", "US", "GB", None))
        else:
            chosen = rng.choice(pool)
            yield _shape(rng, chosen), _default_region(rng, chosen)
