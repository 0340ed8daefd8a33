"""Shared fixtures: paths, the sandbox workspace, and the routes the rule tests use.

``config``, ``in_route`` and ``sip_route`` are written out here (the contract's
example telephony config, grown by US and GB) so the destination-rule tests do
not move when someone edits the sample workspace; ``workspace`` is the sample
workspace the package ships (``batchcall.samples``), which the app's sandbox serves.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from batchcall.api.client import BatchCallClient
from batchcall.samples import sample_path as shipped_sample
from batchcall.settings import DATA_DIR_VARIABLE
from batchcall.ui.hosting import SPEED_VARIABLE, sandbox_endpoint

from tests.sandbox_server import RunningSandbox, serve_sandbox
from tests.workspace_data import IN_ROUTE, SIP_ROUTE, TELEPHONY_CONFIG

ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def workspace() -> dict[str, Any]:
    """The sandbox workspace: ``sample_data/workspace.json`` when present."""
    return json.loads(shipped_sample("workspace.json").read_text(encoding="utf-8"))


@pytest.fixture
def in_route() -> dict[str, Any]:
    """The non-SIP Indian route ``+912234567890`` (plivo)."""
    return copy.deepcopy(IN_ROUTE)


@pytest.fixture
def sip_route() -> dict[str, Any]:
    """The US SIP route ``+14155550123`` (``sip_trunk``)."""
    return copy.deepcopy(SIP_ROUTE)


@pytest.fixture
def config() -> dict[str, Any]:
    """IN mobile + Mumbai on, IN toll-free off; US on; GB present but off."""
    return copy.deepcopy(TELEPHONY_CONFIG)


@pytest.fixture
def sample_path():
    """``sample_path("loan_followup.csv")``: the sample file, or skip if it is not there."""

    def find(name: str) -> Path:
        return shipped_sample(name)  # a missing sample fails: the package must ship it

    return find


@pytest.fixture
def fixture_path():
    """``fixture_path("numbers.xls")``: a committed file under tests/fixtures/."""

    def find(name: str) -> Path:
        path = FIXTURES_DIR / name
        assert path.exists(), (
            f"tests/fixtures/{name} is missing: run tests/fixtures/make_fixtures.py"
        )
        return path

    return find


# ---- the sandbox on loopback, for the contract tests -------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """Shared by the tests that only look at their own batches (a server costs ~0.2 s)."""
    with serve_sandbox() as running:
        yield running


@pytest.fixture
def api(sandbox: RunningSandbox) -> httpx.Client:
    return sandbox.http


@pytest.fixture
def fresh_api() -> Iterator[httpx.Client]:
    """An empty sandbox, for tests that count every batch or call."""
    with serve_sandbox() as running:
        yield running.http


# ---- the app script under AppTest, with its in-process sandbox ------------------------------


@pytest.fixture(scope="session")
def app_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fast in-process sandbox on a database of its own, and drafts in a temporary folder.

    The app starts one sandbox per process (``batchcall.ui.hosting``), so this is session-wide.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SPEED_VARIABLE, "2000")
        patch.setenv(DATA_DIR_VARIABLE, str(tmp_path_factory.mktemp("data")))
        sandbox_endpoint(None)  # start it now, with these settings
        yield


@pytest.fixture
def client(app_environment: None) -> Iterator[BatchCallClient]:
    """The real client on the app's in-process sandbox."""
    with BatchCallClient(*sandbox_endpoint(None)) as api:
        yield api


# ---- a real browser on a real server -------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module."""
    from tests.browser import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh ``streamlit run app.py`` per test: its own sandbox database and drafts,
    stopped afterwards; the test module's ``SPEED`` (simulated seconds per real second,
    default 100) paces its calls."""
    from tests.browser import streamlit_server

    with streamlit_server(tmp_path, getattr(request.module, "SPEED", 100)) as running:
        yield running
