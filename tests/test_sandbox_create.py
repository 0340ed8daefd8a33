"""The sandbox speaks the contract on create: raw HTTP against the real server on loopback."""

from __future__ import annotations

import re
import socket
from typing import Any

import httpx
import pytest
from batchcall.contacts import MAX_FILE_BYTES

from tests.sandbox_server import (
    API_KEY,
    CREATE_FIELDS,
    ISO_MS_Z,
    RunningSandbox,
    assert_envelope,
    create,
    csv_file,
    sandbox_settings,
    serve_sandbox,
    wait_for,
    workspace_with,
)
from tests.workspace_data import AGENT, IN_NUMBER, INACTIVE_NUMBER, NO_AGENT_NUMBER, SIP_NUMBER

# ---- create ------------------------------------------------------------------------------


def test_create_answers_201_with_exactly_the_contract_fields(api: httpx.Client) -> None:
    response = create(
        api,
        csv_file("9876543210,Priya Sharma", "9123456789,Rahul Mehra"),
        name="May Follow-Up Campaign",
        max_concurrent_calls=10,
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == set(CREATE_FIELDS)
    for key, kind in CREATE_FIELDS.items():
        assert type(body[key]) is kind, key
    assert re.fullmatch(r"batch_[0-9a-f]{24}", body["id"])
    assert body["name"] == "May Follow-Up Campaign"
    assert body["status"] == "initiated"
    assert (body["total_leads"], body["completed"], body["failed"]) == (2, 0, 0)
    assert body["agent_id"] == AGENT
    assert ISO_MS_Z.match(body["created_at"])


def test_a_read_adds_route_schedule_and_status_counts(api: httpx.Client) -> None:
    created = create(api, csv_file("9876543210,Priya"), max_concurrent_calls=3).json()
    batch = wait_for(api, created["id"])
    assert batch["from_phone_number"] == IN_NUMBER
    assert batch["max_concurrent_calls"] == 3
    assert batch["scheduled_at"] is None
    for key in ("created_at", "started_at", "completed_at"):
        assert ISO_MS_Z.match(batch[key]), key
    assert sum(batch["status_counts"].values()) == batch["total_leads"] == 1
    assert set(batch["status_counts"]) == {
        "queued",
        "initiated",
        "in-progress",
        "completed",
        "no_answer",
        "busy",
        "failed",
        "cancelled",
    }


def test_destination_validation_400_names_every_failing_row(fresh_api: httpx.Client) -> None:
    api = fresh_api
    content = csv_file(
        "9876543210,ok",  # row 2
        "12345,bad digits",  # row 3
        "+44 20 7946 0958,London",  # row 4
        "9123456789,ok",  # row 5
        "+911800123456,toll-free",  # row 6
        "+447400123456,UK mobile",  # row 7
        ",,",  # row 8: blank, not a lead
        "+911800425678,toll-free",  # row 9
    )
    response = create(api, content)
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "5 of 7 rows failed destination validation",
        "details": {
            "groups": [
                {"reason": "invalid_phone_number", "count": 1, "rows": [3]},
                {
                    "reason": "unsupported_destination_country",
                    "country": "GB",
                    "count": 2,
                    "rows": [4, 7],
                },
                {"reason": "unsupported_prefix", "country": "IN", "count": 2, "rows": [6, 9]},
            ],
            "rows": [
                {
                    "position": 3,
                    "phone_number": "12345",
                    "failed_parsing_reason": "invalid_phone_number",
                },
                {
                    "position": 4,
                    "phone_number": "+44 20 7946 0958",
                    "failed_parsing_reason": "unsupported_destination_country",
                },
                {
                    "position": 6,
                    "phone_number": "+911800123456",
                    "failed_parsing_reason": "unsupported_prefix",
                },
                {
                    "position": 7,
                    "phone_number": "+447400123456",
                    "failed_parsing_reason": "unsupported_destination_country",
                },
                {
                    "position": 9,
                    "phone_number": "+911800425678",
                    "failed_parsing_reason": "unsupported_prefix",
                },
            ],
        },
    }
    assert api.get("/v1/batch-calls").json()["meta"]["total"] == 0  # nothing was created


