"""The client against keys and answers built to break it: the key never leaks, every
failure is a typed ``ApiError`` within a bounded time."""

from __future__ import annotations

import gzip
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from batchcall import ApiError, ApiKeyError, ApiResponseError, ApiTimeoutError, BatchCallClient
from batchcall.api import transport as transport_module
from batchcall.settings import DATA_DIR_VARIABLE
from batchcall.ui.layout import PAGES
from batchcall.ui.state import Session
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ROOT, STATE_KEY, TIMEOUT, assert_no_exception
from tests.client_support import serve
from tests.sandbox_server import csv_file, sandbox_settings, serve_sandbox
from tests.workspace_data import AGENT, IN_NUMBER

FAKE_KEY = "sk-live-CANARY0123456789abcdef"  # what must never appear anywhere


@pytest.mark.parametrize(
    "bad", ["sk-abc\ndef", "sk-abc\x00def", "sk-abcé", "sk abc", "sk-abc\r\n\tdef", "  ", ""]
)
def test_a_key_no_request_can_carry_is_refused_typed_and_unshown(bad: str) -> None:
    with pytest.raises(ApiKeyError) as caught:
        BatchCallClient("http://api.test", bad)
    assert isinstance(caught.value, ApiError)
    secret = bad.strip()
    text = "".join(traceback.format_exception(caught.value))
    assert not secret or (secret not in text and repr(secret)[1:-1] not in text)


def test_whitespace_around_a_key_is_dropped() -> None:
    client, seen = serve({"/v1/agents": {"data": []}})
    padded = BatchCallClient(
        "http://api.test", f"  {FAKE_KEY}\n", http_client=client._transport._http
    )
    padded.list_agents()
    assert seen[-1].headers["authorization"] == f"Bearer {FAKE_KEY}"


def exceptions_of(error: BaseException) -> Iterator[BaseException]:
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def test_the_key_never_reaches_a_log_or_an_error(caplog: pytest.LogCaptureFixture) -> None:
    """The whole flow with DEBUG logging on: logs and every exception are scanned."""
    caplog.set_level(logging.DEBUG)
    raised: list[BaseException] = []
    with serve_sandbox(sandbox_settings(api_key=FAKE_KEY)) as sandbox:
        with BatchCallClient(sandbox.base_url, FAKE_KEY) as client:
            batch = client.create_batch(
                ("c.csv", csv_file("9876543210,Priya", "9876543211,Rahul")),
                agent_id=AGENT,
                from_phone_number=IN_NUMBER,
                idempotency_key="leak-test",
            )
            client.wait_for_batch(batch.id, poll_seconds=0.05, timeout=30)
            assert len(list(client.iter_calls(batch_id=batch.id))) == 2
            for attempt in (
                lambda: client.get_batch("nope"),
                lambda: client.cancel_batch(batch.id),
                lambda: client.create_batch(b"", agent_id=AGENT, from_phone_number=IN_NUMBER),
            ):
                try:
                    attempt()
                except ApiError as exc:
                    raised.append(exc)
        with BatchCallClient(sandbox.base_url, FAKE_KEY + "x", max_retries=0) as wrong:
            try:
                wrong.list_batches()
            except ApiError as exc:
                raised.append(exc)
    with BatchCallClient("http://127.0.0.1:9", FAKE_KEY, max_retries=0) as nowhere:
        try:
            nowhere.list_agents()
        except ApiError as exc:
            raised.append(exc)
    assert len(raised) == 5
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    texts = [caplog.text, *(f"{e!s} {e!r}" for r in raised for e in exceptions_of(r))]
    texts += ["".join(traceback.format_exception(r)) for r in raised]
    assert not [text for text in texts if FAKE_KEY in text]


def test_deeply_nested_json_is_a_typed_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    client, _ = serve({"/v1/agents": lambda r: httpx.Response(200, content=deep.encode())})
    with pytest.raises(ApiResponseError, match="nested too deeply"):
        client.list_agents()


def test_an_answer_dripped_slowly_ends_within_the_deadline() -> None:
    """Each drop comes well inside httpx's read timeout; the whole answer never does."""
    now = [0.0]

    def drip() -> Iterator[bytes]:
        while True:
            now[0] += 10.0  # ten seconds a byte
            yield b" "

    client, seen = serve({"/v1/agents": lambda r: httpx.Response(200, content=drip())})
    client._transport.clock = lambda: now[0]
    with pytest.raises(ApiTimeoutError, match="longer than 120 s"):
        client.list_agents()
    attempts = len(seen)
    assert attempts == 1 + client.max_retries
    assert now[0] <= attempts * (transport_module.ANSWER_DEADLINE_SECONDS + 10)


def test_the_key_typed_in_the_app_stays_out_of_pages_drafts_and_files(
    app_environment: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    with serve_sandbox(sandbox_settings(api_key=FAKE_KEY)) as sandbox:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        app.session_state[STATE_KEY] = Session(restored=True)
        app.switch_page(PAGES["upload"][0]).run()
        labelled = {widget.label: widget for widget in app.text_input}
        labelled["API base URL"].input(sandbox.base_url)
        labelled["API key"].input(f" {FAKE_KEY} ")
        [connect] = [b for b in app.button if b.label == "Connect"]
        connect.click().run()
        [sample] = [b for b in app.button if b.label == "Try this sample"]
        sample.click().run()
        assert_no_exception(app)
        session: Session = app.session_state[STATE_KEY]
        assert session.connection is not None and session.connection.base_url == sandbox.base_url
        assert session.table is not None
        for page in ("destinations", "fix", "submit"):
            app.switch_page(PAGES[page][0]).run()
            assert_no_exception(app)
        shown = str(app._tree)
    assert FAKE_KEY not in shown and FAKE_KEY not in repr(session)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files, "the draft was saved"
    assert not [p for p in files if FAKE_KEY.encode() in p.read_bytes()]


def test_a_compressed_answer_is_read_once_decoded() -> None:
    """Read in chunks within the deadline, a gzip body must not be decoded twice."""
    body = gzip.compress(b'{"data": [{"id": "agt_1", "name": "Loan"}]}')
    headers = {"content-encoding": "gzip", "content-type": "application/json"}
    client, _ = serve({"/v1/agents": lambda r: httpx.Response(200, headers=headers, content=body)})
    assert [agent.id for agent in client.list_agents()] == ["agt_1"]
