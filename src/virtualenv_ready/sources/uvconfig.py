"""The project's uv settings (``uv.toml``, else ``[tool.uv]``, with ``[tool.uv.pip]``) as flags we pass, or refused.

uv runs with its configuration discovery off (``installers.process.child_env`` and ``--no-config``): it reads no
``uv.toml`` or ``[tool.uv]`` settings itself, neither the project's nor a parent folder's nor the user's. The
settings this package supports are read here, checked, and handed to ``uv pip install`` as explicit
``--flag=value`` arguments (a value can never become an option). Settings that would choose sources, install
somewhere else, override what the resolver sees or change what builds get are refused with their file and key. Any
other key changes nothing an install does and is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ReadyError
from ..valuetypes import dataclass

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# settings with one of a few values, as `--key=value`
_CHOICES: dict[str, tuple[str, ...]] = {
    "resolution": ("highest", "lowest", "lowest-direct"),
    "prerelease": ("disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit"),
    "fork-strategy": ("fewest", "requires-python"),
    "link-mode": ("clone", "copy", "hardlink", "symlink"),
}
# true/false settings, as `--key` when true
_SWITCHES = ("no-build", "no-sources", "compile-bytecode", "require-hashes")
# lists of package names, as the flag given once per name (`no-binary` is a list in [tool.uv.pip], a switch above)
_NAME_LISTS = {"no-binary-package": "--no-binary", "no-build-package": "--only-binary", "only-binary": "--only-binary"}
_TABLES = ("exclude-newer-package", "config-settings", "config-settings-package")
#: the settings applied as flags (with ``no-binary`` and ``exclude-newer``)
APPLIED_KEYS = (*_CHOICES, *_SWITCHES, *_NAME_LISTS, "no-binary", "exclude-newer", *_TABLES)

_SOURCES_FIX = (
    "chooses where uv gets packages from, and uv reads no project configuration; remove it, and name indexes yourself "
    "with --ready-index-url, --ready-extra-index-url or --ready-find-links (or their VIRTUALENV_READY_* variables)"
)
_RESOLVER_FIX = (
    "changes what the resolver sees, and uv reads no project configuration; lock the project with `uv lock` (the lock "
    "carries it), or pass constraints yourself with --ready-constraint"
)
_BUILD_FIX = "changes what builds get, and uv reads no project configuration; remove it"
_TARGET_FIX = "installs somewhere other than the environment; remove it"
#: settings refused, each with why and the fix; sources always, the others when uv resolves (no uv.lock is used)
SOURCE_KEYS = ("index", "index-url", "extra-index-url", "find-links", "no-index", "index-strategy")
REFUSED: dict[str, str] = {
    **dict.fromkeys((*SOURCE_KEYS, "allow-insecure-host", "torch-backend"), _SOURCES_FIX),
    **dict.fromkeys(
        (
            "override-dependencies",
            "constraint-dependencies",
            "build-constraint-dependencies",
            "dependency-metadata",
            "python-version",
            "python-platform",
        ),
        _RESOLVER_FIX,
    ),
    **dict.fromkeys(
        ("extra-build-dependencies", "extra-build-variables", "no-build-isolation", "no-build-isolation-package"),
        _BUILD_FIX,
    ),
    **dict.fromkeys(("target", "prefix", "python", "system", "break-system-packages", "user"), _TARGET_FIX),
}


@dataclass(frozen=True)
class UvSettings:
    """What the project's uv settings make of an install: the keys applied (``pip.key`` for ``[tool.uv.pip]``)
    and the flags that apply them."""

    where: str
    applied: tuple[str, ...] = ()
    argv: tuple[str, ...] = ()


def settings_tables(project: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The project's uv settings as uv would read them: ``uv.toml``, else ``pyproject.toml`` ``[tool.uv]``; then
    their ``pip`` table. Each with where it is, for messages (``FILE [tool.uv.pip]``)."""
    from ..files import load_pyproject, load_toml

    if (project / "uv.toml").is_file():
        path, table, name = project / "uv.toml", load_toml(project / "uv.toml"), ""
    else:
        path, name = project / "pyproject.toml", "tool.uv"
        table = ((load_pyproject(path) or {}).get("tool") or {}).get("uv") or {}
    if not isinstance(table, dict):
        return
    yield (f"{path} [{name}]" if name else str(path)), table
    pip_table = table.get("pip")
    if isinstance(pip_table, dict):
        yield (f"{path} [{name}.pip]" if name else f"{path} [pip]"), pip_table


