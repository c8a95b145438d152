"""The public plugin API of virtualenv-ready.

A plugin is a module or object with functions marked ``@virtualenv_ready.hookimpl`` whose names match the hooks
below, registered through the entry-point group ``virtualenv_ready``. The built-in installers and requirement
sources use these same hooks. Hooks are called in LIFO registration order (plugins before built-ins) unless marked
otherwise with ``tryfirst``/``trylast``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from .installers.base import Installer, InstallResult
    from .model import InstallPlan, ReadyConfig, Source
    from .target import Target

hookspec = pluggy.HookspecMarker("virtualenv_ready")


@hookspec
def ready_register_installers() -> Sequence[Installer] | None:
    """Offer installer backends.

    Called once per plugin manager. Return installer objects (see :class:`virtualenv_ready.installers.base.Installer`);
    all results are combined. When two share a ``name``, the one returned first (a plugin over a built-in) wins.
    ``--ready-installer auto`` takes the available installer with the highest ``auto_priority``.
    """


@hookspec
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> Sequence[Source] | None:
    """Contribute requirements to the plan of the project at ``project``.

    Called once per plan, before the plan is validated. Return :class:`virtualenv_ready.plan.Source` values, or
    ``None`` to contribute nothing; all results are combined into one installer run. Raise
    :class:`virtualenv_ready.errors.ReadyError` for bad input, with a message naming the file and the fix.
    """


@hookspec
def ready_validate_plan(plan: InstallPlan) -> str | None:
    """Refuse a plan before anything is installed.

    Called once per plan, after all sources are collected. Return ``None`` to accept or a one-line reason to refuse;
    every refusal is reported and the install does not start.
    """


@hookspec
def ready_before_install(plan: InstallPlan, target: Target) -> None:
    """Run just before the installer starts (the record already says ``incomplete``).

    Called once per install, also for ``virtualenv-ready sync``; not called by a dry run or a no-op sync.
    An exception aborts the install and leaves the environment incomplete.
    """


@hookspec
def ready_after_install(plan: InstallPlan, target: Target, result: InstallResult) -> None:
    """Run a post-create step once the installer succeeded (for example ``pre-commit install``).

    Called once per successful install, before the record is marked ``complete``; an exception leaves it incomplete
    so that a re-run or ``virtualenv-ready sync`` tries again.
    """


@hookspec
def ready_activation_env(venv: Path) -> Mapping[str, str] | None:
    """Name environment variables every activation script sets (and its ``deactivate`` removes).

    Called once per activator when virtualenv writes activation scripts. Return ``{name: value}``; results are merged,
    the first plugin to name a variable wins. Names must be valid identifiers; values are quoted per shell.
    """


__all__ = [
    "hookspec",
    "ready_activation_env",
    "ready_add_sources",
    "ready_after_install",
    "ready_before_install",
    "ready_register_installers",
    "ready_validate_plan",
]
