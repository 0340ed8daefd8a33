"""``batchcall.sandbox.running()``: a real sandbox on loopback for the length of a block.

Everything goes over real HTTP on 127.0.0.1; "stopped" is checked the way a caller
would notice it: the port refuses connections and can be bound again, the server's
thread is gone, and the temporary data folder no longer exists.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import httpx
import pytest
from batchcall import BatchCallClient
from batchcall.sandbox import SandboxStartError, running

FROM_NUMBER = "+912234567890"  # the bundled workspace's non-SIP Indian route
AGENT = "agt_abc123"
FAST = 200_000.0  # a handful of calls ends within a tick or two


def contacts_csv(count: int) -> bytes:
    rows = [
        f"{9_800_000_000 + 7 * i},Customer {i},{'home' if i % 2 else 'car'}" for i in range(count)
    ]
    return ("phone_number,customer_name,product\n" + "\n".join(rows) + "\n").encode()


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def can_bind(port: int) -> bool:
    """What the next server on this port would do (every server sets SO_REUSEADDR)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def server_threads(port: int) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"batchcall-sandbox-{port}"]


def test_a_batch_runs_to_the_end_and_its_calls_are_listed() -> None:
    with running(speed=FAST, seed=3) as sandbox:
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert sandbox.api_key == "sandbox"
        client = sandbox.client()
        assert isinstance(client, BatchCallClient)
        assert FROM_NUMBER in [n.phone_number for n in client.list_phone_numbers()]
        batch = client.create_batch(
            ("contacts.csv", contacts_csv(12)),
            agent_id=AGENT,
            from_phone_number=FROM_NUMBER,
            idempotency_key="running-test-1",
        )
        assert (batch.status, batch.total_leads) == ("initiated", 12)
        done = client.wait_for_batch(batch.id, poll_seconds=0.05, timeout=30)
        assert done.status == "completed"
        calls = list(client.iter_calls(batch_id=batch.id))
        assert sorted(call.position for call in calls) == list(range(2, 14))
        assert {call.metadata["customer_name"] for call in calls} == {
            f"Customer {i}" for i in range(12)
        }
        assert sum(done.status_counts_or_derived().values()) == 12
        # The same key returns the first batch rather than launching a second.
        again = client.create_batch(
            ("contacts.csv", contacts_csv(12)),
            agent_id=AGENT,
            from_phone_number=FROM_NUMBER,
            idempotency_key="running-test-1",
        )
        assert again.id == batch.id
        assert [b.id for b in client.iter_batches()] == [batch.id]


def test_the_key_is_enforced() -> None:
    with running(api_key="s3cret", speed=FAST) as sandbox:
        anonymous = httpx.get(f"{sandbox.base_url}/v1/agents", timeout=10)
        assert anonymous.status_code == 401
        assert "s3cret" not in repr(sandbox)
        with sandbox.client() as client:
            assert AGENT in [agent.id for agent in client.list_agents()]


def test_on_exit_the_port_is_freed_and_the_temporary_data_removed() -> None:
    with running(speed=FAST) as sandbox:
        port, folder = sandbox.port, sandbox.data_dir
        client = sandbox.client()
        client.list_batches()  # leaves a keep-alive connection open: it must not hold the exit
        assert (folder / "sandbox.db").exists()
        assert server_threads(port)
    assert refuses_connections(port)
    assert can_bind(port)
    assert not server_threads(port)
    assert not folder.exists()


def test_an_exception_inside_the_block_still_stops_it() -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), running(speed=FAST) as sandbox:
        port, folder = sandbox.port, sandbox.data_dir
        sandbox.client().get_telephony_config()
        raise Boom
    assert refuses_connections(port)
    assert not server_threads(port)
    assert not folder.exists()


def test_a_data_dir_given_is_kept_with_its_batches(tmp_path: Path) -> None:
    with running(speed=FAST, data_dir=tmp_path / "state") as sandbox:
        client = sandbox.client()
        batch = client.create_batch(
            ("contacts.csv", contacts_csv(3)), agent_id=AGENT, from_phone_number=FROM_NUMBER
        )
        client.wait_for_batch(batch.id, poll_seconds=0.05, timeout=30)
    assert (tmp_path / "state" / "sandbox.db").exists()
    with running(speed=FAST, data_dir=tmp_path / "state") as again:
        assert again.client().get_batch(batch.id).status == "completed"


def test_two_sandboxes_run_side_by_side() -> None:
    with running(speed=FAST) as first, running(speed=FAST) as second:
        assert first.port != second.port
        made = first.client().create_batch(
            ("contacts.csv", contacts_csv(2)), agent_id=AGENT, from_phone_number=FROM_NUMBER
        )
        assert [b.id for b in first.client().iter_batches()] == [made.id]
        assert list(second.client().iter_batches()) == []


def test_refused_settings_say_why_and_leave_nothing_running() -> None:
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ValueError, match="speed"), running(speed=0):
        pass
    with pytest.raises(ValueError, match="workspace"), running(workspace={"agents": "no"}):
        pass
    with pytest.raises(ValueError, match="api_key"), running(api_key=""):
        pass
    started = {t.name for t in threading.enumerate()} - before
    assert not any(name.startswith("batchcall-sandbox-") for name in started)


def test_a_server_too_slow_to_start_is_a_clear_error_and_is_stopped() -> None:
    before = set(threading.enumerate())
    with (
        pytest.raises(SandboxStartError, match=r"did not answer within 0 s"),
        running(speed=FAST, start_timeout=0),
    ):
        pytest.fail("the block must not run when the server did not come up")
    assert not [t for t in set(threading.enumerate()) - before if t.name.startswith("batchcall-")]
