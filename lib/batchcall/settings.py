"""Where the workbench keeps its state, from one setting.

Drafts, submitted batches' row maps and the sandbox's database live under one data
folder:
``BATCHCALL_DATA_DIR``, or ``.workbench/`` in the working folder (where
``make run`` starts the app). Paths are worked out when asked, never at import
and never relative to this package: an installed copy must not write into
site-packages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_VARIABLE = "BATCHCALL_DATA_DIR"
DEFAULT_DATA_DIR = ".workbench"

__all__ = [
    "DATA_DIR_VARIABLE", "data_dir", "dnc_dir", "drafts_dir", "progress_db_path",
    "row_maps_dir", "sandbox_db_path",
]  # fmt: skip


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder, absolute (resolved against the working folder now)."""
    env = os.environ if environ is None else environ
    return Path(env.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR).expanduser().absolute()


def drafts_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Operators' drafts: one folder per uploaded file."""
    return data_dir(environ) / "drafts"


def sandbox_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """The sandbox's SQLite file."""
    return data_dir(environ) / "sandbox.db"


def row_maps_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Each submitted batch's rows, mapped back to the operator's spreadsheet."""
    return data_dir(environ) / "row_maps"


def progress_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """What the workbench has seen of each batch it followed (counters over time, calls)."""
    return data_dir(environ) / "progress.db"


def dnc_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Each workspace's do-not-call list, with the day it was uploaded."""
    return data_dir(environ) / "dnc"
