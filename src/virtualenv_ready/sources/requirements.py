"""Requirements files (`--ready-requirement`, else requirements.txt) and constraints (`--ready-constraint`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import hookimpl
from ..boundary import ALLOW_HINT, Boundary, project_sources_allowed
from ..config import TOOL_TABLE
from ..errors import ReadyError
from ..files import included_files
from ..model import Source
from .pylock import is_lock_name, lock_file

if TYPE_CHECKING:
    from ..model import ReadyConfig
    from ..target import Target


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
        boundary.check_named_by(path, origin, "requirements")
        if not path.is_file():
            msg = f"requirements file {path} not found (from {origin}); fix the path or create the file"
            raise ReadyError(msg)
        label = path.name if path.parent == project else str(path)
        files_read = boundary.included(path)
        boundary.check_requirement_files(files_read)
        sources.append(Source(label, requirement_files=(path,), inputs=tuple(files_read)))
    constraints: list[str] = []
    inputs: list[Path] = []
    for item in config.constraints:
        where = config.origin.get("ready_constraint", "--ready-constraint")
        if "://" in item:
            if where.endswith(f"[{TOOL_TABLE}]"):
                boundary.check_reference(item, f"{where} constraints", (project,))
        else:
            path = Path(item)
            boundary.check_named_by(path, where, "constraints")
            if not path.is_file():
                msg = f"constraints file {path} not found (from {where}); fix the path or create the file"
                raise ReadyError(msg)
            files_read = boundary.included(path)
            boundary.check_requirement_files(files_read)
            inputs.extend(files_read)
        constraints.append(item)
    if constraints:
        sources.append(Source("constraints", constraints=tuple(constraints), inputs=tuple(inputs)))
    return sources


__all__ = [
    "ALLOW_HINT",
    "included_files",
    "project_sources_allowed",
]
