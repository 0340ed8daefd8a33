"""A list over 10 MB in the app: refused with its size, read on request (up to 100 MB), then
checked and sent as numbered batches under 10 MB each, exactly once."""

from __future__ import annotations

import re
import tomllib

import numpy as np
import pandas as pd
import pytest
from batchcall.api.client import BatchCallClient
from batchcall.contacts import MAX_FILE_BYTES
from batchcall.ui.layout import PAGES
from batchcall.ui.uploading import UPLOADER_LIMIT_MB
from streamlit.testing.v1 import AppTest

from tests.apptest_support import (
    ROOT,
    assert_no_exception,
    batch_count,
    metric,
    session_of,
    texts,
)

pytestmark = pytest.mark.usefixtures("app_environment")
SLOW = 120  # seconds: reading and checking 44,000 rows is a few seconds on a busy machine


@pytest.fixture(scope="module")
def big_csv() -> bytes:
    """About 10.5 MB of Indian mobiles with the agent's variables (made once per module)."""
    count = 44_000
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "phone_number": rng.integers(9_000_000_000, 9_999_999_999, count).astype(str),
            "customer_name": [f"Customer {i}" for i in range(count)],
            "loan_amount": "250000",
            "product": "home_loan",
            "due_date": "2030-05-10",
            "note": "follows up on the loan offer made in May; prefers Hindi; " * 4,
        }
    )
    data = frame.to_csv(index=False).encode()
    assert MAX_FILE_BYTES < len(data) < 2 * MAX_FILE_BYTES
    return data


def test_the_uploader_lets_a_large_list_reach_the_app() -> None:
    # The browser counts an MB as 10^6 bytes: 100 MiB must pass it, and the server.
    assert UPLOADER_LIMIT_MB * 1_000_000 >= 100 * 2**20
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] >= UPLOADER_LIMIT_MB


def test_a_list_over_10_mb_is_refused_then_read_and_sent_as_two_batches(
    big_csv: bytes, client: BatchCallClient
) -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=SLOW).run()
    app.file_uploader[0].set_value(("big list.csv", big_csv, "text/csv")).run()
    assert_no_exception(app)
    refusal = texts(app.error)
    assert "big list.csv" in refusal and f"{len(big_csv):,} bytes" in refusal
    assert "at most 10 MB" in refusal
    session = session_of(app)
    assert session.table is None
    read = app.button(key="upload-read-large")
    assert read.label == "Read it anyway (up to 100 MB) and send it as numbered batches"

    read.click().run()
    assert_no_exception(app)
    assert not app.error
    assert session.table is not None and session.upload is not None
    assert session.upload.filename == "big list.csv"
    assert metric(app, "Rows") == "44,000"

    session.prechecks.leave_out_outside_hours = False  # not the hour the test runs at
    app.switch_page(PAGES["submit"][0]).run()
    assert_no_exception(app)
    notice = texts(app.info)
    parts = r"This list is 1\d\.\d MB: it will be sent as 2 batches under 10 MB each"
    assert re.search(parts, notice), notice
    button = app.button(key="submit-launch")
    assert button.label.endswith(" calls as 2 batches now")
    assert not button.disabled, texts(app.caption)

    before = batch_count(client)
    button.click().run()
    assert_no_exception(app)
    assert batch_count(client) == before + 2
    assert app.title[0].value == "Progress"
    group = session.submit.groups[session.progress.group]
    sizes = [client.get_batch(batch_id).total_leads for batch_id in group.batch_ids]
    sent = int(button.label.split()[1].replace(",", ""))
    assert sum(sizes) == sent and len(sizes) == 2

    # A second visit (or click) creates nothing: the group is shown instead of the button.
    app.switch_page(PAGES["submit"][0]).run()
    assert not [b for b in app.button if b.key == "submit-launch"]
    assert "2 numbered batches created" in texts(app.success)
    assert batch_count(client) == before + 2
