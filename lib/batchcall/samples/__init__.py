"""Sample contact files and the sandbox's workspace, shipped inside the package.

Read through ``importlib.resources`` so an installed copy (a wheel in a
notebook's environment) still offers "Try this sample" and starts its sandbox.
``README.md`` beside this file documents each sample's expected verdicts.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLES = {
    "messy_contacts.xlsx": "Messy workbook: local, trunk 0, foreign, damaged numbers",
    "loan_followup.csv": "Clean loan follow-up list, 250 rows",
    "legacy_contacts.xls": "Legacy Excel 97-2003 workbook",
}
"""Sample contact files, name -> what it shows, in the order the app offers them."""

WORKSPACE_FILE = "workspace.json"

__all__ = ["SAMPLES", "WORKSPACE_FILE", "sample_bytes", "sample_path"]


def sample_path(name: str) -> Path:
    """The shipped file ``name`` (a sample or ``workspace.json``) as a path on disk."""
    resource = files(__name__) / name
    if not resource.is_file():
        raise FileNotFoundError(f"no sample named {name!r} in the batchcall package")
    return Path(str(resource))


def sample_bytes(name: str) -> bytes:
    return sample_path(name).read_bytes()
