"""``running()``: the sandbox on a free loopback port for as long as a ``with`` block lasts.

    from batchcall.sandbox import running

    with running(speed=400) as sandbox:
        with sandbox.client() as client:
            batch = client.create_batch("contacts.csv", agent_id="agt_abc123",
                                        from_phone_number="+912234567890")

Why: a notebook or a script that wants to try the library end to end should not
need a second terminal running ``python -m batchcall.sandbox``, nor leave a
server, a port or a database behind. uvicorn serves the app in a daemon thread
of this process (no child process to orphan if the caller dies), on a socket
bound before the server starts, so the port is known and nobody can take it in
between. On exit, whatever happened inside the block, the server stops, the
simulator and the database close, clients handed out are closed, and the
temporary data folder is removed.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from batchcall.api.client import BatchCallClient
from batchcall.sandbox.app import close_app, create_app
from batchcall.sandbox.settings import DEFAULT_API_KEY, SandboxSettings

__all__ = ["DB_FILE", "RunningSandbox", "SandboxStartError", "running"]

LOOPBACK = "127.0.0.1"
DB_FILE = "sandbox.db"
"""The database's name inside the data folder."""
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
GRACEFUL_SECONDS = 2
"""How long requests still in flight may run once the block ends; then they are cut."""


class SandboxStartError(RuntimeError):
    """The sandbox did not come up: the message says why, for a person to act on."""


@dataclass
class RunningSandbox:
    """Where a running sandbox answers, and a way to get a client for it.

    The key is the sandbox's own (``"sandbox"`` unless another was asked for); it
    guards a loopback toy, not a workspace, but is still kept out of ``repr``.
    """

    base_url: str
    api_key: str = field(repr=False)
    data_dir: Path
    settings: SandboxSettings = field(repr=False)
    _clients: list[BatchCallClient] = field(default_factory=list, repr=False)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def client(self, **options: Any) -> BatchCallClient:
        """A :class:`BatchCallClient` for this sandbox; ``options`` go to its constructor.

        Closed when the sandbox stops if the caller has not closed it already, so a
        notebook can write ``client = sandbox.client()`` without leaking connections.
        """
        made = BatchCallClient(self.base_url, self.api_key, **options)
        self._clients.append(made)
        return made

    def close_clients(self) -> None:
        for made in self._clients:
            made.close()
        self._clients.clear()


@contextmanager
def running(
    *,
    speed: float | None = None,
    seed: int | None = None,
    api_key: str = DEFAULT_API_KEY,
    workspace: dict[str, Any] | Path | str | None = None,
    data_dir: Path | str | None = None,
    start_timeout: float = START_TIMEOUT,
) -> Iterator[RunningSandbox]:
    """Serve the sandbox on ``127.0.0.1`` (a free port) until the block ends.

    ``speed`` is simulated seconds per real second (default: the sandbox's, about a
    minute for 250 leads; a few hundred finishes small batches in seconds); ``seed``
    makes a run replay exactly. ``workspace`` is a workspace dict or JSON file (default:
    the bundled one, with the number ``+912234567890`` and agent ``agt_abc123``).
    ``data_dir`` keeps the database there and leaves it behind; without it a
    temporary folder is used and removed on exit.

    Raises ``ValueError`` for settings the sandbox refuses (a bad workspace, a speed
    of 0) and :class:`SandboxStartError` when the server does not answer in
    ``start_timeout`` seconds.
    """
    with ExitStack() as stack:
        folder = _data_folder(stack, data_dir)
        settings = _settings(speed, seed, api_key, workspace, folder / DB_FILE)
        app = create_app(settings)
        stack.callback(close_app, app)  # runs last: after the server has stopped
        base_url = stack.enter_context(_serving(app, start_timeout))
        _check_answers(base_url, api_key, start_timeout)
        sandbox = RunningSandbox(base_url, api_key, folder, settings)
        stack.callback(sandbox.close_clients)
        yield sandbox


def _data_folder(stack: ExitStack, data_dir: Path | str | None) -> Path:
    if data_dir is not None:
        folder = Path(data_dir).expanduser().absolute()
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    temporary = tempfile.TemporaryDirectory(prefix="batchcall-sandbox-", ignore_cleanup_errors=True)
    stack.callback(temporary.cleanup)
    return Path(temporary.name)


def _settings(
    speed: float | None,
    seed: int | None,
    api_key: str,
    workspace: dict[str, Any] | Path | str | None,
    db_path: Path,
) -> SandboxSettings:
    values: dict[str, Any] = {"api_key": api_key, "db_path": db_path}
    if speed is not None:
        values["speed"] = speed
    if seed is not None:
        values["seed"] = seed
    if isinstance(workspace, dict):
        values["workspace"] = workspace
    elif workspace is not None:
        values["workspace_path"] = Path(workspace)
    if not api_key:
        raise ValueError("api_key must not be empty: every request carries it as a Bearer key")
    try:
        return SandboxSettings(**values)
    except ValueError as exc:  # pydantic's ValidationError: name the field, skip the URL
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            for error in getattr(exc, "errors", lambda: [])()
        )
        raise ValueError(f"sandbox settings refused: {problems or exc}") from None


@contextmanager
def _serving(app: Any, start_timeout: float) -> Iterator[str]:
    """uvicorn in a daemon thread on a pre-bound loopback socket; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this; without it Nagle + delayed ACK add ~40 ms a request.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((LOOPBACK, 0))
    except OSError as exc:
        sock.close()
        raise SandboxStartError(f"could not open a loopback port for the sandbox: {exc}") from None
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="on",
        log_config=None,  # leave the caller's logging alone
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"batchcall-sandbox-{port}", daemon=True
    )
    thread.start()
    try:
        _wait_until_started(server, thread, start_timeout)
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():  # a request that will not end: stop waiting for it
            server.force_exit = True
            thread.join(STOP_TIMEOUT)
        sock.close()


def _check_answers(base_url: str, api_key: str, timeout: float) -> None:
    """One real request with the key: listening is not the same as serving this API."""
    try:
        answer = httpx.get(
            f"{base_url}/v1/telephony-config",
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise SandboxStartError(f"the sandbox at {base_url} did not answer: {exc}") from None
    if answer.status_code != 200:
        raise SandboxStartError(
            f"the sandbox at {base_url} answered {answer.status_code} to its own key"
        )


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise SandboxStartError("the sandbox's server stopped while starting")
        if time.monotonic() > deadline:
            raise SandboxStartError(f"the sandbox did not answer within {timeout:g} s")
        time.sleep(0.01)
