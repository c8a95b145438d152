"""Shared fixtures: an offline wheelhouse built by the tests, an isolated environment, and a `ready` runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from wheels import make_sdist, make_wheel, repack, write_project

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
# Real packages the tests reuse from their own environment, repacked as wheels (no network).
REPACKED = ["hatchling", "packaging", "pathspec", "pluggy", "trove-classifiers", "iniconfig", "pygments", "pytest"]
if sys.version_info < (3, 11):
    REPACKED += ["tomli", "exceptiongroup"]


def need_tool(name: str) -> str:
    """Path of a tool; skip locally when missing, fail under CI where .ci/run installs it."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed but CI is set: .ci/run must install it")
    pytest.skip(f"{name} is not installed")
    raise AssertionError  # unreachable


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
    for dist in REPACKED:
        repack(house, dist)
    return house


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No user config, no activated env, no index settings from the machine running the tests."""
    for key in list(os.environ):
        if key.startswith(("VIRTUALENV_", "PIP_", "UV_")) or key in {"VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"}:
            monkeypatch.delenv(key, raising=False)
    config = tmp_path_factory.getbasetemp() / "no-virtualenv.ini"
    monkeypatch.setenv("VIRTUALENV_CONFIG_FILE", str(config))
    monkeypatch.setenv("VIRTUALENV_NO_PERIODIC_UPDATE", "1")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "uv-cache"))
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    monkeypatch.setenv("UV_NO_CONFIG", "1")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    yield


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, the current directory (with a .git so the parent walk stops here)."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def offline(wheelhouse: Path) -> list[str]:
    return ["--ready-no-index", "--ready-find-links", str(wheelhouse)]


@pytest.fixture
def ready(wheelhouse: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Create an env with `virtualenv.cli_run` and the ready seeder, offline; returns the env path."""
    from virtualenv import cli_run

    def run(*args: str, dest: Path | None = None, installer: str = "uv") -> Path:
        dest = dest or tmp_path / "venv"
        cli_run(
            [str(dest), "--seeder", "ready", "--activators", "", "--ready-installer", installer, *offline(wheelhouse), *args],
            setup_logging=False,
        )
        return dest

    return run


def virtualenv_cmd(*args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """The real `virtualenv` command, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "virtualenv", *args],
        cwd=cwd,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def installed(venv: Path) -> dict[str, str]:
    from virtualenv_ready.target import Target

    return Target.from_venv(venv).installed()


__all__ = ["ROOT", "installed", "need_tool", "offline", "virtualenv_cmd", "write_project"]
