"""Submit's checks on screen: the route, the prompt's variables, and a rendered preview.

A route the platform will certainly refuse blocks Submit with the reason. A prompt
variable that no column provides does not: an operator may mean it, but Submit then
waits for an explicit "send anyway".
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from batchcall.api.models import PhoneNumber
from batchcall.insight.preflight import (
    Coverage,
    coverage,
    escape_markdown,
    render_prompt,
    route_problem,
)
from batchcall.ui.layout import next_step

SELECTBOX_ROW_LIMIT = 5_000


def route_ready(route: PhoneNumber) -> bool:
    """False (with the reason and what to do shown) when the platform will refuse the route."""
    problem = route_problem(route)
    if problem is None:
        return True
    st.error(f"{problem} Submit stays disabled until then.", icon=":material/phone_disabled:")
    next_step("destinations", "Choose another route")
    return False


def show_coverage(prompt: str, active: pd.DataFrame) -> Coverage:
    """Placeholders no column fills, columns never used, and blanks per used variable."""
    if not prompt:
        st.caption("No prompt to check the variables against.")
        return Coverage()
    found = coverage(prompt, active)
    if found.missing:
        names = ", ".join(f"`{{{{{name}}}}}`" for name in found.missing)
        st.warning(
            f"The prompt uses {names}, but no column provides it: the agent will have "
            "nothing to say there. Add the column to the file or choose another agent."
        )
    if found.unused:
        names = ", ".join(f"`{name}`" for name in found.unused)
        st.info(f"Columns the prompt never uses (sent, but the agent ignores them): {names}.")
    if found.empty_counts:
        st.caption("Rows with an empty cell, per variable the prompt uses:")
        empty = pd.DataFrame(
            {"variable": list(found.empty_counts), "empty rows": list(found.empty_counts.values())}
        )
        st.dataframe(empty, hide_index=True)
    elif not found.used:
        st.caption("The prompt uses no {{variables}}.")
    return found


def show_preview(prompt: str, active: pd.DataFrame) -> None:
    """The prompt as the agent reads it for one row; missing values marked in red."""
    if not prompt or active.empty:
        return
    rows = [int(row) for row in active.index]
    if len(rows) <= SELECTBOX_ROW_LIMIT:
        row = st.selectbox("Preview the prompt for spreadsheet row", rows, key="submit-preview")
    else:
        row = int(st.number_input("Preview for spreadsheet row", rows[0], rows[-1], rows[0]))
        if row not in active.index:
            st.caption(f"Row {row} is not being submitted (dropped).")
            return
    values = active.loc[row].to_dict()
    with st.container(border=True):
        st.markdown(
            render_prompt(
                prompt,
                values,
                filled="**{value}**",
                missing=":red-background[⟦{name} missing⟧]",
                escape=escape_markdown,
            )
        )


def missing_acknowledged(agent_id: str, found: Coverage) -> bool:
    """True when no variable is missing, or the operator ticked "send anyway" for these."""
    if not found.missing:
        return True
    names = ", ".join(f"{{{{{name}}}}}" for name in found.missing)
    return st.checkbox(
        f"Send anyway; the agent will skip {names}",
        key="submit-ack-" + hashlib.sha256(f"{agent_id}|{names}".encode()).hexdigest()[:16],
        help="Submit waits for this: the agent will have nothing to say where these appear.",
    )
