"""Driving app.py with AppTest: the shared constants, session builders and small asserts.

The app starts its own sandbox when none is mounted (``batchcall.ui.hosting``); the
``app_environment`` fixture (conftest) makes it fast and gives it a database of
its own, and these helpers speak to that same sandbox to count or create batches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from batchcall.api.client import BatchCallClient
from batchcall.contacts import read_contacts
from batchcall.samples import sample_path
from batchcall.ui.session import STATE_KEY
from batchcall.ui.state import PrecheckState, Session, Upload
from batchcall.work.table import WorkTable
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sample_path("loan_followup.csv")
WORKSPACE = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
ROUTE = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+912234567890")
AGENT = "agt_abc123"
GB_MOBILE = "+447400123456"
TIMEOUT = 30


def batch_count(client: BatchCallClient) -> int:
    return client.list_batches(limit=1).meta.total


def loaded_session(
    config: dict[str, Any] | None = None, *, leave_out_outside_hours: bool = False
) -> Session:
    """The sample list loaded as the Upload page would, on the sample's Mumbai route.

    Its rows are all in India, so "now" is outside their calling hours for half of
    every day: unless a test asks for it, rows outside their hours are called anyway,
    and no test depends on the hour it runs at.
    """
    data = SAMPLE.read_bytes()
    contacts = read_contacts(data, SAMPLE.name)
    table = WorkTable(contacts, ROUTE, config or WORKSPACE["telephony_config"])
    return Session(
        upload=Upload(SAMPLE.name, data),
        table=table,
        route_number=ROUTE["phone_number"],
        restored=True,
        prechecks=PrecheckState(leave_out_outside_hours=leave_out_outside_hours),
    )


def open_page(page: str, session: Session, **query: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.session_state[STATE_KEY] = session
    app.query_params.update(query)
    return app.switch_page(page).run(timeout=TIMEOUT)


def texts(elements: Any) -> str:
    return "\n".join(str(element.value) for element in elements)


def linked_pages(app: AppTest) -> list[str]:
    """URL paths of the page links drawn (``upload``, ``fix_rows``, ...)."""
    return [link.proto.page for link in app.get("page_link")]


def assert_no_exception(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]


def session_of(app: AppTest) -> Session:
    return app.session_state[STATE_KEY]


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def started_app() -> AppTest:
    """The app as a browser first opens it: the Upload page, run once."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run(timeout=TIMEOUT)


def upload_bytes(app: AppTest, name: str, data: bytes) -> AppTest:
    """Drop ``data`` named ``name`` on the Upload page's uploader, and run."""
    app.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return app.run(timeout=TIMEOUT)


def edit_grid_cell(app: AppTest, row: int, value: str) -> AppTest:
    """Type ``value`` into the phone cell of spreadsheet ``row`` in Fix rows' grid, and run."""
    key = next(e.key for e in app.data_editor)
    position = list(app.data_editor[0].value.index).index(row)
    app.session_state[key] = {
        "edited_rows": {position: {"phone_number": value}},
        "added_rows": [],
        "deleted_rows": [],
    }
    return app.run(timeout=TIMEOUT)
