"""Why `ready` is the seeder of this run, and who is creating the env: the user, or another tool."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Tools that create environments through virtualenv, by the name they run under.
TOOLS = ("hatch", "pipenv", "pdm", "nox", "poetry", "tox", "virtualenvwrapper", "pipx", "pre-commit")
# A variable a tool sets in its own process before it creates its envs (pre-commit's `run`, and so its git hooks).
TOOL_VARIABLES = {"PRE_COMMIT": "pre-commit"}
# Path parts (lower case) of the directories where a tool keeps the envs it makes by default.
TOOL_DIRS = {"hatch": ("hatch", "env", "virtual"), "poetry": ("pypoetry", "virtualenvs")}
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


def calling_tool(
    argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None, dest: str | Path | None = None
) -> str | None:
    """The tool creating this env, else ``None`` (the user). By rule, each the way the tool itself works:

    - in-process through virtualenv's API (hatch, poetry, tox): ``argv`` is the tool's, not virtualenv's;
    - a variable the tool sets while it installs its envs (pre-commit's ``PRE_COMMIT``);
    - a destination only the tool uses (``.nox/``, pre-commit's store, hatch's and Poetry's env dirs);
    - the parent process (``python -m virtualenv`` started by nox, pre-commit, pdm...): Linux and Windows only.
    """
    argv = sys.argv if argv is None else argv
    if argv and not _is_virtualenv_command(argv):
        first = Path(argv[0])
        return (first.parent.name if first.stem == "__main__" else first.stem) or "python"  # `python -m tox`
    env = os.environ if env is None else env
    return _by_variable(env) or _by_destination(dest, env) or _by_words(_parent_command())


def _tool_word(word: str) -> str | None:
    """The tool a word of a command line names: a path (``.../bin/pre-commit``), a module (``-mpre_commit``)."""
    name = Path(word).stem.lower()
    name = name.removeprefix("-m").replace("_", "-")
    return name if name in TOOLS else None


def _by_words(command: Sequence[str]) -> str | None:
    for word in command:
        name = _tool_word(word)
        if name is not None:
            return name
    return None


def _by_variable(env: Mapping[str, str]) -> str | None:
    for variable, tool in TOOL_VARIABLES.items():
        if env.get(variable, "").strip():
            return tool
    return None


def _by_destination(dest: str | Path | None, env: Mapping[str, str]) -> str | None:
    """The tool whose own env directory holds ``dest``."""
    if not dest:
        return None
    where = Path(dest).expanduser().absolute()
    if where.parent.name == ".nox":
        return "nox"
    if where.is_relative_to(_pre_commit_store(env)):
        return "pre-commit"
    parts = [part.lower() for part in where.parts]
    for tool, marker in TOOL_DIRS.items():
        if any(tuple(parts[i : i + len(marker)]) == marker for i in range(len(parts))):
            return tool
    return None


def _pre_commit_store(env: Mapping[str, str]) -> Path:
    """pre-commit's store, where its hook envs live: PRE_COMMIT_HOME, else pre-commit in XDG_CACHE_HOME or ~/.cache
    (as pre-commit finds it on every platform)."""
    if env.get("PRE_COMMIT_HOME"):
        return Path(env["PRE_COMMIT_HOME"]).expanduser().absolute()
    cache = env.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(cache).expanduser().absolute() / "pre-commit"


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
