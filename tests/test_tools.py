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


def default_ready_ini(tmp_path: Path, wheelhouse: Path) -> Path:
    """virtualenv.ini making `ready` the default seeder, offline."""
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    return ini


def clean_env(ini: Path, **extra: str) -> dict[str, str]:
    """The test's environment without any tool's marks, with this ini."""
    env = {k: v for k, v in os.environ.items() if k not in {"PRE_COMMIT", "PRE_COMMIT_HOME"}}
    return {**env, "VIRTUALENV_CONFIG_FILE": str(ini), **extra}


def assert_plain(venv: Path, out: subprocess.CompletedProcess[str], tool: str) -> None:
    assert out.returncode == 0, out.stdout + out.stderr
    assert "pip" in installed(venv)  # seeded like app-data
    assert "alpha" not in installed(venv), out.stderr  # the project was not installed behind the tool's back
    assert not (venv / "virtualenv-ready.json").exists()
    assert f"virtualenv-ready: {tool} creates this env" in out.stderr  # by rule, not because no project was found


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        # hatch's VirtualEnv.create and Poetry's EnvManager.build_venv, as they call cli_run
        ("hatch", "['env', '--no-download', '--no-periodic-update', '--python', sys.executable]"),
        ("poetry", "['--no-download', '--no-periodic-update', '--python', sys.executable, '--prompt', 'proj', 'env']"),
    ],
)
def test_in_process_tool_keeps_plain_seeding(
    project: Path, wheelhouse: Path, tmp_path: Path, tool: str, args: str
) -> None:
    """hatch and poetry call virtualenv's API inside their own process (cli_run, as they do); the same rule applies."""
    ini = default_ready_ini(tmp_path, wheelhouse)
    (project / "requirements.txt").write_text("alpha\n")
    script = f"import sys; from virtualenv import cli_run; cli_run({args})"
    caller = project / tool  # sys.argv[0] names the calling tool
    caller.write_text(script)
    out = subprocess.run(
        [sys.executable, str(caller)], cwd=project, env=clean_env(ini), capture_output=True, text=True, check=False
    )
    assert_plain(project / "env", out, tool)
    # while the user typing `virtualenv env2` with the same ini gets the project installed (once trusted)
    trust(project, clean_env(ini))
    out = subprocess.run(
        [sys.executable, "-m", "virtualenv", "env2", "--activators", ""],
        cwd=project,
        env=clean_env(ini),
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "alpha" in installed(project / "env2")


PRE_COMMIT = """#!{python}
import os, subprocess, sys
# what pre-commit's python language does to install a hook env: virtualenv in a child process, from /
os.environ.update({env})
envdir = sys.argv[1]
sys.exit(subprocess.run([sys.executable, "-mvirtualenv", envdir], cwd="/").returncode)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the parent process is read through /proc")
@pytest.mark.parametrize("run", ["run", "install-hooks"])
def test_pre_commit_exact_call_keeps_plain_seeding(project: Path, wheelhouse: Path, tmp_path: Path, run: str) -> None:
    """pre-commit's own call: `python -mvirtualenv ENVDIR` from `/`, ENVDIR in its store; `pre-commit run` sets
    PRE_COMMIT=1 first, `install-hooks` does not."""
    ini = default_ready_ini(tmp_path, wheelhouse)
    (project / "requirements.txt").write_text("alpha\n")
    store = tmp_path / "store"
    env = {"PRE_COMMIT": "1"} if run == "run" else {}
    caller = tmp_path / "bin" / "pre-commit"
    caller.parent.mkdir()
    caller.write_text(PRE_COMMIT.format(python=sys.executable, env=env))
    caller.chmod(0o755)
    envdir = store / "repo5x3kq_8v" / "py_env-python3"
    out = subprocess.run(
        [str(caller), str(envdir)],
        cwd=project,
        env=clean_env(ini, PRE_COMMIT_HOME=str(store)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert_plain(envdir, out, "pre-commit")


@pytest.mark.parametrize("rule", ["variable", "store", "nox"])
def test_each_rule_alone_keeps_plain_seeding(project: Path, wheelhouse: Path, tmp_path: Path, rule: str) -> None:
    """Each rule holds by itself, from the project folder, with a parent that is no tool (pytest): pre-commit's
    PRE_COMMIT, its store, and nox's `.nox/` (macOS has no /proc to read nox's process from)."""
    ini = default_ready_ini(tmp_path, wheelhouse)
    (project / "requirements.txt").write_text("alpha\n")
    trust(project, clean_env(ini))  # so that only the rule can keep the env plain
    extra, dest, tool = {
        "variable": ({"PRE_COMMIT": "1"}, project / "env", "pre-commit"),
        "store": (
            {"PRE_COMMIT_HOME": str(tmp_path / "store")},
            tmp_path / "store" / "repoab" / "py_env-3",
            "pre-commit",
        ),
        "nox": ({}, project / ".nox" / "check", "nox"),
    }[rule]
    out = subprocess.run(
        [sys.executable, "-m", "virtualenv", str(dest), "--no-periodic-update"],
        cwd=project,
        env=clean_env(ini, **extra),
        capture_output=True,
        text=True,
        check=False,
    )
    assert_plain(dest, out, tool)
