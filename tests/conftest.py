"""Shared fixtures: an offline wheelhouse built by the tests, an isolated environment, and a `ready` runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import offline
from wheels import closure, make_sdist, make_wheel, repack

# Real packages the tests reuse from their own environment, repacked with their dependencies (no network).
REPACKED_ROOTS = ["hatchling", "editables", "pytest", "packaging", "poetry-core", "setuptools"]


NETWORK_ENV = "VIRTUALENV_READY_NETWORK_TESTS"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``network`` reach the real package index: they run only when asked for (-m network)."""
    if "network" in (config.getoption("-m") or "") or os.environ.get(NETWORK_ENV):
        return
    skip = pytest.mark.skip(reason=f"needs the network: run with -m network (or {NETWORK_ENV}=1)")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels and sdists for every test, built here, offline."""
    house = tmp_path_factory.mktemp("wheelhouse")
    make_wheel(house, "alpha", "1.0")
    make_wheel(house, "alpha", "2.0")
    make_wheel(house, "beta", "1.0", ["alpha"])
    make_wheel(house, "delta", "1.0")
    make_wheel(house, "zeta", "1.0")
    make_wheel(house, "epsilon", "1.0", ["delta"])
    make_wheel(house, "needs-old-alpha", "1.0", ["alpha<2"])
    make_wheel(house, "needs-new-alpha", "1.0", ["alpha>=2"])
    make_sdist(house, "gamma", "1.0")
    make_sdist(house, "brokenpkg", "1.0", fail=True)
    for dist in closure(REPACKED_ROOTS):
        repack(house, dist)
    return house


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user config, no activated env, no index settings from the machine running the tests."""
    for key in list(os.environ):
        if key.startswith(("VIRTUALENV_", "PIP_", "UV_")) or key in {"VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"}:
            monkeypatch.delenv(key, raising=False)
    config = tmp_path_factory.getbasetemp() / "no-virtualenv.ini"
    monkeypatch.setenv("VIRTUALENV_CONFIG_FILE", str(config))
    monkeypatch.setenv("VIRTUALENV_READY_CONFIG_FILE", str(tmp_path_factory.getbasetemp() / "no-ready-config.toml"))
    monkeypatch.setenv("VIRTUALENV_NO_PERIODIC_UPDATE", "1")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "uv-cache"))
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    monkeypatch.setenv("UV_NO_CONFIG", "1")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("VIRTUALENV_READY_TRUST_STORE", str(tmp_path_factory.mktemp("trust") / "trust.json"))
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(tmp_path_factory.getbasetemp() / "data" / "record-key"))
    monkeypatch.setenv("VIRTUALENV_READY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "ready-cache"))
    # the credentials a run masks live as long as its process; an in-process test must not mask the next test's text
    from virtualenv_ready import redact

    monkeypatch.setattr(redact, "_SECRETS", set())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, the current directory (with a .git so the parent walk stops here)."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def ready(wheelhouse: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Create an env with `virtualenv.cli_run` and the ready seeder, offline; returns the env path."""
    from virtualenv import cli_run

    def run(*args: str, dest: Path | None = None, installer: str = "uv") -> Path:
        dest = dest or tmp_path / "venv"
        cli_run(
            [
                str(dest),
                "--seeder",
                "ready",
                "--activators",
                "",
                "--ready-installer",
                installer,
                *offline(wheelhouse),
                *args,
            ],
            setup_logging=False,
        )
        return dest

    return run


@pytest.fixture(scope="session")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A folder that registers the tox plugin's entry point when the package is not installed (a source run)."""
    from tox_helpers import entry_point_shim, plugin_installed

    return None if plugin_installed() else entry_point_shim(tmp_path_factory.mktemp("tox-plugin-shim"))


@pytest.fixture
def tox_env(wheelhouse: Path, shim: Path | None) -> dict[str, str]:
    """The environment a real tox run gets: the test wheels, no network, the plugin found."""
    from tox_helpers import tox_env_vars

    return tox_env_vars(wheelhouse, shim)
