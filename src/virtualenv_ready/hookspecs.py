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

    Called each time an installer is chosen (every install and dry run, not once per process), so return the same
    objects or new ones as you like. Return installer objects (see :class:`virtualenv_ready.installers.base.Installer`);
    all results are combined. When two share a ``name``, the one returned first (a plugin over a built-in) wins.
    ``--ready-installer auto`` takes the available installer with the highest ``auto_priority``.
    """


@hookspec
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> Sequence[Source] | None:
    """Contribute requirements to the plan of the project at ``project``.

    Called each time a plan is made, which can be more than once per command (to check whether an env is up to date,
    to install, for ``virtualenv-ready trust`` and ``sync --check``): read, never change anything. The built-in
    sources are ``tryfirst``, so a plugin's sources follow them. Return :class:`virtualenv_ready.plan.Source` values,
    or ``None`` to contribute nothing. The sources that resolve (``no_deps`` false) share one installer run, so one
    resolver sees all of them; exact ``no_deps`` sources install in a later run. Raise
    :class:`virtualenv_ready.errors.ReadyError` for bad input, with a message naming the file and the fix.
    """


@hookspec
def ready_validate_plan(plan: InstallPlan) -> str | None:
    """Refuse a plan before anything is installed.

    Called each time a plan is made, after all sources are collected. Return ``None`` to accept or a one-line reason
    to refuse; the refusals of every plugin are reported together and nothing is installed.
    """


@hookspec
def ready_before_install(plan: InstallPlan, target: Target) -> None:
    """Run just before the installer starts (the record already says ``incomplete``).

    Called once per install, by the seeder, ``virtualenv-ready sync`` and tox alike; not called by a dry run, for an
    env already up to date, for a plan with nothing to install, or when the project is not trusted.
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

    Called by each virtualenv-ready activator (``powershell-policy``, ``venv-run``, ``elvish``, ``ci``; not virtualenv's
    own) when it writes its script, and only when a plugin is installed through the ``virtualenv_ready`` entry-point
    group. Return ``{name: value}``; results are merged, the first plugin to name a variable wins. Names must be
    identifiers other than ``VIRTUAL_ENV``, ``VIRTUAL_ENV_PROMPT``, ``PATH`` and ``PYTHONHOME``; values are strings
    without NUL, quoted per shell.
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
