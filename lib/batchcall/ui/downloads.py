"""Download buttons that always have their file: real bytes, built once per table state.

Why not a callable: Streamlit keeps a deferred file only until the next rerun, so
a click racing a rerun (an edit, a fragment refresh) finds no file. Bytes built
up front and kept until the table changes cost nothing on a plain rerun, and the
buttons do not rerun the page when clicked.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from batchcall.ui.state import Session
from batchcall.ui.wording import count
from batchcall.work.exports import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes

EAGER_ROWS = 20_000
"""Up to this many rows the files are built with the page (~0.1 s); past it only
when asked, so an edit on a 10 MB list does not pay ~0.5 s to rebuild them."""


@dataclass(frozen=True)
class CleanedFiles:
    """The Fix rows downloads for one state of the table."""

    csv: bytes
    xlsx: bytes
    errors: bytes
    rows: int
    failing: int
    dropped: int


def cleaned_files(session: Session) -> CleanedFiles:
    table = session.table
    assert table is not None

    def build() -> CleanedFiles:
        passing = table.passing
        return CleanedFiles(
            csv=csv_bytes(passing),
            xlsx=xlsx_bytes(passing),
            errors=csv_bytes(table.error_report(), index=True),
            rows=len(passing),
            failing=table.failing_count,
            dropped=len(table.dropped),
        )

    return session.caches.downloads.get(_state(session), build)


def _state(session: Session) -> Hashable:
    table, upload = session.table, session.upload
    assert table is not None and upload is not None
    return (upload.digest, upload.sheet, id(table), table.version)


def files_wanted(session: Session) -> bool:
    """Build this page's files now? Always for a small table; for a big one only once the
    operator asked for this state of it (the recipe and error file follow the same rule)."""
    table = session.table
    assert table is not None
    return len(table.active) <= EAGER_ROWS or session.caches.downloads_wanted == _state(session)


def show_downloads(session: Session) -> None:
    """Cleaned file (the rows that pass, as Submit sends them) and the error report."""
    table = session.table
    assert table is not None
    state = _state(session)
    if not files_wanted(session):
        st.button(
            f"Prepare the downloads ({count(len(table.active), 'row')})",
            key="fix-prepare-downloads",
            help="The cleaned file, the error reports and the recipe, built for the table as "
            "it is now.",
            on_click=setattr,
            args=(session.caches, "downloads_wanted", state),
        )
        return
    files = cleaned_files(session)
    rows = f"{count(files.rows, 'row')} that {'passes' if files.rows == 1 else 'pass'}"
    left, middle, right = st.columns(3)
    left.download_button(
        f"Cleaned file: {rows} (CSV)",
        files.csv,
        "cleaned_contacts.csv",
        CSV_MIME,
        key="fix-download-csv",
        on_click="ignore",
    )
    middle.download_button(
        f"Cleaned file: {rows} (XLSX)",
        files.xlsx,
        "cleaned_contacts.xlsx",
        XLSX_MIME,
        key="fix-download-xlsx",
        on_click="ignore",
    )
    right.download_button(
        "Error report (CSV)",
        files.errors,
        "error_report.csv",
        CSV_MIME,
        key="fix-download-errors",
        on_click="ignore",
    )
    st.caption(_cleaned_caption(files))


def _cleaned_caption(files: CleanedFiles) -> str:
    left_out = []
    if files.failing:
        left_out.append(count(files.failing, "failing row"))
    if files.dropped:
        left_out.append(f"{files.dropped:,} dropped")
    if not left_out:
        return "The cleaned file holds every row, with your edits: exactly what Submit sends."
    return (
        f"The cleaned file holds only the {count(files.rows, 'row')} that "
        f"{'passes' if files.rows == 1 else 'pass'}, with your edits; {' and '.join(left_out)} "
        f"{'is' if files.failing + files.dropped == 1 else 'are'} left out (the error report "
        "lists them). "
        "Submit sends exactly these rows once no row fails."
    )


def table_files(session: Session, key: Hashable, table: pd.DataFrame) -> tuple[bytes, bytes]:
    """(CSV, XLSX) of a shown table, rebuilt only when ``key`` changes."""
    return session.caches.call_downloads.get(key, lambda: (csv_bytes(table), xlsx_bytes(table)))
