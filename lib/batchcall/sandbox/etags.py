"""``ETag`` on GET answers and ``304`` for a matching ``If-None-Match``.

The contract allows it on lists ("a repeat GET with If-None-Match can get
304"), so the sandbox does it, letting a client's polling path meet a 304 in
tests. GET answers here are small (a page is at most 100 items), so buffering
one to hash it is cheap.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._respond(scope, send, start, b"".join(chunks))

        await self.app(scope, receive, buffer)

    @staticmethod
    async def _respond(scope: Scope, send: Send, start: Message | None, body: bytes) -> None:
        assert start is not None
        if start["status"] != 200:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"etag"]
        headers.append((b"etag", tag.encode()))
        wanted = Headers(scope=scope).get("if-none-match", "")
        if tag in (value.strip().removeprefix("W/") for value in wanted.split(",")):
            dropped = (b"content-length", b"content-type")
            kept = [(k, v) for k, v in headers if k.lower() not in dropped]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})
