"""Request dependencies: the app's state, reached through ``request.app.state``.

``request.app`` is the sandbox app even when it is mounted inside another
Starlette app, so nothing here needs a module-level singleton.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from batchcall.sandbox.settings import SandboxSettings
from batchcall.sandbox.simulator import Simulator
from batchcall.sandbox.store import Store
from batchcall.sandbox.workspace import Workspace

MAX_PAGE_SIZE = 100


def get_settings(request: Request) -> SandboxSettings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_simulator(request: Request) -> Simulator:
    return request.app.state.simulator


def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


SettingsDep = Annotated[SandboxSettings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
SimulatorDep = Annotated[Simulator, Depends(get_simulator)]
WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


@dataclass(frozen=True)
class Pagination:
    page: int
    limit: int

    def body(self, data: list[Any], total: int) -> dict[str, Any]:
        """The contract's ``{"data": [...], "meta": {page, limit, total, totalPages}}``."""
        pages = math.ceil(total / self.limit) if total else 0
        meta = {"page": self.page, "limit": self.limit, "total": total, "totalPages": pages}
        return {"data": data, "meta": meta}

    def slice(self, items: list[Any]) -> dict[str, Any]:
        start = (self.page - 1) * self.limit
        return self.body(items[start : start + self.limit], len(items))


def pagination(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number.")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")] = 20,
) -> Pagination:
    return Pagination(page=page, limit=limit)


PaginationDep = Annotated[Pagination, Depends(pagination)]
