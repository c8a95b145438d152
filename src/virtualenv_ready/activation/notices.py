"""After the scripts are written: one "how to activate" line per shell, and a line when requirements were skipped."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ..logs import INFO, WARNING, named

if TYPE_CHECKING:
    from argparse import Namespace

    from virtualenv.create.creator import Creator

LOGGER = named("virtualenv_ready.activation")
OURS = ("powershell-policy", "venv-run", "elvish", "ci")
_RUNS: dict[str, int] = {}


def selected(options: Namespace) -> list[str]:
    """The activator names this run writes (virtualenv keeps the default as one comma separated string)."""
    value: Any = getattr(options, "activators", None)
    if value is None:
        return list(OURS)
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return [str(name) for name in value]


def announce(creator: Creator, options: Namespace) -> None:
    """Called by each of our activators; the last one of them to run logs the lines (so skipped scripts are known)."""
    names = selected(options)
    ours = [name for name in OURS if name in names] or list(OURS)
    key = str(creator.dest)
    _RUNS[key] = _RUNS.get(key, 0) + 1
    if _RUNS[key] < len(ours):
        return
    del _RUNS[key]
    from ..origin import calling_tool

    # inside a tool (tox, hatch, nox...) the user runs the tool, not the env: the lines are noise there
    level = INFO if calling_tool(dest=creator.dest) is not None else WARNING
    windows = creator.interpreter.os == "nt"
    every = (getattr(options, "verbosity", 2) or 0) >= 3
    from .detect import detect

    shell = None if every else detect(windows=windows) or ("powershell" if windows else "bash")
    # plain virtualenv (ready not the seeder) gets the one line for the user's shell and nothing more
    ready = getattr(options, "seeder", None) == "ready" and not getattr(options, "no_seed", False)
    last = max((number for number, name in enumerate(names) if name in OURS), default=len(names))
    lines = activation_lines(
        creator.bin_dir,
        names,
        windows=windows,
        shell=shell,
        runners=None if every else frozenset({"venv-run"} if ready else ()),
        probe=True,
        later=frozenset(names[last + 1 :]),
    )
    for line in lines:
        LOGGER.log(level, "%s", line)
    skipped = requirements_notice(options, shell=shell, windows=windows)
    if skipped:
        LOGGER.log(level, "%s", skipped)


def activation_lines(
    bin_dir: PurePath,
    names: list[str] | None,
    *,
    windows: bool,
    shell: str | None = None,
    runners: frozenset[str] | None = None,
    policy: Any = None,
    probe: bool = False,
    later: frozenset[str] = frozenset(),
) -> list[str]:
    """The "activate with" lines: for ``shell`` (its best line) or every shell, then running without activation
    (the ``runners`` activators' lines; ``None``: all of them).

    Each line names a file that exists, quoted for the shell that runs it.
    """
    from .hints import Place, runner_lines, shell_lines

    activators = None if names is None else frozenset(names)
    place = Place(bin_dir, windows=windows, activators=activators, shell=shell, policy=policy, probe=probe, later=later)
    hints = shell_lines(place)
    if shell is not None:
        hints = hints[:1]
    hints += runner_lines(place, runners)
    width = max((len(hint.label) for hint in hints), default=0)
    return [
        f"activate with {hint.label.ljust(width)}  {hint.command}" + (f"  ({hint.note})" if hint.note else "")
        for hint in hints
    ]


def requirements_notice(options: Namespace, *, shell: str | None = None, windows: bool = False) -> str | None:
    """The one line saying requirements were not installed (``ready`` not the seeder, or ``--no-seed``), or None."""
    seeder = getattr(options, "seeder", None)
    no_seed = bool(getattr(options, "no_seed", False))
    if seeder is None or (seeder == "ready" and not no_seed):
        return None
    from ..project import find_project

    project, _why = find_project(Path.cwd())
    found = project_inputs(project)
    if not found:
        return None
    why = "--no-seed was given" if no_seed else f"the seeder is {seeder}, not ready"
    dest = str(getattr(options, "dest", None) or ".venv")
    return (
        f"virtualenv-ready: {', '.join(found)} in {project} not installed ({why}); "
        f"install them with `virtualenv-ready sync {command_word(dest, shell=shell, windows=windows)}`"
    )


def command_word(value: str, *, shell: str | None, windows: bool) -> str:
    """``value`` as one argument typed in the user's shell, bare when it needs no quoting."""
    import re

    if re.fullmatch(r"[\w./:@+=,\\-]+", value) and not value.startswith("-") and (windows or "\\" not in value):
        return value
    from .hints import POWERSHELLS
    from .quoting import fish_quote, ps_quote, sh_quote

    if shell in POWERSHELLS:
        return ps_quote(value)
    if shell == "cmd" or (windows and shell is None):
        return f'"{value}"'
    return fish_quote(value) if shell == "fish" else sh_quote(value)


def project_inputs(project: Path) -> list[str]:
    """The requirement sources a ``ready`` seeder would install from (pyproject only when it declares some)."""
    found = [name for name in ("pylock.toml", "uv.lock", "setup.py", "requirements.txt") if (project / name).is_file()]
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        try:
            import sys

            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover - 3.10
                import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        table = data.get("project", {})
        poetry = (data.get("tool") or {}).get("poetry") if isinstance(data.get("tool"), dict) else None
        if (
            (isinstance(table, dict) and (table.get("dependencies") or table.get("optional-dependencies")))
            or data.get("dependency-groups")
            or (isinstance(poetry, dict) and (poetry.get("dependencies") or poetry.get("group")))
        ):
            found.insert(0, "pyproject.toml")
    return found


__all__ = ["activation_lines", "announce", "command_word", "project_inputs", "requirements_notice", "selected"]
