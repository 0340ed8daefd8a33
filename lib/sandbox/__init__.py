"""The Batch Call platform on loopback: FastAPI + SQLite + a seeded call simulator.

    from lib.sandbox import SandboxSettings, create_app
    api = create_app(SandboxSettings(api_key="secret", speed=40))

Serve it with ``python -m lib.sandbox`` or mount it: ``Mount("/sandbox", app=api)``.
"""

from lib.sandbox.app import close_app, create_app
from lib.sandbox.settings import SandboxSettings

__all__ = ["SandboxSettings", "close_app", "create_app"]
