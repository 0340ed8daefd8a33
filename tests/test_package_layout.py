"""The package's import rules: rooms import each other one way only, and only ``ui``
imports Streamlit. Read from the source, so a new import that breaks a rule fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import batchcall

PACKAGE = Path(batchcall.__file__).parent
FOUNDATION = {"settings", "text", "digests", "samples", "pools", "sqlite"}
"""Modules every room may use; they import no room."""
ROOMS = {
    "contacts", "phones", "rules", "checks", "work", "insight", "charts", "api", "sandbox",
    "tracking", "ui", "cli",
}  # fmt: skip


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(p for p in parts if p != "__init__"), path


def imported(path: Path, module: str) -> Iterator[str]:
    """Every module ``path`` imports, absolute; relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                yield f"{base}.{node.module}" if node.module else base
            else:
                yield node.module or ""


def room(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "batchcall":
        return None
    return "cli" if parts[1] == "__main__" else parts[1]  # ``python -m batchcall`` is the CLI


def test_every_module_is_in_a_room_or_the_foundation() -> None:
    homeless = [m for m, _ in modules() if m != "batchcall" and room(m) not in ROOMS | FOUNDATION]
    assert homeless == []


def test_only_the_streamlit_glue_imports_streamlit() -> None:
    offenders = [
        module
        for module, path in modules()
        if room(module) != "ui"
        and any(name.split(".")[0] == "streamlit" for name in imported(path, module))
    ]
    assert offenders == []


def test_rooms_import_each_other_one_way_only() -> None:
    edges: dict[str, set[str]] = {name: set() for name in ROOMS | FOUNDATION}
    for module, path in modules():
        source = room(module)
        if source is None:
            continue
        for name in imported(path, module):
            target = room(name)
            if name == "batchcall":
                raise AssertionError(f"{module} imports the package's public face: a cycle")
            if target is not None and target != source:
                edges[source].add(target)
    for name in FOUNDATION:
        assert edges[name] <= FOUNDATION, f"{name} imports a room: {edges[name] - FOUNDATION}"
    cycle = find_cycle(edges)
    assert cycle is None, " -> ".join(cycle or [])


def test_no_private_name_is_imported_across_modules() -> None:
    private = []
    for module, path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("batchcall"):
                private += [f"{module}: {a.name}" for a in node.names if a.name.startswith("_")]
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                private += [
                    f"{module}: {n}"
                    for n in names
                    if n.startswith("batchcall") and any(p.startswith("_") for p in n.split("."))
                ]
    assert private == []


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a"}}) is None