def check_settings(project: Path, *, resolving: bool) -> None:
    """Refuse the settings uv would have used to change sources (always), or, when uv resolves, targets, overrides,
    metadata and builds; one line with the file, the key and the fix."""
    for where, table in settings_tables(project):
        for key, fix in REFUSED.items():
            if key in table and (resolving or fix is _SOURCES_FIX):
                msg = f"{where}: {key} {fix}"
                raise ReadyError(msg)


def uv_settings(project: Path) -> UvSettings:
    """The supported settings (``[tool.uv.pip]`` over ``[tool.uv]``, as uv orders them) as ``uv pip install`` flags,
    each value checked."""
    merged: dict[str, tuple[str, str, Any]] = {}  # key -> (where, name as shown, value)
    last = ""
    for where, table in settings_tables(project):
        scope = "pip." if where.endswith(("pip]",)) else ""
        merged.update({key: (where, f"{scope}{key}", table[key]) for key in APPLIED_KEYS if key in table})
        last = last or where
    argv: list[str] = []
    for key, (where, _, value) in merged.items():
        argv += _flags(key, value, f"{where}: {key}")
    return UvSettings(last, tuple(name for _, name, _ in merged.values()), tuple(argv))


# the flags `uv export` takes too: the resolver settings a lock records, which `--locked` compares
_EXPORTED = (
    "--resolution",
    "--prerelease",
    "--fork-strategy",
    "--exclude-newer",
    "--exclude-newer-package",
    "--no-sources",
)


def export_flags(project: Path) -> list[str]:
    """The project's resolver settings as `uv export` flags, so its `--locked` check compares what uv lock used."""
    return [flag for flag in uv_settings(project).argv if flag.split("=", 1)[0] in _EXPORTED]


def _flags(key: str, value: Any, where: str) -> list[str]:
    """One setting as flags, after checking its value (a wrong type or an unknown choice names the key)."""
    if key in _CHOICES:
        return [f"--{key}={_choice(value, _CHOICES[key], where)}"]
    if key in _SWITCHES:
        return [f"--{key}"] if _switch(value, where) else []
    if key == "no-binary" and isinstance(value, bool):
        return ["--no-binary=:all:"] if value else []
    if key in _NAME_LISTS or key == "no-binary":
        flag = _NAME_LISTS.get(key, "--no-binary")
        return [f"{flag}={_name(item, where)}" for item in _strings(value, where)]
    if key == "exclude-newer":
        return [f"--exclude-newer={_text(value, where)}"]
    if key == "exclude-newer-package":
        return [f"--exclude-newer-package={_name(n, where)}={_text(d, where)}" for n, d in _table(value, where)]
    if key == "config-settings":
        return [f"--config-setting={_text(k, where)}={v}" for k, v in _settings(value, where)]
    flags = []
    for package, settings in _table(value, where):
        name = _name(package, where)
        flags += [f"--config-settings-package={name}:{_text(k, where)}={v}" for k, v in _settings(settings, where)]
    return flags


def _text(value: Any, where: str) -> str:
    from ..safe import shown

    if not isinstance(value, str) or not value or shown(value) != value or value != value.strip():
        msg = f"{where}: {value!r} must be a string without control characters or surrounding spaces; fix the value"
        raise ReadyError(msg)
    return value


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        msg = f"{where}: {value!r} is not one of {', '.join(choices)}; fix the value"
        raise ReadyError(msg)
    return str(value)


def _switch(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        msg = f"{where}: must be true or false"
        raise ReadyError(msg)
    return value


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        msg = f"{where}: must be a list of package names"
        raise ReadyError(msg)
    return [_text(item, where) for item in value]


def _name(value: Any, where: str) -> str:
    import re

    text = _text(value, where)
    if text not in (":all:", ":none:") and not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", text):
        msg = f"{where}: {text!r} is not a package name; fix the value"
        raise ReadyError(msg)
    return text


def _table(value: Any, where: str) -> list[tuple[str, Any]]:
    if not isinstance(value, dict):
        msg = f"{where}: must be a table"
        raise ReadyError(msg)
    return list(value.items())


def _settings(value: Any, where: str) -> list[tuple[str, str]]:
    """Build-backend settings: each value a string or a list of them (one flag per item)."""
    pairs: list[tuple[str, str]] = []
    for key, given in _table(value, where):
        for item in given if isinstance(given, list) else [given]:
            pairs.append((key, _text(item, where)))
    return pairs


__all__ = [
    "APPLIED_KEYS",
    "REFUSED",
    "SOURCE_KEYS",
    "UvSettings",
    "check_settings",
    "export_flags",
    "settings_tables",
    "uv_settings",
]
