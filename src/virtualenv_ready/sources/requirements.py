"""Requirements files (`--ready-requirement`, else requirements.txt) and constraints (`--ready-constraint`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import hookimpl
from ..boundary import ALLOW_HINT, ENV_EXPANSION, SOURCE_OPTIONS, Boundary, Named, project_sources_allowed
from ..config import TOOL_TABLE
from ..errors import ReadyError
from ..model import Source
from .named import named_by
from .pylock import is_lock_name, lock_file

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import ReadyConfig
    from ..reqfile import Entry
    from ..target import Target


def requirement_values(entries: Sequence[Entry], project: Path) -> list[Named]:
    """What the read lines name for the boundary: environment variables, source options, direct references (of
    requirements and editables), each with its file:line and the file it stands in."""
    values: list[Named] = []
    for entry in entries:
        path, where = entry.path, entry.where
        bases = (path.parent, project)
        found = ENV_EXPANSION.search(entry.raw)
        if found:
            values.append(Named(found.group(0), where, "variable", origin=path))
        for option, value in entry.options:
            if option in SOURCE_OPTIONS:
                values.append(Named(value, where, "option", option=option, origin=path))
            elif option == "--editable":
                values.append(Named(value, where, "reference", bases, origin=path))
        if entry.kind == "requirement":
            values.append(Named(entry.value, where, "reference", bases, origin=path))
    return values


def read_source(path: Path, label: str, boundary: Boundary, project: Path, *, constraint: bool = False) -> Source:
    """A requirements (or constraints) file and its includes, read once as pip reads them, judged by the boundary,
    and turned into the lines we write: the file itself is never handed to an installer."""
    from ..lines import carry
    from ..reqfile import read_tree

    def guard(file: Path, number: int, option: str, value: str) -> None:
        if "://" in value:  # judged as a source first: the boundary's refusal names the rule that applies
            where = f"{file}:{number}"
            boundary.check([Named(value, where, "reference", (file.parent, project), origin=file)])
        boundary.guard(file, number, option, value)

    tree = read_tree([path], guard=guard, constraint=constraint)
    boundary.check(requirement_values(tree.entries, project))
    found = carry(tree.entries, project)
    return Source(
        label,
        lines=tuple(found.lines),
        constraints=tuple(found.constraints),
        editables=tuple(found.editables),
        options=tuple(found.options),
        inputs=tuple(tree.files),
    )


@hookimpl(tryfirst=True)  # built-in sources come before plugins in the summary
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    sources: list[Source] = []
    boundary = Boundary.of(config)
    if config.requirements is not None:
        files = [Path(item) for item in config.requirements if not is_lock_name(Path(item).name)]
        origin = config.origin.get("ready_requirement", "--ready-requirement")
    elif lock_file(project, config) is None and (project / "requirements.txt").is_file():
        files, origin = [project / "requirements.txt"], "default"
        _left_out(project)
    else:
        files, origin = [], ""
    for path in files:
        boundary.check(named_by(path, origin, "requirements", config.project))
        if not path.is_file():
            msg = f"requirements file {path} not found (from {origin}); fix the path or create the file"
            raise ReadyError(msg)
        label = path.name if path.parent == project else str(path)
        sources.append(read_source(path, label, boundary, config.project))
    constraint = _constraints(project, config, boundary)
    return [*sources, *([constraint] if constraint is not None else [])]


def _left_out(project: Path) -> None:
    """A development requirements file beside requirements.txt is not installed by default: say so, once."""
    from ..logs import LOGGER

    for name in ("requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt"):
        if (project / name).is_file():
            LOGGER.warning(
                "virtualenv-ready: left out %s beside requirements.txt (add it with --ready-requirement "
                "requirements.txt --ready-requirement %s)",
                name,
                name,
            )


def _constraints(project: Path, config: ReadyConfig, boundary: Boundary) -> Source | None:
    """Constraints files read like requirements files into constraint lines; URLs the user or org named kept."""
    urls: list[str] = []
    read: list[Source] = []
    for item in config.constraints:
        where = config.origin.get("ready_constraint", "--ready-constraint")
        if "://" in item:
            if where.endswith(f"[{TOOL_TABLE}]"):
                boundary.check([Named(item, f"{where} constraints", "reference", (project,))])
            urls.append(item)
            continue
        path = Path(item)
        boundary.check(named_by(path, where, "constraints", config.project))
        if not path.is_file():
            msg = f"constraints file {path} not found (from {where}); fix the path or create the file"
            raise ReadyError(msg)
        read.append(read_source(path, "constraints", boundary, config.project, constraint=True))
    if not urls and not read:
        return None
    return Source(
        "constraints",
        constraints=tuple(line for source in read for line in (*source.constraints, *source.lines)),
        constraint_urls=tuple(urls),
        options=tuple(word for source in read for word in source.options),
        inputs=tuple(path for source in read for path in source.inputs),
    )


__all__ = [
    "ALLOW_HINT",
    "project_sources_allowed",
    "read_source",
    "requirement_values",
]
