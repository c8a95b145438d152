"""Poetry's constraint language, translated to PEP 440/508 as Poetry itself reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.sources.poetry import python_marker, requirement, specifier


@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2"),
        ("^0.2.3", ">=0.2.3,<0.3"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("^1", ">=1,<2"),
        ("~1.2.3", ">=1.2.3,<1.3"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.2", "~=1.2"),
        ("*", ""),
        ("", ""),
        ("1.2.*", "==1.2.*"),
        ("1.*", "==1.*"),
        ("1.2.3", "==1.2.3"),
        ("==1.2", "==1.2"),
        (">= 1.2, < 2.0", ">=1.2,<2.0"),
        (">=1.2 <2.0", ">=1.2,<2.0"),
        ("!=1.5", "!=1.5"),
        ("^1.0 || ^2.0", ">=1.0,<3"),
        ("^2.0 || ^1.0", ">=1.0,<3"),
        (">=1.0,<2.0 || >=1.5", ">=1.0"),
        ("^1.0 || *", ""),
    ],
)
def test_constraints(poetry: str, pep440: str) -> None:
    assert specifier(poetry) == pep440


@pytest.mark.parametrize("poetry", ["^1.0 || ^3.0", "<1.0 || >2.0", "^not-a-version", ">=1.0,<=2.0 || >=3"])
def test_untranslatable_constraints(poetry: str) -> None:
    with pytest.raises(ValueError, match="'"):
        specifier(poetry)


@pytest.mark.parametrize(
    ("python", "marker"),
    [
        ("^3.8", 'python_version < "4" and python_version >= "3.8"'),
        (">=3.8.1", 'python_full_version >= "3.8.1"'),
        (
            "~2.7 || ^3.6",
            '(python_version < "2.8" and python_version >= "2.7") or '
            '(python_version < "4" and python_version >= "3.6")',
        ),
        ("*", 'python_version >= "0"'),
    ],
)
def test_python_markers(python: str, marker: str) -> None:
    assert python_marker(python) == marker


@pytest.mark.parametrize(
    ("spec", "line"),
    [
        ("^1.0", "alpha>=1.0,<2"),
        ({"version": "~1.0", "extras": ["fast", "x"]}, "alpha[fast,x]>=1.0,<1.1"),
        ({"version": "*", "platform": "linux"}, 'alpha; sys_platform == "linux"'),
        (
            {"version": ">=1", "python": ">=3.9", "markers": "os_name == 'nt'"},
            "alpha>=1; (python_version >= \"3.9\") and (os_name == 'nt')",
        ),
    ],
)
def test_requirement_lines(spec: object, line: str) -> None:
    assert requirement("alpha", spec, Path("pyproject.toml"), "tool.poetry.group.dev.dependencies") == line


def test_an_entry_that_is_not_a_constraint_names_the_key() -> None:
    with pytest.raises(ReadyError, match=r"pyproject.toml \[tool.poetry.dependencies\] alpha: expected a version"):
        requirement("alpha", 3, Path("pyproject.toml"), "tool.poetry.dependencies")
