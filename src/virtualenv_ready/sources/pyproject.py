"""pyproject.toml: the project itself (editable, with extras) and its PEP 735 dependency groups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import hookimpl
from ..boundary import Boundary
from ..config import check_names
from ..errors import ReadyError
from ..files import load_pyproject, load_toml
from ..model import Source
from .pylock import lock_file

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import ReadyConfig
    from ..target import Target


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
    Boundary.of(config).check_pyproject(pyproject, data, config.extras, bool(editables), lines)
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
