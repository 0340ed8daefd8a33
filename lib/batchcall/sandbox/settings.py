"""What a sandbox instance is: key, speed, seed, workspace and database.

One immutable settings object is handed to :func:`batchcall.sandbox.create_app`; the
app keeps it on ``app.state.settings`` (no module-level state), so two sandboxes
with different settings can run in one process (the tests do).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from batchcall.contacts import MAX_FILE_BYTES
from batchcall.samples import WORKSPACE_FILE, sample_path
from batchcall.settings import sandbox_db_path

DEFAULT_WORKSPACE = sample_path(WORKSPACE_FILE)
DEFAULT_API_KEY = "sandbox"
# 250 leads at 10 concurrent calls average ~2,400 simulated seconds: about a minute at 40x.
DEFAULT_SPEED = 40.0
MEMORY_DB = ":memory:"

_ENV = {
    "api_key": "SANDBOX_API_KEY",
    "speed": "SANDBOX_SPEED",
    "seed": "SANDBOX_SEED",
    "workspace_path": "SANDBOX_WORKSPACE",
    "db_path": "SANDBOX_DB",
}


class SandboxSettings(BaseModel):
    """Settings of one sandbox; ``SandboxSettings.from_env()`` reads ``SANDBOX_*`` variables."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr = Field(
        SecretStr(DEFAULT_API_KEY), description="Bearer key every request must carry."
    )
    speed: float = Field(
        DEFAULT_SPEED, gt=0, description="Simulated seconds per real second (1 = realistic)."
    )
    seed: int = Field(0, description="Mixed with each file's hash: same seed + file = same run.")
    workspace_path: Path = Field(DEFAULT_WORKSPACE, description="JSON workspace file.")
    workspace: dict[str, Any] | None = Field(
        None, description="Inline workspace (same shape as the file); wins over workspace_path."
    )
    db_path: Path | str = Field(
        default_factory=sandbox_db_path, description=f"SQLite file, or {MEMORY_DB!r}."
    )
    tick_seconds: float = Field(0.1, gt=0, le=5, description="How often simulated time advances.")
    max_file_bytes: int = Field(MAX_FILE_BYTES, gt=0, description="Largest accepted contact file.")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> SandboxSettings:
        """Settings from ``SANDBOX_API_KEY/SPEED/SEED/WORKSPACE/DB``; ``overrides`` win."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {field: env[name] for field, name in _ENV.items() if env.get(name)}
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls.model_validate(values)

    @property
    def in_memory(self) -> bool:
        return str(self.db_path) == MEMORY_DB
