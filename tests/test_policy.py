"""The org policy file beats every layer, refuses what would weaken it, and is written into the env for pip."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers import bin_path, installed, offline, ready_cli, virtualenv_cmd
from virtualenv_ready.errors import ReadyError
from wheels import write_project


@pytest.fixture
def policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Write a policy file and point VIRTUALENV_READY_POLICY at it."""
    path = tmp_path / "policy.toml"

    def write(text: str) -> Path:
        path.write_text(text)
        monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(path))
        return path

    return write


def test_policy_applies_mandatory_constraints_and_pip_config(
    project: Path, ready, policy, wheelhouse: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    constraints = tmp_path / "org-constraints.txt"
    constraints.write_text("alpha<2\n")
    path = policy(f'mandatory = ["zeta"]\nconstraints = ["{constraints}"]\nfind-links = ["{wheelhouse}"]\n')
    (project / "requirements.txt").write_text("beta\n")
    venv = ready()
    found = installed(venv)
    assert found["alpha"] == "1.0"  # the org constraint applied to the project's requirements
    assert "zeta" in found  # mandatory
    record = json.loads((venv / "virtualenv-ready.json").read_text())
    assert record["summary"] == "requirements.txt + org mandatory"
    assert str(path) in record["inputs"]  # a policy change is noticed by sync
    conf = (venv / "pip.conf").read_text()
    assert f"find-links =\n    {wheelhouse}" in conf
    assert "no-index = true" in conf
    assert f"constraint =\n    {constraints}" in conf
    # a later plain `pip install` in the env keeps the same sources and constraints
    out = subprocess.run(
        [bin_path(venv, "python"), "-m", "pip", "install", "-q", "needs-new-alpha"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode != 0  # alpha>=2 conflicts with the org's alpha<2, and nothing came from PyPI
    assert "alpha" in out.stderr


def test_policy_index_url_refuses_another_one(project: Path, ready, policy) -> None:  # type: ignore[no-untyped-def]
    path = policy('index-url = "https://pypi.acme.invalid/simple"\n')
    with pytest.raises(ReadyError) as info:
        ready("--ready-index-url", "https://user:pw@other.invalid/simple")
    text = str(info.value)
    assert f"org policy {path} (index-url)" in text
    assert "cli: --ready-index-url https://****@other.invalid/simple is refused" in text
    assert "pw" not in text.replace("pypi", "")


def test_policy_refuses_an_env_var_installer(project: Path, ready, policy, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    policy('installer = "uv"\n')
    monkeypatch.setenv("VIRTUALENV_READY_INSTALLER", "pip")
    (project / "requirements.txt").write_text("alpha\n")
    from virtualenv import cli_run

    with pytest.raises(
        ReadyError,
        match=r"env var VIRTUALENV_READY_INSTALLER: --ready-installer pip is refused by the org policy .*\(installer\)",
    ):
        cli_run([str(project.parent / "v"), "--seeder", "ready", "--activators", ""], setup_logging=False)


def test_a_project_file_installer_is_ignored_under_a_policy(project: Path, ready, policy, caplog) -> None:  # type: ignore[no-untyped-def]
    policy('installer = "uv"\n')
    write_project(project, "app", extra_toml='\n[tool.virtualenv-ready]\ninstaller = "pip"\n')
    venv = ready(installer=None)
    assert "pyproject.toml [tool.virtualenv-ready] installer is ignored" in caplog.text
    assert json.loads((venv / "virtualenv-ready.json").read_text())["installer"]["name"] == "uv"


def test_requirements_file_cannot_add_an_index(project: Path, ready, policy, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    path = policy(
        f'index-url = "https://pypi.acme.invalid/simple"\nallowed-index-hosts = ["pypi.acme.invalid"]\nfind-links = ["{wheelhouse}"]\n'
    )
    (project / "base.txt").write_text("alpha\n--extra-index-url https://tok@evil.invalid/simple\n")
    (project / "requirements.txt").write_text("-r base.txt\nbeta\n")
    with pytest.raises(ReadyError) as info:
        ready("--ready-index-url", "https://pypi.acme.invalid/simple")
    text = str(info.value)
    assert (
        f"{project / 'base.txt'}:2: --extra-index-url https://****@evil.invalid/simple is refused by the org policy {path}"
        in text
    )
    assert "tok@" not in text


def test_requirements_file_index_allowed_when_the_policy_allows(project: Path, ready, policy, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    policy(f'allowed-index-hosts = ["pypi.acme.invalid"]\nfind-links = ["{wheelhouse}"]\n')
    (project / "requirements.txt").write_text("--extra-index-url https://pypi.acme.invalid/extra\nalpha\n")
    venv = ready()  # offline: --ready-no-index means the allowed extra index is never contacted
    assert "alpha" in installed(venv)


def test_local_find_links_must_be_listed(project: Path, ready, policy, wheelhouse: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    policy('allowed-index-hosts = ["pypi.acme.invalid"]\n')
    (project / "requirements.txt").write_text("alpha\n")
    with pytest.raises(
        ReadyError,
        match=r"--ready-find-links .* is refused by the org policy .*\(find-links\): local sources must be listed",
    ):
        ready()


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_no_sdists_when_the_policy_says_so(project: Path, ready, policy, wheelhouse: Path, installer: str) -> None:  # type: ignore[no-untyped-def]
    policy(f'allow-sdists = false\nfind-links = ["{wheelhouse}"]\n')
    (project / "requirements.txt").write_text("gamma\n")
    with pytest.raises(ReadyError, match="failed with exit code"):
        ready(installer=installer)
    (project / "requirements.txt").write_text("alpha\n")
    venv = ready(dest=project.parent / "v2", installer=installer)
    assert "alpha" in installed(venv)


def test_require_hashes_from_policy(project: Path, ready, policy, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    policy(f'require-hashes = true\nfind-links = ["{wheelhouse}"]\n')
    (project / "requirements.txt").write_text("alpha\n")
    with pytest.raises(ReadyError, match="failed with exit code"):
        ready()


def test_policy_credentials_never_reach_the_env(project: Path, ready, policy, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    policy(
        f'index-url = "https://ci:CANARY123@pypi.acme.invalid/simple?token=CANARY456"\nfind-links = ["{wheelhouse}"]\n'
    )
    (project / "requirements.txt").write_text("alpha\n")
    venv = ready()
    conf = (venv / "pip.conf").read_text()
    assert "index-url = https://pypi.acme.invalid/simple\n" in conf
    for path in venv.rglob("*"):
        if path.is_file() and path.suffix not in {".pyc", ".so"}:
            data = path.read_bytes()
            assert b"CANARY123" not in data, path
            assert b"CANARY456" not in data, path


def test_missing_named_policy_fails_closed(
    project: Path, ready, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(tmp_path / "nope.toml"))
    with pytest.raises(ReadyError, match="no such policy file"):
        ready()


def test_unknown_policy_key(project: Path, ready, policy) -> None:  # type: ignore[no-untyped-def]
    policy("index_url = 'x'\n")
    with pytest.raises(ReadyError, match="unknown policy key 'index_url'; valid keys: index-url"):
        ready()


def test_doctor_shows_the_policy_and_conflicts(project: Path, policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = policy('index-url = "https://u:secret@pypi.acme.invalid/simple"\ninstaller = "uv"\n')
    env = {**os.environ, "VIRTUALENV_READY_INDEX_URL": "https://other.invalid/simple"}
    out = ready_cli("doctor", cwd=project, env=env)
    assert out.returncode == 1
    assert f"org policy: {path} (from env var VIRTUALENV_READY_POLICY); enforced keys:" in out.stdout
    assert "index-url = https://****@pypi.acme.invalid/simple" in out.stdout
    assert "installer = uv" in out.stdout
    assert (
        "problem: env var VIRTUALENV_READY_INDEX_URL: --ready-index-url https://other.invalid/simple is refused"
        in out.stdout
    )
    assert "secret" not in out.stdout


def test_seeded_env_via_the_command(project: Path, policy, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    policy(f'mandatory = ["zeta"]\nfind-links = ["{wheelhouse}"]\n')
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr
    assert "zeta" in installed(project / ".venv")
