"""A short soak of the sandbox on loopback (``make soak`` runs the long one): under
concurrent creators and pollers no request fails and no batch's counters go back."""

from __future__ import annotations

import pytest

from bench.soak import soak

pytestmark = pytest.mark.slow


def test_the_sandbox_serves_pollers_and_creators_at_once_without_a_failure() -> None:
    result = soak(seconds=6.0, pollers=12, creators=2)
    assert result["errors"] == 0, result["first_errors"]
    assert result["backwards"] == 0, result["first_errors"]
    assert result["batches"] >= 10 and result["requests"] >= 500
