"""Where virtualenv-ready leans on how virtualenv or tox work inside: each such reliance in one function here.

Each names the releases it was checked against; ``tests/unit/test_compat.py`` and ``tests/test_compat.py`` fail
when one stops holding. Nothing here imports virtualenv or tox at module level: they are used only when the caller
runs in them, or asks for them (:func:`session_for`, `sync`'s repair).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint
    from pathlib import Path

T = TypeVar("T")


def virtualenv_entry_points(group: str) -> list[EntryPoint] | None:
    """The entry points of ``group`` from the scan virtualenv made to load its own plugins, when virtualenv runs in
    this process (``None`` otherwise): scanning again costs 1-3 ms per call on a start-up path."""
    # virtualenv.run.plugin.base.PluginLoader.entry_points(): a public static method that caches
    # importlib.metadata.entry_points() for the process; unchanged from virtualenv 20.0 to 21.15.14
    # (checked against 20.26.6, the oldest release this package supports, and 21.15.14)
    loader = getattr(sys.modules.get("virtualenv.run.plugin.base"), "PluginLoader", None)
    if loader is None:
        return None
    scanned = loader.entry_points()
    return list(scanned.select(group=group)) if hasattr(scanned, "select") else None


def named_like(cls: type[T], original: type) -> type[T]:
    """``cls`` under ``original``'s class name, so that tox takes an env made by one for an env made by the other.

    tox records the class name of the env's runner in the env's ``.tox-info.json`` and recreates the env when it
    changes; a subclass named like tox's own runner leaves the existing envs alone when this plugin is installed.
    """
    # tox.tox_env.api.ToxEnv._setup_env caches {"name": ..., "type": type(self).__name__} under "ToxEnv" and
    # recreates on any difference; the same from tox 4.0 to 4.67.17 (checked against 4.0.0, 4.20.0, 4.67.17)
    cls.__name__ = original.__name__
    cls.__qualname__ = original.__qualname__
    return cls


def session_for(dest: Path, args: list[str]) -> tuple[Any, Any]:
    """virtualenv's own parts (creator, seeder, activators) for ``dest`` as a creation with ``args`` builds them, and
    the options it parsed; nothing is created or run (`sync` runs only the parts an env lacks)."""
    # virtualenv.run.session_via_cli(args, options, setup_logging, env) builds the Session without running it, and
    # fills a VirtualEnvOptions passed in; Session.creator/.seeder/.activators are its public properties, each part's
    # run/generate(creator) the step Session.run calls. Unchanged from 20.0 to 21.15.14 (checked against 20.26.6
    # and 21.15.14)
    from virtualenv.config.cli.parser import VirtualEnvOptions
    from virtualenv.run import session_via_cli

    options = VirtualEnvOptions()
    session = session_via_cli([str(dest), *args], options, setup_logging=False)
    return session, options


def session_activators(session: object) -> list[object] | None:
    """The live list of activators a virtualenv session will run (``None`` for a session without one, such as tox's
    subprocess session): removing one from it before the session runs leaves that activator's scripts unwritten."""
    # virtualenv.run.session.Session.activators returns the list the session iterates in run() (_activators); the
    # same from virtualenv 20.0 to 21.15.14 (checked against 20.26.6 and 21.15.14)
    found = getattr(session, "activators", None)
    return found if isinstance(found, list) else None


__all__ = ["named_like", "session_activators", "session_for", "virtualenv_entry_points"]
