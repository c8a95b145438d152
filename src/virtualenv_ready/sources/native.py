"""Which tool's lock a project is installed from, when poetry.lock or pdm.lock is there: the current one.

The project's own tool comes first (Poetry for ``[tool.poetry]``, PDM for ``[tool.pdm]`` or its backend, uv
otherwise); a lock whose content hash no longer matches pyproject.toml is named with its tool's fix command and
skipped. When more than one lock file is present, one line says which was used and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..logs import LOGGER
from ..model import Source

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import ReadyConfig
    from ..target import Target
    from .lockgraph import Chosen

NATIVE = ("poetry.lock", "pdm.lock")
ALL_LOCKS = ("pylock.toml", "uv.lock", *NATIVE)


def own_lock(data: dict[str, Any]) -> str | None:
    """The lock of the project's own tool, when that tool is Poetry or PDM (``None``: uv, or no tool)."""
    tool = data.get("tool") or {}
    backend = str((data.get("build-system") or {}).get("build-backend", ""))
    if "poetry" in tool or backend.startswith("poetry."):
        return "poetry.lock"
    if "pdm" in tool or backend.startswith("pdm."):
        return "pdm.lock"
    return None


def export_command(name: str, groups: list[str]) -> str:
    """The export that gives what the tool's own install gives: Poetry's chosen groups, PDM's every dev group."""
    if name == "poetry.lock":
        extra = f" --with {','.join(groups)}" if groups else ""
        return f"`poetry export --format pylock.toml --output pylock.toml{extra}` (poetry-plugin-export)"
    return "`pdm export --format pylock --dev --group :all --output pylock.toml`"


def choose(
    project: Path, data: dict[str, Any], config: ReadyConfig, target: Target, names: tuple[str, ...]
) -> Chosen | None:
    """The first of ``names`` (poetry.lock, pdm.lock) present and current, read for the chosen groups."""
    if config.no_lock or config.requirements is not None:
        return None
    from ..boundary import Boundary, Named
    from ..files import load_toml
    from . import pdmlock, poetrylock

    pyproject = project / "pyproject.toml"
    for name in names:
        path = project / name
        if not path.is_file():
            continue
        Boundary.of(config).check([Named(str(path), f"{path} (the project's lock file)", "file")])
        lock = load_toml(path)
        module: Any = poetrylock if name == "poetry.lock" else pdmlock
        fresh = poetrylock.is_fresh(path, lock, data) if module is poetrylock else pdmlock.is_fresh(lock, data)
        if not fresh:
            chosen = module.group_choice(data, pyproject, config)[0] if module is poetrylock else []
            LOGGER.warning(
                "virtualenv-ready: %s is not used: it is out of date with pyproject.toml (its content hash differs); "
                "resolving from pyproject.toml instead: run %s to update it (or export it with %s)",
                path,
                module.FIX,
                export_command(name, chosen),
            )
            continue
        env: dict[str, Any] = dict(target.marker_environment)
        found: Chosen = module.read(path, pyproject, data, config, env)
        return found
    return None


def sources(chosen: Chosen, config: ReadyConfig) -> list[Source]:
    """The chosen lock's packages as sources: exact hashed lines, then references and editables (no resolver)."""
    from ..boundary import Boundary
    from . import pdmlock, poetrylock
    from .lockgraph import lines
    from .uv import lock_values

    module: Any = poetrylock if chosen.tool == "poetry" else pdmlock
    hashed, loose, editables = lines(chosen.path, chosen.packages, module.files_of(chosen.path))
    boundary = Boundary.of(config)
    if boundary.owns(chosen.path) and (loose or editables):
        boundary.check(lock_values(chosen.path, [*loose, *editables]))
    label = chosen.path.name + (f" [{', '.join(chosen.groups)}]" if chosen.groups else "")
    pyproject = chosen.path.parent / "pyproject.toml"
    found = [Source(label, lines=tuple(hashed), inputs=(chosen.path, pyproject), no_deps=True)]
    if loose or editables:
        found.append(Source(label, lines=tuple(loose), editables=tuple(editables), no_deps=True))
    return found


def report(project: Path, used: str | None, why: str, left_out: tuple[str, ...], tool: str) -> None:
    """One line naming the lock used and why, when more than one is present; one naming groups left out."""
    present = [name for name in ALL_LOCKS if (project / name).is_file()]
    if used is not None and len(present) > 1:
        others = ", ".join(name for name in present if name != used)
        LOGGER.warning("virtualenv-ready: installing from %s (%s); not from %s", project / used, why, others)
    if left_out:
        LOGGER.warning(
            "virtualenv-ready: left out %s groups: %s (add them with --ready-groups)", tool, ", ".join(left_out)
        )


__all__ = ["ALL_LOCKS", "NATIVE", "choose", "export_command", "own_lock", "report", "sources"]
