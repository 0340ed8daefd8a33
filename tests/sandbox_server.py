"""Run the real sandbox on a free loopback port, for tests that speak real HTTP.

    with serve_sandbox(sandbox_settings(seed=3)) as sandbox:
        response = sandbox.http.get("/v1/agents")

``serve_sandbox`` starts uvicorn in a daemon thread on 127.0.0.1 (port chosen by
the kernel), waits until it accepts connections, and on exit stops the server,
the simulator and the database; ``serve_asgi`` does the same for any ASGI app
(the sandbox mounted in a Starlette app, say). The fixtures that wrap it are in
``conftest.py``; the workspace it serves is ``tests/workspace_data.py``'s.
"""

from __future__ import annotations

import copy
import io
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from batchcall.sandbox import SandboxSettings, close_app, create_app
from fastapi import FastAPI
from starlette.types import ASGIApp

from tests.workspace_data import (
    AGENT,
    IN_NUMBER,
    WORKSPACE,
)

API_KEY = "test-key-123"
# So fast that a small batch ends within a tick or two.
FAST_SPEED = 200_000.0


def workspace_with(**changes: Any) -> dict[str, Any]:
    """A deep copy of the test workspace, with top-level keys replaced."""
    return {**copy.deepcopy(WORKSPACE), **changes}


def sandbox_settings(**overrides: Any) -> SandboxSettings:
    values: dict[str, Any] = {
        "api_key": API_KEY,
        "speed": FAST_SPEED,
        "seed": 7,
        "db_path": ":memory:",
        "tick_seconds": 0.02,
        "workspace": WORKSPACE,
    }
    values.update(overrides)
    return SandboxSettings(**values)


@dataclass
class RunningSandbox:
    app: FastAPI
    base_url: str
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=30
        )


@contextmanager
def serve_sandbox(settings: SandboxSettings | None = None) -> Iterator[RunningSandbox]:
    """The sandbox app on its own free port; stopped (server, simulator, database) on exit."""
    app = create_app(settings or sandbox_settings())
    try:
        with serve_asgi(app) as base_url:
            running = RunningSandbox(app, base_url)
            try:
                yield running
            finally:
                running.http.close()
    finally:
        close_app(app)


@contextmanager
def serve_asgi(app: ASGIApp) -> Iterator[str]:
    """Any ASGI app under uvicorn in a thread on 127.0.0.1; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this; without it, Nagle + delayed ACK add ~40 ms per request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def csv_file(*rows: str, header: str = "phone_number,customer_name") -> bytes:
    return "\n".join([header, *rows]).encode() + b"\n"


def create(
    http: httpx.Client,
    content: bytes,
    *,
    filename: str = "contacts.csv",
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> httpx.Response:
    """POST /v1/batch-calls with the contract's fields (agent and India number by default)."""
    data = {"agent_id": AGENT, "from_phone_number": IN_NUMBER, **fields}
    data = {key: str(value) for key, value in data.items() if value is not None}
    files = {"file": (filename, io.BytesIO(content), "text/csv")}
    return http.post("/v1/batch-calls", data=data, files=files, headers=headers or {})


def wait_for(
    http: httpx.Client,
    batch_id: str,
    statuses: tuple[str, ...] = ("completed",),
    timeout: float = 10.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        batch = http.get(f"/v1/batch-calls/{batch_id}").json()
        if batch["status"] in statuses:
            return batch
        if time.monotonic() > deadline:
            raise AssertionError(f"batch still {batch['status']}: {batch['status_counts']}")
        time.sleep(0.02)


def all_calls(http: httpx.Client, batch_id: str) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    page = 1
    while True:
        body = http.get(
            "/v1/calls", params={"batch_id": batch_id, "limit": 100, "page": page}
        ).json()
        calls.extend(body["data"])
        if page >= body["meta"]["totalPages"]:
            return calls
        page += 1


def indian_mobiles(count: int, start: int = 9_800_000_000) -> list[str]:
    return [str(start + index * 7) for index in range(count)]


ISO_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
CREATE_FIELDS = {
    "id": str,
    "name": str,
    "status": str,
    "total_leads": int,
    "completed": int,
    "failed": int,
    "agent_id": str,
    "created_at": str,
}


def assert_envelope(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == status, body
    assert body["statusCode"] == status
    assert body["error"] == error
    assert isinstance(body["message"], str | list) and body["message"]
    return body
