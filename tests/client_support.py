"""A ``BatchCallClient`` over ``httpx.MockTransport`` answering canned routes."""

from __future__ import annotations

from typing import Any

import httpx
from batchcall.api.client import BatchCallClient

CSV = b"phone_number,customer_name\n+919876543210,Priya\n"


def serve(routes: dict[str, Any], base_url: str = "http://api.test"):
    """A client whose transport answers ``routes[path]``: JSON, or a callable of the request."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = routes.get(request.url.path)
        if answer is None:
            return httpx.Response(404, json={"statusCode": 404, "message": "no route"})
        return answer(request) if callable(answer) else httpx.Response(200, json=answer)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return BatchCallClient(base_url, "sk-test", http_client=http, sleep=lambda _: None), seen
