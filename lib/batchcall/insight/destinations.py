"""Destination countries: names and ISO codes, and what the Telephony Config does with them.

``phonenumbers`` names a number's country by alpha-2 (``IN``); plotly's world
maps locate countries by alpha-3 (``IND``). ``COUNTRIES`` bridges the two with no
runtime dependency: every ``phonenumbers.SUPPORTED_REGIONS`` code plus the rest
of ISO 3166-1, generated once from Debian's ``iso-codes`` data (common names, a
few shortened for chart labels; ``AC``/``TA`` share Saint Helena's alpha-3,
Kosovo uses the customary ``XKX``).

The tables below (per country, per network group, and the changes that would
unblock rows) are plain data for the Destinations page and ``batchcall.charts.destinations``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import phonenumbers

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_phone_number, as_telephony_config
from batchcall.rules import Reason, ValidationReport, judge_rows

_TABLE = """
AC SHN Ascension Island|AD AND Andorra|AE ARE United Arab Emirates|AF AFG Afghanistan|
AG ATG Antigua and Barbuda|AI AIA Anguilla|AL ALB Albania|AM ARM Armenia|AO AGO Angola|
AQ ATA Antarctica|AR ARG Argentina|AS ASM American Samoa|AT AUT Austria|AU AUS Australia|
AW ABW Aruba|AX ALA Åland Islands|AZ AZE Azerbaijan|BA BIH Bosnia and Herzegovina|
BB BRB Barbados|BD BGD Bangladesh|BE BEL Belgium|BF BFA Burkina Faso|BG BGR Bulgaria|
BH BHR Bahrain|BI BDI Burundi|BJ BEN Benin|BL BLM Saint Barthélemy|BM BMU Bermuda|
BN BRN Brunei|BO BOL Bolivia|BQ BES Caribbean Netherlands|BR BRA Brazil|BS BHS Bahamas|
BT BTN Bhutan|BV BVT Bouvet Island|BW BWA Botswana|BY BLR Belarus|BZ BLZ Belize|
CA CAN Canada|CC CCK Cocos (Keeling) Islands|CD COD DR Congo|
CF CAF Central African Republic|CG COG Congo|CH CHE Switzerland|CI CIV Côte d'Ivoire|
CK COK Cook Islands|CL CHL Chile|CM CMR Cameroon|CN CHN China|CO COL Colombia|
CR CRI Costa Rica|CU CUB Cuba|CV CPV Cape Verde|CW CUW Curaçao|CX CXR Christmas Island|
CY CYP Cyprus|CZ CZE Czechia|DE DEU Germany|DJ DJI Djibouti|DK DNK Denmark|DM DMA Dominica|
DO DOM Dominican Republic|DZ DZA Algeria|EC ECU Ecuador|EE EST Estonia|EG EGY Egypt|
EH ESH Western Sahara|ER ERI Eritrea|ES ESP Spain|ET ETH Ethiopia|FI FIN Finland|
FJ FJI Fiji|FK FLK Falkland Islands|FM FSM Micronesia|FO FRO Faroe Islands|FR FRA France|
GA GAB Gabon|GB GBR United Kingdom|GD GRD Grenada|GE GEO Georgia|GF GUF French Guiana|
GG GGY Guernsey|GH GHA Ghana|GI GIB Gibraltar|GL GRL Greenland|GM GMB Gambia|GN GIN Guinea|
GP GLP Guadeloupe|GQ GNQ Equatorial Guinea|GR GRC Greece|
GS SGS South Georgia and the South Sandwich Islands|GT GTM Guatemala|GU GUM Guam|
GW GNB Guinea-Bissau|GY GUY Guyana|HK HKG Hong Kong|
HM HMD Heard Island and McDonald Islands|HN HND Honduras|HR HRV Croatia|HT HTI Haiti|
HU HUN Hungary|ID IDN Indonesia|IE IRL Ireland|IL ISR Israel|IM IMN Isle of Man|
IN IND India|IO IOT British Indian Ocean Territory|IQ IRQ Iraq|IR IRN Iran|IS ISL Iceland|
IT ITA Italy|JE JEY Jersey|JM JAM Jamaica|JO JOR Jordan|JP JPN Japan|KE KEN Kenya|
KG KGZ Kyrgyzstan|KH KHM Cambodia|KI KIR Kiribati|KM COM Comoros|
KN KNA Saint Kitts and Nevis|KP PRK North Korea|KR KOR South Korea|KW KWT Kuwait|
KY CYM Cayman Islands|KZ KAZ Kazakhstan|LA LAO Laos|LB LBN Lebanon|LC LCA Saint Lucia|
LI LIE Liechtenstein|LK LKA Sri Lanka|LR LBR Liberia|LS LSO Lesotho|LT LTU Lithuania|
LU LUX Luxembourg|LV LVA Latvia|LY LBY Libya|MA MAR Morocco|MC MCO Monaco|MD MDA Moldova|
ME MNE Montenegro|MF MAF Saint Martin|MG MDG Madagascar|MH MHL Marshall Islands|
MK MKD North Macedonia|ML MLI Mali|MM MMR Myanmar|MN MNG Mongolia|MO MAC Macao|
MP MNP Northern Mariana Islands|MQ MTQ Martinique|MR MRT Mauritania|MS MSR Montserrat|
MT MLT Malta|MU MUS Mauritius|MV MDV Maldives|MW MWI Malawi|MX MEX Mexico|MY MYS Malaysia|
MZ MOZ Mozambique|NA NAM Namibia|NC NCL New Caledonia|NE NER Niger|NF NFK Norfolk Island|
NG NGA Nigeria|NI NIC Nicaragua|NL NLD Netherlands|NO NOR Norway|NP NPL Nepal|NR NRU Nauru|
NU NIU Niue|NZ NZL New Zealand|OM OMN Oman|PA PAN Panama|PE PER Peru|
PF PYF French Polynesia|PG PNG Papua New Guinea|PH PHL Philippines|PK PAK Pakistan|
PL POL Poland|PM SPM Saint Pierre and Miquelon|PN PCN Pitcairn|PR PRI Puerto Rico|
PS PSE Palestine|PT PRT Portugal|PW PLW Palau|PY PRY Paraguay|QA QAT Qatar|RE REU Réunion|
RO ROU Romania|RS SRB Serbia|RU RUS Russia|RW RWA Rwanda|SA SAU Saudi Arabia|
SB SLB Solomon Islands|SC SYC Seychelles|SD SDN Sudan|SE SWE Sweden|SG SGP Singapore|
SH SHN Saint Helena|SI SVN Slovenia|SJ SJM Svalbard and Jan Mayen|SK SVK Slovakia|
SL SLE Sierra Leone|SM SMR San Marino|SN SEN Senegal|SO SOM Somalia|SR SUR Suriname|
SS SSD South Sudan|ST STP Sao Tome and Principe|SV SLV El Salvador|SX SXM Sint Maarten|
SY SYR Syria|SZ SWZ Eswatini|TA SHN Tristan da Cunha|TC TCA Turks and Caicos Islands|
TD TCD Chad|TF ATF French Southern Territories|TG TGO Togo|TH THA Thailand|
TJ TJK Tajikistan|TK TKL Tokelau|TL TLS Timor-Leste|TM TKM Turkmenistan|TN TUN Tunisia|
TO TON Tonga|TR TUR Turkey|TT TTO Trinidad and Tobago|TV TUV Tuvalu|TW TWN Taiwan|
TZ TZA Tanzania|UA UKR Ukraine|UG UGA Uganda|UM UMI United States Minor Outlying Islands|
US USA United States|UY URY Uruguay|UZ UZB Uzbekistan|VA VAT Vatican City|
VC VCT Saint Vincent and the Grenadines|VE VEN Venezuela|VG VGB British Virgin Islands|
VI VIR U.S. Virgin Islands|VN VNM Vietnam|VU VUT Vanuatu|WF WLF Wallis and Futuna|
WS WSM Samoa|XK XKX Kosovo|YE YEM Yemen|YT MYT Mayotte|ZA ZAF South Africa|ZM ZMB Zambia|
ZW ZWE Zimbabwe|
"""

COUNTRIES: dict[str, tuple[str, str]] = {
    entry[:2]: (entry[3:6], entry[7:])
    for entry in (item.strip() for item in _TABLE.split("|"))
    if entry
}
"""Alpha-2 -> (alpha-3, English name)."""

UNKNOWN = "Unknown"


def iso3(region: str | None) -> str | None:
    """Alpha-3 for plotly's ``locationmode="ISO-3"``; None for unknown codes."""
    entry = COUNTRIES.get((region or "").upper())
    return entry[0] if entry else None


