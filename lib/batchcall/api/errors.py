"""Every way a request to the platform can fail, as one exception tree.

    ApiError                          anything the client raises about the platform
    ├── ApiKeyError                   the key can not be sent as given (never shown)
    ├── ApiConnectionError            no HTTP answer at all (refused, reset, DNS)
    │   └── ApiTimeoutError           ...because connect/read/write/pool or the whole
    │                                 answer took too long
    ├── ApiResponseError              a 2xx that is not the contract's JSON (wrong base URL?),
    │                                 too large or too deeply nested to read
    └── ApiStatusError                the platform answered 4xx/5xx
        ├── BadRequestError           400
        │   └── BatchValidationError  400 from create, with the failing rows grouped
        ├── AuthenticationError       401
        ├── PermissionDeniedError     403
        ├── NotFoundError             404
        ├── ConflictError             409
        ├── PayloadTooLargeError      413
        ├── UnprocessableError        422
        ├── RateLimitError            429, with ``.retry_after`` seconds
        ├── ServerError               5xx
        └── NotSupportedError         an extension endpoint answered 404/405: fall back

Why a tree: pages catch by meaning (``except NotSupportedError: hide the button``)
instead of comparing numbers. An error keeps only the status, the platform's
message, the parsed body and the request id, never the request or its headers,
so showing or logging an error can not leak the API key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

TEXT_LIMIT = 500


class ApiError(Exception):
    """Base of everything the client raises about the platform."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiConnectionError(ApiError):
    """The request got no HTTP answer; retried for reads before it is raised."""


class ApiTimeoutError(ApiConnectionError):
    """Connecting, sending or waiting for the answer took longer than the timeout."""


class ApiKeyError(ApiError, ValueError):
    """The API key is empty, or holds a character no HTTP header can carry as is."""


class ApiResponseError(ApiError):
    """A success status whose body is not what the contract promises."""


