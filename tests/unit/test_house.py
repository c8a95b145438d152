"""The shape of the house: short functions, and a conductor that only conducts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "virtualenv_ready"
MAX_FUNCTION_LINES = 60
MAX_CONDUCTOR_LINES = 260


def long_functions(tree: ast.Module, name: str, limit: int) -> list[str]:
    """Every function (methods and nested ones included) longer than ``limit`` lines, decorators not counted."""
    return [
        f"{name}:{node.lineno} {node.name} is {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > limit
    ]


def test_the_check_finds_a_long_method_and_lets_one_at_the_limit_pass() -> None:
    def method(name: str, lines: int) -> list[str]:
        return [f"    def {name}(self) -> None:", *(f"        x = {i}" for i in range(lines - 1))]

    source = ["class A:", *method("fits", MAX_FUNCTION_LINES), *method("long", MAX_FUNCTION_LINES + 1)]
    found = long_functions(ast.parse("\n".join(source)), "a.py", MAX_FUNCTION_LINES)
    assert found == [f"a.py:{MAX_FUNCTION_LINES + 2} long is {MAX_FUNCTION_LINES + 1} lines"]


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_function_is_over_60_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert long_functions(tree, path.relative_to(SRC).as_posix(), MAX_FUNCTION_LINES) == []


def test_the_conductor_stays_short() -> None:
    lines = len((SRC / "apply.py").read_text(encoding="utf-8").splitlines())
    assert lines < MAX_CONDUCTOR_LINES, f"apply.py is {lines} lines: move what does not conduct to its own module"


def unquoted_extras(text: str) -> list[str]:
    """Each ``virtualenv-ready[...]`` not inside double quotes: zsh reads the brackets as a glob (no matches found)."""
    import re

    return [m.group(0) for m in re.finditer(r'(?<!")virtualenv-ready\[[^\]]*\](?!")', text)]


def test_the_extra_check_finds_an_unquoted_extra() -> None:
    assert unquoted_extras("run `pip install virtualenv-ready[uv]`") == ["virtualenv-ready[uv]"]
    assert unquoted_extras('run `pip install "virtualenv-ready[uv]"`') == []


def test_every_printed_pip_install_of_an_extra_is_quoted() -> None:
    strings = [
        (path.relative_to(SRC).as_posix(), node.value)
        for path in sorted(SRC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert [(name, text) for name, text in strings if "virtualenv-ready[" in text]  # the hints are there to check
    assert [(name, found) for name, text in strings for found in unquoted_extras(text)] == []
    docs = [SRC.parents[1] / "README.md", *sorted((SRC.parents[1] / "docs").rglob("*.md"))]
    commands = [
        line for path in docs for line in path.read_text(encoding="utf-8").splitlines() if "pip install" in line
    ]
    assert [found for line in commands for found in unquoted_extras(line)] == []
