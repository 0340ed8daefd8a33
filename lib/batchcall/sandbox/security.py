"""Bearer-key authentication, enforced before a request body is read.

:class:`AuthGuardMiddleware` refuses a request without the right key before
FastAPI parses its form, so an anonymous client cannot make the sandbox spool a
10 MB upload; :func:`require_api_key` checks again per route and declares the
bearer scheme in the OpenAPI schema. Keys are compared with
``hmac.compare_digest`` and never logged or echoed.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from batchcall.sandbox.errors import BEARER_CHALLENGE, UNAUTHORIZED, ApiProblem, send_envelope

# Interactive docs stay open: they hold no data, and "Authorize" needs them.
OPEN_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="The sandbox key (--api-key / SANDBOX_API_KEY; default 'sandbox').",
)


def key_matches(authorization: str | None, api_key: str) -> bool:
    """``Authorization: Bearer <key>`` with the right key, in constant time."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), api_key.encode())


def route_path(scope: Scope) -> str:
    """The path inside this app, also when it is mounted under a prefix."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class AuthGuardMiddleware:
    """401 before any body is read; also the hook that wakes the simulator lazily."""

    def __init__(self, app: ASGIApp, api_key: SecretStr, on_request: Callable[[], None]) -> None:
        self.app = app
        self._api_key = api_key
        self._on_request = on_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self._on_request()
            if route_path(scope) not in OPEN_PATHS and not key_matches(
                Headers(scope=scope).get("authorization"), self._api_key.get_secret_value()
            ):
                await send_envelope(send, 401, UNAUTHORIZED, BEARER_CHALLENGE)
                return
        await self.app(scope, receive, send)


def require_api_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> None:
    """Per-route check (defence in depth) that also documents the scheme."""
    api_key = request.app.state.settings.api_key.get_secret_value()
    given = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    if not key_matches(given, api_key):
        raise ApiProblem(401, UNAUTHORIZED, headers=BEARER_CHALLENGE)
