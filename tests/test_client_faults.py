"""Fault injection for the client: every failure the wire can throw, via httpx.MockTransport.

No network and no real waiting: the client's ``sleep`` is a list's ``append``, so
each test also sees how long the client would have waited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from batchcall.api.client import BatchCallClient
from batchcall.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiResponseError,
    ApiStatusError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    NotSupportedError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableError,
)

KEY = "sk-live-0123456789abcdef-SECRET"
BATCH = {
    "id": "batch_1",
    "name": "May",
    "status": "initiated",
    "total_leads": 3,
    "completed": 0,
    "failed": 0,
    "agent_id": "agt_1",
    "created_at": "2024-03-01T10:00:00.000Z",
}
Step = Callable[[httpx.Request], httpx.Response]


def ok(body: Any = BATCH, status: int = 200) -> Step:
    return lambda request: httpx.Response(status, json=body)


def fail(status: int, body: Any = None, **kwargs: Any) -> Step:
    if body is None and "text" not in kwargs and "content" not in kwargs:
        body = {"statusCode": status, "message": f"failure {status}", "error": "Error"}
    return lambda request: httpx.Response(status, json=body, **kwargs)


def raise_(kind: type[httpx.TransportError]) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        raise kind("injected fault", request=request)  # a real httpx error carries the request

    return step


def scripted(*steps: Step, **client_kwargs: Any):
    """A client whose transport plays ``steps`` in order (the last one repeats)."""
    seen: list[httpx.Request] = []
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return steps[min(len(seen), len(steps)) - 1](request)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = BatchCallClient(
        "http://api.test", KEY, http_client=http, sleep=sleeps.append, **client_kwargs
    )
    return client, seen, sleeps


def create(client: BatchCallClient, **kwargs: Any):
    return client.create_batch(
        b"phone_number\n+919876543210\n",
        agent_id="agt_1",
        from_phone_number="+912234567890",
        **kwargs,
    )


@pytest.mark.parametrize("fault", [httpx.ReadTimeout, httpx.ConnectTimeout])
def test_timeout_then_success(fault: type[httpx.TransportError]) -> None:
    client, seen, sleeps = scripted(raise_(fault), ok())
    assert client.get_batch("batch_1").id == "batch_1"
    assert len(seen) == 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.5  # first backoff: full jitter under base


@pytest.mark.parametrize("fault", [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError])
def test_connection_reset_then_success(fault: type[httpx.TransportError]) -> None:
    client, seen, _ = scripted(raise_(fault), ok())
    assert client.get_batch("batch_1").status == "initiated"
    assert len(seen) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_error_then_success(status: int) -> None:
    client, seen, sleeps = scripted(fail(status), fail(status), ok())
    assert client.get_batch("batch_1").id == "batch_1"
    assert len(seen) == 3 and len(sleeps) == 2


def test_retries_exhausted_raise_server_error_with_status() -> None:
    client, seen, sleeps = scripted(fail(503), max_retries=3)
    with pytest.raises(ServerError) as caught:
        client.get_batch("batch_1")
    assert caught.value.status_code == 503
    assert caught.value.message == "failure 503"
    assert len(seen) == 4
    assert [0 <= delay <= min(8.0, 0.5 * 2**i) for i, delay in enumerate(sleeps)] == [True] * 3


def test_backoff_grows_exponentially_and_is_capped() -> None:
    client, _, sleeps = scripted(fail(500), max_retries=6)
    client._transport.random = lambda: 1.0  # the top of each jitter window
    with pytest.raises(ServerError):
        client.list_batches()
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_timeouts_exhausted_raise_timeout_error() -> None:
    client, seen, _ = scripted(raise_(httpx.ReadTimeout))
    with pytest.raises(ApiTimeoutError) as caught:
        client.list_batches()
    assert isinstance(caught.value, ApiConnectionError)
    assert "ReadTimeout" in caught.value.message
    assert len(seen) == 3


def test_rate_limit_retry_after_seconds_is_honoured() -> None:
    client, seen, sleeps = scripted(fail(429, headers={"Retry-After": "2"}), ok())
    assert client.get_batch("batch_1").id == "batch_1"
    assert sleeps == [2.0]
    assert len(seen) == 2


def test_rate_limit_retry_after_http_date_is_honoured() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    client, _, sleeps = scripted(fail(429, headers={"Retry-After": when}), ok())
    client.get_batch("batch_1")
    assert len(sleeps) == 1 and 3.0 <= sleeps[0] <= 5.0


def test_rate_limit_asking_too_long_raises_at_once_with_retry_after() -> None:
    client, seen, sleeps = scripted(fail(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimitError) as caught:
        client.get_batch("batch_1")
    assert caught.value.retry_after == 3600.0
    assert len(seen) == 1 and sleeps == []


def test_non_json_502_uses_the_page_text() -> None:
    html = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 2000 + "</body></html>"
    client, _, _ = scripted(fail(502, text=html), max_retries=0)
    with pytest.raises(ServerError) as caught:
        client.get_batch("batch_1")
    assert caught.value.status_code == 502
    assert caught.value.message.startswith("<html><body><h1>502 Bad Gateway</h1>")
    assert len(caught.value.message) <= 501


def test_empty_error_body_falls_back_to_reason_phrase() -> None:
    client, _, _ = scripted(fail(500, content=b""), max_retries=0)
    with pytest.raises(ServerError, match="Internal Server Error"):
        client.get_batch("batch_1")


def test_html_success_page_is_a_response_error_not_a_crash() -> None:
    client, _, _ = scripted(lambda request: httpx.Response(200, text="<html>streamlit</html>"))
    with pytest.raises(ApiResponseError, match="without JSON"):
        client.get_batch("batch_1")


@pytest.mark.parametrize(
    "fault",
    [fail(503), raise_(httpx.ReadError), raise_(httpx.ReadTimeout)],
    ids=["503", "read-error", "read-timeout"],
)
def test_create_without_idempotency_key_is_sent_once(fault: Step) -> None:
    client, seen, sleeps = scripted(fault, ok(status=201))
    with pytest.raises(ApiError):
        create(client)
    assert len(seen) == 1 and sleeps == []


def test_create_with_idempotency_key_is_retried_with_the_same_key() -> None:
    client, seen, _ = scripted(fail(503), raise_(httpx.ReadError), ok(status=201))
    assert create(client, idempotency_key="launch-42").id == "batch_1"
    assert [request.headers["Idempotency-Key"] for request in seen] == ["launch-42"] * 3


def test_create_is_retried_when_the_connection_never_opened() -> None:
    client, seen, _ = scripted(raise_(httpx.ConnectError), ok(status=201))
    assert create(client).id == "batch_1"
    assert len(seen) == 2


def test_cancel_is_never_retried_once_sent() -> None:
    client, seen, _ = scripted(fail(503), ok({**BATCH, "status": "cancelled"}))
    with pytest.raises(ServerError):
        client.cancel_batch("batch_1")
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, PayloadTooLargeError),
        (422, UnprocessableError),
        (418, ApiStatusError),
    ],
)
def test_status_maps_to_its_class(status: int, error_class: type[ApiStatusError]) -> None:
    client, seen, _ = scripted(fail(status, headers={"x-request-id": "req_77"}))
    with pytest.raises(error_class) as caught:
        client.get_batch("batch_1")
    assert type(caught.value) is error_class  # not a broader or a sibling class
    assert (caught.value.status_code, caught.value.request_id) == (status, "req_77")
    assert str(caught.value) == f"HTTP {status}: failure {status} (request id req_77)"
    assert len(seen) == 1  # client errors are not retried


@pytest.mark.parametrize("status", [404, 405])
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_agents(),
        lambda c: c.list_phone_numbers(),
        lambda c: c.get_telephony_config(),
        lambda c: c.cancel_batch("batch_1"),
        lambda c: c.list_calls(batch_id="batch_1"),
    ],
    ids=["agents", "phone-numbers", "telephony-config", "cancel", "calls-by-batch"],
)
def test_extension_endpoints_not_served_raise_not_supported(status: int, call: Callable) -> None:
    client, _, _ = scripted(fail(status))
    with pytest.raises(NotSupportedError) as caught:
        call(client)
    assert caught.value.status_code == status and caught.value.feature


def test_unknown_batch_is_a_plain_not_found() -> None:
    client, _, _ = scripted(fail(404))
    with pytest.raises(NotFoundError) as caught:
        client.get_batch("batch_missing")
    assert not isinstance(caught.value, NotSupportedError)


def _strings_reachable(value: Any, seen: set[int] | None = None) -> list[str]:
    """Every string reachable from an error: attributes, containers, chained causes."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    found = [value] if isinstance(value, str | bytes) else [repr(value)]
    children: list[Any] = []
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set):
        children = list(value)
    elif hasattr(value, "__dict__"):
        children = list(vars(value).values())
    if isinstance(value, BaseException):
        children += [value.__cause__, value.__context__, *value.args]
    for child in children:
        found += _strings_reachable(child, seen)
    return found