def test_no_enabled_countries_when_every_group_is_disabled() -> None:
    config = {
        "provider": "plivo",
        "sip_byoc_enabled": False,
        "countries": [
            {
                "country": "IN",
                "name": "India",
                "network_groups": [
                    {"name": "India Mobile", "prefixes": ["+919"], "enabled": False}
                ],
            }
        ],
    }
    settings = sandbox_settings(workspace=workspace_with(telephony_config=config))
    with serve_sandbox(settings) as sandbox:
        response = create(sandbox.http, csv_file("9876543210,a", "12345,b", "+442079460958,c"))
    body = response.json()
    assert response.status_code == 400
    assert body["details"]["groups"] == [
        {"reason": "invalid_phone_number", "count": 1, "rows": [3]},
        {"reason": "no_enabled_countries", "count": 2, "rows": [2, 4]},
    ]


def test_sip_route_checks_format_only(api: httpx.Client) -> None:
    accepted = create(
        api,
        csv_file("+442079460958,London", "+911800123456,toll-free"),
        agent_id="agt_emi456",
        from_phone_number=SIP_NUMBER,
    )
    assert accepted.status_code == 201, accepted.json()
    refused = create(
        api, csv_file("+442079460958,London", "12345,bad"), from_phone_number=SIP_NUMBER
    )
    assert refused.status_code == 400
    assert refused.json()["details"]["groups"] == [
        {"reason": "invalid_phone_number", "count": 1, "rows": [3]}
    ]


@pytest.mark.parametrize("missing", ["agent_id", "from_phone_number", "file"])
def test_a_missing_field_is_400(api: httpx.Client, missing: str) -> None:
    data = {"agent_id": AGENT, "from_phone_number": IN_NUMBER}
    data.pop(missing, None)
    files = {} if missing == "file" else {"file": ("c.csv", csv_file("9876543210,a"), "text/csv")}
    if not files:  # still multipart, so only the file is missing
        files = {"unrelated": ("x.txt", b"x", "text/plain")}
    body = assert_envelope(api.post("/v1/batch-calls", data=data, files=files), 400, "Bad Request")
    assert body["message"] == f"{missing} is required"


def test_several_failing_fields_give_a_message_array(api: httpx.Client) -> None:
    response = create(
        api, csv_file("9876543210,a"), agent_id=None, max_concurrent_calls=101, name="n" * 201
    )
    body = assert_envelope(response, 400, "Bad Request")
    assert isinstance(body["message"], list) and len(body["message"]) == 3
    assert any(line.startswith("agent_id") for line in body["message"])


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("contacts.pdf", b"%PDF-1.4", "not supported"),
        ("contacts.csv", b"", "empty"),
        ("contacts.csv", b"phone_number,name\n", "no contacts"),
        ("contacts.csv", b"mobile,name\n9876543210,A\n", "no 'phone_number' column"),
        ("contacts.xlsx", b"PK\x03\x04 not really a workbook", "could not be opened"),
    ],
)
def test_file_refusals_are_400_with_the_readers_message(
    api: httpx.Client, filename: str, content: bytes, words: str
) -> None:
    body = assert_envelope(create(api, content, filename=filename), 400, "Bad Request")
    assert words in body["message"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"max_concurrent_calls": 0}, "max_concurrent_calls"),
        ({"max_concurrent_calls": "ten"}, "max_concurrent_calls"),
        ({"scheduled_at": "next tuesday"}, "scheduled_at must be an ISO 8601"),
        ({"retry_config": "{not json"}, "retry_config"),
        ({"retry_config": '{"max_retries": 6}'}, "retry_config.max_retries"),
        (
            {"retry_config": '{"max_retries": 1, "retry_interval_minutes": -1}'},
            "retry_config.retry_interval_minutes",
        ),
        ({"from_phone_number": "+91" + "1" * 40}, "from_phone_number"),
    ],
)
def test_malformed_options_are_400(api: httpx.Client, fields: dict[str, Any], words: str) -> None:
    body = assert_envelope(create(api, csv_file("9876543210,a"), **fields), 400, "Bad Request")
    assert words in str(body["message"])


