"""Other tools that create envs through virtualenv: with `ready` only as the ini default they keep plain seeding."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import installed, trust

NOXFILE = """
import nox

@nox.session(venv_backend="virtualenv", reuse_venv=False)
def check(session):
    session.run("python", "-c", "print('session ran')")
"""


def run_nox(project: Path, ini: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)}
    return subprocess.run(
        [sys.executable, "-m", "nox", "-s", "check"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def nox_project(project: Path) -> Path:
    (project / "noxfile.py").write_text(NOXFILE)
    (project / "requirements.txt").write_text("alpha\n")
    return project


@pytest.mark.skipif(
    sys.platform != "linux", reason="a tool calling virtualenv as a subprocess is recognised through /proc"
)
def test_nox_env_keeps_plain_seeding(nox_project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    out = run_nox(nox_project, ini)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "session ran" in out.stdout + out.stderr
    env = nox_project / ".nox" / "check"
    assert "pip" in installed(env)  # seeded like app-data
    assert "alpha" not in installed(env)  # the project was not installed behind nox's back
    assert not (env / "virtualenv-ready.json").exists()


def test_nox_env_installs_when_opted_in(nox_project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(
        f"[virtualenv]\nseeder = ready\nready_in_tools = true\nready_no_index = true\nready_find_links = {wheelhouse}\n"
    )
    trust(nox_project, {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)})
    out = run_nox(nox_project, ini)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "alpha" in installed(nox_project / ".nox" / "check")


def test_in_process_tool_keeps_plain_seeding(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    """hatch and poetry call virtualenv's API inside their own process; the same rule applies."""
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    (project / "requirements.txt").write_text("alpha\n")
    script = "from virtualenv import cli_run; cli_run(['env', '--activators', ''])"
    tool = project / "hatch"  # sys.argv[0] names the calling tool
    tool.write_text(script)
    out = subprocess.run(
        [sys.executable, str(tool)],
        cwd=project,
        env={**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "alpha" not in installed(project / "env")
    # while the user typing `virtualenv env2` with the same ini gets the project installed (once trusted)
    trust(project, {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)})
    out = subprocess.run(
        [sys.executable, "-m", "virtualenv", "env2", "--activators", ""],
        cwd=project,
        env={**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "alpha" in installed(project / "env2")
