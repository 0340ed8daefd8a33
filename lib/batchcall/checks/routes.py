"""Route advice that counts its side effects.

Why: "switch to the US route and these 40 rows pass" is only half the story if
the same switch makes 300 Indian rows fail. Both routes are judged by
``validate``, the platform's own rules, on the same rows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from batchcall.api.models import PhoneNumber, TelephonyConfig, as_telephony_config
from batchcall.rules import validate

__all__ = ["RouteSwitchEffect", "route_switch_effect"]


class RouteSwitchEffect(NamedTuple):
    """Rows that would start passing, rows that would start failing, and the difference."""

    newly_passing: int
    newly_failing: int
    net: int


def route_switch_effect(
    table: pd.DataFrame,
    current_route: PhoneNumber | dict[str, Any],
    other_route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> RouteSwitchEffect:
    """What moving ``table`` from ``current_route`` to ``other_route`` does to its verdicts."""
    config = as_telephony_config(config)
    now = validate(table, current_route, config).rows["reason"].notna().to_numpy()
    then = validate(table, other_route, config).rows["reason"].notna().to_numpy()
    passing = int((now & ~then).sum())
    failing = int((~now & then).sum())
    return RouteSwitchEffect(passing, failing, passing - failing)
