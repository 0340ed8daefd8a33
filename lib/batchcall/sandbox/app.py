"""``create_app(settings)``: the platform's Batch Call API on loopback.

Everything an instance owns hangs off ``app.state`` (settings, store,
workspace, simulator): two sandboxes can live in one process, and the app can
be served by uvicorn (``python -m batchcall.sandbox``) or mounted inside the
workbench's Starlette server (``Mount("/sandbox", app=api)``). A mounted app's
lifespan never runs, so the simulator starts on the first request; call
:func:`close_app` (or ``app.state.simulator.stop()``) to stop it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from batchcall.sandbox.errors import install_handlers
from batchcall.sandbox.etags import ETagMiddleware
from batchcall.sandbox.routers import batches, calls, workspace
from batchcall.sandbox.security import AuthGuardMiddleware
from batchcall.sandbox.settings import SandboxSettings
from batchcall.sandbox.simulator import Simulator
from batchcall.sandbox.store import Store
from batchcall.sandbox.uploads import MULTIPART_ALLOWANCE, BodyLimitMiddleware
from batchcall.sandbox.workspace import Workspace

DESCRIPTION = """\
The voice-agent platform's Batch Call API, played on loopback: the same contract
as a real workspace (`Authorization: Bearer <key>`, the `{statusCode, message,
error}` envelope, `{data, meta}` pages, ISO 8601 UTC times), with batches that
run in simulated time from a seeded generator.
"""


def create_app(settings: SandboxSettings | None = None) -> FastAPI:
    settings = settings or SandboxSettings()
    work = (
        Workspace.from_dict(settings.workspace, "inline workspace")
        if settings.workspace is not None
        else Workspace.load(settings.workspace_path)
    )
    store = Store(settings.db_path)
    simulator = Simulator(store, speed=settings.speed, tick_seconds=settings.tick_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        simulator.ensure_running()
        yield
        close_app(app)

    app = FastAPI(
        title="Batch Call API (sandbox)",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.workspace = work
    app.state.store = store
    app.state.simulator = simulator
    install_handlers(app)
    for router in (batches.router, calls.router, workspace.router):
        app.include_router(router, prefix="/v1")
    # Added innermost first: the guard runs before the body is counted, which runs before ETags.
    app.add_middleware(ETagMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_file_bytes + MULTIPART_ALLOWANCE,
        file_limit=settings.max_file_bytes,
    )
    app.add_middleware(
        AuthGuardMiddleware,
        api_key=settings.api_key,
        on_request=simulator.ensure_running,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def close_app(app: FastAPI) -> None:
    """Stop the simulator and close the database (idempotent)."""
    app.state.simulator.stop()
    app.state.store.close()


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema without its generic 422: this API answers bad input with a 400."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                response = operation.get("responses", {}).get("422", {})
                ref = str(response.get("content", {}).get("application/json", {}).get("schema"))
                if "HTTPValidationError" in ref:
                    del operation["responses"]["422"]
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema
