"""The package as an analyst gets it: a wheel installed away from the checkout.

Built with ``pip wheel``, installed into a folder of its own and imported from
another working folder, it must read a file, find its shipped samples and start
its sandbox, writing state only to the working folder, never into the package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

SCRIPT = """
import json, sys
import batchcall
from batchcall.samples import SAMPLES, sample_path
from batchcall.sandbox import SandboxSettings, create_app
from fastapi.testclient import TestClient

contacts = batchcall.read_contacts("x.csv")
settings = SandboxSettings()
with TestClient(create_app(settings)) as http:
    numbers = http.get("/v1/phone-numbers", headers={"Authorization": "Bearer sandbox"})
print(json.dumps({
    "file": batchcall.__file__,
    "rows": contacts.index.tolist(),
    "samples": [sample_path(name).is_file() for name in SAMPLES],
    "db": str(settings.db_path),
    "numbers": numbers.status_code,
}))
"""


def test_a_wheel_installed_elsewhere_reads_files_and_runs_its_sandbox(tmp_path: Path) -> None:
    wheels, target, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    [wheel] = wheels.glob("batch_call_workbench-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "batchcall/samples/workspace.json" in names
    assert not [n for n in names if n.startswith(("tests/", "pages/", "lib/"))]
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    (work / "x.csv").write_text("phone_number,name\n+919876543210,Priya\n12345,Rahul\n")
    before = {p for p in target.rglob("*") if "__pycache__" not in p.parts}

    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("BATCHCALL_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=work, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(found["file"]).is_relative_to(target)
    assert found["rows"] == [2, 3]
    assert found["samples"] == [True, True, True]
    assert Path(found["db"]) == work / ".workbench" / "sandbox.db"
    assert found["numbers"] == 200
    after = {p for p in target.rglob("*") if "__pycache__" not in p.parts}
    assert after == before, "the installed package wrote into its own folder"
