"""Why `ready` is the seeder of this run, and who is creating the env: the user, or another tool."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Tools that create environments through virtualenv, by the name they run under.
TOOLS = ("hatch", "pipenv", "pdm", "nox", "poetry", "tox", "virtualenvwrapper", "pipx")
EXPLICIT = "explicit"
CONFIG = "config"


def _is_virtualenv_command(argv: Sequence[str]) -> bool:
    if not argv:
        return False
    first = Path(argv[0])
    return first.stem.lower() in {"virtualenv", "virtualenv-script"} or first.parts[-2:] == (
        "virtualenv",
        "__main__.py",
    )


def seeder_origin(
    env: Mapping[str, str], ini_seeder: str | None, argv: Sequence[str] | None = None, enabled: bool = False
) -> str:
    """``explicit`` when this run chose ready itself (command line or VIRTUALENV_SEEDER), ``config`` when only a
    default did: virtualenv.ini's ``seeder``, or `virtualenv-ready enable` (``enabled``) under it.

    virtualenv reports every option as coming from the command line, so the inputs are read here instead, in
    virtualenv's order: the command line over VIRTUALENV_SEEDER over virtualenv.ini over enable's default.
    """
    argv = sys.argv if argv is None else argv
    if env.get("VIRTUALENV_SEEDER", "").strip():
        return EXPLICIT  # ready from the env var, or (any other value there) from the arguments above it
    default = (ini_seeder or "").strip() or ("ready" if enabled else "")
    if default != "ready":
        return EXPLICIT  # no default chose ready: the caller's arguments asked for it
    if _is_virtualenv_command(argv) and any(a == "--seeder" or a.startswith("--seeder=") for a in argv[1:]):
        return EXPLICIT
    return CONFIG


def calling_tool(argv: Sequence[str] | None = None) -> str | None:
    """The tool creating this env (in-process through virtualenv's API, or as its parent process), else ``None``."""
    argv = sys.argv if argv is None else argv
    if argv and not _is_virtualenv_command(argv):
        return Path(argv[0]).stem or "python"
    parent = _parent_command()
    for word in parent:
        name = Path(word).stem.lower()
        if name in TOOLS:
            return name
    return None


def _parent_command() -> list[str]:
    """Linux: the parent's command line. Windows: the names of the nearest ancestors, through Python launchers."""
    if sys.platform == "win32":
        return _windows_ancestors()
    if not sys.platform.startswith("linux"):
        return []  # no /proc: only in-process callers are recognised
    try:
        raw = Path(f"/proc/{os.getppid()}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _windows_ancestors() -> list[str]:
    """Image names up the process tree, from the parent to the first one that is not a Python launcher.

    A tool's console script (``nox.exe``) starts python.exe, and a venv's python.exe starts the base one: the tool
    sits a few steps up.
    """
    from .ancestors import windows_ancestors

    names: list[str] = []
    for name in windows_ancestors(6):
        names.append(name)
        stem = Path(name).stem.lower()
        if not (stem.startswith("python") or stem in {"py", "pyw", "virtualenv"}):
            break
    return names


__all__ = ["CONFIG", "EXPLICIT", "calling_tool", "seeder_origin"]
