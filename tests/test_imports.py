"""Imports run one way: no module of the package imports one that imports it back.

Every import counts (module level, inside functions, under ``TYPE_CHECKING``), and importing a submodule counts as
importing each package above it, because Python runs those ``__init__`` files first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "virtualenv_ready"
SRC = Path(__file__).resolve().parent.parent / "src" / PACKAGE


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _imported(name: str, path: Path, known: set[str], package: str = PACKAGE) -> set[str]:
    """The package's modules that this module imports, wherever the import statement stands."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            bases = [alias.name for alias in node.names]
            names: list[str] = []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = here[: len(here) - (node.level - 1)]
                bases = [".".join([*anchor, node.module] if node.module else anchor)]
            else:
                bases = [node.module or ""]
            names = [alias.name for alias in node.names]
        else:
            continue
        for base in bases:
            if base != package and not base.startswith(f"{package}."):
                continue
            hits = {f"{base}.{n}" for n in names if f"{base}.{n}" in known} or {base}
            for hit in hits:
                targets.update(m for m in (*_parents(hit), hit) if m in known)
    targets.discard(name)
    # a module's own packages are already running when it is imported: not an edge back up
    return targets - set(_parents(name))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules(SRC)
    known = set(modules)
    return {name: _imported(name, path, known) for name, path in modules.items()}


def test_no_import_cycles() -> None:
    cycles = _cycles(import_graph())
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_data_types_import_nothing_above_them() -> None:
    graph = import_graph()
    floor = {
        f"{PACKAGE}.{name}"
        for name in ("errors", "redact", "safe", "files", "arguments", "options", "model", "valuetypes")
    }
    for name in floor:
        assert graph[name] <= floor | {PACKAGE}, (name, graph[name] - floor)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from . import b\n", {"pkg.b"}),
        ("from .b import thing\n", {"pkg.b"}),
        ("def f():\n    from .sub.c import x\n", {"pkg.sub", "pkg.sub.c"}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import T\n", {"pkg.b"}),
        ("import pkg.b\n", {"pkg.b"}),
    ],
)
def test_every_kind_of_import_is_an_edge(tmp_path: Path, source: str, expected: set[str]) -> None:
    module = tmp_path / "a.py"
    module.write_text(source, encoding="utf-8")
    known = {"pkg", "pkg.a", "pkg.b", "pkg.sub", "pkg.sub.c"}
    assert _imported("pkg.a", module, known, package="pkg") == expected


def test_a_cycle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_documented_plugin_imports_keep_working() -> None:
    from virtualenv_ready import config, model, plan, policy

    for name in ("Source", "IndexOptions", "Step", "InstallPlan"):
        assert getattr(plan, name) is getattr(model, name)
    assert config.ReadyConfig is model.ReadyConfig
    assert policy.Policy is model.Policy
