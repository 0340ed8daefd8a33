"""The one client for the Batch Call API, shared by the Streamlit app, notebooks and scripts.

    with BatchCallClient("http://127.0.0.1:8765", api_key) as client:
        batch = client.create_batch("contacts.csv", agent_id="agt_1",
                                    from_phone_number="+912234567890")
        client.wait_for_batch(batch.id)

Why one client: the wire rules live in one place. Reads are retried with
exponential backoff and full jitter on connection failures, 429 and 5xx; a
create is retried only with an ``Idempotency-Key`` (else a retry could launch
the same calls twice); cancel is never retried once sent. Failures arrive as
the typed tree in :mod:`lib.errors`; results as the models of :mod:`lib.models`
and :mod:`lib.api_types`. The API key travels only in the per-request header: it
is kept out of ``repr``, and scrubbed from any text an error carries.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from lib import api_types, errors
from lib.api_types import Batch, Call, FileInput, Page
from lib.errors import (
    ApiConnectionError,
    ApiError,
    ApiResponseError,
    ApiTimeoutError,
    NotFoundError,
    NotSupportedError,
    RateLimitError,
    ServerError,
)
from lib.models import Agent, PhoneNumber, TelephonyConfig

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# The request never left this machine, so even a create or cancel may safely go again.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
ModelT = TypeVar("ModelT", bound=BaseModel)


def __getattr__(name: str) -> Any:
    """Re-export the error tree and result types: ``from lib.client import NotFoundError``."""
    for module in (errors, api_types):
        value = getattr(module, name, None)
        if isinstance(value, type) and value.__module__ == module.__name__:
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Secret:
    """Holds the API key so that ``repr``/``vars`` of the client never print it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<redacted>"


def _api_root(base_url: str) -> str:
    root = base_url.strip().rstrip("/")
    if not root.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
    return root.removesuffix("/v1")


def _segment(identifier: str) -> str:
    return quote(str(identifier), safe="")


def _bound(value: str | datetime | None) -> str | None:
    return api_types.iso_utc(value) if isinstance(value, datetime) else value


