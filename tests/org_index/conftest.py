"""The org's real private index for the tests in this folder: devpi-server with ``acme/prod``, once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devpi_helpers import USER, AuthGate, Devpi, auth_gate, running_devpi
from wheels import make_wheel


@pytest.fixture(scope="session")
def index_wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The suite's own wheels the org publishes: alpha (two versions), beta (needs alpha), delta."""
    house = tmp_path_factory.mktemp("acme-wheels")
    return [
        make_wheel(house, "alpha", "1.0"),
        make_wheel(house, "alpha", "2.0"),
        make_wheel(house, "beta", "1.0", ["alpha"]),
        make_wheel(house, "delta", "1.0"),
    ]


@pytest.fixture(scope="session")
def devpi(tmp_path_factory: pytest.TempPathFactory, index_wheels: list[Path]) -> Iterator[Devpi]:
    """devpi-server serving ``acme/prod`` with the suite's wheels; stopped by its process group at the end."""
    with running_devpi(tmp_path_factory.mktemp("devpi"), index_wheels) as server:
        yield server
    assert server.proc.poll() is not None


@pytest.fixture(scope="session")
def attacker_devpi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devpi]:
    """A second devpi on another port, standing in for an attacker's index: it serves kappa."""
    house = tmp_path_factory.mktemp("attacker-wheels")
    with running_devpi(tmp_path_factory.mktemp("attacker"), [make_wheel(house, "kappa", "1.0")]) as server:
        yield server


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own: no netrc, keyring or installer config of the machine's user."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    for name in ("NETRC", "UV_KEYRING_PROVIDER", "PIP_KEYRING_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    # neither installer may go around the policy's proxy for 127.0.0.1
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    assert os.environ["HOME"] == str(folder)
    return folder


@pytest.fixture
def gate(devpi: Devpi) -> Iterator[AuthGate]:
    """devpi behind a gate that answers 401 without the index user's credentials."""
    with auth_gate(devpi.url, USER, devpi.password) as front:
        yield front
