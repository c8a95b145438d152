"""The org policy names a private index that wants credentials (devpi behind a 401 gate): the credentials given the
ways users give them get the install through, and show up nowhere; without them, one line says how to give them."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from devpi_helpers import USER, AuthGate, Devpi, create, fake_keyring, files_holding, leaks, with_user, write_policy
from helpers import installed

INSTALLERS = ["uv", "pip"]
# meant to keep the layer on one xdist worker (one devpi per session); xdist 3.8 under pytest 9 ignores groups
pytestmark = pytest.mark.xdist_group("devpi")


def _give(way: str, gate: AuthGate, devpi: Devpi, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Give the credentials ``way``; returns the policy's index-url (the URL names the user for keyring)."""
    if way == "url-from-env":
        monkeypatch.setenv("ACME_INDEX_URL", with_user(gate.index_url, USER, devpi.password))
        monkeypatch.setenv("VIRTUALENV_READY_INDEX_URL", os.environ["ACME_INDEX_URL"])
        return gate.index_url
    if way == "netrc":
        netrc = home / ".netrc"
        netrc.write_text(f"machine 127.0.0.1 login {USER} password {devpi.password}\n", encoding="utf-8")
        netrc.chmod(0o600)
        return gate.index_url
    folder = fake_keyring(home / "keyring-bin", devpi.password)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("UV_KEYRING_PROVIDER", "subprocess")
    monkeypatch.setenv("PIP_KEYRING_PROVIDER", "subprocess")
    return with_user(gate.index_url, USER)  # the subprocess providers look up the password of the URL's user


@pytest.mark.parametrize("installer", INSTALLERS)
@pytest.mark.parametrize(
    ("way", "verbosity"),
    [
        ("url-from-env", ""),
        ("url-from-env", "-v"),
        ("url-from-env", "-vv"),
        ("netrc", "-vv"),
        ("keyring", "-vv"),
    ],
)
def test_credentials_get_through_and_show_nowhere(
    installer: str,
    way: str,
    verbosity: str,
    devpi: Devpi,
    gate: AuthGate,
    home: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_url = _give(way, gate, devpi, home, monkeypatch)
    write_policy(tmp_path / "policy.toml", monkeypatch, f'index-url = "{index_url}"\n')
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    venv = tmp_path / "venv"
    args = [verbosity] if verbosity else []
    out = create(project, venv, installer, *args)
    assert out.returncode == 0, out.stdout + out.stderr
    assert installed(venv).items() >= {"alpha": "2.0", "beta": "1.0"}.items()
    assert any(allowed and "/+f/" in path.replace("%2B", "+") for path, allowed in gate.seen), gate.seen
    if way == "keyring":
        assert "get" in (home / "keyring-bin" / "calls.log").read_text(encoding="utf-8")
    header = base64.b64encode(f"{USER}:{devpi.password}".encode()).decode()
    assert leaks(devpi.password, out.stdout, out.stderr) == []
    assert leaks(header, out.stdout, out.stderr) == []
    record = (venv / "virtualenv-ready.json").read_text(encoding="utf-8")
    assert devpi.password not in record
    assert files_holding(venv, [devpi.password.encode(), header.encode()]) == []


@pytest.mark.parametrize("installer", INSTALLERS)
@pytest.mark.parametrize("given", [None, "wrong-passw0rd"])
def test_a_401_is_one_line_naming_the_index_and_how_to_give_credentials(
    installer: str,
    given: str | None,
    gate: AuthGate,
    home: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_policy(tmp_path / "policy.toml", monkeypatch, f'index-url = "{gate.index_url}"\n')
    if given is not None:
        monkeypatch.setenv("VIRTUALENV_READY_INDEX_URL", with_user(gate.index_url, "someone", given))
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    out = create(project, tmp_path / "venv", installer)
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    lines = [line for line in text.splitlines() if "answered 401 Unauthorized" in line]
    assert len(lines) == 1, text
    (line,) = lines
    shown = gate.index_url if given is None else with_user(gate.index_url, "****")
    assert f"the index {shown} answered 401 Unauthorized" in line
    assert ("to the credentials given" in line) is (given is not None)
    for way in (
        "netrc entry for 127.0.0.1",
        "keyring",
        f"VIRTUALENV_READY_INDEX_URL=http://USER:TOKEN@{gate.authority}",
    ):
        assert way in line, line
    assert "Traceback" not in text
    if given is not None:
        assert given not in text
    assert not any(allowed for _, allowed in gate.seen)
    assert "beta" not in installed(tmp_path / "venv")
