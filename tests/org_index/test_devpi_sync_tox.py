"""`virtualenv-ready sync` and a tox env with ``ready = true`` against the same org index (devpi behind the 401
gate, the credentials in the index URL from an env var): both install from it and write the credentials nowhere."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from devpi_helpers import USER, AuthGate, Devpi, create, files_holding, leaks, with_user, write_policy
from helpers import installed, ready_cli
from tox_helpers import entry_point_shim, plugin_installed, run_tox, tox_env_vars

INSTALLERS = ["uv", "pip"]
# meant to keep the layer on one xdist worker (one devpi per session); xdist 3.8 under pytest 9 ignores groups
pytestmark = pytest.mark.xdist_group("devpi")


@pytest.fixture
def credentials(
    gate: AuthGate, devpi: Devpi, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[bytes]:
    """The policy names the gated index; the user gives the credentials in the URL (env var). Returns the secrets."""
    write_policy(tmp_path / "policy.toml", monkeypatch, f'index-url = "{gate.index_url}"\n')
    monkeypatch.setenv("VIRTUALENV_READY_INDEX_URL", with_user(gate.index_url, USER, devpi.password))
    import base64

    return [devpi.password.encode(), base64.b64encode(f"{USER}:{devpi.password}".encode())]


@pytest.mark.parametrize("installer", INSTALLERS)
def test_sync_installs_a_change_from_the_org_index(
    installer: str, credentials: list[bytes], gate: AuthGate, project: Path, tmp_path: Path
) -> None:
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    venv = tmp_path / "venv"
    made = create(project, venv, installer)
    assert made.returncode == 0, made.stdout + made.stderr
    (project / "requirements.txt").write_text("beta\ndelta\n", encoding="utf-8")
    check = ready_cli("sync", str(venv), "--check", cwd=project)
    assert check.returncode == 1, check.stdout + check.stderr
    before = len(gate.seen)
    out = ready_cli("sync", str(venv), "-v", cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    assert installed(venv).items() >= {"alpha": "2.0", "beta": "1.0", "delta": "1.0"}.items()
    assert any(allowed and "/+simple/delta" in path for path, allowed in gate.seen[before:]), gate.seen[before:]
    assert ready_cli("sync", str(venv), "--check", cwd=project).returncode == 0
    for secret in credentials:
        assert leaks(secret.decode(), made.stdout, made.stderr, out.stdout, out.stderr, check.stdout) == []
    assert files_holding(venv, credentials) == []


@pytest.mark.parametrize("way", ["url-from-env", "netrc"])
def test_a_tox_env_installs_from_the_org_index(
    way: str,
    credentials: list[bytes],
    gate: AuthGate,
    devpi: Devpi,
    home: Path,
    index_wheels: list[Path],
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if way == "netrc":
        monkeypatch.delenv("VIRTUALENV_READY_INDEX_URL")
        (home / ".netrc").write_text(f"machine 127.0.0.1 login {USER} password {devpi.password}\n", encoding="utf-8")
        (home / ".netrc").chmod(0o600)
    shim = None if plugin_installed() else entry_point_shim(tmp_path / "shim")
    env = tox_env_vars(index_wheels[0].parent, shim)
    for name in ("VIRTUALENV_READY_NO_INDEX", "VIRTUALENV_READY_FIND_LINKS", "PIP_NO_INDEX", "PIP_FIND_LINKS"):
        env.pop(name)  # sources are the policy's: those variables would be refused under it
    for name in ("UV_NO_INDEX", "UV_FIND_LINKS"):
        env.pop(name)
    assert env["VIRTUALENV_READY_POLICY"] == os.environ["VIRTUALENV_READY_POLICY"]
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    (project / "tox.ini").write_text(
        textwrap.dedent(
            """
            [testenv:org]
            ready = true
            skip_install = true
            ready_requirements = requirements.txt
            commands = python -c 'import alpha, beta'
            """
        ).lstrip(),
        encoding="utf-8",
    )
    out = run_tox(project, env, "run", "-e", "org", "-vv")
    assert out.returncode == 0, out.stdout + out.stderr
    venv = project / ".tox" / "org"
    assert installed(venv).items() >= {"alpha": "2.0", "beta": "1.0"}.items()
    assert any(allowed and "/+simple/beta" in path for path, allowed in gate.seen), gate.seen
    for secret in credentials:
        assert leaks(secret.decode(), out.stdout, out.stderr) == []
    found = files_holding(project / ".tox", credentials)
    if way == "url-from-env":
        # tox passes VIRTUALENV_* to commands and writes each passed variable into its command logs: tox's own
        # files, the same for any variable holding a token; netrc keeps them out
        found = [path for path in found if not path.startswith("org/log/")]
    assert found == []
