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
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.insight.preflight import (
    Coverage,
    coverage,
    escape_markdown,
    render_prompt,
    route_problem,
)
from batchcall.ui.layout import next_step
from batchcall.ui.state import Session

SELECTBOX_ROW_LIMIT = 5_000
MAP_KEY = "submit-map"


def route_ready(route: PhoneNumber) -> bool:
    """False (with the reason and what to do shown) when the platform will refuse the route."""
    problem = route_problem(route)
    if problem is None:
        return True
    st.error(f"{problem} Submit stays disabled until then.", icon=":material/phone_disabled:")
    next_step("destinations", "Choose another route")
    return False


def map_variables(session: Session, prompt: str, active: pd.DataFrame) -> dict[str, str]:
    """For each variable the prompt uses and no column provides, a column to fill it
    from (the file is not edited: only the submitted file's header says the new name).

    Returns file column -> variable, the choices still valid for this file and prompt.
    """
    if not prompt:
        return {}
    found = coverage(prompt, active)
    mapping = session.submit.variable_map
    choices = [name for name in found.unused if name != PHONE_COLUMN]
    kept = {column: variable for column, variable in mapping.items()
            if column in choices and variable in found.missing}  # fmt: skip
    if not found.missing or not choices:
        return kept
    st.caption(
        "The prompt uses variables no column is named after: fill them from a column of "
        "your file. The file you uploaded is not changed; the file sent names the column "
        "as the agent expects."
    )
    chosen: dict[str, str] = {}
    for variable in found.missing:
        current = next((c for c, v in kept.items() if v == variable), None)
        options = [None, *[c for c in choices if c == current or c not in chosen]]
        column = st.selectbox(
            f"Fill {{{{{variable}}}}} from",
            options,
            index=options.index(current) if current in options else 0,
            format_func=lambda c: "— no column —" if c is None else f"column {c}",
            key=f"{MAP_KEY}-{variable}",
        )
        if column is not None:
            chosen[column] = variable
    session.submit.variable_map = chosen
    return chosen


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
        # One line per variable: a static table (a grid costs the browser far more to draw).
        counts = found.empty_counts
        empty = pd.DataFrame(
            {"Variable": list(counts), "Empty rows": [f"{n:,}" for n in counts.values()]}
        )
        st.table(empty, hide_index=True)
    elif not found.used:
        st.caption("The prompt uses no {{variables}}.")
    return found


def show_preview(prompt: str, active: pd.DataFrame) -> None:
    """The prompt as the agent reads it for one row; missing values marked in red."""
    if not prompt or active.empty:
        return
    if len(active) <= SELECTBOX_ROW_LIMIT:
        rows = [int(row) for row in active.index]
        row = st.selectbox(
            "Preview the prompt for spreadsheet row", rows, key="submit-preview", format_func=_row
        )
    else:  # not a Python int per row of a long list on every run
        first, last = int(active.index[0]), int(active.index[-1])
        row = int(st.number_input("Preview for spreadsheet row", first, last, first))
        if row not in active.index:
            st.caption(f"Row {row:,} is not being submitted (dropped).")
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


def _row(row: int) -> str:
    return f"{row:,}"
