"""Which platform the workbench talks to: a real workspace, or the bundled sandbox.

``BATCHCALL_API_URL`` and ``BATCHCALL_API_KEY`` (environment, or Streamlit
secrets) select a real workspace. With neither, the workbench runs its own
sandbox. The key is kept out of ``repr`` so it never reaches a log or a page.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

URL_VARIABLE = "BATCHCALL_API_URL"
KEY_VARIABLE = "BATCHCALL_API_KEY"
SANDBOX_LABEL = "Sandbox — simulated calls"


@dataclass(frozen=True)
class Connection:
    base_url: str
    api_key: str = field(repr=False)
    sandbox: bool = False

    @property
    def label(self) -> str:
        if self.sandbox:
            return SANDBOX_LABEL
        parts = urlsplit(self.base_url)
        return f"Workspace — {parts.netloc or self.base_url}"


class ConnectionSettingsError(ValueError):
    """Half a configuration: a URL without a key or the other way round."""


def workspace_from_settings(
    env: Mapping[str, str], secrets: Mapping[str, Any] | None = None
) -> Connection | None:
    """The configured real workspace, or None for the sandbox."""
    secrets = secrets or {}
    url = str(env.get(URL_VARIABLE) or secrets.get(URL_VARIABLE) or "").strip()
    key = str(env.get(KEY_VARIABLE) or secrets.get(KEY_VARIABLE) or "").strip()
    if not url and not key:
        return None
    if not url or not key:
        missing = URL_VARIABLE if not url else KEY_VARIABLE
        raise ConnectionSettingsError(
            f"{missing} is not set. Set both {URL_VARIABLE} and {KEY_VARIABLE} to use a real "
            "workspace, or neither to use the sandbox."
        )
    return Connection(base_url=normalise_base_url(url), api_key=key)


def normalise_base_url(url: str) -> str:
    """Root URL without a trailing slash or ``/v1``: the client adds the paths.

    A URL typed without a scheme is taken as ``https://``; any scheme but http(s)
    is refused.
    """
    url = url.strip().rstrip("/").removesuffix("/v1")
    if "://" not in url:
        url = "https://" + url
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
    return url


def read_secrets_files(paths: Iterable[Path]) -> dict[str, Any]:
    """Streamlit's secrets files merged (later wins), readable before Streamlit starts."""
    merged: dict[str, Any] = {}
    for path in paths:
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return merged


def sandbox_wanted(env: Mapping[str, str], secrets: Mapping[str, Any]) -> bool:
    """Serve the sandbox only when no workspace is configured, not even half of one."""
    return not any(
        str(source.get(name) or "").strip()
        for source in (env, secrets)
        for name in (URL_VARIABLE, KEY_VARIABLE)
    )
