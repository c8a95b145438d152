"""Requirements files (`--ready-requirement`, else requirements.txt) and constraints (`--ready-constraint`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import hookimpl
from ..boundary import ALLOW_HINT, ENV_EXPANSION, SOURCE_OPTIONS, Boundary, Named, project_sources_allowed
from ..config import TOOL_TABLE
from ..errors import ReadyError
from ..files import INCLUDE_OPTIONS, included_files, requirement_file_tree, split_line
from ..model import Source
from .named import named_by
from .pylock import is_lock_name, lock_file

if TYPE_CHECKING:
    from ..model import ReadyConfig
    from ..target import Target


def requirement_values(tree: list[tuple[Path, list[tuple[int, str]]]], project: Path) -> list[Named]:
    """What the read lines name for the boundary: environment variables, source options, direct references (of
    requirements, editables and URL includes), each with its file:line and the file it stands in."""
    values: list[Named] = []
    for path, lines in tree:
        bases = (path.parent, project)
        for number, line in lines:
            where = f"{path}:{number}"
            found = ENV_EXPANSION.search(line)
            if found:
                values.append(Named(found.group(0), where, "variable", origin=path))
            requirement, options = split_line(line)
            for option, value in options:
                if option in SOURCE_OPTIONS:
                    values.append(Named(value, where, "option", option=option, origin=path))
                elif option == "--editable" or (option in INCLUDE_OPTIONS and "://" in value):
                    values.append(Named(value, where, "reference", bases, origin=path))
            if requirement:
                values.append(Named(requirement, where, "reference", bases, origin=path))
    return values


def _read(path: Path, boundary: Boundary, project: Path) -> list[Path]:
    """Read a requirements or constraints file and its includes once, have the boundary judge them: the files read."""
    tree = requirement_file_tree(path, guard=boundary.guard)
    boundary.check(requirement_values(tree, project))
    return [item for item, _ in tree]


@hookimpl(tryfirst=True)  # built-in sources come before plugins in the summary
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    sources: list[Source] = []
    boundary = Boundary.of(config)
    if config.requirements is not None:
        files = [Path(item) for item in config.requirements if not is_lock_name(Path(item).name)]
        origin = config.origin.get("ready_requirement", "--ready-requirement")
    elif lock_file(project, config) is None and (project / "requirements.txt").is_file():
        files, origin = [project / "requirements.txt"], "default"
    else:
        files, origin = [], ""
    for path in files:
        boundary.check(named_by(path, origin, "requirements", config.project))
        if not path.is_file():
            msg = f"requirements file {path} not found (from {origin}); fix the path or create the file"
            raise ReadyError(msg)
        label = path.name if path.parent == project else str(path)
        sources.append(Source(label, requirement_files=(path,), inputs=tuple(_read(path, boundary, config.project))))
    constraints: list[str] = []
    inputs: list[Path] = []
    for item in config.constraints:
        where = config.origin.get("ready_constraint", "--ready-constraint")
        if "://" in item:
            if where.endswith(f"[{TOOL_TABLE}]"):
                boundary.check([Named(item, f"{where} constraints", "reference", (project,))])
        else:
            path = Path(item)
            boundary.check(named_by(path, where, "constraints", config.project))
            if not path.is_file():
                msg = f"constraints file {path} not found (from {where}); fix the path or create the file"
                raise ReadyError(msg)
            inputs.extend(_read(path, boundary, config.project))
        constraints.append(item)
    if constraints:
        sources.append(Source("constraints", constraints=tuple(constraints), inputs=tuple(inputs)))
    return sources


__all__ = [
    "ALLOW_HINT",
    "included_files",
    "project_sources_allowed",
    "requirement_values",
]
