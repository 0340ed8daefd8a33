"""Serving the sandbox next to the pages when no real workspace is configured.

Under ``streamlit run app.py`` the sandbox is mounted at ``/sandbox`` of the
same server (one process, one port, real HTTP). Where no mount exists (tests
driving the script with ``AppTest``), it is started once per process on a free
loopback port instead. Either way the key is random and lives only in memory.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

SANDBOX_PATH = "/sandbox"
SPEED_VARIABLE = "BATCHCALL_SANDBOX_SPEED"


@dataclass
class _Embedded:
    api_key: str
    mounted: bool = False
    base_url: str | None = None


_lock = threading.Lock()
_embedded = _Embedded(api_key=secrets.token_urlsafe(24))


def _sandbox_app() -> Any:
    from batchcall.sandbox import SandboxSettings, create_app
    from batchcall.settings import sandbox_db_path

    settings = SandboxSettings(
        api_key=_embedded.api_key,
        db_path=sandbox_db_path(),
        **({"speed": float(os.environ[SPEED_VARIABLE])} if os.environ.get(SPEED_VARIABLE) else {}),
    )
    return create_app(settings)


def server_routes(use_sandbox: bool) -> list[Any]:
    """Routes to add to the Streamlit server: the sandbox mount, in sandbox mode only."""
    if not use_sandbox:
        return []
    from starlette.routing import Mount

    with _lock:
        _embedded.mounted = True
    return [Mount(SANDBOX_PATH, app=_sandbox_app())]


def sandbox_endpoint(server_port: int | None) -> tuple[str, str]:
    """(base URL, key) of this process's sandbox, starting one if none is mounted."""
    with _lock:
        if _embedded.mounted and server_port:
            return f"http://127.0.0.1:{server_port}{SANDBOX_PATH}", _embedded.api_key
        if _embedded.base_url is None:
            _embedded.base_url = _start_in_thread()
        return _embedded.base_url, _embedded.api_key


def _start_in_thread() -> str:
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(_sandbox_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="sandbox", daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}"
