"""What the Submit page checks before a batch is launched, as plain functions.

Why a module of its own: the rules that decide whether a launch is safe (every
row passes, the route can place calls, the prompt's ``{{variables}}`` are
covered) must be testable without Streamlit or a network. What is sent, and how
a refusal maps back to the operator's rows, is :mod:`batchcall.work.submission`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
import pyarrow.compute as pc

from batchcall.api.models import PhoneNumber
from batchcall.contacts import MAX_FILE_BYTES
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.text import as_arrow_text, single_array

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s](?:[^{}]*[^{}\s])?)\s*\}\}")
MISSING_MARK = "⟦missing: {name}⟧"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


class _SummarisedTable(Protocol):
    def summary(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class Coverage:
    """How the prompt's variables meet the table's columns.

    ``missing``: used by the prompt, provided by no column (the agent would say
    nothing there). ``unused``: columns the prompt never mentions. ``empty_counts``:
    per used-and-provided variable, how many rows leave it blank.
    """

    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    empty_counts: dict[str, int] = field(default_factory=dict)


def placeholders(prompt: str) -> list[str]:
    """``{{ name }}`` placeholders in order of first appearance, each once."""
    names = (match.group(1) for match in PLACEHOLDER.finditer(prompt or ""))
    return list(dict.fromkeys(name for name in names if name))


def variable_columns(table: pd.DataFrame) -> list[str]:
    """The columns that become dynamic variables: every one except ``phone_number``."""
    return [str(column) for column in table.columns if column != PHONE_COLUMN]


def coverage(prompt: str, table: pd.DataFrame) -> Coverage:
    """Which variables the prompt needs that the rows lack, and which columns go unused."""
    used = placeholders(prompt)
    provided = variable_columns(table)
    empty_counts = {name: int(_blank(table[name]).sum()) for name in used if name in provided}
    return Coverage(
        used=used,
        missing=[name for name in used if name not in provided],
        unused=[name for name in provided if name not in used],
        empty_counts=empty_counts,
    )


def render_prompt(
    prompt: str,
    row: Mapping[str, Any],
    *,
    filled: str = "{value}",
    missing: str = MISSING_MARK,
    escape: Callable[[str], str] = str,
) -> str:
    """The prompt as the agent would read it for ``row``; blanks are marked, never silent.

    ``filled`` and ``missing`` format each substitution (``{value}``, ``{name}``)
    so a page can bold the values and colour the gaps; ``escape`` is applied to
    the prompt's own text, the values and the names (e.g. ``escape_markdown``).
    """
    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(prompt or ""):
        parts.append(escape(prompt[last : match.start()]))
        name = match.group(1)
        value = row.get(name)
        if _is_blank(value):
            parts.append(missing.format(name=escape(name)))
        else:
            parts.append(filled.format(value=escape(str(value)), name=escape(name)))
        last = match.end()
    parts.append(escape((prompt or "")[last:]))
    return "".join(parts)


def escape_markdown(text: str) -> str:
    """Text shown literally by a Markdown renderer (``$`` would otherwise start LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def highlight_placeholders(prompt: str) -> str:
    """The prompt as Markdown: literal text, each ``{{variable}}`` as inline code."""
    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(prompt or ""):
        parts.append(escape_markdown(prompt[last : match.start()]))
        parts.append(f"`{{{{{match.group(1)}}}}}`")
        last = match.end()
    parts.append(escape_markdown((prompt or "")[last:]))
    return "".join(parts)


def preflight_summary(worktable: _SummarisedTable) -> dict[str, Any]:
    """The counts the Submit page shows, and whether a launch may go ahead."""
    summary = worktable.summary()
    return {
        "rows": summary["rows"],
        "to_call": summary["to_call"],
        "dropped": summary["dropped"],
        "failing": summary["failing"],
        "ready": summary["failing"] == 0 and summary["to_call"] > 0,
    }


def launch_blockers(
    summary: dict[str, Any],
    *,
    agent_id: str,
    schedule_ok: bool,
    file_bytes: int,
    route: PhoneNumber,
    missing_variables: Sequence[str] = (),
    acknowledged: bool = True,
    sent_rows: int | None = None,
) -> list[str]:
    """Every reason Submit is disabled, each with what to do; empty when it may launch.

    ``summary`` is ``preflight_summary``'s; ``missing_variables`` the prompt's
    ``{{variables}}`` no column fills, which block until ``acknowledged``.
    ``sent_rows`` is how many rows the file holds once the pre-launch checks left
    rows out: leaving rows out never blocks, an empty file does.
    """
    blockers = []
    if summary["failing"]:
        blockers.append(
            f"{_rows(summary['failing'])} would be refused by route {route.phone_number}: "
            "fix or drop them in Fix rows."
        )
    elif not summary["to_call"]:
        blockers.append("No rows left to call: restore some rows or upload another file.")
    elif sent_rows == 0:
        blockers.append(
            "Every row is left out under Before launch (do-not-call, repeated numbers or "
            "calling hours): schedule a time inside calling hours, or change those choices."
        )
    if problem := route_problem(route):
        blockers.append(problem)
    if not agent_id:
        blockers.append("No agent chosen: choose the agent that makes the calls.")
    if missing_variables and not acknowledged:
        names = ", ".join(f"{{{{{name}}}}}" for name in missing_variables)
        blockers.append(
            f"The prompt uses {names}, which no column fills: tick “Send anyway” under "
            "Variables, or choose another agent."
        )
    if not schedule_ok:
        blockers.append("The schedule is in the past: choose a later time, or launch now.")
    if file_bytes > MAX_FILE_BYTES:
        blockers.append(
            f"The cleaned file is {file_bytes / 2**20:.1f} MB; the platform accepts at most "
            "10 MB: drop columns the agent does not use, or split the list."
        )
    return blockers


def launch_caption(blockers: Sequence[str]) -> str:
    """Every reason Submit is disabled, as one Markdown list: all at once, so fixing the
    first does not reveal the next only then."""
    count = "this is" if len(blockers) == 1 else f"these {len(blockers)} things are"
    return f"Submit is disabled until {count} dealt with:\n" + "\n".join(
        f"- {blocker}" for blocker in blockers
    )


def route_label(route: PhoneNumber) -> str:
    """How a route is named in a picker: number, kind, country, and what is wrong with it."""
    label = f"{route.phone_number} · {'SIP' if route.is_sip else 'PSTN'} · {route.country or '?'}"
    if route.status != "active":
        return f"{label} · {route.status}"
    return label + (" · no outbound agent" if route_problem(route) else "")


def route_problem(route: PhoneNumber) -> str | None:
    """Why the platform will refuse any batch from this number, and what to do; None if none.

    A number must be active and have an outbound agent. Where the workspace's listing
    leaves ``outbound_agent_id`` out altogether, nothing is known, so nothing is blocked.
    """
    number, status = route.phone_number, (route.status or "").strip().lower()
    elsewhere = "or choose another number on Destinations & routes."
    if status and status != "active":
        return (
            f"{number} is {status}: the platform refuses batches from it. "
            f"Reactivate it in the workspace's phone numbers, {elsewhere}"
        )
    if "outbound_agent_id" in route.model_fields_set and not route.outbound_agent_id:
        return (
            f"{number} has no outbound agent: the platform refuses batches from it. "
            f"Assign an outbound agent to it in the workspace's phone numbers, {elsewhere}"
        )
    return None


def _rows(count: int) -> str:
    return "1 row" if count == 1 else f"{count:,} rows"


def _blank(values: pd.Series) -> pd.Series:
    """Cells missing or of spaces only (``_is_blank`` for a whole column), in arrow: its
    ``utf8_is_space`` is ``str.isspace``, character for character, without a Python string
    per cell."""
    cells = single_array(as_arrow_text(values))  # missing cells read as ""
    blank = pc.or_(pc.equal(pc.binary_length(cells), 0), pc.utf8_is_space(cells))
    return pd.Series(blank.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return not str(value).strip()
