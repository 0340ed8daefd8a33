"""The sandbox speaks the contract: raw HTTP against the real server on loopback."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lib.contacts import MAX_FILE_BYTES
from lib.sandbox import SandboxSettings, close_app, create_app
from tests.sandbox_server import (
    AGENT,
    API_KEY,
    IN_NUMBER,
    INACTIVE_NUMBER,
    NO_AGENT_NUMBER,
    SIP_NUMBER,
    WORKSPACE,
    RunningSandbox,
    create,
    csv_file,
    sandbox_settings,
    serve_sandbox,
    wait_for,
    workspace_with,
)

ISO_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
CREATE_FIELDS = {
    "id": str,
    "name": str,
    "status": str,
    "total_leads": int,
    "completed": int,
    "failed": int,
    "agent_id": str,
    "created_at": str,
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """Shared by the tests that only look at their own batches (a server costs ~0.2 s)."""
    with serve_sandbox() as running:
        yield running


@pytest.fixture
def api(sandbox: RunningSandbox) -> httpx.Client:
    return sandbox.http


@pytest.fixture
def fresh_api() -> Iterator[httpx.Client]:
    """An empty sandbox, for tests that count every batch or call."""
    with serve_sandbox() as running:
        yield running.http


def assert_envelope(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == status, body
    assert body["statusCode"] == status
    assert body["error"] == error
    assert isinstance(body["message"], str | list) and body["message"]
    return body


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


# ---- auth, unknown things, method errors ------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer wrong-key", f"Basic {API_KEY}", "Bearer"])
def test_a_missing_or_wrong_key_is_401(sandbox: RunningSandbox, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    for method, path in (
        ("GET", "/v1/batch-calls"),
        ("GET", "/v1/agents"),
        ("POST", "/v1/batch-calls"),
        ("GET", "/v1/nowhere"),
    ):
        response = httpx.request(method, sandbox.base_url + path, headers=headers)
        assert_envelope(response, 401, "Unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert API_KEY not in response.text


def test_unknown_batch_agent_or_route_is_404(api: httpx.Client) -> None:
    assert_envelope(api.get("/v1/batch-calls/batch_nope"), 404, "Not Found")
    assert_envelope(api.post("/v1/batch-calls/batch_nope/cancel"), 404, "Not Found")
    assert_envelope(api.get("/v1/agents/agt_nope"), 404, "Not Found")
    assert_envelope(api.get("/v2/batch-calls"), 404, "Not Found")
    assert_envelope(api.delete("/v1/batch-calls"), 405, "Method Not Allowed")


def test_cancel_of_a_finished_batch_is_409(api: httpx.Client) -> None:
    batch = create(api, csv_file("9876543210,a")).json()
    wait_for(api, batch["id"])
    body = assert_envelope(api.post(f"/v1/batch-calls/{batch['id']}/cancel"), 409, "Conflict")
    assert "completed" in body["message"]


# ---- lists ----------------------------------------------------------------------------------


def test_batches_page_newest_first_with_meta(fresh_api: httpx.Client) -> None:
    api = fresh_api
    ids = [create(api, csv_file(f"98765432{i:02d},a"), name=f"b{i}").json()["id"] for i in range(5)]
    pages = [
        api.get("/v1/batch-calls", params={"page": page, "limit": 2}).json()
        for page in (1, 2, 3, 4)
    ]
    assert [[b["id"] for b in page["data"]] for page in pages] == [
        ids[:2:-1],
        ids[2:0:-1],
        ids[:1],
        [],
    ]
    for number, page in enumerate(pages, start=1):
        assert page["meta"] == {"page": number, "limit": 2, "total": 5, "totalPages": 3}
    for batch_id in ids:
        wait_for(api, batch_id)
    assert api.get("/v1/batch-calls?status=completed").json()["meta"]["total"] == 5
    assert api.get("/v1/batch-calls?status=running").json()["meta"]["total"] == 0
    default = api.get("/v1/batch-calls").json()["meta"]
    assert (default["page"], default["limit"]) == (1, 20)


def test_page_and_limit_are_bounded(api: httpx.Client) -> None:
    body = assert_envelope(api.get("/v1/calls?limit=101&page=0"), 400, "Bad Request")
    assert sorted(line.split(":")[0] for line in body["message"]) == ["limit", "page"]
    assert api.get("/v1/calls?limit=100").status_code == 200


def test_calls_carry_batch_position_e164_and_variables(fresh_api: httpx.Client) -> None:
    api = fresh_api
    content = csv_file(
        "9876543210,Priya,500000",
        "+91 91234 56789,Rahul,250000",
        header="phone_number,customer_name,loan_amount",
    )
    batch = wait_for(api, create(api, content).json()["id"])
    other = wait_for(api, create(api, csv_file("9000000001,x")).json()["id"])
    body = api.get("/v1/calls", params={"batch_id": batch["id"]}).json()
    assert body["meta"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    first, second = body["data"]
    assert (first["position"], second["position"]) == (2, 3)
    assert first["to_phone_number"] == "+919876543210"
    assert second["to_phone_number"] == "+919123456789"
    assert first["metadata"] == {"customer_name": "Priya", "loan_amount": "500000"}
    assert re.fullmatch(r"call_[0-9a-f]{24}", first["id"])
    for call in body["data"]:
        assert call["batch_id"] == batch["id"]
        assert call["agent_id"] == AGENT and call["from_phone_number"] == IN_NUMBER
        assert ISO_MS_Z.match(call["created_at"]) and ISO_MS_Z.match(call["ended_at"])
    assert api.get("/v1/calls").json()["meta"]["total"] == 3
    completed = api.get("/v1/calls", params={"batch_id": batch["id"], "status": "completed"})
    assert completed.json()["meta"]["total"] == batch["completed"]
    by_number = api.get("/v1/calls", params={"to": "+919123456789"}).json()["data"]
    assert [call["position"] for call in by_number] == [3]
    assert api.get("/v1/calls", params={"from": IN_NUMBER}).json()["meta"]["total"] == 3
    assert api.get("/v1/calls", params={"agent_id": "agt_emi456"}).json()["meta"]["total"] == 0
    later = api.get("/v1/calls", params={"from": other["created_at"]}).json()["data"]
    assert [call["batch_id"] for call in later] == [other["id"]]
    assert_envelope(api.get("/v1/calls", params={"from": "yesterday"}), 400, "Bad Request")


def test_workspace_endpoints_serve_the_workspace_file_shapes(api: httpx.Client) -> None:
    agents = api.get("/v1/agents", params={"limit": 1}).json()
    assert agents["meta"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2}
    assert agents["data"][0]["id"] == AGENT and "{{customer_name}}" in agents["data"][0]["prompt"]
    assert api.get(f"/v1/agents/{AGENT}").json()["name"] == "Loan follow-up"
    numbers = api.get("/v1/phone-numbers").json()
    assert [n["phone_number"] for n in numbers["data"]] == [
        n["phone_number"] for n in WORKSPACE["phone_numbers"]
    ]
    assert numbers["data"][1] == {
        "id": "pn_sip",
        "phone_number": SIP_NUMBER,
        "country": "US",
        "provider": "sip_trunk",
        "status": "active",
        "outbound_agent_id": "agt_emi456",
    }
    assert api.get("/v1/telephony-config").json() == WORKSPACE["telephony_config"]


def test_gets_carry_an_etag_and_answer_304(api: httpx.Client) -> None:
    first = api.get("/v1/agents")
    tag = first.headers["etag"]
    again = api.get("/v1/agents", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert api.get("/v1/agents", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_default_workspace_is_the_shipped_sample() -> None:
    app = create_app(SandboxSettings(db_path=":memory:"))
    try:
        assert app.state.workspace.agent("agt_abc123") is not None
        number = app.state.workspace.number("+91 22 3456 7890")
        assert number is not None and number.outbound_agent_id == "agt_abc123"
        assert any(n.is_sip for n in app.state.workspace.phone_numbers)
    finally:
        close_app(app)


# ---- OpenAPI ------------------------------------------------------------------------------


def test_openapi_documents_the_contract(sandbox: RunningSandbox) -> None:
    schema = httpx.get(sandbox.base_url + "/openapi.json").json()  # docs need no key
    create_op = schema["paths"]["/v1/batch-calls"]["post"]
    ref = create_op["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    form = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert list(form["properties"]) == [
        "agent_id",
        "file",
        "from_phone_number",
        "name",
        "scheduled_at",
        "max_concurrent_calls",
        "retry_config",
    ]
    assert set(form["required"]) == {"agent_id", "file", "from_phone_number"}
    assert {"200", "201", "400", "401", "404", "409", "413", "422"} <= set(create_op["responses"])
    bad = create_op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert bad.endswith("/BadRequestBody")
    assert "details" in schema["components"]["schemas"]["BadRequestBody"]["properties"]
    assert set(schema["components"]["schemas"]["ErrorBody"]["properties"]) == {
        "statusCode",
        "message",
        "error",
    }
    cancel = schema["paths"]["/v1/batch-calls/{batch_id}/cancel"]["post"]["responses"]
    assert {"200", "401", "404", "409"} <= set(cancel)
    listing = schema["paths"]["/v1/calls"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "page",
        "limit",
        "status",
        "agent_id",
        "from",
        "to",
        "batch_id",
    }
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert all(op.get("security") for path in schema["paths"].values() for op in path.values())
    assert "HTTPValidationError" not in str(schema)
    for name in ("Batch", "Call", "PageMeta", "Page_Batch_", "Page_Call_"):
        assert name in schema["components"]["schemas"], name
