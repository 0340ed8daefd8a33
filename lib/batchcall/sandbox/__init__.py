"""The Batch Call platform on loopback: FastAPI + SQLite + a seeded call simulator.

    from batchcall.sandbox import SandboxSettings, create_app
    api = create_app(SandboxSettings(api_key="secret", speed=40))

Serve it with ``python -m batchcall.sandbox`` or mount it: ``Mount("/sandbox", app=api)``.
"""

from batchcall.sandbox.app import close_app, create_app
from batchcall.sandbox.settings import SandboxSettings

__all__ = ["SandboxSettings", "close_app", "create_app"]
