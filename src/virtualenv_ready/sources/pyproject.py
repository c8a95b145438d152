"""The project itself and its dependency groups, as the project's own tool would install them for development.

- ``[project]``: the project, editable, with its extras (not when uv treats it as virtual: then its dependencies);
- Poetry (``[tool.poetry]`` without ``[project]``): the project, editable, through its backend;
- setuptools (``setup.py``/``setup.cfg``) or any ``[build-system]`` without ``[project]``: the project, editable;
- groups: PEP 735 (with uv's ``dev-dependencies``; default: ``[tool.uv] default-groups``, else ``dev``) and Poetry
  groups (default: every non-optional one), all named alike by ``--ready-groups``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import hookimpl
from ..boundary import Boundary, Named
from ..config import check_names
from ..errors import ReadyError
from ..files import line_of, load_pyproject, load_toml
from ..logs import LOGGER
from ..model import Source
from . import native
from . import poetry as poetry_tables
from .pylock import lock_file
from .pylockfresh import pylock_mismatch
from .uv import group_table, is_virtual, lock_sources, selected_groups, uv_lock

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import ReadyConfig
    from ..target import Target
    from .lockgraph import Chosen
    from .uv import UvLock

LEGACY_FILES = ("setup.py", "setup.cfg")
_SELF_EXTRAS = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]")
# lock files of other tools, read natively (sources/native.py); the export that turns each into a pylock.toml with
# what the tool's own install gives (Poetry: the non-optional groups, named; PDM: every dev group)
FOREIGN_LOCKS = {
    "poetry.lock": native.export_command("poetry.lock", ["<each non-optional group>"]),
    "pdm.lock": native.export_command("pdm.lock", []),
}


@hookimpl(tryfirst=True)  # built-in sources come before plugins in the summary
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    pyproject = project / "pyproject.toml"
    data = load_pyproject(pyproject)
    legacy = [project / name for name in LEGACY_FILES if (project / name).is_file()]
    pylocked = lock_file(project, config) is not None
    if data is None:
        return _without_pyproject(project, config, legacy, pylocked=pylocked)

    poetry = poetry_tables.poetry_table(data)
    pep735 = group_table(data, pyproject)
    poetry_groups = poetry_tables.groups(poetry, pyproject) if poetry is not None else {}
    _check_selection(data, pyproject, config, pep735, poetry_groups)
    chosen = selected_groups(data, pyproject, config)
    chosen_poetry = poetry_tables.chosen_groups({n: g.optional for n, g in poetry_groups.items()}, config.groups)
    uv_locked, native_lock = _locks(project, data, config, target, chosen, pylocked=pylocked)
    locked = pylocked or uv_locked is not None or native_lock is not None
    if not pylocked and native_lock is None:
        left = [g for g in pep735 if g not in chosen] + [g for g in poetry_groups if g not in chosen_poetry]
        native.report(project, None, "", tuple(dict.fromkeys(left)), "dependency")
    label, editables, lines = _the_project(project, data, poetry, legacy, config, locked=locked)

    names: list[str] = []
    if not locked:
        if chosen:
            lines += _resolve_groups(pyproject, pep735, chosen)
            names += chosen
        for group in chosen_poetry:
            lines += poetry_tables.group_lines(poetry_groups[group], pyproject)
            names.append(group)
    # a stale or unused lock still decides the plan: `uv lock` (`poetry lock`, `pdm lock`) later must make `sync`
    # install it
    locks = [project / name for name in ("uv.lock", *native.NATIVE) if (project / name).is_file()]
    inputs = (pyproject, *legacy, *([] if config.no_lock else locks))
    Boundary.of(config).check(_boundary_values(pyproject, data, config.extras, bool(editables), lines, locked=locked))
    lines = _written(pyproject, data, lines)
    from_lock = lock_sources(uv_locked, pyproject, config) + (
        native.sources(native_lock, config) if native_lock else []
    )
    if not editables and not lines:
        return [Source(label, inputs=inputs), *from_lock]
    parts = [label, *([f"[{','.join(config.extras)}]"] if config.extras else [])]
    if names:
        parts.append(f"[{', '.join(dict.fromkeys(names))}]")
    # with a lock file the lock pins every dependency: the project goes in exactly, without its dependencies
    source = Source(" ".join(parts), lines=tuple(lines), editables=tuple(editables), inputs=inputs, no_deps=locked)
    return [source, *from_lock]


def _without_pyproject(
    project: Path, config: ReadyConfig, legacy: list[Path], *, pylocked: bool
) -> list[Source] | None:
    """A project with only ``setup.py``/``setup.cfg`` (or nothing): the project, editable, else no source."""
    if config.groups and not pylocked:
        msg = f"{project}: no pyproject.toml, so --ready-groups has nothing to select; remove it"
        raise ReadyError(msg)
    if legacy and not config.no_project:
        label = legacy[0].name + (f" [{','.join(config.extras)}]" if config.extras else "")
        return [Source(label, editables=(_with_extras(project, config),), inputs=tuple(legacy), no_deps=pylocked)]
    if config.extras and not pylocked:
        msg = f"{project}: no pyproject.toml, setup.py or setup.cfg, so --ready-extras has nothing to select"
        raise ReadyError(msg)
    return None


def _check_selection(
    data: dict[str, Any],
    pyproject: Path,
    config: ReadyConfig,
    pep735: dict[str, Any],
    poetry_groups: dict[str, poetry_tables.PoetryGroup],
) -> None:
    """Refuse a group or extra the user named that the project does not define (dynamic extras cannot be known)."""
    meta = data.get("project")
    if config.groups is not None:
        where = f"{pyproject} [dependency-groups]" + (" and [tool.poetry.group]" if poetry_groups else "")
        from .pdmlock import dev_groups

        pdm = list(dev_groups(data)) if "pdm" in (data.get("tool") or {}) else []
        check_names("dependency group", config.groups, list(dict.fromkeys([*pep735, *poetry_groups, *pdm])), where)
    if isinstance(meta, dict) and config.extras and "optional-dependencies" not in meta.get("dynamic", []):
        available_extras = list((meta.get("optional-dependencies") or {}).keys())
        check_names("extra", config.extras, available_extras, f"{pyproject} [project.optional-dependencies]")


def _the_project(
    project: Path,
    data: dict[str, Any],
    poetry: dict[str, Any] | None,
    legacy: list[Path],
    config: ReadyConfig,
    *,
    locked: bool,
) -> tuple[str, list[str], list[str]]:
    """The project's own part: its label, the project as an editable (or, when it is not installed itself, its
    dependencies as lines); refuses extras that need the project when it is not installed."""
    pyproject = project / "pyproject.toml"
    meta = data.get("project")
    editables: list[str] = []
    lines: list[str] = []
    label = "pyproject.toml"
    if isinstance(meta, dict):
        # Poetry's non-package mode beside a [project] table: Poetry installs the dependencies, never the project
        if is_virtual(project, data, pyproject) or (poetry is not None and not poetry_tables.package_mode(poetry)):
            label = "pyproject.toml (virtual)"
            if not locked and poetry is not None and "dependencies" in meta.get("dynamic", []):
                lines += _poetry_dependencies(poetry, pyproject, config)  # Poetry 2 reads them from its own table
            elif not locked:
                lines += _project_dependencies(meta, config)
        elif not config.no_project:
            editables.append(_with_extras(project, config))
        elif config.extras:
            extras = ", ".join(config.extras)
            msg = f"{pyproject}: extras {extras} need the project installed, but --ready-no-project is set"
            raise ReadyError(msg)
    elif poetry is not None:
        label = "pyproject.toml (poetry)"
        poetry_extras = poetry.get("extras") or {}
        if config.extras:
            check_names("extra", config.extras, list(poetry_extras), f"{pyproject} [tool.poetry.extras]")
        if not poetry_tables.package_mode(poetry):
            if not locked:
                lines += _poetry_dependencies(poetry, pyproject, config)
        elif not config.no_project:
            editables.append(_with_extras(project, config))
    elif (legacy or "build-system" in data) and not config.no_project:
        if "build-system" not in data:
            label = legacy[0].name
        editables.append(_with_extras(project, config))
    elif config.extras:
        why = "--ready-no-project is set" if config.no_project else "it has no [project] table"
        msg = f"{pyproject}: extras {', '.join(config.extras)} need the project installed, but {why}"
        raise ReadyError(msg)
    return label, editables, lines


def _boundary_values(
    pyproject: Path,
    data: dict[str, Any],
    extras: Sequence[str],
    installed: bool,
    lines: Sequence[str],
    *,
    locked: bool = False,
) -> list[Named]:
    """What of pyproject.toml the boundary judges: the file itself and the references this run's installer follows.

    ``installed``: the project itself is installed, so its build requirements, ``[tool.uv.sources]`` and, unless
    a lock pins everything (``locked``: installed without dependencies), its dependencies and the chosen extras
    (and the extras of the project itself they pull in) count; ``lines``: the requirements read from it
    (dependency groups, a virtual project's dependencies).
    """
    values = [Named(str(pyproject), f"{pyproject} (the project's own)", "file")]
    entries: list[tuple[str, str]] = []
    meta = data.get("project")
    if installed:
        if isinstance(meta, dict) and not locked:
            entries += [("[project] dependencies", str(d)) for d in meta.get("dependencies") or []]
            entries += _extra_entries(meta, extras)
        build = data.get("build-system") or {}
        entries += [("[build-system] requires", str(d)) for d in build.get("requires") or []]
        if not locked:
            entries += poetry_tables.direct_references(pyproject, data)
    table_of = _table_finder(data)
    entries += [(table_of(line), line) for line in lines]
    for key, requirement in entries:
        # a translated entry (Poetry's tables) is found by its URL or folder name
        literal = requirement.split(" @ ")[-1].removeprefix("git+")
        number = (
            line_of(pyproject, requirement) or line_of(pyproject, literal) or line_of(pyproject, Path(literal).name)
        )
        where = f"{pyproject}:{number}: {key}" if number else f"{pyproject}: {key}"
        values.append(Named(requirement, where, "reference", (pyproject.parent,)))
    tool_uv = (data.get("tool") or {}).get("uv")
    if (installed or lines) and isinstance(tool_uv, dict):
        from .uv import source_values

        values += source_values(pyproject, tool_uv)
    return values


def _written(pyproject: Path, data: dict[str, Any], lines: Sequence[str]) -> list[str]:
    """The requirements read from pyproject.toml as the lines we write, each parsed and validated: a line break in a
    TOML string can never become an option line."""
    from ..lines import requirement_line

    table_of = _table_finder(data)
    written = []
    for line in lines:
        number = line_of(pyproject, line)
        where = f"{pyproject}:{number}: {table_of(line)}" if number else f"{pyproject}: {table_of(line)}"
        written.append(requirement_line(line, where, base=pyproject.parent))
    return written


def _extra_entries(meta: dict[str, Any], extras: Sequence[str]) -> list[tuple[str, str]]:
    """The chosen extras' requirements, following ``name[other]`` requirements of the project itself."""
    from packaging.utils import canonicalize_name

    optional = meta.get("optional-dependencies") or {}
    own = canonicalize_name(str(meta.get("name", "")))
    entries: list[tuple[str, str]] = []
    pending, seen = list(extras), set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for requirement in optional.get(extra) or []:
            entries.append((f"[project.optional-dependencies] {extra}", str(requirement)))
            itself = _SELF_EXTRAS.match(str(requirement))
            if itself and canonicalize_name(itself.group(1)) == own:
                pending += [e.strip() for e in itself.group(2).split(",") if e.strip()]
    return entries


def _table_finder(data: dict[str, Any]) -> Callable[[str], str]:
    """Which pyproject.toml table a requirement line was read from, for the message (looked up, not searched)."""
    groups = data.get("dependency-groups") or {}
    in_groups = {
        item
        for items in (groups.values() if isinstance(groups, dict) else ())
        if isinstance(items, list)
        for item in items
        if isinstance(item, str)
    }
    meta = data.get("project")
    dependencies = meta.get("dependencies") if isinstance(meta, dict) else None
    in_project = {item for item in dependencies or [] if isinstance(item, str)}

    def table_of(requirement: str) -> str:
        if requirement in in_groups:
            return "[dependency-groups]"
        if requirement in in_project:
            return "[project] dependencies"
        return "requirement"

    return table_of


def _with_extras(project: Path, config: ReadyConfig) -> str:
    return f"{project}[{','.join(config.extras)}]" if config.extras else str(project)


def _poetry_dependencies(poetry: dict[str, Any], pyproject: Path, config: ReadyConfig) -> list[str]:
    """[tool.poetry.dependencies] with the chosen [tool.poetry.extras], translated to requirement lines."""
    extras = poetry.get("extras") or {}
    chosen_extras = {e: extras[e] for e in extras if e in config.extras}
    table = poetry.get("dependencies") or {}
    return poetry_tables.dependency_lines(table, pyproject, "tool.poetry.dependencies", chosen_extras)


def _project_dependencies(meta: dict[str, Any], config: ReadyConfig) -> list[str]:
    """A virtual project's own dependencies (and chosen extras, checked before): uv installs them, not the project."""
    optional = meta.get("optional-dependencies") or {}
    lines = [str(d) for d in meta.get("dependencies") or []]
    for extra in config.extras:
        lines += [str(d) for d in optional.get(extra, [])]
    return lines


def _locks(
    project: Path, data: dict[str, Any], config: ReadyConfig, target: Target, groups: list[str], *, pylocked: bool
) -> tuple[UvLock | None, Chosen | None]:
    """The lock in use besides a pylock.toml: the project's own tool's lock first (Poetry's or PDM's, when current),
    then uv.lock, then any other current one; one line says which when several are present, and why."""
    if pylocked:
        return None, None
    pylock = project / "pylock.toml"
    if pylock.is_file() and not config.no_lock and config.requirements is None:
        LOGGER.warning(
            "virtualenv-ready: %s is not used: %s; regenerate it from the project's lock, or remove it",
            pylock,
            pylock_mismatch(pylock),
        )
    own = native.own_lock(data)
    chosen = native.choose(project, data, config, target, (own,)) if own else None
    uv_locked = None if chosen else uv_lock(project, config, target, groups)
    if chosen is None and uv_locked is None:
        chosen = native.choose(project, data, config, target, tuple(n for n in native.NATIVE if n != own))
    if chosen is not None:
        why = "the project's own tool's lock" if chosen.path.name == own else "the lock current with pyproject.toml"
        native.report(project, chosen.path.name, f"{why}, its content hash matches", chosen.left_out, chosen.tool)
    elif uv_locked is not None:
        native.report(project, "uv.lock", "current with pyproject.toml, as `uv export --locked` says", (), "uv")
    return uv_locked, chosen


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


__all__ = ["FOREIGN_LOCKS", "LEGACY_FILES", "load_pyproject", "load_toml"]
