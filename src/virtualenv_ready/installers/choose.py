"""Which installer runs a plan: the one asked for, or with ``auto`` the available one with the highest priority."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadyError
from ..logs import LOGGER
from ..valuetypes import replace

if TYPE_CHECKING:
    from ..model import IndexOptions, InstallPlan, ReadyConfig
    from ..target import Target
    from .base import Installer, Located


def choose_installer(requested: str, target: Target) -> tuple[Installer, Located]:
    """The installer asked for, or with ``auto`` the available one with the highest priority."""
    from ..plugins import hooks
    from .base import InstallerUnusable

    registered: dict[str, Installer] = {}
    for installer in hooks().register_installers():
        registered.setdefault(installer.name, installer)
    if requested != "auto":
        return _requested(registered, requested, target)
    passed: list[Installer] = []  # not installed: auto says once that it uses a later one
    for installer in sorted(registered.values(), key=lambda i: -i.auto_priority):
        try:
            located = installer.locate(target)
        except InstallerUnusable as exc:
            LOGGER.warning("virtualenv-ready: %s; trying the next installer", exc)
            continue
        if located is not None:
            _say_fallback(passed, installer)
            return installer, located
        passed.append(installer)
    tried = ", ".join(registered)
    msg = f'no installer found (tried {tried}); install uv (`pip install "virtualenv-ready[uv]"`) or seed pip'
    raise ReadyError(msg)


_SAID: set[str] = set()  # the fallbacks said in this process (the seed packages and the plan both choose)


def _say_fallback(passed: list[Installer], chosen: Installer) -> None:
    """One notice line when ``auto`` installs with a later installer because an earlier one is not installed."""
    if not passed or chosen.name in _SAID:
        return
    _SAID.add(chosen.name)
    first = passed[0]
    LOGGER.warning(
        "virtualenv-ready: installing with %s (--ready-installer auto): %s is not installed; %s",
        chosen.name,
        first.name,
        first.missing_hint(),
    )


def _requested(registered: dict[str, Installer], requested: str, target: Target) -> tuple[Installer, Located]:
    """The installer named by ``--ready-installer``: registered, usable and installed, or an error naming the fix."""
    from .base import InstallerUnusable

    if requested not in registered:
        msg = f"--ready-installer {requested}: no such installer; registered: {', '.join(sorted(registered))}"
        raise ReadyError(msg)
    others = ", ".join(f"--ready-installer {name}" for name in sorted(registered) if name != requested)
    try:
        located = registered[requested].locate(target)
    except InstallerUnusable as exc:
        msg = f"--ready-installer {requested}: {exc}; reinstall it, or use {others or 'another installer'}"
        raise ReadyError(msg) from None
    if located is None:
        msg = f"--ready-installer {requested}: {requested} is not installed; {registered[requested].missing_hint()}"
        raise ReadyError(msg)
    return registered[requested], located


def prepare(plan: InstallPlan, config: ReadyConfig, target: Target) -> tuple[Installer, Located, IndexOptions]:
    """The installer for this plan, once it accepted the project and every step, and the index it installs from."""
    from ..boundary import project_sources_allowed

    policy = config.policy
    if policy is not None and policy.restricts_sources:
        from .process import refuse_source_variables

        refuse_source_variables(target.env, policy.where(str(policy.source_key)))
    installer, located = choose_installer(config.installer, target)
    installer.check_project(config.project, project_sources_allowed(config))
    _installer_settings(plan, installer.name)
    for step in plan.steps():
        installer.check_step(step)
    return installer, located, replace(plan.index, find_links=plan.find_links())


def _installer_settings(plan: InstallPlan, installer: str) -> None:
    """uv gets the project's supported uv settings as flags and refuses the others while it resolves; pip applies
    none of them, which it says."""
    from ..sources.uvconfig import check_settings, uv_settings

    locked = any(source.label.startswith("uv.lock") for source in plan.sources)
    if installer == "uv":
        check_settings(plan.project, resolving=not locked)
    settings = uv_settings(plan.project)
    applied = [*settings.applied, *_sources(plan)]
    if not applied:
        return
    if installer == "uv":
        LOGGER.info("uv applies these settings of %s: %s", settings.where, ", ".join(applied))
    elif not locked:
        LOGGER.warning(
            "virtualenv-ready: %s does not apply the uv settings %s of %s, so its result may differ from uv's; use "
            "--ready-installer uv, or lock the project with `uv lock`",
            installer,
            ", ".join(applied),
            settings.where,
        )


def _sources(plan: InstallPlan) -> list[str]:
    """``[tool.uv.sources]`` (project metadata uv reads whatever its configuration), as the settings list names it."""
    from ..files import load_pyproject

    table = ((load_pyproject(plan.project / "pyproject.toml") or {}).get("tool") or {}).get("uv") or {}
    sources = table.get("sources") if isinstance(table, dict) else None
    return [f"sources ({', '.join(sources)})"] if isinstance(sources, dict) and sources else []


__all__ = ["choose_installer", "prepare"]
