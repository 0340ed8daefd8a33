"""The notebooks in ``notebooks/`` run from top to bottom, and are stored clean.

Each is executed by nbclient in a fresh kernel of this very interpreter (a kernelspec
written to a temporary folder that ``JUPYTER_PATH`` points at, so nothing is
registered for the user), from a temporary working folder. Its last cell shows a
summary dict, which says whether the batch finished and the outcomes table has rows.

The stored files must carry no outputs (reviews stay readable, no stale numbers),
and they may use the library only through ``batchcall.__all__`` and
``batchcall.sandbox.running``: what the README promises analysts is what they use.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import batchcall
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["clean_and_submit.ipynb", "results.ipynb"]
KERNEL = "batchcall-notebook-test"
ALLOWED_IMPORTS = {("batchcall", None), ("batchcall.sandbox", "running")}
"""``import batchcall`` and ``from batchcall.sandbox import running``; nothing deeper."""


def load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def code(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernelspec for ``sys.executable``, visible to this test run only."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "batchcall tests", "language": "python"})
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(root))
        patch.setenv("JUPYTER_RUNTIME_DIR", str(root / "runtime"))
        patch.setenv("IPYTHONDIR", str(root / "ipython"))
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # no deprecation notice from jupyter_core
        yield KERNEL


def execute(name: str, kernel: str, workdir: Path) -> nbformat.NotebookNode:
    notebook = load(name)
    client = NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=180,
        startup_timeout=60,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    return notebook


def summary(notebook: nbformat.NotebookNode) -> dict[str, object]:
    """The dict the last code cell shows."""
    last = [cell for cell in notebook.cells if cell.cell_type == "code"][-1]
    shown = [out for out in last.outputs if out.output_type == "execute_result"]
    assert shown, f"the last cell showed nothing: {last.outputs}"
    return ast.literal_eval(shown[-1].data["text/plain"])


def errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        f"{out.ename}: {out.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]


def printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        out.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stdout"
    )


def has_figure(notebook: nbformat.NotebookNode) -> bool:
    return any(
        "application/vnd.plotly.v1+json" in out.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )


@pytest.mark.slow
def test_clean_and_submit_runs_to_a_finished_batch(kernel: str, tmp_path: Path) -> None:
    notebook = execute("clean_and_submit.ipynb", kernel, tmp_path)
    assert errors(notebook) == []
    result = summary(notebook)
    assert result["batch"] == "completed"
    assert result["outcome_rows"] > 0
    # 59 contacts: 2 fixed, 14 still refused, 1 on the do-not-call list, 2 outside hours.
    assert result["calls"] == 42
    text = printed(notebook)
    assert "Fixed 2 rows, dropped 14" in text
    assert "(sent once)" in text
    assert has_figure(notebook)
    assert list(tmp_path.iterdir()) == []  # the sandbox's data went with it


@pytest.mark.slow
def test_results_gives_every_call_with_its_row(kernel: str, tmp_path: Path) -> None:
    notebook = execute("results.ipynb", kernel, tmp_path)
    assert errors(notebook) == []
    result = summary(notebook)
    assert result == {"batch": "completed", "calls": 250, "outcome_rows": result["outcome_rows"]}
    assert result["outcome_rows"] > 0
    assert has_figure(notebook)


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs(name: str) -> None:
    raw = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    cells = [cell for cell in raw["cells"] if cell["cell_type"] == "code"]
    assert cells
    assert all(cell["execution_count"] is None and cell["outputs"] == [] for cell in cells)
    nbformat.validate(load(name))


@pytest.mark.parametrize("name", NAMES)
def test_only_public_names_are_used(name: str) -> None:
    public = set(batchcall.__all__)
    used, imports = set(), set()
    for source in code(load(name)):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imports |= {(a.name, None) for a in node.names if a.name.startswith("batchcall")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("batchcall"):
                imports |= {(node.module, a.name) for a in node.names}
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "batchcall"
            ):
                used.add(node.attr)
    assert imports <= ALLOWED_IMPORTS
    assert used, "the notebook should use the library"
    assert used <= public, f"not in batchcall.__all__: {sorted(used - public)}"
