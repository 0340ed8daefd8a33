"""One way to name a file's bytes: SHA-256 in hex.

Drafts are found by the uploaded file's digest, the idempotency key is built from
the digests of what is sent, and the sandbox seeds its simulation and matches
repeated creates by the digest of what it received.
"""

from __future__ import annotations

import hashlib

__all__ = ["digest"]


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex characters."""
    return hashlib.sha256(data).hexdigest()
