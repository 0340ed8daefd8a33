"""The sandbox speaks the contract on reads, auth and OpenAPI: raw HTTP on loopback."""

from __future__ import annotations

import re

import httpx
import pytest
from batchcall.sandbox import SandboxSettings, close_app, create_app

from tests.sandbox_server import (
    API_KEY,
    ISO_MS_Z,
    RunningSandbox,
    assert_envelope,
    create,
    csv_file,
    wait_for,
)
from tests.workspace_data import AGENT, IN_NUMBER, SIP_NUMBER, WORKSPACE

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
