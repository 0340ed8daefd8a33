"""What each dial of each row does: outcome, ring and talk time, end reason.

Drawn from a generator seeded per (batch seed, spreadsheet row, attempt), so a
row's fate depends on neither the tick timing nor the other rows: the same file
with the same ``settings.seed`` replays exactly (the batch seed mixes the seed
with the file's SHA-256, never the batch id). Times are simulated seconds at
speed 1; the simulator divides them by the speed factor.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

# (outcome, probability, ring seconds range); answered calls then talk 30-180 s.
OUTCOMES = (
    ("completed", 0.80, (3.0, 12.0)),
    ("no_answer", 0.12, (25.0, 45.0)),
    ("busy", 0.05, (2.0, 6.0)),
    ("failed", 0.03, (1.0, 5.0)),
)
TALK_SECONDS = (30.0, 180.0)
END_REASONS = {
    "no_answer": "user_did_not_pick_up",
    "busy": "user_busy",
    "failed": "user_unreachable",
}
RETRIED = ("no_answer", "busy")


@dataclass(frozen=True)
class Attempt:
    """What one dial of one row does, in simulated seconds."""

    outcome: str
    ring_seconds: float
    talk_seconds: float
    end_reason: str

    @property
    def duration_seconds(self) -> int:
        return round(self.talk_seconds)


def batch_seed(seed: int, file_sha256: str) -> int:
    digest = hashlib.sha256(f"{seed}:{file_sha256}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1  # fits SQLite's signed 64-bit INTEGER


def plan_attempt(seed: int, position: int, attempt: int) -> Attempt:
    """Always four draws, so adding a rule never shifts another row's outcome."""
    rng = random.Random(f"{seed}:{position}:{attempt}")  # str seeds hash stably (SHA-512)
    pick, ring_draw, talk_draw, reason_draw = (rng.random() for _ in range(4))
    cumulative = 0.0
    outcome, _, (low, high) = OUTCOMES[-1]
    for name, probability, ring_range in OUTCOMES:
        cumulative += probability
        if pick < cumulative:
            outcome, (low, high) = name, ring_range
            break
    ring = low + (high - low) * ring_draw
    if outcome != "completed":
        return Attempt(outcome, ring, 0.0, END_REASONS[outcome])
    talk = TALK_SECONDS[0] + (TALK_SECONDS[1] - TALK_SECONDS[0]) * talk_draw
    reason = "user_disconnected" if reason_draw < 0.6 else "agent_disconnected"
    return Attempt(outcome, ring, talk, reason)
