"""The contract's error envelope, for every error the sandbox can answer.

``{"statusCode": 404, "message": "...", "error": "Not Found"}``; ``message`` is a
list when several fields fail. Route errors raise :class:`ApiProblem`; FastAPI's
own validation errors, Starlette's 404/405 and unexpected exceptions are turned
into the same envelope by the handlers registered in :func:`install_handlers`,
and the pure-ASGI middlewares send it with :func:`send_envelope`.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Send

log = logging.getLogger("batchcall.sandbox")

# The platform's (NestJS-style) phrases; Python 3.13 renamed 413 and 422.
PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def phrase(status: int) -> str:
    if status in PHRASES:
        return PHRASES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def envelope(status: int, message: str | list[str], **extra: Any) -> dict[str, Any]:
    if isinstance(message, list) and len(message) == 1:
        message = message[0]
    return {"statusCode": status, "message": message, "error": phrase(status), **extra}


class ApiProblem(Exception):
    """An answer other than 2xx, raised from a route and rendered as the envelope."""

    def __init__(
        self,
        status: int,
        message: str | list[str],
        *,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message if isinstance(message, str) else "; ".join(message))
        self.status = status
        self.message = message
        self.headers = headers
        self.body = body  # a full body sent as-is (the destination validation 400)

    def response(self) -> JSONResponse:
        content = self.body if self.body is not None else envelope(self.status, self.message)
        return JSONResponse(content, status_code=self.status, headers=self.headers)


UNAUTHORIZED = "Missing or invalid API key: send 'Authorization: Bearer <key>'."
UNNAMED_FILE = (
    "The uploaded file has no file name, so its type is unknown. Send the contact list as a "
    "file whose name ends in .csv, .xlsx or .xls."
)
BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="sandbox"'}


async def send_envelope(
    send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    """Answer from pure-ASGI middleware, before any route runs."""
    body = json.dumps(envelope(status, message), separators=(",", ":")).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def validation_messages(exc: RequestValidationError) -> list[str]:
    """One operator-readable line per failing field: ``limit: must be <= 100``."""
    lines = []
    for error in exc.errors():
        skip = ("body", "query", "header")
        loc = [str(part) for part in error.get("loc", ()) if part not in skip]
        field = ".".join(loc) or "request"
        if error.get("type") == "missing":
            lines.append(f"{field} is required")
        elif field == "file" and "UploadFile" in str(error.get("msg")):
            lines.append(UNNAMED_FILE)  # a part without a filename arrives as text
        else:
            lines.append(f"{field}: {error.get('msg', 'is invalid')}")
    return lines


async def _problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return exc.response()


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str | list) else phrase(status)
    if status == 404 and detail == "Not Found":
        detail = "No such endpoint. The API lives under /v1 (see /docs)."
    headers = dict(exc.headers or {})
    if status == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return JSONResponse(envelope(status, detail), status_code=status, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette's own 405 names only the
    first route it tried (``POST`` for ``/v1/batch-calls``, which lists with ``GET`` too)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "__ANY__"})
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    """Request validation fails with 400, as the contract's missing-field rule says."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(envelope(400, validation_messages(exc)), status_code=400)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(envelope(500, "The sandbox failed unexpectedly."), status_code=500)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _problem)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _unexpected)
