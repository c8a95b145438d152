"""Trust on first use: when only a default picked `ready` (`virtualenv-ready enable`, or a ``seeder = ready`` line in
virtualenv.ini), a project installs after consent, asked once."""

from __future__ import annotations

import json
import os
import pty
import sys
from pathlib import Path

import pytest

from helpers import installed, ready_cli, trust, virtualenv_cmd


@pytest.fixture(params=["enable", "ini"])
def ini_env(request: pytest.FixtureRequest, tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    """`ready` made the default by `virtualenv-ready enable` (or by the user's own virtualenv.ini line), offline."""
    ini = tmp_path / "virtualenv.ini"
    seeder = "seeder = ready\n" if request.param == "ini" else ""
    ini.write_text(f"[virtualenv]\n{seeder}ready_no_index = true\nready_find_links = {wheelhouse}\n")
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini), "VIRTUALENV_READY_CONFIG_FILE": str(tmp_path / "r.toml")}
    if request.param == "enable":
        assert ready_cli("enable", env=env).returncode == 0
    return env


def status(venv: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((venv / "virtualenv-ready.json").read_text())


def test_untrusted_project_without_terminal_installs_nothing(project: Path, ini_env: dict[str, str]) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    out = virtualenv_cmd(".venv", cwd=project, env=ini_env)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert f"Trust it with `virtualenv-ready trust {project}`" in text
    assert f"`virtualenv-ready sync {project / '.venv'}`" in text
    assert "pip" in installed(project / ".venv")  # the env itself is there, seeded
    assert "alpha" not in installed(project / ".venv")
    assert status(project / ".venv")["status"] == "incomplete"
    # sync is an explicit request: it installs
    sync = ready_cli("sync", ".venv", cwd=project, env=ini_env)
    assert sync.returncode == 0, sync.stderr
    assert "alpha" in installed(project / ".venv")


def test_trust_then_create_then_inputs_change(project: Path, ini_env: dict[str, str]) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    trust(project, ini_env)
    out = virtualenv_cmd(".venv", cwd=project, env=ini_env)
    assert out.returncode == 0, out.stderr
    assert "alpha" in installed(project / ".venv")
    (project / "requirements.txt").write_text("alpha\nzeta\n")  # a pulled commit changed the inputs
    out = virtualenv_cmd("env2", cwd=project, env=ini_env)
    text = out.stdout + out.stderr
    assert "its inputs changed since you trusted it on " in text
    assert "1 file changed (requirements.txt); it installs alpha, zeta." in text
    assert "zeta" not in installed(project / "env2")
    trust(project, ini_env)  # trusting the new inputs
    out = virtualenv_cmd("env3", cwd=project, env=ini_env)
    assert "zeta" in installed(project / "env3")


def test_untrust_forgets(project: Path, ini_env: dict[str, str]) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    trust(project, ini_env)
    untrust = ready_cli("untrust", cwd=project, env=ini_env)
    assert "no longer trusted; it was trusted for these inputs (on " in untrust.stdout
    again = ready_cli("untrust", cwd=project, env=ini_env)
    assert again.stdout.strip() == f"{project}: was not trusted"
    out = virtualenv_cmd(".venv", cwd=project, env=ini_env)
    assert "alpha" not in installed(project / ".venv")
    assert "not trusted yet" in out.stdout + out.stderr


@pytest.mark.parametrize("how", ["cli", "env"])
def test_choosing_ready_for_this_run_is_consent(
    project: Path, ini_env: dict[str, str], wheelhouse: Path, how: str
) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    if how == "cli":
        out = virtualenv_cmd("--seeder", "ready", ".venv", cwd=project, env=ini_env)
    else:
        out = virtualenv_cmd(".venv", cwd=project, env={**ini_env, "VIRTUALENV_SEEDER": "ready"})
    assert out.returncode == 0, out.stderr
    assert "alpha" in installed(project / ".venv")


def answer_on_a_terminal(project: Path, env: dict[str, str], answer: bytes) -> str:
    """Run `virtualenv .venv` on a pseudo-terminal and answer the question."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(project)
        os.execve(sys.executable, [sys.executable, "-m", "virtualenv", ".venv", "--activators", ""], env)  # noqa: S606
    seen = b""
    answered = False
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(fd, answer + b"\n")
            answered = True
    os.waitpid(pid, 0)
    return seen.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_asks_once_on_a_terminal_and_remembers(project: Path, ini_env: dict[str, str]) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    seen = answer_on_a_terminal(project, ini_env, b"y")
    assert f"install the requirements of {project} (requirements.txt)?" in seen
    assert "It installs alpha." in seen
    assert "alpha" in installed(project / ".venv")
    # remembered: no question the second time
    out = virtualenv_cmd("env2", cwd=project, env=ini_env)
    assert out.returncode == 0
    assert "alpha" in installed(project / "env2")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_no_on_a_terminal_is_remembered(project: Path, ini_env: dict[str, str]) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    answer_on_a_terminal(project, ini_env, b"n")
    assert "alpha" not in installed(project / ".venv")
    out = virtualenv_cmd("env2", cwd=project, env=ini_env)
    text = out.stdout + out.stderr
    assert "you said no to these inputs on " in text
    assert f"`virtualenv-ready trust {project}` to change that" in text
    assert "alpha" not in installed(project / "env2")
    trusted = ready_cli("trust", cwd=project, env=ini_env)
    assert "it was refused for these inputs (on " in trusted.stdout


@pytest.mark.parametrize(("rule", "expect"), [("always", True), ("never", False)])
def test_policy_trust_rule(project: Path, ini_env: dict[str, str], tmp_path: Path, rule: str, expect: bool) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(f'trust = "{rule}"\n')
    env = {**ini_env, "VIRTUALENV_READY_POLICY": str(policy)}
    (project / "requirements.txt").write_text("alpha\n")
    trust(project, env)  # a user's trust does not override `never`
    if rule == "always":
        assert ready_cli("untrust", cwd=project, env=env).returncode == 0
    out = virtualenv_cmd(".venv", cwd=project, env=env)
    assert out.returncode == 0, out.stderr
    assert ("alpha" in installed(project / ".venv")) is expect
    if not expect:
        assert "allows installs only when asked for explicitly" in out.stdout + out.stderr
