"""The choice between a real workspace and the sandbox, from settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchcall.api.settings import (
    SANDBOX_LABEL,
    Connection,
    ConnectionSettingsError,
    normalise_base_url,
    read_secrets_files,
    sandbox_wanted,
    workspace_from_settings,
)


def test_no_settings_means_sandbox() -> None:
    assert workspace_from_settings({}, {}) is None


def test_workspace_from_env_or_secrets() -> None:
    env = {"BATCHCALL_API_URL": "https://api.example.com/v1/", "BATCHCALL_API_KEY": "sk-123"}
    connection = workspace_from_settings(env)
    assert connection == Connection("https://api.example.com", "sk-123")
    assert connection.label == "Workspace — api.example.com"
    assert "sk-123" not in repr(connection)
    from_secrets = workspace_from_settings({}, env)
    assert from_secrets is not None and from_secrets.base_url == "https://api.example.com"


def test_half_a_configuration_is_refused_without_echoing_the_key() -> None:
    with pytest.raises(ConnectionSettingsError) as caught:
        workspace_from_settings({"BATCHCALL_API_KEY": "sk-secret"})
    assert "BATCHCALL_API_URL" in str(caught.value)
    assert "sk-secret" not in str(caught.value)


def test_sandbox_label_and_url_normalising() -> None:
    assert Connection("http://127.0.0.1:1", "k", sandbox=True).label == SANDBOX_LABEL
    assert normalise_base_url("api.example.com/v1") == "https://api.example.com"


def test_secrets_files_are_read_before_streamlit_starts(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('BATCHCALL_API_URL = "https://one.example.com"\n')
    second.write_text('BATCHCALL_API_URL = "https://two.example.com"\nBATCHCALL_API_KEY = "k"\n')
    merged = read_secrets_files([first, second, tmp_path / "missing.toml"])
    assert merged == {"BATCHCALL_API_URL": "https://two.example.com", "BATCHCALL_API_KEY": "k"}


def test_the_sandbox_is_served_only_without_any_workspace_setting() -> None:
    assert sandbox_wanted({}, {})
    assert not sandbox_wanted({"BATCHCALL_API_KEY": "k"}, {})
    assert not sandbox_wanted({}, {"BATCHCALL_API_URL": "https://x.example.com"})
    assert sandbox_wanted({"BATCHCALL_API_URL": "  "}, {})
