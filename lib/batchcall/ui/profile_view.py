"""The profile of the current file: the Upload page's lower half.

Tables are headed in words and counts carry thousands separators; "What to do" is
wrapped to the page's width, since an advice cut off at its first words helps nobody.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from batchcall.charts import profile as charts
from batchcall.insight.display import duplicates_display, plural
from batchcall.insight.profile import ContactProfile, profile_contacts
from batchcall.rules import Reason
from batchcall.ui.layout import chart
from batchcall.ui.state import Session

OK = "ok"


def current_profile(session: Session) -> ContactProfile:
    """Profile of the active rows, computed once per table version."""
    table = session.table
    assert table is not None
    return session.caches.profile.get(
        (id(table), table.version), lambda: profile_contacts(table.active, table.report)
    )


def show_profile(session: Session) -> None:
    table = session.table
    assert table is not None and session.upload is not None
    profile = current_profile(session)
    st.subheader(f"Profile of {session.upload.filename}")
    cols = st.columns(4)
    cols[0].metric("Rows", f"{profile.row_count:,}")
    cols[1].metric("Columns", f"{profile.column_count:,}")
    cols[2].metric("Duplicate numbers", f"{profile.duplicate_rows:,}")
    cols[3].metric("Would be rejected", f"{table.failing_count:,}")

    chips = " ".join(f"`{{{{{name}}}}}`" for name in profile.variables)
    st.markdown(f"**Variables for the prompt:** {chips or 'none — only phone numbers'}")

    left, right = st.columns(2)
    with left:
        st.markdown(f"**Verdict for route {table.route.phone_number}**")
        # A static table: its "What to do" wraps to the column's width, even on a phone,
        # where a grid would cut it off or hide it behind a sideways scroll.
        st.table(_verdict_table(profile).style.format({"Rows": "{:,}"}), hide_index=True)
        chart(charts.verdict_donut(profile))
    with right:
        chart(charts.formats_bar(profile.formats))
        chart(charts.fill_rate_bar(profile.columns))

    st.markdown("**Columns**")
    st.dataframe(
        _columns_table(profile),
        hide_index=True,
        column_config={"Distinct": st.column_config.NumberColumn(format="localized")},
    )
    if profile.duplicate_rows:
        extra = plural(profile.duplicate_rows, "extra row")
        st.markdown(f"**Duplicate numbers** ({extra})")
        st.caption(
            "The same valid number in more than one row (however it is written): the "
            "person would be called more than once. Choose which copy is called under "
            "*Before launch* on Submit (keep the first, the last or all), or drop rows on "
            "Fix rows."
        )
        st.dataframe(
            duplicates_display(profile.duplicates.head(200)),
            hide_index=True,
            column_config={
                "Copies": st.column_config.NumberColumn(format="localized", width="small"),
                "Rows": st.column_config.TextColumn(width="large"),
            },
        )


def _verdict_table(profile: ContactProfile) -> pd.DataFrame:
    rows = [
        {
            "Verdict": "Passes" if slug == OK else Reason(slug).title,
            "Rows": count,
            "What to do": "" if slug == OK else Reason(slug).hint,
        }
        for slug, count in profile.verdicts.items()
        if count
    ]
    return pd.DataFrame(rows, columns=["Verdict", "Rows", "What to do"])


def _columns_table(profile: ContactProfile) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Column": column.name,
                "Filled": f"{column.fill_rate:.0%} ({column.filled:,})",
                "Distinct": column.distinct,
                "Examples": ", ".join(column.examples),
            }
            for column in profile.columns
        ]
    )
