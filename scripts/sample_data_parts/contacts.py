"""Where every sample customer comes from: one seeded faker and the tables it draws on.

All three contact files share these tables so a customer in the CSV reads like one in
the workbooks. The faker is seeded per file, so adding a row to one file never shifts
the others; changing the order of its calls changes every generated row after it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers

SEED = 20240501

# Column order of every contact table: CSV header and both workbooks' header row.
CONTACT_COLUMNS = ("phone_number", "customer_name", "loan_amount", "product", "due_date", "city")

PRODUCTS: dict[str, tuple[int, int, int, int]] = {
    # product: (weight, min amount, max amount, rounding step) in rupees
    "personal_loan": (30, 25_000, 800_000, 1_000),
    "home_loan": (20, 500_000, 7_500_000, 10_000),
    "car_loan": (20, 150_000, 1_500_000, 5_000),
    "gold_loan": (20, 15_000, 400_000, 500),
    "education_loan": (10, 100_000, 2_500_000, 5_000),
}


@dataclass(frozen=True)
class SeedCustomer:
    """A customer from the platform's example table, kept verbatim in the samples."""

    phone: str
    name: str
    city: str
    product: str
    amount: int
    due: dt.date


# The platform's two example rows; the CSV and the messy workbook both start with them.
SEED_CUSTOMERS: tuple[SeedCustomer, ...] = (
    SeedCustomer("9876543210", "Priya Sharma", "Delhi", "home_loan", 500_000, dt.date(2024, 5, 10)),
    SeedCustomer("9123456789", "Rahul Mehra", "Mumbai", "car_loan", 250_000, dt.date(2024, 5, 12)),
)


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

# How people write the same 10-digit mobile. A style table is a list of
# (cutoff, style): one uniform draw picks the first style whose cutoff exceeds it,
# so the last cutoff is 1.0.
PhoneStyle = Callable[[str], str]
PhoneStyles = tuple[tuple[float, PhoneStyle], ...]


def as_local(number: str) -> str:
    """``9876543210``."""
    return number


def with_country_code(number: str) -> str:
    """``+919876543210``."""
    return f"+91{number}"


def with_country_code_spaced(number: str) -> str:
    """``+91 98765 43210``."""
    return f"+91 {number[:5]} {number[5:]}"


def local_spaced(number: str) -> str:
    """``98765 43210``."""
    return f"{number[:5]} {number[5:]}"


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

    def styled_mobile(self, styles: PhoneStyles) -> str:
        """A fresh mobile written in one of ``styles``, picked by one draw."""
        number = self.mobile()
        draw = self.rng.random()
        for cutoff, style in styles:
            if draw < cutoff:
                return style(number)
        raise ValueError("the last cutoff of a phone style table must be 1.0")

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
        """An instalment due date in the eight weeks after 6 May 2024."""
        return dt.date(2024, 5, 6) + dt.timedelta(days=self.rng.randrange(56))
