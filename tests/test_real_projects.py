"""The shapes of real public projects, installed from the real package index and compared with what the project's
own tool (or uv, told the same plan by hand) installs. Needs the network: opt in with ``-m network`` (or
``VIRTUALENV_READY_NETWORK_TESTS=1``); skipped otherwise, and when the index cannot be reached."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import bin_path, virtualenv_cmd

pytestmark = pytest.mark.network

KEEP = {"pip", "setuptools", "wheel"}


def uv_binary() -> str:
    from virtualenv_ready.installers.uv import find_uv

    found = find_uv()
    assert found is not None, "the test extra installs uv"
    return found.argv[0]


@pytest.fixture(scope="module", autouse=True)
def index_reachable(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip when the default package index does not answer (no network here)."""
    req = tmp_path_factory.mktemp("probe") / "requirements.in"
    req.write_text("six\n")
    try:
        out = subprocess.run(
            [uv_binary(), "pip", "compile", "--no-header", "--quiet", str(req)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("the package index did not answer within 60s")
    if out.returncode != 0:
        pytest.skip(f"the package index cannot be reached: {out.stderr.strip().splitlines()[-1:]}")


def holds(venv: Path) -> dict[str, str]:
    """{name: version} of an env, as uv lists it (pip, setuptools and wheel left out: seeding differs by tool)."""
    out = subprocess.run(
        [uv_binary(), "pip", "list", "--python", str(bin_path(venv, "python")), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {p["name"].lower(): p["version"] for p in json.loads(out.stdout) if p["name"].lower() not in KEEP}


def ready_env(project: Path, *args: str) -> dict[str, str]:
    out = virtualenv_cmd("--seeder", "ready", ".venv", *args, cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    return holds(project / ".venv")


def by_hand(project: Path, *requirements: str) -> dict[str, str]:
    """uv told the same plan by hand: a new env, the project editable and the requirements given."""
    uv = uv_binary()
    venv = project.parent / "by-hand"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = str(bin_path(venv, "python"))
    subprocess.run([uv, "pip", "install", "--quiet", "--python", python, "-e", str(project), *requirements], check=True)
    return holds(venv)


def test_poetry_1_project_with_groups(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "p1"\nversion = "0.1.0"\ndescription = ""\nauthors = ["A <a@example.invalid>"]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.8"\nsix = "^1.16"\n\n'
        '[tool.poetry.dev-dependencies]\niniconfig = "^2.0"\n\n'
        '[tool.poetry.group.test.dependencies]\npluggy = { version = "~1.5", python = ">=3.8" }\n\n'
        '[tool.poetry.group.docs]\noptional = true\n\n[tool.poetry.group.docs.dependencies]\ndocutils = "*"\n\n'
        '[build-system]\nrequires = ["poetry-core>=1.0.0"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    (project / "p1").mkdir()
    (project / "p1" / "__init__.py").write_text("")
    ours = ready_env(project)
    theirs = by_hand(project, "iniconfig>=2.0,<3", "pluggy>=1.5,<1.6")
    assert ours == theirs
    assert "docutils" not in ours


def test_setuptools_project_with_setup_cfg(project: Path) -> None:
    (project / "setup.cfg").write_text(
        "[metadata]\nname = s1\nversion = 1.0\n\n[options]\npy_modules = s1\ninstall_requires =\n    six>=1.16\n"
    )
    (project / "setup.py").write_text("from setuptools import setup\n\nsetup()\n")
    (project / "s1.py").write_text("")
    (project / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools>=64"]\n')
    assert ready_env(project) == by_hand(project)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_uv_project_with_default_groups_dev_dependencies_and_lock(project: Path, installer: str) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "u1"\nversion = "1.0"\nrequires-python = ">=3.8"\ndependencies = ["six"]\n\n'
        '[dependency-groups]\ndev = ["iniconfig"]\ntest = ["tomli"]\nlint = ["pluggy"]\n\n'
        '[tool.uv]\ndefault-groups = ["dev", "test"]\ndev-dependencies = ["packaging"]\n'
    )
    uv = uv_binary()
    subprocess.run([uv, "lock", "--quiet", "--python", sys.executable], cwd=project, check=True)
    lock = (project / "uv.lock").read_bytes()
    ours = ready_env(project, "--ready-installer", installer)
    assert (project / "uv.lock").read_bytes() == lock
    theirs_dir = project.parent / "theirs"
    shutil.copytree(project, theirs_dir, ignore=shutil.ignore_patterns(".venv"))
    subprocess.run([uv, "sync", "--quiet", "--locked", "--python", sys.executable], cwd=theirs_dir, check=True)
    assert ours == holds(theirs_dir / ".venv")
    assert "pluggy" not in ours
