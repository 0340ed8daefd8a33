"""The one client for the Batch Call API, shared by the Streamlit app, notebooks and scripts.

    with BatchCallClient("http://127.0.0.1:8765", api_key) as client:
        batch = client.create_batch("contacts.csv", agent_id="agt_1",
                                    from_phone_number="+912234567890")
        client.wait_for_batch(batch.id)

Why one client: the wire rules live in one place. Reads are retried with
exponential backoff and full jitter on connection failures, 429 and 5xx; a
create is retried only with an ``Idempotency-Key`` (else a retry could launch
the same calls twice); cancel is never retried once sent. Failures arrive as
the typed tree in :mod:`batchcall.api.errors`; results as the models of
:mod:`batchcall.api.models` and :mod:`batchcall.api.batches`. Retries and the key live
in :mod:`batchcall.api.transport`: the key travels only in the per-request header, is
kept out of ``repr``, and is scrubbed from any text an error carries.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Self
from urllib.parse import quote

import httpx

from batchcall.api import batches as api_types
from batchcall.api.batches import Batch, Call, CallChanges, FileInput, Page
from batchcall.api.errors import (
    NotFoundError,
    NotSupportedError,
)
from batchcall.api.models import Agent, PhoneNumber, TelephonyConfig
from batchcall.api.transport import DEFAULT_TIMEOUT, Transport


def _segment(identifier: str) -> str:
    return quote(str(identifier), safe="")


def _bound(value: str | datetime | None) -> str | None:
    return api_types.iso_utc(value) if isinstance(value, datetime) else value


class BatchCallClient:
    """Typed, retrying access to ``/v1`` of one workspace (the sandbox or the real platform)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._transport = Transport(
            base_url,
            api_key,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            sleep=sleep,
        )

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def max_retries(self) -> int:
        return self._transport.max_retries

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build from ``BATCHCALL_API_URL`` and ``BATCHCALL_API_KEY`` (for notebooks)."""
        missing = [
            name for name in ("BATCHCALL_API_URL", "BATCHCALL_API_KEY") if not os.environ.get(name)
        ]
        if missing:
            raise ValueError(
                f"set {' and '.join(missing)} in the environment first "
                "(the API root, e.g. http://127.0.0.1:8765, and its key)"
            )
        return cls(os.environ["BATCHCALL_API_URL"], os.environ["BATCHCALL_API_KEY"], **kwargs)

    def __repr__(self) -> str:
        return f"BatchCallClient(base_url={self.base_url!r}, max_retries={self.max_retries})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    # ---- resources ------------------------------------------------------------------------

    def list_agents(self) -> list[Agent]:
        return list(self._transport.iter_items("/agents", Agent, {}, limit=100, feature="agents"))

    def get_agent(self, agent_id: str) -> Agent:
        """``GET /v1/agents/{id}`` where served; otherwise the agent is looked up in the list."""
        try:
            return self._transport.get_model(
                f"/agents/{_segment(agent_id)}", Agent, feature="agent lookup"
            )
        except NotSupportedError:
            pass
        for agent in self.list_agents():
            if agent.id == agent_id:
                return agent
        raise NotFoundError(f"agent {agent_id} not found", status_code=404)

    def list_phone_numbers(self) -> list[PhoneNumber]:
        pages = self._transport.iter_items(
            "/phone-numbers", PhoneNumber, {}, limit=100, feature="numbers"
        )
        return list(pages)

    def get_telephony_config(self) -> TelephonyConfig:
        return self._transport.get_model(
            "/telephony-config", TelephonyConfig, feature="telephony config"
        )

    def create_batch(
        self,
        file: FileInput,
        *,
        agent_id: str,
        from_phone_number: str,
        name: str | None = None,
        scheduled_at: datetime | str | None = None,
        max_concurrent_calls: int | None = None,
        retry_config: dict[str, Any] | str | None = None,
        idempotency_key: str | None = None,
    ) -> Batch:
        """Launch a batch; retried on failure only when ``idempotency_key`` makes that safe."""
        fields = {"agent_id": agent_id, "from_phone_number": from_phone_number}
        if name is not None:
            fields["name"] = name
        if scheduled_at is not None:
            fields["scheduled_at"] = api_types.iso_utc(scheduled_at)
        if max_concurrent_calls is not None:
            fields["max_concurrent_calls"] = str(int(max_concurrent_calls))
        if retry_config is not None:
            fields["retry_config"] = (
                retry_config if isinstance(retry_config, str) else json.dumps(retry_config)
            )
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        payload = self._transport.request(
            "POST",
            "/batch-calls",
            data=fields,
            files={"file": api_types.file_part(file)},
            headers=headers,
            retryable=bool(idempotency_key),
            validation_rows=True,
        )
        return self._transport.parse(Batch, payload)

    def list_batches(
        self, page: int = 1, limit: int = 20, status: str | None = None
    ) -> Page[Batch]:
        return self._transport.get_page(
            "/batch-calls", Batch, {"status": status}, page=page, limit=limit
        )

    def iter_batches(self, status: str | None = None, limit: int = 100) -> Iterator[Batch]:
        """Every batch, newest first, walking ``meta.totalPages``."""
        return self._transport.iter_items("/batch-calls", Batch, {"status": status}, limit=limit)

    def get_batch(self, batch_id: str) -> Batch:
        return self._transport.get_model(f"/batch-calls/{_segment(batch_id)}", Batch)

    def list_calls(
        self,
        batch_id: str | None = None,
        status: str | None = None,
        page: int = 1,
        limit: int = 100,
        agent_id: str | None = None,
        *,
        from_: str | datetime | None = None,
        to: str | datetime | None = None,
    ) -> Page[Call]:
        """One page of calls; ``batch_id`` is an extension (NotSupportedError where ignored).

        ``from_``/``to`` go as the contract's ``from``/``to`` (a number such as ``+91...``,
        percent-encoded, or a time; a datetime is sent as ISO 8601 UTC).
        """
        params = {
            "batch_id": batch_id,
            "status": status,
            "agent_id": agent_id,
            "from": _bound(from_),
            "to": _bound(to),
        }
        feature = "calls by batch" if batch_id else None
        result = self._transport.get_page(
            "/calls", Call, params, page=page, limit=limit, feature=feature
        )
        if batch_id and any(call.batch_id != batch_id for call in result.data):
            # A platform that ignores the filter would hand back other batches' calls.
            raise NotSupportedError(
                "this platform does not offer calls by batch: it ignored the batch_id filter",
                feature="calls by batch",
                status_code=200,
            )
        return result

    def iter_calls(
        self,
        batch_id: str | None = None,
        status: str | None = None,
        limit: int = 100,
        agent_id: str | None = None,
        *,
        from_: str | datetime | None = None,
        to: str | datetime | None = None,
    ) -> Iterator[Call]:
        return api_types.walk_pages(
            lambda page: self.list_calls(
                batch_id, status, page, limit, agent_id, from_=from_, to=to
            )
        )

    def call_changes(self, batch_id: str, after: int = 0, limit: int = 1_000) -> CallChanges:
        """Calls of a batch changed since revision ``after`` (extension; NotSupportedError
        where the platform has no change feed). Follow ``next_revision`` to keep a copy of
        the batch's calls current without listing them all again."""
        path = f"/batch-calls/{_segment(batch_id)}/changes"
        payload = self._transport.request(
            "GET",
            path,
            params={"after": int(after), "limit": int(limit)},
            retryable=True,
            feature="a change feed of calls",
        )
        changes = self._transport.parse(CallChanges, payload)
        if changes.next_revision < after or any(call.revision <= after for call in changes.data):
            raise NotSupportedError(
                "this platform does not offer a change feed of calls: it ignored `after`",
                feature="a change feed of calls",
                status_code=200,
            )
        return changes

    def cancel_batch(self, batch_id: str) -> Batch:
        """Cancel queued calls (extension: NotSupportedError on 404/405). Never re-sent."""
        payload = self._transport.request(
            "POST", f"/batch-calls/{_segment(batch_id)}/cancel", retryable=False, feature="cancel"
        )
        return self._transport.parse(Batch, payload)

    def wait_for_batch(
        self, batch_id: str, poll_seconds: float = 2.0, timeout: float | None = None
    ) -> Batch:
        """Poll until :attr:`Batch.is_finished` (a cancelled batch: once its calls in flight
        ended); TimeoutError past ``timeout``."""
        deadline = None if timeout is None else self._transport.clock() + timeout
        while True:
            batch = self.get_batch(batch_id)
            if batch.is_finished:
                return batch
            if deadline is not None and self._transport.clock() + poll_seconds > deadline:
                raise TimeoutError(f"batch {batch_id} still {batch.status!r} after {timeout} s")
            self._transport.sleep(poll_seconds)