class ApiStatusError(ApiError):
    """The platform answered with an error status; ``message`` is its own words."""

    def __init__(
        self, message: str, *, status_code: int, body: Any = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.request_id = request_id

    def __str__(self) -> str:
        text = f"HTTP {self.status_code}: {self.message}"
        return f"{text} (request id {self.request_id})" if self.request_id else text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequestError(ApiStatusError):
    """400: a missing field, an unreadable file, or rows that fail validation."""


@dataclass
class ValidationGroup:
    """The rows (spreadsheet numbering, ascending) that failed for one reason (and country)."""

    reason: str
    rows: list[int]
    count: int
    country: str | None = None


@dataclass
class FailedRow:
    position: int
    reason: str
    phone_number: str | None = None


class BatchValidationError(BadRequestError):
    """400 from create: nothing was created because these rows fail their route's rules."""

    def __init__(
        self, message: str, *, groups: list[ValidationGroup], rows: list[FailedRow], **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.groups = groups
        self.rows = rows


class AuthenticationError(ApiStatusError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(ApiStatusError):
    """403: the key lacks permission, or Telephony Config blocks the destination."""


class NotFoundError(ApiStatusError):
    """404: unknown batch, agent or number."""


class ConflictError(ApiStatusError):
    """409: conflicts with the current state, e.g. cancelling a finished batch."""


class PayloadTooLargeError(ApiStatusError):
    """413: the contact file is over the platform's limit (10 MB)."""


class UnprocessableError(ApiStatusError):
    """422: e.g. the number has no outbound agent or is inactive."""


class RateLimitError(ApiStatusError):
    """429: slow down; ``retry_after`` is the wait the platform asked for, in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiStatusError):
    """5xx: the platform failed; reads are retried before this is raised."""


class NotSupportedError(ApiStatusError):
    """An extension endpoint is not served here (404/405); the UI uses its fallback."""

    def __init__(self, message: str, *, feature: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.feature = feature


STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableError,
    429: RateLimitError,
}
NOT_SERVED_STATUSES = frozenset({404, 405, 501})
_ROW_LINE = re.compile(r"^\s*rows?\s+(\d[\d,\s]*?)\s*:\s*([A-Za-z][\w-]*)", re.IGNORECASE)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now; it may be a number or an HTTP-date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def platform_message(payload: Any, text: str, reason_phrase: str) -> str:
    """The platform's ``message`` (a list joined with "; "), else the body text, else the reason."""
    if isinstance(payload, dict):
        raw = next((payload[k] for k in ("message", "detail", "error") if payload.get(k)), None)
        if isinstance(raw, list):
            return "; ".join(
                str(item.get("msg", item) if isinstance(item, dict) else item) for item in raw
            )
        if isinstance(raw, str):
            return raw
    cleaned = " ".join(text.split())
    if len(cleaned) > TEXT_LIMIT:
        return cleaned[:TEXT_LIMIT] + "…"
    return cleaned or reason_phrase


def _ints(values: Any) -> list[int]:
    found = []
    for value in values if isinstance(values, list) else []:
        try:
            found.append(int(value))
        except (TypeError, ValueError):
            continue
    return sorted(found)


def _from_details(details: dict[str, Any]) -> tuple[list[ValidationGroup], list[FailedRow]]:
    groups = []
    for entry in details.get("groups") or []:
        if isinstance(entry, dict):
            rows = _ints(entry.get("rows"))
            count = entry.get("count")
            groups.append(
                ValidationGroup(
                    reason=str(entry.get("reason") or "unknown"),
                    rows=rows,
                    count=count if isinstance(count, int) else len(rows),
                    country=entry.get("country") or None,
                )
            )
    rows = []
    for entry in details.get("rows") or []:
        if isinstance(entry, dict) and isinstance(entry.get("position"), int):
            reason = entry.get("failed_parsing_reason") or entry.get("reason") or "unknown"
            rows.append(FailedRow(entry["position"], str(reason), entry.get("phone_number")))
    if not rows:  # groups alone still name every failing row
        rows = [FailedRow(row, group.reason) for group in groups for row in group.rows]
    return groups, sorted(rows, key=lambda row: row.position)


def _from_message_lines(message: Any) -> tuple[list[ValidationGroup], list[FailedRow]]:
    lines = message if isinstance(message, list) else [message]
    rows = []
    for line in (part for item in lines if isinstance(item, str) for part in item.splitlines()):
        if match := _ROW_LINE.match(line):
            for number in _ints(re.findall(r"\d+", match.group(1))):
                rows.append(FailedRow(number, match.group(2)))
    rows.sort(key=lambda row: row.position)
    by_reason: dict[str, list[int]] = {}
    for row in rows:
        by_reason.setdefault(row.reason, []).append(row.position)
    groups = [
        ValidationGroup(reason, positions, len(positions))
        for reason, positions in by_reason.items()
    ]
    return groups, rows


def parse_validation_failure(
    payload: Any,
) -> tuple[list[ValidationGroup], list[FailedRow]] | None:
    """Groups and rows from ``details``, else from ``Row 4: reason`` lines; None if neither."""
    if not isinstance(payload, dict):
        return None
    details = payload.get("details")
    if isinstance(details, dict) and isinstance(details.get("groups"), list) and details["groups"]:
        groups, rows = _from_details(details)
        if groups:
            return groups, rows
    groups, rows = _from_message_lines(payload.get("message"))
    return (groups, rows) if groups else None


def error_from_response(
    response: httpx.Response,
    *,
    scrub: Callable[[str], str],
    feature: str | None = None,
    validation_rows: bool = False,
) -> ApiStatusError:
    """The typed error for an error response; ``scrub`` removes the API key from its text."""
    text = scrub(response.text)
    try:
        payload = json.loads(text) if text.strip() else None
    except ValueError:
        payload = None
    request_id = response.headers.get("x-request-id") or response.headers.get("request-id")
    return status_error(
        response.status_code,
        payload=payload,
        text=text,
        reason_phrase=response.reason_phrase,
        request_id=scrub(request_id) if request_id else None,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
        feature=feature,
        validation_rows=validation_rows,
    )


def status_error(
    status_code: int,
    *,
    payload: Any,
    text: str,
    reason_phrase: str = "",
    request_id: str | None = None,
    retry_after: float | None = None,
    feature: str | None = None,
    validation_rows: bool = False,
) -> ApiStatusError:
    """The one place an error status becomes a class (``payload`` is the JSON, or None)."""
    message = platform_message(payload, text, reason_phrase or f"HTTP {status_code}")
    body = payload if payload is not None else (text[:TEXT_LIMIT] or None)
    common: dict[str, Any] = {"status_code": status_code, "body": body, "request_id": request_id}
    if feature and status_code in NOT_SERVED_STATUSES:
        return NotSupportedError(
            f"this platform does not offer {feature}: {message}", feature=feature, **common
        )
    if validation_rows and status_code == 400:
        parsed = parse_validation_failure(payload)
        if parsed:
            return BatchValidationError(message, groups=parsed[0], rows=parsed[1], **common)
    if status_code == 429:
        return RateLimitError(message, retry_after=retry_after, **common)
    error_class = STATUS_ERRORS.get(status_code)
    if error_class is None:
        error_class = ServerError if status_code >= 500 else ApiStatusError
    return error_class(message, **common)