@pytest.mark.parametrize(
    "step",
    [
        raise_(httpx.ConnectError),
        raise_(httpx.ReadTimeout),
        fail(500, text=f"echo Bearer {KEY}"),
        fail(401, {"message": f"bad key {KEY}"}, headers={"x-request-id": KEY}),
        fail(429, {"message": ["slow", KEY]}, headers={"Retry-After": "9999"}),
        fail(400, {"message": f"Row 4: invalid_phone_number {KEY}"}),
    ],
    ids=["connect", "timeout", "echoed-500", "echoed-401", "echoed-429", "echoed-400"],
)
def test_api_key_never_leaks_from_an_error(step: Step) -> None:
    client, _, _ = scripted(step, max_retries=0)
    with pytest.raises(ApiError) as caught:
        create(client)
    error = caught.value
    assert KEY not in str(error) and KEY not in repr(error)
    leaks = [text for text in _strings_reachable(error) if KEY in str(text)]
    assert leaks == []
    assert error.__context__ is None and error.__cause__ is None


def test_client_repr_and_vars_hide_the_key() -> None:
    client = BatchCallClient("http://api.test", KEY)
    assert KEY not in repr(client)
    assert KEY not in repr(vars(client))
    client.close()


def test_key_is_sent_per_request_with_timeouts_on_by_default() -> None:
    client, seen, _ = scripted(ok())
    client.get_batch("batch_1")
    assert seen[0].headers["Authorization"] == f"Bearer {KEY}"
    timeout = seen[0].extensions["timeout"]
    assert timeout["connect"] == 5.0 and timeout["read"] == 30.0
