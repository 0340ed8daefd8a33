"""Requests to ``/v1`` of one workspace: the key, retries, and typed failures.

Reads are retried with exponential backoff and full jitter on connection
failures, 429 and 5xx (``Retry-After`` honoured up to a cap); a request that
must not run twice is retried only when it never left this machine. Failures
become the typed tree of :mod:`batchcall.api.errors`. The API key travels only in the
per-request header: it is kept out of ``repr`` and scrubbed from any text an
error carries. :class:`batchcall.api.client.BatchCallClient` speaks the resources over it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from batchcall.api import batches as api_types
from batchcall.api import errors
from batchcall.api.batches import Page
from batchcall.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiKeyError,
    ApiResponseError,
    ApiTimeoutError,
    RateLimitError,
    ServerError,
)
from batchcall.api.settings import normalise_base_url

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
ANSWER_DEADLINE_SECONDS = 120.0
"""However slowly a server drips its answer, one attempt ends by then."""
MAX_ANSWER_BYTES = 256 * 2**20
_DECODED_AWAY = frozenset({"content-encoding", "content-length", "transfer-encoding"})
# The request never left this machine, so even a create or cancel may safely go again.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
ModelT = TypeVar("ModelT", bound=BaseModel)


class _Secret:
    """Holds the API key so that ``repr``/``vars`` never print it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<redacted>"


def checked_key(api_key: str) -> str:
    """The key without surrounding whitespace; refused, never shown, if it is empty or holds
    a character an HTTP header can not carry (a line break, NUL, space, non-ASCII)."""
    key = str(api_key).strip()
    if not key:
        raise ApiKeyError("The API key is empty: copy it from the workspace's API keys.")
    bad = next((i for i, ch in enumerate(key) if not "!" <= ch <= "~"), None)
    if bad is not None:
        raise ApiKeyError(
            f"The API key has a character at position {bad + 1} of {len(key)} that no request "
            "can carry (a line break, a space, a control or non-ASCII character). Copy the key "
            "again from the workspace's API keys, with nothing around it."
        )
    return key


class Transport:
    """One workspace's ``/v1``, over an httpx client that may be injected (for tests)."""

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
        self.base_url = normalise_base_url(base_url)
        self.max_retries = max(int(max_retries), 0)
        self._api_key = _Secret(checked_key(api_key))
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._owns_http = http_client is None  # an injected client belongs to its caller
        self._http = http_client if http_client is not None else httpx.Client()
        self.sleep = sleep
        self.random: Callable[[], float] = random.random
        self.clock: Callable[[], float] = time.monotonic

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, max_retries={self.max_retries})"

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def get_model(self, path: str, model: type[ModelT], *, feature: str | None = None) -> ModelT:
        return self.parse(model, self.request("GET", path, retryable=True, feature=feature))

    def get_page(
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
        payload = self.request(
            "GET",
            path,
            params={**query, "page": page, "limit": limit},
            retryable=True,
            feature=feature,
        )
        try:
            return api_types.parse_page(model, payload, page=page, limit=limit)
        except (TypeError, ValidationError) as exc:
            message = self.scrub(f"GET {path}: unexpected page shape: {exc}")
            raise ApiResponseError(message) from None

    def iter_items(
        self,
        path: str,
        model: type[ModelT],
        params: dict[str, Any],
        *,
        limit: int,
        feature: str | None = None,
    ) -> Iterator[ModelT]:
        return api_types.walk_pages(
            lambda page: self.get_page(path, model, params, page=page, limit=limit, feature=feature)
        )

    def parse(self, model: type[ModelT], payload: Any) -> ModelT:
        try:
            return model.model_validate(payload)
        except RecursionError:
            raise ApiResponseError(f"unexpected {model.__name__}: nested too deeply") from None
        except ValidationError as exc:
            raise ApiResponseError(self.scrub(f"unexpected {model.__name__}: {exc}")) from None

    def scrub(self, text: str) -> str:
        """``text`` without the key, however it was written (as is, or escaped by repr)."""
        key = self._api_key.value
        for form in (key, repr(key)[1:-1], repr(key.encode())[2:-1]):
            text = text.replace(form, "[redacted]")
        return text

    def request(
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
                response = self._send(
                    self._http.build_request(
                        method,
                        url,
                        params=params,
                        data=data,
                        files=files,
                        headers=request_headers,
                        timeout=self._timeout,
                    )
                )
            except httpx.TransportError as exc:
                timed_out = isinstance(exc, httpx.TimeoutException)
                detail = self.scrub(f"{method} {url}: {type(exc).__name__}: {exc}")
                failure = ApiTimeoutError(detail) if timed_out else ApiConnectionError(detail)
                never_sent = isinstance(exc, _NEVER_SENT)
            except httpx.HTTPError as exc:  # an answer that can not be decoded, a bad URL
                failure = ApiResponseError(self.scrub(f"{method} {url}: {exc}"))
            else:
                if response.is_success:
                    return self._decode(response, method, path)
                retry_after = errors.parse_retry_after(response.headers.get("retry-after"))
                failure = errors.error_from_response(
                    response, scrub=self.scrub, feature=feature, validation_rows=validation_rows
                )
            # Raised outside the except block, so no httpx error (and its request) is chained.
            delay = self._retry_delay(failure, attempt, retry_after, retryable or never_sent)
            if delay is None:
                raise failure
            self.sleep(delay)
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
            return ceiling * self.random()
        return retry_after if retry_after <= self.MAX_RETRY_AFTER_SECONDS else None

    def _send(self, request: httpx.Request) -> httpx.Response:
        """The whole answer, read within ``ANSWER_DEADLINE_SECONDS`` and ``MAX_ANSWER_BYTES``
        (httpx's timeouts bound each read, not a server that drips a byte at a time)."""
        started = self.clock()
        response = self._http.send(request, stream=True)
        try:
            body, size = [], 0
            for chunk in response.iter_bytes():
                body.append(chunk)
                size += len(chunk)
                if self.clock() - started > ANSWER_DEADLINE_SECONDS:
                    raise httpx.ReadTimeout(
                        f"the answer took longer than {ANSWER_DEADLINE_SECONDS:.0f} s",
                        request=request,
                    )
                if size > MAX_ANSWER_BYTES:
                    raise ApiResponseError(
                        f"{request.method} {request.url.path} answered more than "
                        f"{MAX_ANSWER_BYTES // 2**20} MB: stopped reading"
                    )
        finally:
            response.close()
        # The body is decoded already: its encoding and length no longer describe it.
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in _DECODED_AWAY
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=b"".join(body), request=request
        )

    def _decode(self, response: httpx.Response, method: str, path: str) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except RecursionError:
            raise ApiResponseError(
                f"{method} {path} answered JSON nested too deeply to read"
            ) from None
        except ValueError:
            snippet = " ".join(self.scrub(response.text).split())[:200]
            raise ApiResponseError(
                f"{method} {path} answered {response.status_code} without JSON "
                f"(is the base URL the API root?): {snippet}"
            ) from None
