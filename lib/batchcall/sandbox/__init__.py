"""The Batch Call platform on loopback: FastAPI + SQLite + a seeded call simulator.

    from batchcall.sandbox import SandboxSettings, create_app
    api = create_app(SandboxSettings(api_key="secret", speed=40))

Serve it with ``python -m batchcall.sandbox`` or mount it: ``Mount("/sandbox", app=api)``;
from a notebook or a script, ``with running() as sandbox:`` serves it on a free loopback
port for the length of the block (``sandbox.client()`` is a ``BatchCallClient`` for it).
"""

from batchcall.sandbox.app import close_app, create_app
from batchcall.sandbox.running import RunningSandbox, SandboxStartError, running
from batchcall.sandbox.settings import SandboxSettings

__all__ = [
    "RunningSandbox",
    "SandboxSettings",
    "SandboxStartError",
    "close_app",
    "create_app",
    "running",
]
