"""The plugin manager (hook specs, built-ins, then entry points, then a check that every hook exists) and the typed
calls of its hooks (:func:`hooks`), so that callers never spell a hook's name or unpack its results by hand."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import ReadyError
from .logs import named, settle

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint
    from pathlib import Path

    import pluggy

    from .installers.base import Installer, InstallResult
    from .model import InstallPlan, ReadyConfig, Source
    from .target import Target

LOGGER = named(__name__)
PROJECT = "virtualenv_ready"
DISABLE_ENV = "VIRTUALENV_READY_DISABLE_PLUGINS"
# variables every activation script manages itself; a plugin may not take them over
ACTIVATION_MANAGED = frozenset({"VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PATH", "PYTHONHOME"})
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")

_BUILTINS = (
    "virtualenv_ready.installers.uv",
    "virtualenv_ready.installers.pip",
    # pluggy calls the last registered first: this order gives `requirements.txt + pyproject.toml [dev]`
    "virtualenv_ready.sources.mandatory",
    "virtualenv_ready.sources.pylock",
    "virtualenv_ready.sources.uv",
    "virtualenv_ready.sources.pyproject",
    "virtualenv_ready.sources.requirements",
    # the Python version check runs first, before any source asks uv or reads a lock
    "virtualenv_ready.sources.python",
)


@cache
def get_plugin_manager() -> pluggy.PluginManager:
    """Build the manager once per process; later calls return the same one."""
    import importlib

    import pluggy

    from . import hookspecs

    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    for name in _BUILTINS:
        manager.register(importlib.import_module(name), name=name)
    blocked = {item.strip() for item in os.environ.get(DISABLE_ENV, "").split(",") if item.strip()}
    for name in blocked:
        manager.set_blocked(name)
    settle()  # a plugin logs through logging itself: the CLI's handler goes first
    _load_entry_points(manager)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        name = (manager.get_name(exc.plugin) if exc.plugin is not None else None) or "?"
        msg = f"plugin {name!r} implements an unknown hook: {exc}; update or disable it with {DISABLE_ENV}"
        raise ReadyError(msg) from exc
    return manager


def _load_entry_points(manager: pluggy.PluginManager) -> None:
    """Register every plugin of the entry-point group; one that fails to import is named, with the way out."""
    for ep in entry_points_of(PROJECT):
        if manager.is_blocked(ep.name) or manager.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            msg = f"plugin {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}; fix or remove it, "
            msg += f"or disable it with {DISABLE_ENV}={ep.name}"
            raise ReadyError(msg) from exc
        manager.register(plugin, name=ep.name)


def entry_points_of(group: str) -> list[EntryPoint]:
    """The installed entry points of ``group``; inside virtualenv from the scan it already made for its plugins."""
    from .compat import virtualenv_entry_points

    found = virtualenv_entry_points(group)
    if found is not None:
        return found
    from importlib.metadata import entry_points

    return list(entry_points(group=group))


class Hooks:
    """One typed method per hook (as tox's plugin manager has): results flattened, ``None`` results dropped."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self.manager = manager

    def register_installers(self) -> list[Installer]:
        """Every installer offered, plugins' before the built-ins' (the first of a name wins)."""
        return [installer for batch in self._call("ready_register_installers") for installer in batch or ()]

    def add_sources(self, project: Path, config: ReadyConfig, target: Target) -> list[Source]:
        """Every source contributed to the plan, in call order."""
        results = self._call("ready_add_sources", project=project, config=config, target=target)
        return [source for batch in results for source in batch or ()]

    def validate_plan(self, plan: InstallPlan) -> list[str]:
        """The reasons plugins gave to refuse the plan (empty: accepted)."""
        return [str(reason) for reason in self._call("ready_validate_plan", plan=plan) if reason]

    def before_install(self, plan: InstallPlan, target: Target) -> None:
        self._call("ready_before_install", plan=plan, target=target)

    def after_install(self, plan: InstallPlan, target: Target, result: InstallResult) -> None:
        self._call("ready_after_install", plan=plan, target=target, result=result)

    def activation_env(self, venv: Path) -> dict[str, str]:
        """The variables plugins want every activation script to set, checked; the first plugin to name one wins."""
        merged: dict[str, str] = {}
        for result in self._call("ready_activation_env", venv=venv):
            for name, value in dict(result or {}).items():
                _check_activation_variable(name, value)
                merged.setdefault(name, value)
        return merged

    def _call(self, hook_name: str, **kwargs: Any) -> list[Any]:
        return _call(self.manager, hook_name, kwargs)


def hooks() -> Hooks:
    """The typed hook calls of this process's plugin manager."""
    return Hooks(get_plugin_manager())


def _check_activation_variable(name: object, value: object) -> None:
    if not isinstance(name, str) or not name or name[0].isdigit() or not set(name) <= _NAME_CHARS:
        msg = f"ready_activation_env returned the variable name {name!r}; use letters, digits and _ only"
        raise ReadyError(msg)
    if name.upper() in ACTIVATION_MANAGED:
        msg = f"ready_activation_env returned {name!r}, which the activation scripts manage; pick another name"
        raise ReadyError(msg)
    if not isinstance(value, str) or "\x00" in value:
        msg = f"ready_activation_env returned a non-string or NUL-holding value for {name!r}; return a str"
        raise ReadyError(msg)


def _call(manager: pluggy.PluginManager, hook_name: str, kwargs: dict[str, Any]) -> list[Any]:
    """A plugin that raises anything but ReadyError is named with the hook, not shown as a traceback."""
    hook = getattr(manager.hook, hook_name)
    try:
        return list(hook(**kwargs))
    except ReadyError:
        raise
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        culprit = _culprit(manager, exc)
        msg = f"plugin {culprit} failed in {hook_name}: {type(exc).__name__}: {exc}"
        LOGGER.debug("plugin failure", exc_info=True)
        raise ReadyError(msg) from exc


def _culprit(manager: pluggy.PluginManager, exc: BaseException) -> str:
    tb = exc.__traceback__
    modules = {getattr(plugin, "__file__", None): name for name, plugin in manager.list_name_plugin()}
    culprit = "?"
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in modules:
            culprit = str(modules[filename])
        tb = tb.tb_next
    return repr(culprit)


__all__ = ["ACTIVATION_MANAGED", "DISABLE_ENV", "Hooks", "entry_points_of", "get_plugin_manager", "hooks"]
