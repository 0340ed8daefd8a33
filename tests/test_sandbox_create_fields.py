"""Create's field rules: accepted file types, blank required fields, the retry_config echo."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest

from tests.sandbox_server import RunningSandbox, assert_envelope, create, csv_file, wait_for
from tests.workspace_data import AGENT, IN_NUMBER

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTACTS = csv_file("9876543210,Priya")


def batch_total(api: httpx.Client) -> int:
    return api.get("/v1/batch-calls", params={"limit": 1}).json()["meta"]["total"]


# ---- only CSV, XLSX and XLS --------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("contacts.txt", CONTACTS),
        ("contacts.TXT", CONTACTS),
        ("contacts.csv.txt", CONTACTS),
        ("contacts", CONTACTS),
        ("contacts.xlsm", (FIXTURES / "numbers.xlsx").read_bytes()),
        ("contacts.XLSM", (FIXTURES / "numbers.xlsx").read_bytes()),
    ],
)
def test_other_file_types_are_400_whatever_they_hold(
    fresh_api: httpx.Client, filename: str, content: bytes
) -> None:
    body = assert_envelope(create(fresh_api, content, filename=filename), 400, "Bad Request")
    assert filename in body["message"]
    assert "CSV, XLSX or XLS" in body["message"]
    assert batch_total(fresh_api) == 0


@pytest.mark.parametrize("filename", ["folder/", "C:\\Users\\me\\", " "])
def test_an_upload_whose_name_is_empty_is_400(fresh_api: httpx.Client, filename: str) -> None:
    body = assert_envelope(create(fresh_api, CONTACTS, filename=filename), 400, "Bad Request")
    assert "no file name" in body["message"]
    assert ".csv, .xlsx or .xls" in body["message"]
    assert batch_total(fresh_api) == 0


def test_a_file_part_without_a_filename_is_400_with_what_to_do(api: httpx.Client) -> None:
    data = {"agent_id": AGENT, "from_phone_number": IN_NUMBER}
    response = api.post(
        "/v1/batch-calls", data=data, files={"file": ("", io.BytesIO(CONTACTS), "text/csv")}
    )
    body = assert_envelope(response, 400, "Bad Request")
    assert "no file name" in body["message"]
    assert ".csv, .xlsx or .xls" in body["message"]


def test_csv_is_accepted_whatever_the_case_of_its_extension(api: httpx.Client) -> None:
    response = create(api, CONTACTS, filename="CONTACTS.CSV")
    assert response.status_code == 201, response.json()
    assert response.json()["total_leads"] == 1


@pytest.mark.parametrize("filename", ["numbers.xlsx", "numbers.XLSX", "numbers.xls", "numbers.Xls"])
def test_workbooks_are_read_whatever_the_case_of_their_extension(
    api: httpx.Client, filename: str
) -> None:
    """The fixtures hold two malformed numbers on purpose: reaching row checks proves the read."""
    content = (FIXTURES / filename.lower()).read_bytes()
    body = assert_envelope(create(api, content, filename=filename), 400, "Bad Request")
    assert [row["position"] for row in body["details"]["rows"]] == [6, 7]


# ---- blank required text fields ------------------------------------------------------------


@pytest.mark.parametrize("field", ["agent_id", "from_phone_number"])
def test_a_required_field_of_only_spaces_is_missing(api: httpx.Client, field: str) -> None:
    body = assert_envelope(create(api, CONTACTS, **{field: "   "}), 400, "Bad Request")
    assert body["message"] == f"{field} is required"


def test_two_blank_required_fields_are_both_named(api: httpx.Client) -> None:
    response = create(api, CONTACTS, agent_id=" ", from_phone_number="\t")
    body = assert_envelope(response, 400, "Bad Request")
    assert body["message"] == ["agent_id is required", "from_phone_number is required"]


def test_surrounding_spaces_around_a_real_agent_id_are_ignored(api: httpx.Client) -> None:
    response = create(api, CONTACTS, agent_id=f"  {AGENT} ")
    assert response.status_code == 201 and response.json()["agent_id"] == AGENT


# ---- retry_config is echoed with whole minutes ----------------------------------------------


def test_retry_interval_minutes_is_echoed_as_an_integer(api: httpx.Client) -> None:
    retry = '{"max_retries": 2, "retry_interval_minutes": 60}'
    batch_id = create(api, CONTACTS, retry_config=retry).json()["id"]
    response = api.get(f"/v1/batch-calls/{batch_id}")
    assert '"retry_interval_minutes":60.0' not in response.text
    echoed = json.loads(response.text)["retry_config"]
    assert echoed == {"max_retries": 2, "retry_interval_minutes": 60}
    assert type(echoed["retry_interval_minutes"]) is int
    assert type(wait_for(api, batch_id)["retry_config"]["retry_interval_minutes"]) is int


def test_retry_interval_minutes_defaults_to_an_integer_60(api: httpx.Client) -> None:
    batch_id = create(api, CONTACTS, retry_config='{"max_retries": 1}').json()["id"]
    echoed = api.get(f"/v1/batch-calls/{batch_id}").json()["retry_config"]
    assert echoed == {"max_retries": 1, "retry_interval_minutes": 60}
    assert type(echoed["retry_interval_minutes"]) is int


def test_openapi_types_retry_interval_minutes_as_an_integer(api: httpx.Client) -> None:
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["RetryConfig"]["properties"]["retry_interval_minutes"]["type"] == "integer"


def test_whole_minutes_written_as_a_float_are_accepted_and_fractions_refused(
    api: httpx.Client,
) -> None:
    whole = create(api, CONTACTS, retry_config='{"max_retries": 1, "retry_interval_minutes": 5.0}')
    assert whole.status_code == 201
    echoed = api.get(f"/v1/batch-calls/{whole.json()['id']}").json()["retry_config"]
    assert type(echoed["retry_interval_minutes"]) is int and echoed["retry_interval_minutes"] == 5
    fraction = create(api, CONTACTS, retry_config='{"retry_interval_minutes": 1.5}')
    body = assert_envelope(fraction, 400, "Bad Request")
    assert "retry_config.retry_interval_minutes" in body["message"]


def test_a_batch_stored_with_float_minutes_reads_back_whole_minutes(
    sandbox: RunningSandbox,
) -> None:
    """Databases written before minutes were whole hold ``60.0`` (or a fraction)."""
    batch_id = create(sandbox.http, CONTACTS, retry_config='{"max_retries": 1}').json()["id"]
    store = sandbox.app.state.store
    with store.transaction() as conn:
        conn.execute(
            "UPDATE batches SET retry_config = ? WHERE id = ?",
            ('{"max_retries": 1, "retry_interval_minutes": 1.5}', batch_id),
        )
    response = sandbox.http.get(f"/v1/batch-calls/{batch_id}")
    assert response.status_code == 200
    assert response.json()["retry_config"] == {"max_retries": 1, "retry_interval_minutes": 2}


# ---- scheduled_at that no calendar can show --------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+05:30", "9999-12-31T23:59:59-05:00", "0001-01-01T00:30:00+01:00"],
)
def test_a_schedule_outside_the_calendar_once_in_utc_is_400_and_listing_still_works(
    fresh_api: httpx.Client, moment: str
) -> None:
    response = create(fresh_api, CONTACTS, scheduled_at=moment)
    assert_envelope(response, 400, "Bad Request")
    assert "scheduled_at" in json.dumps(response.json())
    assert fresh_api.get("/v1/batch-calls").status_code == 200
    assert batch_total(fresh_api) == 0


def test_a_stored_schedule_that_cannot_be_shown_never_breaks_reading(
    sandbox: RunningSandbox,
) -> None:
    """A database written before the check may hold such a moment: it reads as no schedule."""
    batch_id = create(sandbox.http, CONTACTS, scheduled_at="2099-01-01T00:00:00Z").json()["id"]
    with sandbox.app.state.store.transaction() as conn:
        conn.execute("UPDATE batches SET scheduled_at = ? WHERE id = ?", (-62135616600.0, batch_id))
    assert sandbox.http.get(f"/v1/batch-calls/{batch_id}").status_code == 200
    assert sandbox.http.get("/v1/batch-calls").status_code == 200
