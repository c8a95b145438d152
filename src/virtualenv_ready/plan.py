"""What to install: ask every source (built-in and plugin), then let plugins refuse the plan.

The plan types live in ``model``; they are importable from here too, as plugins have always done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ReadyError
from .files import sha256_file
from .model import IndexOptions, InstallPlan, ReadyConfig, Source, Step

if TYPE_CHECKING:
    from .target import Target


def make_plan(config: ReadyConfig, target: Target) -> InstallPlan:
    """Collect sources from every plugin (built-ins included), then let plugins refuse the plan."""
    from .lines import flattened
    from .plugins import hooks

    sources = [flattened(source) for source in hooks().add_sources(config.project, config, target)]
    index = IndexOptions.from_config(config)
    plan = InstallPlan(config.project, tuple(sources), index, config.installer, config.decisive())
    refusals = hooks().validate_plan(plan)
    if refusals:
        msg = "the plan was refused: " + "; ".join(refusals)
        raise ReadyError(msg)
    return plan


def nothing_found(config: ReadyConfig) -> str:
    """What the project holds and why none of it installs anything, for the "nothing to install" line."""
    from .files import load_pyproject
    from .record import CANDIDATES

    found = [name for name in (*CANDIDATES, "poetry.lock", "pdm.lock") if (config.project / name).is_file()]
    if not found:
        return f"none of {', '.join(CANDIDATES)} is there"
    why = []
    data = load_pyproject(config.project / "pyproject.toml")
    if data is not None:
        if config.no_project:
            why.append("--ready-no-project leaves the project out")
        elif not any(key in data for key in ("project", "build-system")) and "poetry" not in data.get("tool", {}):
            why.append("pyproject.toml has no [project], [build-system] or [tool.poetry] table")
        why.append("no dependency group is selected" if config.groups is not None else "it has no dependency groups")
    if config.requirements is not None and "requirements.txt" in found:
        why.append("requirements.txt is replaced by --ready-requirement")
    return f"found {', '.join(found)}" + (f"; {', '.join(why)}" if why else "")


def report_nothing_found(config: ReadyConfig) -> None:
    """Say, even with -q, that the project gave nothing to install, and why."""
    from .errors import PROBLEM
    from .logs import LOGGER

    LOGGER.log(PROBLEM, "virtualenv-ready: nothing to install in %s: %s", config.project, nothing_found(config))


__all__ = [
    "IndexOptions",
    "InstallPlan",
    "Source",
    "Step",
    "make_plan",
    "nothing_found",
    "report_nothing_found",
    "sha256_file",
]
