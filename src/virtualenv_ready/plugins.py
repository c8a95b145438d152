"""The plugin manager: hook specs, built-ins, then entry points, then a check that every hook exists."""

from __future__ import annotations

import logging
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import ReadyError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    import pluggy

LOGGER = logging.getLogger(__name__)
PROJECT = "virtualenv_ready"
DISABLE_ENV = "VIRTUALENV_READY_DISABLE_PLUGINS"

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
    """The installed entry points of ``group``. Inside virtualenv, the scan of every distribution it made to load
    its own plugins is reused when that virtualenv release keeps it: scanning again costs 1-3 ms per call."""
    loader = getattr(sys.modules.get("virtualenv.run.plugin.base"), "PluginLoader", None)
    scanned = getattr(loader, "_ENTRY_POINTS", None)
    if scanned is not None and hasattr(scanned, "select"):
        return list(scanned.select(group=group))
    from importlib.metadata import entry_points

    return list(entry_points(group=group))


def call(hook_name: str, **kwargs: Any) -> list[Any]:
    """Call a hook; a plugin that raises anything but ReadyError is named with the hook, not shown as a traceback."""
    manager = get_plugin_manager()
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


__all__ = ["DISABLE_ENV", "call", "entry_points_of", "get_plugin_manager"]
