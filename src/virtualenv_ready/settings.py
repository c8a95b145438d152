"""The user's own settings file, where ``virtualenv-ready enable`` keeps its choice.

Not virtualenv.ini: every virtualenv on the machine reads that file, also the ones without this package (Poetry's,
pipx's, hatch's), and ``seeder = ready`` there makes them fail with "seeder 'ready' is not available". This file is
read only by this package's seeder module, which every virtualenv run with the package imports: there
:func:`hook_default_seeder` makes ``ready`` the default of ``--seeder``, the value virtualenv starts from before
``VIRTUALENV_SEEDER`` and virtualenv.ini's ``seeder`` replace it and ``--seeder`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PROBLEM, ReadyError

if TYPE_CHECKING:
    from collections.abc import Mapping

ENV_VAR = "VIRTUALENV_READY_CONFIG_FILE"
NAME = "config.toml"
ENABLED = "enabled"
KEYS = (ENABLED,)
READY = "ready"
HEADER = (
    "# virtualenv-ready's own settings; only a virtualenv with virtualenv-ready installed reads this file.\n"
    "# `virtualenv-ready enable` and `virtualenv-ready disable` edit it.\n"
)


def settings_path(env: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """Where the settings live and why: the env var, else the platform's user config dir for virtualenv-ready."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]), f"env var {ENV_VAR}"
    from .userdirs import user_config_dir

    return Path(user_config_dir("virtualenv-ready")) / NAME, "user config dir"


def read_settings(path: Path) -> dict[str, Any]:
    """The file's keys, checked one by one; no file is no settings."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""  # the full reader below says what is wrong
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if lines in ([f"{ENABLED} = true"], [f"{ENABLED} = false"]):
        return {ENABLED: lines[0].endswith("true")}  # what `enable` writes, read without a TOML parser at start-up
    from .files import load_toml

    data = load_toml(path)
    for key, value in data.items():
        if key not in KEYS:
            msg = (
                f"{path}: unknown key {key!r}; valid keys: {', '.join(KEYS)}; fix the file, or delete it and run enable"
            )
            raise ReadyError(msg)
        if not isinstance(value, bool):
            msg = f"{path}: {key} must be true or false, not {value!r}; fix the file, or delete it and run enable"
            raise ReadyError(msg)
    return data


def is_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether `enable` made ``ready`` the default seeder (a broken file raises :class:`ReadyError`)."""
    path, _ = settings_path(env)
    return bool(read_settings(path).get(ENABLED, False))


def enabled_quietly() -> bool:
    """:func:`is_enabled` for virtualenv's start-up: a broken file is logged and counts as not enabled."""
    try:
        return is_enabled()
    except (ReadyError, OSError) as exc:
        from .logs import LOGGER

        LOGGER.log(PROBLEM, "virtualenv-ready: %s; ready is not the default seeder of this run", exc)
        return False


def write_enabled(path: Path, enabled: bool) -> bool:
    """Set (or remove) ``enabled = true``, keeping every other line; True when the file changed.

    A file left with nothing but the header `enable` wrote is removed: `disable` after `enable` leaves nothing.
    """
    current = read_settings(path).get(ENABLED)  # refuses to edit a file it cannot read
    if bool(current) == enabled and (enabled or current is None):
        return False
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    lines = [line for line in text.splitlines(keepends=True) if not _is_key(line, ENABLED)]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if enabled:
        lines.append(f"{ENABLED} = true\n")
    elif "".join(lines).strip() in ("", HEADER.strip()):
        path.unlink()
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(lines), encoding="utf-8", newline="")
    os.replace(tmp, path)
    return True


def _is_key(line: str, key: str) -> bool:
    name, sep, _ = line.partition("=")
    return bool(sep) and name.strip().strip("\"'") == key


# virtualenv.ini lines written by version 0.1.0's `enable`


def _section_bounds(lines: list[str]) -> tuple[int, int] | None:
    start = None
    for number, line in enumerate(lines):
        stripped = line.strip().lstrip("\ufeff")
        if stripped.startswith("[") and stripped.endswith("]"):
            if start is not None:
                return start, number
            if stripped[1:-1].strip().lower() == "virtualenv":
                start = number
    return (start, len(lines)) if start is not None else None


def _seeder_line(line: str) -> str | None:
    key, sep, value = line.partition("=")
    if not sep or line.lstrip().startswith(("#", ";")):
        return None
    return value.strip() if key.strip().lower() == "seeder" else None


def drop_ini_ready(path: Path) -> bool:
    """Remove ``seeder = ready`` from virtualenv.ini's [virtualenv] section, keeping every other byte (line endings
    and a BOM too); True when the file changed. Any other seeder line stays: it is the user's."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return False
    except UnicodeDecodeError:
        return False  # virtualenv cannot read such a file either: its lines have no effect
    lines = text.splitlines(keepends=True)
    bounds = _section_bounds(lines)
    if bounds is None:
        return False
    ready = [n for n in range(bounds[0] + 1, bounds[1]) if _seeder_line(lines[n]) == READY]
    if not ready:
        return False
    for number in reversed(ready):
        del lines[number]
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(lines), encoding="utf-8", newline="")
    os.replace(tmp, path)
    return True


# virtualenv's side: the one place that touches a private name of virtualenv

_HOOK_NAME = "_get_default"


def hook_default_seeder() -> str | None:
    """Make ``ready`` the default of ``--seeder`` in this process's virtualenv while enabled; ``None`` when the hook
    is in place, else why not (virtualenv then keeps app-data, and `doctor` says enable is not effective).

    virtualenv builds ``--seeder`` with ``default=SeederSelector._get_default()`` (a staticmethod returning
    "app-data") right after it imports every ``virtualenv.seed`` entry point, this package's seeder among them; its
    parser then lets ``VIRTUALENV_SEEDER`` and virtualenv.ini's ``seeder`` replace that default, and the command
    line override both. Checked on virtualenv 20.26.6 (the oldest supported) and 21.x (21.15.14); a test fails
    when the name is gone.
    """
    try:
        from virtualenv.run.plugin.seeders import SeederSelector
    except ImportError as exc:
        return f"virtualenv.run.plugin.seeders does not import ({exc})"
    current = SeederSelector.__dict__.get(_HOOK_NAME)
    if not isinstance(current, staticmethod):
        return f"virtualenv's SeederSelector has no {_HOOK_NAME} staticmethod any more"
    if getattr(current.__func__, "__module__", None) == __name__:
        return None  # hooked already: this module was imported again, or doctor asked
    original = current.__func__

    def _get_default() -> Any:
        return READY if enabled_quietly() else original()

    setattr(SeederSelector, _HOOK_NAME, staticmethod(_get_default))
    return None


__all__ = [
    "ENV_VAR",
    "drop_ini_ready",
    "enabled_quietly",
    "hook_default_seeder",
    "is_enabled",
    "read_settings",
    "settings_path",
    "write_enabled",
]
