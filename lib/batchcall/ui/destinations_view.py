"""What the Destinations page draws, built once per state of the working table.

Why a memo: the page is visited again and again while an operator works (its charts
group every row by country, and the SIP advice judges every row once more against
the SIP route), yet what it shows changes only when the table, its route or the
workspace's SIP numbers do. Built once per ``(table, version, SIP routes)``; another
visit only draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from batchcall.charts import destinations as charts
from batchcall.insight.destinations import Suggestion, network_groups_table, unblock_suggestions
from batchcall.insight.display import network_groups_display
from batchcall.ui.state import Session
from batchcall.ui.workspace import Workspace

__all__ = ["DestinationsView", "destinations_view"]


@dataclass(frozen=True)
class DestinationsView:
    """The page's counts, figures, network-groups table and advice."""

    total: int
    failed: int
    world_map: go.Figure
    by_country: go.Figure
    groups: pd.DataFrame
    groups_figure: go.Figure
    suggestions: list[Suggestion]


def destinations_view(session: Session, space: Workspace) -> DestinationsView:
    """The view of the session's working table (which must be there) on its route."""
    table = session.table
    assert table is not None
    sip_routes = [number for number in space.numbers if number.is_sip]
    key = (
        id(table),
        table.version,  # bumped by every edit, drop and change of route or config
        tuple((number.phone_number, number.status) for number in sip_routes),
    )

    def build() -> DestinationsView:
        route, config, report = table.route, table.config, table.report
        return DestinationsView(
            total=report.total,
            failed=report.failed_count,
            world_map=charts.destinations_map(report, route, config),
            by_country=charts.contacts_by_country(report),
            groups=network_groups_display(network_groups_table(report, config)),
            groups_figure=charts.network_groups_figure(report, config),
            suggestions=unblock_suggestions(report, route, config, sip_routes),
        )

    return session.caches.destinations.get(key, build)
