"""Property tests: whatever the bytes, a table or a ContactFileError; whatever the table,
the file Submit sends reads back identical; whatever the numbers, one verdict, the
reference's."""

from __future__ import annotations

import io
import os
import string

import pandas as pd
import pytest
from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.contacts import ContactFileError, list_sheets, read_contacts
from batchcall.phones.parse import parse_number
from batchcall.rules import judge, validate
from batchcall.samples import sample_path
from batchcall.work.exports import submission_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workspace_data import IN_ROUTE, SIP_ROUTE, TELEPHONY_CONFIG

pytestmark = pytest.mark.slow
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SEEDS = {
    "csv": sample_path("loan_followup.csv").read_bytes()[:4000],
    "xlsx": sample_path("messy_contacts.xlsx").read_bytes(),
    "xls": sample_path("legacy_contacts.xls").read_bytes(),
}


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """A real file cut short, with bytes overwritten, or bytes spliced in."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["set", "cut", "insert"]))
        if action == "set":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(max_size=64))
        if not data:
            break
    return bytes(data)


def read_or_refuse(data: bytes, name: str) -> None:
    for read in (lambda: read_contacts(data, name), lambda: list_sheets(data, name)):
        try:
            result = read()
        except ContactFileError as refusal:
            assert refusal.message and name in refusal.message
        else:
            assert isinstance(result, pd.DataFrame | list)


@pytest.mark.parametrize("extension", ["csv", "txt", "xlsx", "xls"])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_any_bytes_give_a_table_or_a_refusal(extension: str, data: bytes) -> None:
    read_or_refuse(data, f"upload.{extension}")


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xls"])
@FUZZ
@given(data=st.data())
def test_damaged_real_files_give_a_table_or_a_refusal(kind: str, data: st.DataObject) -> None:
    read_or_refuse(data.draw(damaged(SEEDS[kind])), f"damaged.{kind}")


HEADER = st.text(string.ascii_letters + string.digits + "_ -.", min_size=1, max_size=12).filter(
    lambda h: h.strip() == h and h != "phone_number"
)
CELL = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30)


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    headers = draw(st.lists(HEADER, max_size=4, unique=True))
    rows = draw(st.integers(1, 8))
    phones = draw(st.lists(CELL.filter(lambda c: c.strip() != ""), min_size=rows, max_size=rows))
    columns = {"phone_number": phones}
    for header in headers:
        columns[header] = draw(st.lists(CELL, min_size=rows, max_size=rows))
    table = pd.DataFrame(columns, index=pd.RangeIndex(2, rows + 2, name="row"), dtype=object)
    return table.astype(str)


@FUZZ
@given(table=tables())
def test_the_file_submit_sends_reads_back_as_the_table(table: pd.DataFrame) -> None:
    back = read_contacts(submission_csv(table), "sent.csv")
    assert back.columns.tolist() == table.columns.tolist()
    assert back.astype(str).values.tolist() == table.values.tolist()
    assert back.index.tolist() == table.index.tolist()


PHONE = st.one_of(
    st.text("0123456789 +-()./", max_size=18),
    st.from_regex(r"\+?(91|44|1|61)?[6-9][0-9]{9}", fullmatch=True),
    st.text(max_size=12),
)


@FUZZ
@given(phones=st.lists(PHONE, min_size=1, max_size=40), sip=st.booleans())
def test_validation_is_deterministic_and_agrees_with_the_reference(
    phones: list[str], sip: bool
) -> None:
    route = PhoneNumber.model_validate(SIP_ROUTE if sip else IN_ROUTE)
    config = TelephonyConfig.model_validate(TELEPHONY_CONFIG)
    table = pd.DataFrame({"phone_number": phones}, index=pd.RangeIndex(2, len(phones) + 2))
    first = validate(table, route, config).rows
    again = validate(table.copy(), route, config).rows
    assert first.equals(again)
    for row, raw in zip(table.index, phones, strict=True):
        parsed = parse_number(raw, route.region)
        reason, country = judge(parsed, route, config)
        got = first.loc[row]
        assert (got["e164"], got["region"], got["number_type"]) == tuple(parsed), raw
        assert (got["reason"], got["country"]) == (reason, country), raw


def test_a_one_column_table_of_numbers_reads_back() -> None:
    table = pd.DataFrame({"phone_number": ["9876543210;1", "a|b\tc"]}, index=pd.RangeIndex(2, 4))
    back = read_contacts(io.BytesIO(submission_csv(table)), "sent.csv")
    assert back["phone_number"].tolist() == table["phone_number"].tolist()
