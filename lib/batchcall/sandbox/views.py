"""Stored rows -> the contract's JSON: counters from ``status_counts``, times as ISO strings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from batchcall.sandbox.schemas import FAILED_OUTCOMES, iso


def batch_view(row: Mapping[str, Any]) -> dict[str, Any]:
    counts: dict[str, int] = json.loads(row["status_counts"])
    return {
        "id": row["id"],
        "name": row["name"],
        "status": row["status"],
        "total_leads": row["total_leads"],
        "completed": counts.get("completed", 0),
        "failed": sum(counts.get(status, 0) for status in FAILED_OUTCOMES),
        "agent_id": row["agent_id"],
        "created_at": iso(row["created_at"]),
        "from_phone_number": row["from_phone_number"],
        "max_concurrent_calls": row["max_concurrent_calls"],
        "scheduled_at": iso(row["scheduled_at"]),
        "started_at": iso(row["started_at"]),
        "completed_at": iso(row["completed_at"]),
        "cancelled_at": iso(row["cancelled_at"]),
        "retry_config": _retry_config(row["retry_config"]),
        "status_counts": counts,
    }


def _retry_config(text: str | None) -> dict[str, Any] | None:
    """Whole minutes, as the contract shows them; older databases stored ``60.0``."""
    if not text:
        return None
    config = json.loads(text)
    minutes = config.get("retry_interval_minutes")
    if isinstance(minutes, float):
        config["retry_interval_minutes"] = round(minutes)
    return config


def call_view(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "batch_id": row["batch_id"],
        "position": row["position"],
        "agent_id": row["agent_id"],
        "to_phone_number": row["to_phone_number"],
        "from_phone_number": row["from_phone_number"],
        "status": row["status"],
        "duration_seconds": row["duration_seconds"],
        "metadata": json.loads(row["metadata"]),
        "attempts": row["attempts"],
        "created_at": iso(row["created_at"]),
        "started_at": iso(row["started_at"]),
        "ended_at": iso(row["ended_at"]),
        "end_reason": row["end_reason"],
        "revision": row["revision"],
    }