def country_name(region: str | None) -> str:
    """English name for a label; the code itself when unknown, ``Unknown`` when empty."""
    if not region:
        return UNKNOWN
    entry = COUNTRIES.get(region.upper())
    return entry[1] if entry else region


def _n(count: int, noun: str = "contact") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _config_state(config: TelephonyConfig, route: PhoneNumber, country: str) -> str:
    if route.is_sip or config.sip_byoc_enabled:
        return "SIP route: format only"
    entry = next((c for c in config.countries if c.country.upper() == country.upper()), None)
    if entry is None:
        return "not in Telephony Config"
    return "enabled" if entry.enabled else "disabled"


def destinations_table(
    report: ValidationReport,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> pd.DataFrame:
    """Per destination country (valid numbers only): contacts, allowed, blocked, status."""
    route, config = as_phone_number(route), as_telephony_config(config)
    valid = report.rows[report.rows["region"].notna()]
    counts = (
        pd.DataFrame({"country": valid["region"].astype(str), "allowed": valid["reason"].isna()})
        .groupby("country")["allowed"]
        .agg(contacts="size", allowed="sum")
    )
    table = counts.reset_index().astype({"contacts": "int64", "allowed": "int64"})
    table["blocked"] = table["contacts"] - table["allowed"]
    table["name"] = table["country"].map(country_name)
    table["iso3"] = table["country"].map(iso3)
    table["status"] = [
        "Allowed" if b == 0 else "Blocked" if a == 0 else "Partly blocked"
        for a, b in zip(table["allowed"], table["blocked"], strict=True)
    ]
    table["config"] = [_config_state(config, route, c) for c in table["country"]]
    table = table.sort_values(["contacts", "country"], ascending=[False, True])
    return table.reset_index(drop=True)


def network_groups_table(
    report: ValidationReport, config: TelephonyConfig | dict[str, Any]
) -> pd.DataFrame:
    """One row per network group with the valid contacts its prefixes carry."""
    config = as_telephony_config(config)
    rows = report.rows[report.rows["e164"].notna()]
    e164, region = rows["e164"].astype(str), rows["region"].astype(str).str.upper()
    records = [
        {
            "country": entry.country.upper(),
            "group": group.name,
            "prefixes": ", ".join(group.prefixes),
            "enabled": group.enabled,
            "contacts": int(
                (
                    (region == entry.country.upper()) & e164.str.startswith(tuple(group.prefixes))
                ).sum()
            ),
        }
        for entry in config.countries
        for group in entry.network_groups
    ]
    columns = ["country", "group", "prefixes", "enabled", "contacts"]
    return pd.DataFrame(records, columns=columns).astype({"enabled": bool, "contacts": "int64"})


# --- What would unblock blocked rows ------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One change that would let ``count`` blocked rows through, worded for the operator."""

    kind: str  # enable_group | enable_country | not_in_config | no_group | enable_any | sip | fix
    text: str
    count: int
    rows: list[int] = field(default_factory=list)
    country: str | None = None
    groups: list[str] = field(default_factory=list)
    route: str | None = None

    def __str__(self) -> str:
        return self.text


_KIND_ORDER = ["enable_group", "enable_country", "not_in_config", "no_group", "enable_any", "sip"]
_SETTINGS = "in Workspace Settings > Telephony Config"


def _rows(frame: pd.DataFrame) -> list[int]:
    return sorted(int(row) for row in frame.index)


def _starts(e164: pd.Series, prefixes: Sequence[str]) -> pd.Series:
    return e164.astype(str).str.startswith(tuple(prefixes)).fillna(False).astype(bool)


def _prefix_suggestions(
    members: pd.DataFrame, country: str, config: TelephonyConfig
) -> list[Suggestion]:
    entry = next((c for c in config.countries if c.country.upper() == country), None)
    disabled = [g for g in entry.network_groups if not g.enabled] if entry else []
    out: list[Suggestion] = []
    covered = pd.Series(False, index=members.index)
    for group in disabled:
        hit = _starts(members["e164"], group.prefixes)
        if hit.any():
            label = "prefix" if len(group.prefixes) == 1 else "prefixes"
            text = (
                f"Enable network group {group.name} ({label} {', '.join(group.prefixes)}) "
                f"{_SETTINGS} — {_n(int(hit.sum()))}"
            )
            out.append(
                Suggestion(
                    "enable_group", text, int(hit.sum()), _rows(members[hit]), country, [group.name]
                )
            )
        covered |= hit
    rest = members[~covered]
    if len(rest):
        text = (
            f"No network group of {country_name(country)} covers {_n(len(rest))} "
            f"(e.g. {rest['e164'].iloc[0]}), so no Telephony Config change lets them through"
        )
        out.append(Suggestion("no_group", text, len(rest), _rows(rest), country))
    return out


def _country_suggestion(members: pd.DataFrame, country: str, config: TelephonyConfig) -> Suggestion:
    entry = next((c for c in config.countries if c.country.upper() == country), None)
    name = (entry.name if entry and entry.name else None) or country_name(country)
    if entry is None or not entry.network_groups:
        text = f"Country {name} is not in your Telephony Config — {_n(len(members))}"
        return Suggestion("not_in_config", text, len(members), _rows(members), country)
    matching = [g for g in entry.network_groups if _starts(members["e164"], g.prefixes).any()]
    groups = [g.name for g in (matching or entry.network_groups)]
    text = f"Enable country {name} ({', '.join(groups)}) {_SETTINGS} — {_n(len(members))}"
    return Suggestion("enable_country", text, len(members), _rows(members), country, groups)


def _sip_suggestion(
    rows: pd.DataFrame,
    blocked: pd.DataFrame,
    route: PhoneNumber,
    sip: PhoneNumber,
    config: TelephonyConfig,
) -> Suggestion | None:
    """The SIP route, offered only when the switch helps the whole file, with its cost.

    Moving every row to the SIP route lets through the blocked rows it would dial as
    the same number, but numbers written without a country code are local to
    ``route``: on the SIP route they mean another number, or none. The advice counts
    both sides and is given only when more rows pass than start failing.
    """
    again = judge_rows(rows["phone_number"], sip, config)
    fails_now = rows["reason"].notna()
    # A row passes there only as the same number: "98765 43210" is Indian on this route.
    fails_then = again["reason"].notna() | (again["e164"] != rows["e164"])
    helped = blocked.index[(~fails_then).loc[blocked.index]]
    hurt = int((~fails_now & fails_then).sum())
    net = len(helped) - hurt
    if not len(helped) or net <= 0:
        return None
    text = f"Use the SIP route {sip.phone_number} (checks format only) — {_n(len(helped))} pass"
    if hurt:
        code = phonenumbers.country_code_for_region(route.region or "")
        prefix = f"+{code}" if code else "the country code"
        text += (
            f", but {_n(hurt)} that pass now would fail (written without {prefix}: add it"
            f" first): net {net:+,}"
        )
    return Suggestion("sip", text, len(helped), _rows(rows.loc[helped]), route=sip.phone_number)


def unblock_suggestions(
    report: ValidationReport,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
    sip_routes: Sequence[PhoneNumber | dict[str, Any]] = (),
) -> list[Suggestion]:
    """What would let blocked rows through: config changes, a SIP route, fixing numbers.

    A SIP route is only offered for the rows that would dial the very same
    number through it: numbers written without a country code are local to
    ``route``, so on another route they would mean another number.
    """
    route, config = as_phone_number(route), as_telephony_config(config)
    rows = report.rows
    out: list[Suggestion] = []
    for reason, builder in (
        (Reason.UNSUPPORTED_PREFIX, lambda m, c: _prefix_suggestions(m, c, config)),
        (Reason.UNSUPPORTED_DESTINATION_COUNTRY, lambda m, c: [_country_suggestion(m, c, config)]),
    ):
        blocked = rows[rows["reason"] == str(reason)]
        for country, members in blocked.groupby(blocked["country"].astype(str).str.upper()):
            out.extend(builder(members, str(country)))
    no_config = rows[rows["reason"] == str(Reason.NO_ENABLED_COUNTRIES)]
    if len(no_config):
        text = f"Enable at least one network group {_SETTINGS} — {_n(len(no_config))}"
        out.append(Suggestion("enable_any", text, len(no_config), _rows(no_config)))
    blocked = rows[rows["reason"].notna() & (rows["reason"] != str(Reason.INVALID_PHONE_NUMBER))]
    for sip in (as_phone_number(r) for r in sip_routes):
        if blocked.empty or not sip.is_sip or sip.status != "active":
            continue
        suggestion = _sip_suggestion(rows, blocked, route, sip, config)
        if suggestion is not None:
            out.append(suggestion)
    out.sort(key=lambda s: (-s.count, _KIND_ORDER.index(s.kind)))
    invalid = rows[rows["reason"] == str(Reason.INVALID_PHONE_NUMBER)]
    if len(invalid):
        text = f"Fix or drop {_n(len(invalid), 'invalid number')} on Fix rows"
        out.append(Suggestion("fix", text, len(invalid), _rows(invalid)))
    return out