class BatchCallClient:
    """Typed, retrying access to ``/v1`` of one workspace (the sandbox or the real platform)."""

    BACKOFF_BASE_SECONDS = 0.5
    BACKOFF_CAP_SECONDS = 8.0
    MAX_RETRY_AFTER_SECONDS = 30.0  # asked to wait longer: raise, let the UI say so

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = _api_root(base_url)
        self.max_retries = max(int(max_retries), 0)
        self._api_key = _Secret(api_key)
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._owns_http = http_client is None  # an injected client belongs to its caller
        self._http = http_client if http_client is not None else httpx.Client()
        self._sleep = sleep
        self._random: Callable[[], float] = random.random
        self._clock: Callable[[], float] = time.monotonic

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build from ``BATCHCALL_API_URL`` and ``BATCHCALL_API_KEY`` (for notebooks)."""
        missing = [
            name for name in ("BATCHCALL_API_URL", "BATCHCALL_API_KEY") if not os.environ.get(name)
        ]
        if missing:
            raise ValueError(
                f"set {' and '.join(missing)} in the environment first "
                "(the API root, e.g. http://127.0.0.1:8765, and its key)"
            )
        return cls(os.environ["BATCHCALL_API_URL"], os.environ["BATCHCALL_API_KEY"], **kwargs)

    def __repr__(self) -> str:
        return f"BatchCallClient(base_url={self.base_url!r}, max_retries={self.max_retries})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # ---- resources ------------------------------------------------------------------------

    def list_agents(self) -> list[Agent]:
        return list(self._iter_items("/agents", Agent, {}, limit=100, feature="agents"))

    def get_agent(self, agent_id: str) -> Agent:
        """``GET /v1/agents/{id}`` where served; otherwise the agent is looked up in the list."""
        try:
            return self._get_model(f"/agents/{_segment(agent_id)}", Agent, feature="agent lookup")
        except NotSupportedError:
            pass
        for agent in self.list_agents():
            if agent.id == agent_id:
                return agent
        raise NotFoundError(f"agent {agent_id} not found", status_code=404)

    def list_phone_numbers(self) -> list[PhoneNumber]:
        pages = self._iter_items("/phone-numbers", PhoneNumber, {}, limit=100, feature="numbers")
        return list(pages)

    def get_telephony_config(self) -> TelephonyConfig:
        return self._get_model("/telephony-config", TelephonyConfig, feature="telephony config")

    def create_batch(
        self,
        file: FileInput,
        *,
        agent_id: str,
        from_phone_number: str,
        name: str | None = None,
        scheduled_at: datetime | str | None = None,
        max_concurrent_calls: int | None = None,
        retry_config: dict[str, Any] | str | None = None,
        idempotency_key: str | None = None,
    ) -> Batch:
        """Launch a batch; retried on failure only when ``idempotency_key`` makes that safe."""
        fields = {"agent_id": agent_id, "from_phone_number": from_phone_number}
        if name is not None:
            fields["name"] = name
        if scheduled_at is not None:
            fields["scheduled_at"] = api_types.iso_utc(scheduled_at)
        if max_concurrent_calls is not None:
            fields["max_concurrent_calls"] = str(int(max_concurrent_calls))
        if retry_config is not None:
            fields["retry_config"] = (
                retry_config if isinstance(retry_config, str) else json.dumps(retry_config)
            )
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        payload = self._request(
            "POST",
            "/batch-calls",
            data=fields,
            files={"file": api_types.file_part(file)},
            headers=headers,
            retryable=bool(idempotency_key),
            validation_rows=True,
        )
        return self._parse(Batch, payload)

    def list_batches(
        self, page: int = 1, limit: int = 20, status: str | None = None
    ) -> Page[Batch]:
        return self._get_page("/batch-calls", Batch, {"status": status}, page=page, limit=limit)

    def iter_batches(self, status: str | None = None, limit: int = 100) -> Iterator[Batch]:
        """Every batch, newest first, walking ``meta.totalPages``."""
        return self._iter_items("/batch-calls", Batch, {"status": status}, limit=limit)

    def get_batch(self, batch_id: str) -> Batch:
        return self._get_model(f"/batch-calls/{_segment(batch_id)}", Batch)

    def list_calls(
        self,
        batch_id: str | None = None,
        status: str | None = None,
        page: int = 1,
        limit: int = 100,
        agent_id: str | None = None,
        *,
        from_: str | datetime | None = None,
        to: str | datetime | None = None,
    ) -> Page[Call]:
        """One page of calls; ``batch_id`` is an extension (NotSupportedError where ignored).

        ``from_``/``to`` go as the contract's ``from``/``to`` (a number such as ``+91...``,
        percent-encoded, or a time; a datetime is sent as ISO 8601 UTC).
        """
        params = {
            "batch_id": batch_id,
            "status": status,
            "agent_id": agent_id,
            "from": _bound(from_),
            "to": _bound(to),
        }
        feature = "calls by batch" if batch_id else None
        result = self._get_page("/calls", Call, params, page=page, limit=limit, feature=feature)
        if batch_id and any(call.batch_id != batch_id for call in result.data):
            # A platform that ignores the filter would hand back other batches' calls.
            raise NotSupportedError(
                "this platform does not offer calls by batch: it ignored the batch_id filter",
                feature="calls by batch",
                status_code=200,
            )
        return result

    def iter_calls(
        self,
        batch_id: str | None = None,
        status: str | None = None,
        limit: int = 100,
        agent_id: str | None = None,
        *,
        from_: str | datetime | None = None,
        to: str | datetime | None = None,
    ) -> Iterator[Call]:
        return api_types.walk_pages(
            lambda page: self.list_calls(
                batch_id, status, page, limit, agent_id, from_=from_, to=to
            )
        )

    def cancel_batch(self, batch_id: str) -> Batch:
        """Cancel queued calls (extension: NotSupportedError on 404/405). Never re-sent."""
        payload = self._request(
            "POST", f"/batch-calls/{_segment(batch_id)}/cancel", retryable=False, feature="cancel"
        )
        return self._parse(Batch, payload)

    def wait_for_batch(
        self, batch_id: str, poll_seconds: float = 2.0, timeout: float | None = None
    ) -> Batch:
        """Poll until :attr:`Batch.is_finished` (a cancelled batch: once its calls in flight
        ended); TimeoutError past ``timeout``."""
        deadline = None if timeout is None else self._clock() + timeout
        while True:
            batch = self.get_batch(batch_id)
            if batch.is_finished:
                return batch
            if deadline is not None and self._clock() + poll_seconds > deadline:
                raise TimeoutError(f"batch {batch_id} still {batch.status!r} after {timeout} s")
            self._sleep(poll_seconds)

    # ---- plumbing -------------------------------------------------------------------------

    def _get_model(self, path: str, model: type[ModelT], *, feature: str | None = None) -> ModelT:
        return self._parse(model, self._request("GET", path, retryable=True, feature=feature))

    def _get_page(
        self,
        path: str,
        model: type[ModelT],
        params: dict[str, Any],
        *,
        page: int,
        limit: int,
        feature: str | None = None,
    ) -> Page[ModelT]:
        query = {key: value for key, value in params.items() if value is not None}
        payload = self._request(
            "GET",
            path,
            params={**query, "page": page, "limit": limit},
            retryable=True,
            feature=feature,
        )
        try:
            return api_types.parse_page(model, payload, page=page, limit=limit)
        except (TypeError, ValidationError) as exc:
            message = self._scrub(f"GET {path}: unexpected page shape: {exc}")
            raise ApiResponseError(message) from None

    def _iter_items(
        self,
        path: str,
        model: type[ModelT],
        params: dict[str, Any],
        *,
        limit: int,
        feature: str | None = None,
    ) -> Iterator[ModelT]:
        return api_types.walk_pages(
            lambda page: self._get_page(
                path, model, params, page=page, limit=limit, feature=feature
            )
        )

    def _parse(self, model: type[ModelT], payload: Any) -> ModelT:
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            raise ApiResponseError(self._scrub(f"unexpected {model.__name__}: {exc}")) from None

    def _scrub(self, text: str) -> str:
        key = self._api_key.value
        return text.replace(key, "[redacted]") if key else text

    def _request(
        self,
        method: str,
        path: str,
        *,
        retryable: bool,
        params: Any = None,
        data: Any = None,
        files: Any = None,
        headers: dict[str, str] | None = None,
        feature: str | None = None,
        validation_rows: bool = False,
    ) -> Any:
        """Send with retries; the decoded JSON of a 2xx, or the typed error."""
        request_headers = {
            "Authorization": f"Bearer {self._api_key.value}",
            "Accept": "application/json",
            **(headers or {}),
        }
        url = f"{self.base_url}/v1{path}"
        attempt = 0
        while True:
            failure: ApiError
            never_sent, retry_after = False, None
            try:
                response = self._http.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    files=files,
                    headers=request_headers,
                    timeout=self._timeout,
                )
            except httpx.TransportError as exc:
                timed_out = isinstance(exc, httpx.TimeoutException)
                detail = self._scrub(f"{method} {url}: {type(exc).__name__}: {exc}")
                failure = ApiTimeoutError(detail) if timed_out else ApiConnectionError(detail)
                never_sent = isinstance(exc, _NEVER_SENT)
            else:
                if response.is_success:
                    return self._decode(response, method, path)
                retry_after = errors.parse_retry_after(response.headers.get("retry-after"))
                failure = errors.error_from_response(
                    response, scrub=self._scrub, feature=feature, validation_rows=validation_rows
                )
            # Raised outside the except block, so no httpx error (and its request) is chained.
            delay = self._retry_delay(failure, attempt, retry_after, retryable or never_sent)
            if delay is None:
                raise failure
            self._sleep(delay)
            attempt += 1

    def _retry_delay(
        self, failure: ApiError, attempt: int, retry_after: float | None, retryable: bool
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        transient = isinstance(failure, ApiConnectionError | RateLimitError) or (
            isinstance(failure, ServerError) and failure.status_code != 501
        )
        if not (retryable and transient) or attempt >= self.max_retries:
            return None
        if retry_after is None:  # full jitter spreads clients that failed together
            ceiling = min(self.BACKOFF_CAP_SECONDS, self.BACKOFF_BASE_SECONDS * 2**attempt)
            return ceiling * self._random()
        return retry_after if retry_after <= self.MAX_RETRY_AFTER_SECONDS else None

    def _decode(self, response: httpx.Response, method: str, path: str) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            snippet = " ".join(self._scrub(response.text).split())[:200]
            raise ApiResponseError(
                f"{method} {path} answered {response.status_code} without JSON "
                f"(is the base URL the API root?): {snippet}"
            ) from None
