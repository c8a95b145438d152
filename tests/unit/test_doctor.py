"""doctor's line for an unset --ready-groups: what will be installed for the project here, and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.config import layer
from virtualenv_ready.doctor import default_groups_shown
from virtualenv_ready.options import CLI


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ('[dependency-groups]\ndev = ["zeta"]\ntest = ["epsilon"]\n', "dev (uv's default)"),
        (
            '[dependency-groups]\ndev = []\nlint = []\n[tool.uv]\ndefault-groups = ["lint"]\n',
            "lint (uv's default)",
        ),
        (
            '[tool.poetry.group.test.dependencies]\nzeta = "*"\n'
            '[tool.poetry.group.docs]\noptional = true\n[tool.poetry.group.docs.dependencies]\ndelta = "*"\n',
            "test (poetry install's default)",
        ),
        ('[dependency-groups]\ntest = ["epsilon"]\n', "none (no default group)"),
        (None, "none (no pyproject.toml)"),
    ],
)
def test_unset_groups_shown_as_resolved(tmp_path: Path, pyproject: str | None, expected: str) -> None:
    (tmp_path / ".git").mkdir()
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "1"\n' + pyproject)
    project = str(tmp_path)
    config = layer({"ready_project": (project, CLI)}, cwd=tmp_path, env={})
    assert default_groups_shown(config) == expected


def test_a_broken_project_file_is_said(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "1"\n[tool.uv]\ndefault-groups = 1\n')
    config = layer({"ready_project": (str(tmp_path), CLI)}, cwd=tmp_path, env={})
    assert default_groups_shown(config).startswith("(cannot tell: ")
