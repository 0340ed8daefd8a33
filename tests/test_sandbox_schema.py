"""The sandbox against its own OpenAPI schema, over real HTTP on loopback.

schemathesis generates requests from the schema, valid and invalid, in all its
phases (examples, coverage, fuzzing, stateful): no answer may be a 5xx, every
answer must match the schema (status, headers, body), a method the path does not
serve answers 405 naming every method it does serve, and a request the schema
forbids is refused. (Requests the schema allows may still be refused for what it
can not say: an agent that does not exist, a file that is no contact list.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sandbox_server import API_KEY, serve_sandbox

pytestmark = pytest.mark.slow
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "unsupported_method",
    "allow_header_conformance",
    "negative_data_rejection",
]
EXAMPLES = os.environ.get("SCHEMA_EXAMPLES", "25")


def test_every_answer_is_no_server_error_and_matches_the_schema(tmp_path: Path) -> None:
    schemathesis = Path(sys.executable).parent / "schemathesis"
    with serve_sandbox() as sandbox:
        done = subprocess.run(
            [
                str(schemathesis),
                "run",
                f"{sandbox.base_url}/openapi.json",
                "--header",
                f"Authorization: Bearer {API_KEY}",
                "--checks",
                ",".join(CHECKS),
                "--max-examples",
                EXAMPLES,
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    report = done.stdout[-8000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert "10 passed" in report or "Tested: 10" in report, report
