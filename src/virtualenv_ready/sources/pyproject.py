"""pyproject.toml: the project itself (editable, with extras) and its PEP 735 dependency groups."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

from .. import hookimpl
from ..config import check_names
from ..errors import ReadyError
from ..plan import Source
from .pylock import lock_file

if TYPE_CHECKING:
    from pathlib import Path

    from ..config import ReadyConfig
    from ..target import Target

_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes one line with file:line and the parser's reason."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        stat = path.stat()
    except FileNotFoundError:
        msg = f"{path}: file not found"
        raise ReadyError(msg) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        return _CACHE[key]
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{path}:{found.group(1)}:{found.group(2)}" if found else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        msg = f"{where}: invalid TOML: {reason}; fix the file"
        raise ReadyError(msg) from None
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8"
        raise ReadyError(msg) from None
    _CACHE[key] = data
    return data


def load_pyproject(path: Path) -> dict[str, Any] | None:
    """The parsed pyproject.toml, or ``None`` when there is none."""
    if not path.is_file():
        return None
    return load_toml(path)


@hookimpl(tryfirst=True)  # built-in sources come before plugins in the summary
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    pyproject = project / "pyproject.toml"
    data = load_pyproject(pyproject)
    if data is None:
        if (config.extras or config.groups) and lock_file(project, config) is None:
            msg = f"{project}: no pyproject.toml, so --ready-extras/--ready-groups have nothing to select; remove them"
            raise ReadyError(msg)
        return None
    meta = data.get("project")
    groups_table = data.get("dependency-groups", {})
    if not isinstance(groups_table, dict):
        msg = f"{pyproject}: [dependency-groups] must be a table of lists"
        raise ReadyError(msg)
    locked = lock_file(project, config) is not None

    editables: list[str] = []
    label_parts: list[str] = []
    if isinstance(meta, dict) and not config.no_project:
        available = list((meta.get("optional-dependencies") or {}).keys())
        if config.extras and "optional-dependencies" not in meta.get("dynamic", []):
            check_names("extra", config.extras, available, f"{pyproject} [project.optional-dependencies]")
        extras = f"[{','.join(config.extras)}]" if config.extras else ""
        editables.append(f"{project}{extras}")
        if extras:
            label_parts.append(extras)
    elif config.extras:
        why = "--ready-no-project is set" if config.no_project else "it has no [project] table"
        msg = f"{pyproject}: extras {', '.join(config.extras)} need the project installed, but {why}"
        raise ReadyError(msg)

    lines: list[str] = []
    if not locked:
        groups = list(config.groups) if config.groups is not None else (["dev"] if "dev" in groups_table else [])
        check_names("dependency group", groups, list(groups_table), f"{pyproject} [dependency-groups]")
        if groups:
            lines = _resolve_groups(pyproject, groups_table, groups)
            label_parts.append(f"[{', '.join(groups)}]")
    if not editables and not lines:
        return [Source("pyproject.toml", inputs=(pyproject,))]
    label = " ".join(["pyproject.toml", *label_parts])
    # with a lock file the lock pins every dependency: the project goes in exactly, without its dependencies
    return [Source(label, lines=tuple(lines), editables=tuple(editables), inputs=(pyproject,), no_deps=locked)]


def _resolve_groups(pyproject: Path, table: dict[str, Any], groups: list[str]) -> list[str]:
    from dependency_groups import CyclicDependencyError, resolve

    try:
        return list(resolve(table, *groups))
    except CyclicDependencyError as exc:
        msg = f"{pyproject} [dependency-groups]: include-group cycle: {exc}; break the cycle"
        raise ReadyError(msg) from None
    except (LookupError, ValueError, TypeError) as exc:
        msg = f"{pyproject} [dependency-groups]: {exc}"
        raise ReadyError(msg) from None


__all__ = ["load_pyproject", "load_toml"]
