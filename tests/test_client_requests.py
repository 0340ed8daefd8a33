"""What the client sends: the create form's fields, the URLs it builds, polling, env config.

The answers it reads back (dialects, pages, 400 details) are in ``test_client_parsing``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.parser import BytesParser
from email.policy import default as email_policy
from pathlib import Path

import httpx
import pytest
from batchcall.api.client import BatchCallClient

from tests.client_support import CSV, serve

BATCH = {"id": "batch_1", "status": "initiated", "total_leads": 1, "completed": 0, "failed": 0}


def form_fields(request: httpx.Request) -> dict[str, tuple[str | None, str, bytes]]:
    """The multipart body as {name: (filename, content type, bytes)}, parsed independently."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=email_policy).parsebytes(head + request.read())
    return {
        part.get_param("name", header="content-disposition"): (
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    }


def test_create_sends_the_contract_form_fields() -> None:
    client, seen = serve({"/v1/batch-calls": lambda r: httpx.Response(201, json=BATCH)})
    india = timezone(timedelta(hours=5, minutes=30))
    batch = client.create_batch(
        ("may.csv", CSV),
        agent_id="agt_1",
        from_phone_number="+912234567890",
        name="May Follow-Up Campaign",
        scheduled_at=datetime(2024, 5, 1, 15, 0, tzinfo=india),
        max_concurrent_calls=10,
        retry_config={"max_retries": 2, "retry_interval_minutes": 60},
    )
    assert batch.id == "batch_1" and seen[0].method == "POST"
    fields = form_fields(seen[0])
    assert fields["file"] == ("may.csv", "text/csv", CSV)
    text = {name: value[2].decode() for name, value in fields.items() if name != "file"}
    assert text == {
        "agent_id": "agt_1",
        "from_phone_number": "+912234567890",
        "name": "May Follow-Up Campaign",
        "scheduled_at": "2024-05-01T09:30:00.000Z",
        "max_concurrent_calls": "10",
        "retry_config": '{"max_retries": 2, "retry_interval_minutes": 60}',
    }
    assert "Idempotency-Key" not in seen[0].headers


def test_create_with_bare_bytes_sends_only_required_fields_as_contacts_csv() -> None:
    client, seen = serve({"/v1/batch-calls": lambda r: httpx.Response(201, json=BATCH)})
    client.create_batch(
        CSV,
        agent_id="agt_1",
        from_phone_number="+91",
        scheduled_at="tomorrow",
        retry_config='{"max_retries": 0}',
    )
    fields = form_fields(seen[0])
    assert fields["file"][:2] == ("contacts.csv", "text/csv")
    assert sorted(fields) == [
        "agent_id",
        "file",
        "from_phone_number",
        "retry_config",
        "scheduled_at",
    ]
    assert (fields["scheduled_at"][2], fields["retry_config"][2]) == (
        b"tomorrow",
        b'{"max_retries": 0}',
    )


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("leads.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("leads.XLS", "application/vnd.ms-excel"),
        ("leads.csv", "text/csv"),
    ],
)
def test_create_from_a_path_names_the_file_and_its_type(
    tmp_path: Path, filename: str, content_type: str
) -> None:
    (tmp_path / filename).write_bytes(CSV)
    client, seen = serve({"/v1/batch-calls": lambda r: httpx.Response(201, json=BATCH)})
    client.create_batch(tmp_path / filename, agent_id="agt_1", from_phone_number="+91")
    assert form_fields(seen[0])["file"] == (filename, content_type, CSV)


@pytest.mark.parametrize(
    "base_url", ["http://api.test", "http://api.test/", "http://api.test/v1", "http://api.test/v1/"]
)
def test_base_url_may_end_in_slash_or_v1(base_url: str) -> None:
    client, seen = serve({"/v1/batch-calls/b 1": {"id": "b 1"}}, base_url=base_url)
    assert client.get_batch("b 1").id == "b 1"
    assert str(seen[0].url) == "http://api.test/v1/batch-calls/b%201"


def test_wait_for_batch_polls_until_finished() -> None:
    states = iter(["active", "running", "completed"])
    client, seen = serve(
        {
            "/v1/batch-calls/b1": lambda r: httpx.Response(
                200, json={"id": "b1", "status": next(states)}
            )
        }
    )
    sleeps: list[float] = []
    client._transport.sleep = sleeps.append
    assert client.wait_for_batch("b1", poll_seconds=2).status == "completed"
    assert len(seen) == 3 and sleeps == [2, 2]


def test_from_env_needs_both_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATCHCALL_API_URL", "http://127.0.0.1:8765/")
    monkeypatch.delenv("BATCHCALL_API_KEY", raising=False)
    with pytest.raises(ValueError, match="BATCHCALL_API_KEY"):
        BatchCallClient.from_env()
    monkeypatch.setenv("BATCHCALL_API_KEY", "sk-env")
    with BatchCallClient.from_env() as client:
        assert client.base_url == "http://127.0.0.1:8765"


def calls_page(page: int, total_pages: int) -> dict:
    call = {"id": f"call_{page}", "status": "completed"}
    meta = {"page": page, "limit": 1, "total": total_pages, "totalPages": total_pages}
    return {"data": [call], "meta": meta}


def test_list_calls_sends_from_and_to_with_the_plus_percent_encoded() -> None:
    client, seen = serve({"/v1/calls": calls_page(1, 1)})
    client.list_calls(from_="+912234567890", to="+919876543210", limit=50)
    query = seen[0].url.query.decode()
    assert "from=%2B912234567890" in query and "to=%2B919876543210" in query
    assert dict(seen[0].url.params) == {
        "from": "+912234567890",
        "to": "+919876543210",
        "page": "1",
        "limit": "50",
    }
    client.list_calls()
    assert not {"from", "to"} & set(seen[1].url.params)


def test_iter_calls_sends_from_and_to_on_every_page_and_times_as_iso() -> None:
    client, seen = serve(
        {"/v1/calls": lambda r: httpx.Response(200, json=calls_page(int(r.url.params["page"]), 3))}
    )
    india = timezone(timedelta(hours=5, minutes=30))
    calls = list(
        client.iter_calls(
            from_=datetime(2024, 3, 1, 10, 0, tzinfo=india), to="2024-03-02T00:00:00.000Z"
        )
    )
    assert [call.id for call in calls] == ["call_1", "call_2", "call_3"]
    for request in seen:
        assert request.url.params["from"] == "2024-03-01T04:30:00.000Z"
        assert request.url.params["to"] == "2024-03-02T00:00:00.000Z"
