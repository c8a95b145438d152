"""The user's and the system's folders for an application, as platformdirs names them.

platformdirs costs milliseconds to import, on every sync; where its rule is plain (Linux, an absolute ``HOME``, the
XDG variable unset or absolute) the folder is computed here, the same as every platformdirs release names it, and
platformdirs answers everywhere else. Imports nothing of the package.
"""

from __future__ import annotations

import os
import sys


def user_data_dir(app: str) -> str:
    """``platformdirs.user_data_dir(app, appauthor=False)``."""
    found = _plain("XDG_DATA_HOME", ".local/share")
    if found is not None:
        return os.path.join(found, app)  # noqa: PTH118 - platformdirs joins as os.path does
    from platformdirs import user_data_dir as ask

    return ask(app, appauthor=False)


def user_config_dir(app: str, author: str | None = None) -> str:
    """``platformdirs.user_config_dir(app, appauthor=author or False)`` (no author on Linux)."""
    found = _plain("XDG_CONFIG_HOME", ".config")
    if found is not None:
        return os.path.join(found, app)  # noqa: PTH118
    from platformdirs import user_config_dir as ask

    return ask(app, appauthor=author or False)


def site_config_dir(app: str) -> str:
    """``platformdirs.site_config_dir(app, appauthor=False, multipath=False)``."""
    if _linux():
        first = os.environ.get("XDG_CONFIG_DIRS", "").split(os.pathsep)[0]
        if first.startswith("/"):
            return os.path.join(first, app)  # noqa: PTH118
        if not os.environ.get("XDG_CONFIG_DIRS", "").strip():
            return os.path.join("/etc/xdg", app)  # noqa: PTH118
    from platformdirs import site_config_dir as ask

    return ask(app, appauthor=False, multipath=False)


def _plain(variable: str, default: str) -> str | None:
    """The base folder a user XDG variable names, where every platformdirs release reads it alike; else ``None``."""
    if not _linux():
        return None
    given, home = os.environ.get(variable, ""), os.environ.get("HOME", "")
    if given.startswith("/"):
        return given
    if given.strip() or not home.startswith("/"):
        return None
    return os.path.join(home, default)  # noqa: PTH118


def _linux() -> bool:
    return sys.platform == "linux" and not hasattr(sys, "getandroidapilevel") and not os.environ.get("ANDROID_DATA")


__all__ = ["site_config_dir", "user_config_dir", "user_data_dir"]
