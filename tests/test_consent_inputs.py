"""Consent covers everything a build can read, and a project is never taken from a folder the user does not own:
hostile checkouts through the real `virtualenv` command, with `ready` only the default seeder (`enable`)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from helpers import installed, ready_cli, trust, virtualenv_cmd

INSTALLERS = pytest.mark.parametrize("installer", ["uv", "pip"])


@pytest.fixture
def enabled(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini), "VIRTUALENV_READY_CONFIG_FILE": str(tmp_path / "r.toml")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    assert ready_cli("enable", env=env).returncode == 0
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX folder modes")
@INSTALLERS
def test_a_project_planted_in_a_shared_parent_is_not_taken(
    tmp_path: Path, enabled: dict[str, str], installer: str
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    marker = tmp_path / "marker"
    (shared / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "planted"\nversion = "1"\ndependencies = ["alpha"]\n'
    )
    (shared / "setup.py").write_text(f"open({str(marker)!r}, 'w').close()\nfrom setuptools import setup\nsetup()\n")
    shared.chmod(0o1777)  # a /tmp: sticky and writable by everyone
    job = shared / "job1"
    job.mkdir()
    env = {**enabled, "VIRTUALENV_READY_INSTALLER": installer}
    out = virtualenv_cmd("venv", "-v", "--activators", "", cwd=job, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert f"virtualenv-ready: no project looked for in {shared} or above: it is writable by every user" in text
    assert f"virtualenv-ready project {job} (current directory)" in text
    assert not marker.exists()
    assert "alpha" not in installed(job / "venv")
    # the same run with ready chosen explicitly (consent) takes nothing from the shared folder either
    out = virtualenv_cmd("venv2", "--seeder", "ready", "--activators", "", cwd=job, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not marker.exists()
    assert "alpha" not in installed(job / "venv2")


def test_a_project_two_levels_up_is_named_first(project: Path, wheelhouse: Path) -> None:
    (project / "pyproject.toml").write_text('[dependency-groups]\ndev = ["alpha"]\n')
    deep = project / "src" / "pkg"
    deep.mkdir(parents=True)
    out = virtualenv_cmd(
        str(project / ".venv"), "--seeder", "ready", "--ready-no-index", "--ready-find-links", str(wheelhouse),
        "--ready-groups", "dev", "--activators", "", cwd=deep,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stderr.splitlines()[0] == "virtualenv-ready: project: ../.. (pyproject.toml)"  # ours: on stderr
    assert "alpha" in installed(project / ".venv")


def hostile_project(project: Path, wheelhouse: Path) -> None:
    """A project whose build reads more than its requirement files: a module setup.py imports, an in-tree backend,
    a local wheel, a dynamic-dependencies file."""
    (project / "wheels").mkdir()
    shutil.copy(wheelhouse / "alpha-1.0-py3-none-any.whl", project / "wheels")
    (project / "requirements.txt").write_text("./wheels/alpha-1.0-py3-none-any.whl\nzeta\n")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["backend"]\n'
        '[project]\nname = "thing"\nversion = "1"\ndynamic = ["dependencies"]\n'
        '[tool.setuptools.dynamic]\ndependencies = {file = ["deps.txt"]}\n'
    )
    (project / "backend").mkdir()
    (project / "backend" / "backend.py").write_text("from setuptools.build_meta import *\n")
    (project / "setup.py").write_text("import helper\nfrom setuptools import setup\nsetup()\n")
    (project / "helper.py").write_text("VALUE = 1\n")
    (project / "deps.txt").write_text("delta\n")


CHANGES = {
    "imported-module": ("helper.py", "1 file changed (helper.py)"),
    "in-tree-backend": ("backend/backend.py", "1 file changed (backend/backend.py)"),
    "local-wheel": ("wheels/alpha-1.0-py3-none-any.whl", "1 file changed (wheels/alpha-1.0-py3-none-any.whl)"),
    "dynamic-dependencies": ("deps.txt", "1 file changed (deps.txt)"),
    "new-uv-toml": ("uv.toml", "1 file added (uv.toml)"),
}


@INSTALLERS
@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_changed_input_asks_again(
    project: Path, wheelhouse: Path, enabled: dict[str, str], installer: str, kind: str
) -> None:
    hostile_project(project, wheelhouse)
    env = {**enabled, "VIRTUALENV_READY_INSTALLER": installer}
    trust(project, env)
    name, said = CHANGES[kind]
    if kind == "local-wheel":  # another wheel under the trusted name (it could ship a .pth)
        shutil.copy(wheelhouse / "alpha-2.0-py3-none-any.whl", project / name)
    elif kind == "new-uv-toml":
        (project / name).write_text("")
    else:
        (project / name).write_text((project / name).read_text() + "# changed\n")
    out = virtualenv_cmd(".venv", "--activators", "", cwd=project, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert "its inputs changed since you trusted it on " in text
    assert f": {said}; it installs alpha, zeta, proj." in text
    assert f"Trust it with `virtualenv-ready trust {project}`" in text
    found = installed(project / ".venv")
    assert not {"alpha", "zeta", "thing", "delta"} & set(found)
    again = ready_cli("trust", cwd=project, env=env)
    assert "it was trusted for other inputs (on " in again.stdout


def test_trust_costs_little_on_a_large_checkout(project: Path, enabled: dict[str, str]) -> None:
    """A 2000-file project: `trust` (which hashes every file) stays quick."""
    (project / "requirements.txt").write_text("alpha\n")
    for i in range(2000):
        folder = project / "pkg" / f"m{i // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"mod{i}.py").write_text(f"VALUE = {i}\n" * 20)
    out = ready_cli("trust", cwd=project, env=enabled)
    assert out.returncode == 0, out.stderr
    assert "(requirements.txt; 2001 files; it installs alpha)" in out.stdout