def test_unknown_agent_or_number_is_404(api: httpx.Client) -> None:
    body = assert_envelope(
        create(api, csv_file("9876543210,a"), agent_id="agt_nope"), 404, "Not Found"
    )
    assert "agt_nope" in body["message"]
    body = assert_envelope(
        create(api, csv_file("9876543210,a"), from_phone_number="+919999999999"), 404, "Not Found"
    )
    assert "+919999999999" in body["message"]


@pytest.mark.parametrize(
    ("number", "words"), [(INACTIVE_NUMBER, "inactive"), (NO_AGENT_NUMBER, "no outbound agent")]
)
def test_a_number_that_cannot_call_out_is_422(api: httpx.Client, number: str, words: str) -> None:
    response = create(api, csv_file("9876543210,a"), from_phone_number=number)
    assert words in assert_envelope(response, 422, "Unprocessable Entity")["message"]


def test_an_11_mb_upload_is_413(api: httpx.Client) -> None:
    response = create(api, b"phone_number\n" + b"9876543210\n" * (11 * 1024 * 1024 // 11))
    assert "10 MB" in assert_envelope(response, 413, "Payload Too Large")["message"]


def test_a_file_just_over_10_mb_is_413(api: httpx.Client) -> None:
    content = b"phone_number\n" + b"9" * (MAX_FILE_BYTES - 12)
    assert len(content) == MAX_FILE_BYTES + 1
    assert_envelope(create(api, content), 413, "Payload Too Large")


def _raw_answer(sandbox: RunningSandbox, head: bytes, body: bytes) -> bytes:
    """Send a request whose body never finishes; return what the server says meanwhile."""
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(head + body)
        answer = b""
        while True:  # until the whole answer is in (its head and body may come apart)
            top, blank, content = answer.partition(b"\r\n\r\n")
            length = re.search(rb"content-length: (\d+)", top.lower())
            if blank and length and len(content) >= int(length.group(1)):
                return answer
            chunk = conn.recv(65536)
            if not chunk:
                return answer
            answer += chunk


def test_413_comes_before_the_body_is_read(sandbox: RunningSandbox) -> None:
    head = (
        b"POST /v1/batch-calls HTTP/1.1\r\nHost: x\r\n"
        + f"Authorization: Bearer {API_KEY}\r\n".encode()
        + b"Content-Type: multipart/form-data; boundary=b\r\n"
    )
    # A declared length over the limit: answered at once, with no body sent at all.
    answer = _raw_answer(sandbox, head + b"Content-Length: 11534336\r\n\r\n", b"")
    assert answer.startswith(b"HTTP/1.1 413")
    # A chunked body: answered once 10 MB have streamed in, though the body never ends.
    part = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\nphone_number\r\n"
    )
    chunks = [part, *[b"9876543210\r\n" * 95_000] * 11]
    stream = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for chunk in chunks)
    answer = _raw_answer(sandbox, head + b"Transfer-Encoding: chunked\r\n\r\n", stream)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"statusCode":413' in answer


def test_idempotency_key_repeat_returns_the_first_batch(fresh_api: httpx.Client) -> None:
    api = fresh_api
    content = csv_file("9876543210,a", "9123456789,b")
    first = create(api, content, headers={"Idempotency-Key": "launch-1"})
    repeat = create(api, content, headers={"Idempotency-Key": "launch-1"})
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert repeat.json()["id"] == first.json()["id"]
    assert set(repeat.json()) == set(CREATE_FIELDS)
    assert api.get("/v1/batch-calls").json()["meta"]["total"] == 1
    other = create(api, csv_file("9876543210,z"), headers={"Idempotency-Key": "launch-1"})
    assert "Idempotency-Key" in assert_envelope(other, 409, "Conflict")["message"]
    assert create(api, content).status_code == 201  # no key: a new batch
    assert api.get("/v1/batch-calls").json()["meta"]["total"] == 2
