"""Drafts: the uploaded file plus the operator's edits, so no work is lost.

Drafts are kept behind a small store interface (``DraftStore``); the default,
``FileDraftStore``, keeps each in ``<root>/<sha256 of the file>/``: the original
bytes and a ``draft.json`` with the edit log. Uploading the same file again, refreshing the
browser or restarting the app finds it by the file's hash.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Draft:
    """Where an operator left off with one file."""

    digest: str
    filename: str
    sheet: str | None = None
    phone_column: str | None = None
    route_number: str | None = None
    edits: dict[str, dict[str, str]] = field(default_factory=dict)
    dropped: list[int] = field(default_factory=list)
    saved_at: str = ""

    @property
    def has_work(self) -> bool:
        return bool(self.edits or self.dropped)


class DraftStore(Protocol):
    """Where drafts are kept: by the uploaded file's digest, with the file's own bytes.

    ``FileDraftStore`` (a folder per file) is the one the app uses; a team running
    several app servers would put a database behind these same six methods.
    """

    def save_source(self, digest: str, data: bytes) -> None:
        """Keep the uploaded bytes (once: the same digest is the same file)."""
        ...

    def load_source(self, digest: str) -> bytes | None: ...

    def save(self, draft: Draft) -> Draft:
        """Store ``draft`` (stamping ``saved_at``) and return it."""
        ...

    def load(self, digest: str) -> Draft | None: ...

    def find(self, prefix: str) -> Draft | None:
        """The one draft whose digest starts with ``prefix`` (as kept in the page URL)."""
        ...

    def discard(self, digest: str) -> None: ...


class FileDraftStore:
    """Drafts under one folder; every path is built from a checked hex digest, never from input."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _folder(self, digest: str) -> Path:
        if not _DIGEST.match(digest):
            raise ValueError("Not a file digest.")
        return self.root / digest

    def save_source(self, digest: str, data: bytes) -> None:
        folder = self._folder(digest)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "source.bin"
        if not target.exists():
            _atomic_write(target, data)

    def load_source(self, digest: str) -> bytes | None:
        path = self._folder(digest) / "source.bin"
        return path.read_bytes() if path.exists() else None

    def save(self, draft: Draft) -> Draft:
        draft.saved_at = datetime.now(UTC).isoformat(timespec="seconds")
        folder = self._folder(draft.digest)
        folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(folder / "draft.json", json.dumps(asdict(draft), indent=1).encode())
        return draft

    def load(self, digest: str) -> Draft | None:
        try:
            path = self._folder(digest) / "draft.json"
        except ValueError:
            return None
        if not path.exists():
            return None
        try:
            data: dict[str, Any] = json.loads(path.read_text())
            return Draft(**{k: v for k, v in data.items() if k in Draft.__dataclass_fields__})
        except (OSError, ValueError, TypeError):
            return None

    def find(self, prefix: str) -> Draft | None:
        """A draft by a digest prefix (as kept in the page URL)."""
        if not re.fullmatch(r"[0-9a-f]{8,64}", prefix or "") or not self.root.exists():
            return None
        matches = [p.name for p in self.root.iterdir() if p.name.startswith(prefix)]
        return self.load(matches[0]) if len(matches) == 1 else None

    def discard(self, digest: str) -> None:
        path = self._folder(digest) / "draft.json"
        path.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)
