"""Helpers the tests import: the real `virtualenv` command, offline flags, what an env holds, tools CI must have."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def need_tool(name: str) -> str:
    """Path of a tool; skip locally when missing, fail under CI where .ci/run installs it."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed but CI is set: .ci/run must install it")
    pytest.skip(f"{name} is not installed")
    raise AssertionError  # unreachable


def offline(wheelhouse: Path) -> list[str]:
    return ["--ready-no-index", "--ready-find-links", str(wheelhouse)]


def virtualenv_cmd(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = False
) -> subprocess.CompletedProcess[str]:
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


def bin_path(venv: Path, name: str) -> Path:
    """A console script or interpreter of an env, where virtualenv puts it on this platform (bin/ or Scripts\\)."""
    if sys.platform == "win32":
        return venv / "Scripts" / (name if "." in name else f"{name}.exe")
    return venv / "bin" / name


def uv_pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`uv pip ... --python <python>` with the uv the tests install, for changing an env behind the plugin's back."""
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    command, *rest = args
    return subprocess.run(
        [uv.argv[0], "pip", command, "--python", str(python), *rest], check=True, capture_output=True, text=True
    )


def ready_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The `virtualenv-ready` command as a user runs it (``prefix``: a wrapper such as setpriv)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "virtualenv_ready", *args],
        cwd=cwd,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def offline_env(wheelhouse: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment whose ready options point at the wheelhouse only (for `sync`, which reads no CLI flags)."""
    return {**(base or os.environ), "VIRTUALENV_READY_NO_INDEX": "1", "VIRTUALENV_READY_FIND_LINKS": str(wheelhouse)}


def trust(project: Path, env: dict[str, str] | None = None) -> None:
    """`virtualenv-ready trust` for a project, as its user would run it."""
    out = ready_cli("trust", cwd=project, env=env)
    assert out.returncode == 0, out.stdout + out.stderr


def wine_dest(real: Path) -> str:
    """How wine names a Linux path (its Z: drive maps /)."""
    return "Z:" + str(real).replace("/", "\\")


def parse_github_env(text: str) -> dict[str, str]:
    """The GitHub Actions env-file format: NAME=value or NAME<<DELIM / lines / DELIM."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            values[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        elif line:
            name, value = line.split("=", 1)
            values[name] = value
            i += 1
        else:
            i += 1
    return values


__all__ = [
    "ROOT",
    "bin_path",
    "offline_env",
    "parse_github_env",
    "wine_dest",
    "ready_cli",
    "trust",
    "uv_pip",
    "installed",
    "need_tool",
    "offline",
    "virtualenv_cmd",
]
