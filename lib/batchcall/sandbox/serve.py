"""``python -m batchcall.sandbox`` (``batchcall sandbox``): serve the sandbox on loopback.

    python -m batchcall.sandbox --host 127.0.0.1 --port 8765 --api-key KEY --speed 40 \\
        --seed 0 --workspace contacts/workspace.json --db .workbench/sandbox.db

Every option also reads a ``SANDBOX_*`` variable (``SANDBOX_API_KEY`` keeps the
key out of the process list). The key is never printed.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence

import uvicorn

from batchcall.sandbox.app import create_app
from batchcall.sandbox.settings import DEFAULT_SPEED, DEFAULT_WORKSPACE, SandboxSettings
from batchcall.sandbox.workspace import WorkspaceError


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="python -m batchcall.sandbox", description="Serve the Batch Call API sandbox."
    )
    parser.add_argument(
        "--host",
        default=env("SANDBOX_HOST", "127.0.0.1"),
        help="interface to bind (default 127.0.0.1: this machine only)",
    )
    parser.add_argument("--port", type=int, default=int(env("SANDBOX_PORT", "8765")))
    parser.add_argument(
        "--api-key",
        default=None,
        help="Bearer key to require (env SANDBOX_API_KEY; default 'sandbox')",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=None,
        help=f"simulated seconds per second (env SANDBOX_SPEED; default "
        f"{DEFAULT_SPEED:g}; 1 = realistic)",
    )
    parser.add_argument("--seed", type=int, default=None, help="env SANDBOX_SEED; default 0")
    parser.add_argument(
        "--workspace",
        default=None,
        help=f"workspace JSON (env SANDBOX_WORKSPACE; default {DEFAULT_WORKSPACE})",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="SQLite file or :memory: (env SANDBOX_DB; default in the data folder)",
    )
    parser.add_argument("--log-level", default="info")
    return parser.parse_args(argv)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and serve until stopped; 2 when the settings are refused."""
    args = parse_args(argv)
    try:
        settings = SandboxSettings.from_env(
            api_key=args.api_key,
            speed=args.speed,
            seed=args.seed,
            workspace_path=args.workspace,
            db_path=args.db,
        )
        app = create_app(settings)
    except (WorkspaceError, ValueError) as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 2
    if not _is_loopback(args.host):
        print(
            f"warning: binding {args.host} exposes the sandbox beyond this machine", file=sys.stderr
        )
    print(
        f"Sandbox serving http://{args.host}:{args.port} "
        f"(key from --api-key/SANDBOX_API_KEY; speed {settings.speed:g}x, seed {settings.seed}, "
        f"db {settings.db_path})",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0
