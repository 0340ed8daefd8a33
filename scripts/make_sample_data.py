"""Regenerate everything in ``sample_data/`` deterministically.

Writes:

- ``loan_followup.csv``   — ~250 clean Indian loan follow-up contacts (every row valid
  for the IN route ``+912234567890``).
- ``messy_contacts.xlsx`` — a messy operator export: a "Notes" sheet first (no
  ``phone_number`` column), then "Contacts" with every kind of bad or foreign number.
- ``legacy_contacts.xls`` — an Excel 97-2003 workbook with numeric phone cells.
- ``workspace.json``      — the sandbox workspace (agents, numbers, telephony config).

The two workbooks are written by LibreOffice Calc: the script builds a source
workbook with openpyxl (to control cell types: numeric vs text, dates, formulas) and
converts it with ``soffice --headless --convert-to``, so the final files come from a
real spreadsheet program and formula cells carry cached values. That step needs
LibreOffice (Debian: ``apt-get install libreoffice-calc-nogui``); without ``soffice``
on PATH (or in ``$SOFFICE``) the script stops with a message, unless
``--no-workbooks`` is given. Cell contents are deterministic; the workbook bytes still
carry LibreOffice's save timestamp.

Usage: ``python scripts/make_sample_data.py [--out DIR] [--no-workbooks]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import phonenumbers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "sample_data"
SEED = 20240501

PRODUCTS: dict[str, tuple[int, int, int, int]] = {
    # product: (weight, min amount, max amount, rounding step) in rupees
    "personal_loan": (30, 25_000, 800_000, 1_000),
    "home_loan": (20, 500_000, 7_500_000, 10_000),
    "car_loan": (20, 150_000, 1_500_000, 5_000),
    "gold_loan": (20, 15_000, 400_000, 500),
    "education_loan": (10, 100_000, 2_500_000, 5_000),
}


@dataclass(frozen=True)
class Region:
    """Names and cities that go together, so a row reads like a real customer."""

    cities: tuple[str, ...]
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    weight: int


def _region(cities: str, first_names: str, surnames: str, weight: int) -> Region:
    """A region from comma-separated cities and space-separated names."""
    return Region(
        tuple(city.strip() for city in cities.split(",")),
        tuple(first_names.split()),
        tuple(surnames.split()),
        weight,
    )


REGIONS: tuple[Region, ...] = (
    _region(
        "Delhi, Lucknow, Jaipur, Kanpur, Noida, Gurugram, Bhopal, Indore",
        "Rahul Amit Neha Pooja Sanjay Ritu Vikram Anjali Rohit Sunita Deepak Nidhi Manoj "
        "Kavita Ankit Shalini",
        "Sharma Verma Gupta Mishra Tiwari Yadav Agarwal Saxena Chauhan Pandey Srivastava "
        "Kapoor Malhotra Jain",
        22,
    ),
    _region(
        "Ludhiana, Amritsar, Chandigarh, Jalandhar, Patiala",
        "Gurpreet Harpreet Simran Manpreet Jaspreet Navjot Amandeep Kulwinder",
        "Gill Sandhu Dhillon Grewal Sidhu Bajwa",
        6,
    ),
    _region(
        "Mumbai, Pune, Nagpur, Nashik, Thane, Navi Mumbai",
        "Aditya Sneha Rohan Swati Nikhil Pallavi Omkar Shruti Tejas Aarti Sachin Madhuri",
        "Kulkarni Joshi Deshpande Patil Jadhav Pawar Gokhale Deshmukh Shinde",
        16,
    ),
    _region(
        "Ahmedabad, Surat, Vadodara, Rajkot",
        "Hardik Bhavna Chirag Dhruv Hetal Jigar Krupa Nirav Foram",
        "Patel Shah Desai Mehta Trivedi Parikh",
        9,
    ),
    _region(
        "Chennai, Coimbatore, Madurai, Tiruchirappalli",
        "Karthik Divya Lakshmi Murugan Selvi Prakash Keerthana Arun Priyanka Senthil",
        "Iyer Krishnan Subramanian Raman Venkataraman Sundaram Rajan",
        10,
    ),
    _region(
        "Bengaluru, Mysuru, Mangaluru, Hubballi",
        "Ashwin Shreya Manjunath Kavya Sandeep Rakshitha Vinay Deepa",
        "Rao Hegde Shetty Bhat Gowda Kamath Pai",
        10,
    ),
    _region(
        "Hyderabad, Visakhapatnam, Vijayawada, Warangal",
        "Srinivas Venkatesh Harika Sai Lavanya Ravi Swathi Naveen",
        "Reddy Naidu Rao Chowdary Varma",
        9,
    ),
    _region(
        "Kochi, Thiruvananthapuram, Kozhikode, Thrissur",
        "Biju Lijo Anjali Arjun Reshma Joseph Meera Vishnu Anu",
        "Nair Menon Pillai Kurian Thomas Varghese Jacob",
        7,
    ),
    _region(
        "Kolkata, Bhubaneswar, Guwahati, Patna, Siliguri",
        "Debashish Sourav Moumita Tapas Ananya Arijit Rituparna Subhajit Priyanka",
        "Banerjee Chatterjee Mukherjee Das Ghosh Sen Bose Mohanty Dutta Saha",
        9,
    ),
    _region(
        "Hyderabad, Lucknow, Mumbai, Bhopal, Kolkata, Aligarh",
        "Farhan Ayesha Imran Zoya Sameer Nazia Arif Shabana",
        "Khan Sheikh Qureshi Ansari Siddiqui Syed",
        8,
    ),
    _region(
        "Mumbai, Panaji, Mangaluru, Vasai",
        "Anthony Maria Joel Sharon Neil Rhea Savio",
        "Fernandes D'Souza Pereira Rodrigues D'Costa",
        4,
    ),
)

# Names some branches key in Devanagari: the CSV is UTF-8 and must stay so.
DEVANAGARI_CUSTOMERS: tuple[tuple[str, str], ...] = (
    ("सुनीता देवी", "Patna"),
    ("रमेश कुमार यादव", "Lucknow"),
    ("अनिल शर्मा", "Jaipur"),
)


class ContactFaker:
    """Seeded source of realistic Indian loan customers and mobile numbers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._used: set[str] = set()

    def reserve(self, *national_numbers: str) -> None:
        """Mark numbers as taken so generated ones never repeat them."""
        self._used.update(national_numbers)

    def mobile(self) -> str:
        """A unique, valid 10-digit Indian mobile number (national form)."""
        while True:
            first = self.rng.choices("9876", weights=(40, 25, 25, 10))[0]
            number = first + f"{self.rng.randrange(10**9):09d}"
            if number in self._used:
                continue
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "IN")):
                self._used.add(number)
                return number

    def person(self) -> tuple[str, str]:
        """(customer_name, city) from one region."""
        region = self.rng.choices(REGIONS, weights=[r.weight for r in REGIONS])[0]
        name = f"{self.rng.choice(region.first_names)} {self.rng.choice(region.surnames)}"
        return name, self.rng.choice(region.cities)

    def loan(self) -> tuple[str, int]:
        """(product, outstanding amount in whole rupees)."""
        names = list(PRODUCTS)
        product = self.rng.choices(names, weights=[PRODUCTS[p][0] for p in names])[0]
        _, low, high, step = PRODUCTS[product]
        return product, self.rng.randrange(low // step, high // step + 1) * step

    def due_date(self) -> dt.date:
        return dt.date(2024, 5, 6) + dt.timedelta(days=self.rng.randrange(56))


# --------------------------------------------------------------------------- CSV


def loan_followup_rows(rows: int = 250) -> list[dict[str, str]]:
    """The seed's two rows followed by generated ones; every number valid for IN."""
    faker = ContactFaker(SEED)
    faker.reserve("9876543210", "9123456789")
    out = [
        _csv_row("9876543210", "Priya Sharma", 500_000, "home_loan", dt.date(2024, 5, 10), "Delhi"),
        _csv_row("9123456789", "Rahul Mehra", 250_000, "car_loan", dt.date(2024, 5, 12), "Mumbai"),
    ]
    devanagari_at = {41: 0, 117: 1, 203: 2}  # 0-based index in `out` -> customer
    while len(out) < rows:
        number = faker.mobile()
        style = faker.rng.random()
        if style < 0.70:
            phone = number
        elif style < 0.90:
            phone = f"+91{number}"
        else:
            phone = f"+91 {number[:5]} {number[5:]}"
        if len(out) in devanagari_at:
            name, city = DEVANAGARI_CUSTOMERS[devanagari_at[len(out)]]
        else:
            name, city = faker.person()
        product, amount = faker.loan()
        out.append(_csv_row(phone, name, amount, product, faker.due_date(), city))
    return out


def _csv_row(
    phone: str, name: str, amount: int, product: str, due: dt.date, city: str
) -> dict[str, str]:
    return {
        "phone_number": phone,
        "customer_name": name,
        "loan_amount": str(amount),
        "product": product,
        "due_date": due.isoformat(),
        "city": city,
    }


def write_loan_followup(path: Path) -> int:
    """Write the clean CSV; returns the number of contact rows."""
    rows = loan_followup_rows()
    for row in rows:  # the promise of this file: every row passes the IN route
        parsed = phonenumbers.parse(row["phone_number"], "IN")
        if not phonenumbers.is_valid_number(parsed):
            raise SystemExit(f"loan_followup.csv: {row['phone_number']} is not valid for IN")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


# ------------------------------------------------------------------ messy .xlsx

MESSY_HEADER = ("phone_number", "customer_name", "loan_amount", "product", "due_date", "city")
MESSY_ROWS = 60  # contact rows 2..61 as the spreadsheet shows them
BLANK = object()  # marks the fully blank row

# Row number (header = row 1) -> the phone cell. `int` = numeric cell, `str` = text
# cell (a leading "=" makes it a formula), "" = empty phone cell. The rest of each
# row is generated. Keep sample_data/README.md in step with this table.
MESSY_PHONES: dict[int, object] = {
    2: "9876543210",  # seed row, plain local mobile
    3: "9123456789",  # seed row
    5: "09845012345",  # trunk 0
    7: "+91 98200-45678",  # +91 with space and dash
    8: "+91-22-2345-6789",  # Mumbai landline
    10: "+44 7400 123456",  # UK mobile
    12: "12345",  # too short
    14: 9812345678,  # numeric cell
    15: "+1 646 555 0198",  # US (New York)
    17: "98765abc10",  # letters (keypad letters: libphonenumber reads abc as 222)
    18: "1800 123 4567",  # Indian toll-free, local form
    20: "",  # empty phone cell, rest of the row filled
    22: "+61 412 345 678",  # Australian mobile
    23: "9.84512367E+9",  # Excel scientific notation kept as text
    25: "9823456710.0",  # float text from a pandas/Excel export
    27: '=CONCATENATE("+91","9811122233")',  # formula producing the number
    29: "+91 11 2345 6789",  # Delhi landline
    31: BLANK,  # fully blank row
    32: "080 4567 8901",  # Bengaluru landline (E.164 +9180... starts with +918)
    34: "+44 20 7946 0958",  # London landline
    36: "+1 416 555 0199",  # Toronto: +1 but Canada
    37: "9876x54321",  # letter x (libphonenumber reads it as an extension)
    39: 919900112233,  # numeric cell with country code, no plus
    40: "+91 1800 419 4332",  # Indian toll-free, international form
    42: "+971 50 123 4567",  # UAE mobile
    43: "+91 98765 4321",  # nine digits
    45: "N/A",
    47: "98201 55443 / 98200 11223",  # two numbers in one cell
    48: "022 2771 4400",  # Mumbai landline with trunk 0
    50: "(+91) 99887 76655",
    52: "0091 98200 12345",  # 00 international prefix
    54: "+1 (212) 555-0147",  # US
}
MESSY_NAME_FORMULA_ROW = 35  # customer_name = CONCATENATE(...)
MESSY_AMOUNT_FORMULA_ROW = 28  # loan_amount = ROUND(...)
MESSY_TEXT_DATE_ROW = 51  # due_date typed as text
MESSY_TEXT_AMOUNT_ROW = 53  # loan_amount typed as text with rupee sign


def _national_digits(value: object) -> str | None:
    """The national number a fixed phone cell uses, so fillers never repeat it."""
    try:
        parsed = phonenumbers.parse(str(value), "IN")
    except phonenumbers.NumberParseException:
        return None
    return str(parsed.national_number)


def _filler_phone(faker: ContactFaker) -> str:
    number = faker.mobile()
    style = faker.rng.random()
    if style < 0.45:
        return number
    if style < 0.65:
        return f"+91{number}"
    if style < 0.85:
        return f"+91 {number[:5]} {number[5:]}"
    return f"{number[:5]} {number[5:]}"


def build_messy_source(path: Path) -> None:
    """The messy workbook as openpyxl writes it (LibreOffice then re-saves it)."""
    faker = ContactFaker(SEED + 1)
    faker.reserve(*filter(None, (_national_digits(v) for v in MESSY_PHONES.values())))
    wb = openpyxl.Workbook()
    _fixed_properties(wb, "LoanDesk CRM")
    notes = wb.active
    notes.title = "Notes"
    for line in (
        ("Loan follow-up export", None),
        ("Exported from", "LoanDesk CRM, collections module"),
        ("Export date", dt.date(2024, 5, 3)),
        ("Owner", "Collections team, West zone"),
        (
            "Remarks",
            "Calls go to the number in the phone_number column of the Contacts "
            "sheet. Some rows came from branch spreadsheets and were not cleaned.",
        ),
    ):
        notes.append(line)
    notes["B3"].number_format = "DD-MM-YYYY"
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 60

    ws = wb.create_sheet("Contacts")
    ws.append(MESSY_HEADER)
    for row in range(2, MESSY_ROWS + 2):
        phone = MESSY_PHONES.get(row)
        if phone is BLANK:
            continue  # nothing written: a fully blank row
        if row == 2:
            name, city, product, amount = "Priya Sharma", "Delhi", "home_loan", 500_000
        elif row == 3:
            name, city, product, amount = "Rahul Mehra", "Mumbai", "car_loan", 250_000
        else:
            name, city = faker.person()
            product, amount = faker.loan()
        due: object = faker.due_date()
        if phone is None:
            phone = _filler_phone(faker)
        values: list[object] = [phone, name, amount, product, due, city]
        if row == MESSY_NAME_FORMULA_ROW:
            values[1] = '=CONCATENATE("Anil"," ","Kapoor")'
        if row == MESSY_AMOUNT_FORMULA_ROW:
            values[2] = "=ROUND(1850000*0.8,0)"
            values[3] = "home_loan"
        if row == MESSY_TEXT_DATE_ROW:
            values[4] = "15/06/2024"
        if row == MESSY_TEXT_AMOUNT_ROW:
            values[2] = "₹2,50,000"
            values[3] = "car_loan"
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            if column == 3 and isinstance(value, int):
                cell.number_format = "#,##0"
            if column == 5 and isinstance(value, dt.date):
                cell.number_format = "DD-MM-YYYY"
    for column, width in zip("ABCDEF", (22, 24, 13, 15, 12, 16), strict=True):
        ws.column_dimensions[column].width = width
    wb.save(path)


# ------------------------------------------------------------------ legacy .xls

LEGACY_HEADER = ("phone_number", "customer_name", "loan_amount", "product", "due_date", "city")
LEGACY_ROWS = 40  # contact rows 2..41
LEGACY_PHONES: dict[int, object] = {
    2: 9876543210,  # numeric cell
    3: "9123456789",  # text cell
    5: 919845098450,  # numeric with country code
    7: "+91 98450 12345",
    9: 1123456789,  # Delhi landline 011-2345 6789 that lost its 0 as a number
    11: 2226591234,  # Mumbai landline 022-2659 1234 that lost its 0
    13: "+44 7456 789012",  # UK mobile
    15: 98765,  # too short, numeric
    17: "09812312345",  # trunk 0 as text
    23: 18001234567,  # toll-free 1800 123 4567 as a number
    25: "",  # empty phone cell
    27: "+61 491 570 156",  # Australian mobile
}
LEGACY_DECIMAL_AMOUNT_ROW = 20  # loan_amount 12500.5


def build_legacy_source(path: Path) -> None:
    """The legacy workbook's source: mostly numeric phone cells, amounts with paise."""
    faker = ContactFaker(SEED + 2)
    faker.reserve(*filter(None, (_national_digits(v) for v in LEGACY_PHONES.values())))
    wb = openpyxl.Workbook()
    _fixed_properties(wb, "Core Banking Reports")
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(LEGACY_HEADER)
    for row in range(2, LEGACY_ROWS + 2):
        phone = LEGACY_PHONES.get(row)
        if phone is None:
            number = faker.mobile()
            phone = int(number) if faker.rng.random() < 0.7 else number
        name, city = faker.person()
        product, whole = faker.loan()
        # Outstanding balances with paise, as the old core-banking export shows them.
        amount: float = whole + faker.rng.choice((0, 0.25, 0.5, 0.75))
        if row == LEGACY_DECIMAL_AMOUNT_ROW:
            product, amount = "gold_loan", 12500.5
        values = (phone, name, amount, product, faker.due_date(), city)
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            if column == 3:
                cell.number_format = "0.00"
            if column == 5:
                cell.number_format = "DD/MM/YYYY"
    wb.save(path)


def _fixed_properties(wb: openpyxl.Workbook, creator: str) -> None:
    """Pin the document metadata so a rerun does not change the saved workbook."""
    stamp = dt.datetime(2024, 5, 3, 9, 30)
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = stamp
    wb.properties.modified = stamp


# ----------------------------------------------------------------- LibreOffice


def find_soffice() -> str | None:
    """LibreOffice's command line: ``$SOFFICE``, else ``soffice``/``libreoffice`` on PATH."""
    explicit = os.environ.get("SOFFICE")
    if explicit:
        return explicit
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(soffice: str, source: Path, target: Path, filter_name: str, work: Path) -> None:
    """Have LibreOffice Calc open ``source`` and save it as ``target``."""
    outdir = work / f"out-{target.suffix.lstrip('.')}"
    outdir.mkdir(exist_ok=True)
    profile = (work / "profile").as_uri()  # private profile: no clash with a running Office
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        f"{target.suffix.lstrip('.')}:{filter_name}",
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    produced = outdir / f"{source.stem}{target.suffix}"
    if result.returncode != 0 or not produced.exists():
        raise SystemExit(
            f"LibreOffice could not convert {source.name}:\n{result.stdout}{result.stderr}"
        )
    shutil.move(produced, target)


def check_messy(path: Path) -> None:
    """Fail loudly if the saved workbook lost the cell types the sample exists for."""
    wb = openpyxl.load_workbook(path, data_only=True)
    if wb.sheetnames != ["Notes", "Contacts"]:
        raise SystemExit(f"{path.name}: unexpected sheets {wb.sheetnames}")
    ws = wb["Contacts"]
    expect: dict[str, Any] = {
        "A14": 9812345678,
        "A39": 919900112233,
        "A23": "9.84512367E+9",
        "A27": "+919811122233",
        "B35": "Anil Kapoor",
        "C28": 1480000,
    }
    for ref, value in expect.items():
        if ws[ref].value != value:
            raise SystemExit(f"{path.name}: {ref} is {ws[ref].value!r}, expected {value!r}")
    if not isinstance(ws["E2"].value, dt.datetime):
        raise SystemExit(f"{path.name}: due_date is not a date cell")


def check_legacy(path: Path) -> None:
    import xlrd  # only needed here

    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    if sheet.cell_type(1, 0) != xlrd.XL_CELL_NUMBER or sheet.cell_value(1, 0) != 9876543210:
        raise SystemExit(f"{path.name}: A2 is not the numeric phone cell")
    if sheet.cell_type(1, 4) != xlrd.XL_CELL_DATE:
        raise SystemExit(f"{path.name}: E2 is not a date cell")
    if sheet.cell_value(LEGACY_DECIMAL_AMOUNT_ROW - 1, 2) != 12500.5:
        raise SystemExit(f"{path.name}: C{LEGACY_DECIMAL_AMOUNT_ROW} lost its decimals")


def write_workbooks(out: Path, soffice: str) -> None:
    with tempfile.TemporaryDirectory(prefix="sample-data-") as tmp:
        work = Path(tmp)
        messy_src = work / "messy_contacts.xlsx"
        legacy_src = work / "legacy_contacts.xlsx"
        build_messy_source(messy_src)
        build_legacy_source(legacy_src)
        convert(soffice, messy_src, out / "messy_contacts.xlsx", "Calc MS Excel 2007 XML", work)
        convert(soffice, legacy_src, out / "legacy_contacts.xls", "MS Excel 97", work)
    check_messy(out / "messy_contacts.xlsx")
    check_legacy(out / "legacy_contacts.xls")


# ------------------------------------------------------------------- workspace

LOAN_PROMPT = (
    "You are Ananya, a polite collections assistant calling from Sahayak Finance. "
    "Speak Hindi or English, whichever the customer prefers. Greet the customer: "
    '"Namaste {{customer_name}} ji, main Sahayak Finance se Ananya bol rahi hoon." '
    "Remind them that the instalment on their {{product}} with an outstanding amount of "
    "Rs {{loan_amount}} is due on {{due_date}}. Ask whether they will pay by the due date; "
    "if not, note a promised payment date. Never threaten, never ask for OTPs or card "
    "numbers, and offer a callback from the branch if they have a dispute."
)
EMI_PROMPT = (
    "You are Rohan, calling from Sahayak Finance about an upcoming EMI. Say: "
    '"Hello {{customer_name}}, this is a reminder that your EMI of Rs {{emi_amount}} '
    "is due on {{due_date}}.\" Confirm the customer's auto-debit mandate is active and "
    "share the payment link by SMS if they ask. Keep the call under two minutes."
)


def workspace() -> dict[str, Any]:
    """The sandbox workspace in the contract's shapes."""
    return {
        "agents": [
            {"id": "agt_abc123", "name": "Loan follow-up (Hindi/English)", "prompt": LOAN_PROMPT},
            {"id": "agt_emi456", "name": "EMI reminder (English)", "prompt": EMI_PROMPT},
        ],
        "phone_numbers": [
            {
                "id": "pn_in_mumbai",
                "phone_number": "+912234567890",
                "country": "IN",
                "provider": "plivo",
                "status": "active",
                "outbound_agent_id": "agt_abc123",
            },
            {
                "id": "pn_us_sip",
                "phone_number": "+14155550123",
                "country": "US",
                "provider": "sip_trunk",
                "status": "active",
                "outbound_agent_id": "agt_emi456",
            },
            {
                "id": "pn_in_delhi",
                "phone_number": "+911140001234",
                "country": "IN",
                "provider": "plivo",
                "status": "active",
                "outbound_agent_id": None,
            },
            {
                "id": "pn_in_bengaluru_old",
                "phone_number": "+918045678901",
                "country": "IN",
                "provider": "plivo",
                "status": "inactive",
                "outbound_agent_id": "agt_abc123",
            },
        ],
        "telephony_config": {
            "provider": "plivo",
            "sip_byoc_enabled": False,
            "countries": [
                {
                    "country": "IN",
                    "name": "India",
                    "network_groups": [
                        {
                            "name": "India Mobile",
                            "prefixes": ["+916", "+917", "+918", "+919"],
                            "enabled": True,
                        },
                        {"name": "India Mumbai Landline", "prefixes": ["+9122"], "enabled": True},
                        {"name": "India Toll-free", "prefixes": ["+911800"], "enabled": False},
                    ],
                },
                {
                    "country": "US",
                    "name": "United States",
                    "network_groups": [
                        {"name": "US All", "prefixes": ["+1"], "enabled": True},
                    ],
                },
                {
                    "country": "GB",
                    "name": "United Kingdom",
                    "network_groups": [
                        {"name": "UK Mobile", "prefixes": ["+447"], "enabled": False},
                        {"name": "UK Landline", "prefixes": ["+441", "+442"], "enabled": False},
                    ],
                },
            ],
        },
    }


def write_workspace(path: Path) -> None:
    text = json.dumps(workspace(), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


# ------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument(
        "--no-workbooks",
        action="store_true",
        help="write only the CSV and workspace.json (no LibreOffice needed)",
    )
    return parser.parse_args(argv)


def _report(paths: Iterator[Path]) -> None:
    for path in paths:
        print(f"wrote {path.name} ({path.stat().st_size:,} bytes)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    soffice = None
    if not args.no_workbooks:
        soffice = find_soffice()
        if soffice is None:
            print(
                "make_sample_data: LibreOffice's `soffice` was not found. The .xlsx/.xls "
                "samples are written by LibreOffice Calc; install it (Debian: "
                "apt-get install libreoffice-calc-nogui), set $SOFFICE to its path, or run "
                "with --no-workbooks to regenerate only the CSV and workspace.json.",
                file=sys.stderr,
            )
            return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_loan_followup(out / "loan_followup.csv")
    write_workspace(out / "workspace.json")
    written = ["loan_followup.csv", "workspace.json"]
    if soffice is not None:
        write_workbooks(out, soffice)
        written += ["messy_contacts.xlsx", "legacy_contacts.xls"]
    _report(out / name for name in written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
