"""Requirements files (`--ready-requirement`, else requirements.txt) and constraints (`--ready-constraint`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .. import hookimpl
from ..errors import ReadyError
from ..files import included_files
from ..model import Source
from .pylock import is_lock_name, lock_file

if TYPE_CHECKING:
    from ..model import ReadyConfig
    from ..target import Target

_SOURCE_OPTION = re.compile(
    r"^\s*(?P<opt>-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host)(?:\s*=\s*|\s+)(?P<value>\S+)"
)
_SPELLING = {"-i": "--index-url", "-f": "--find-links"}


def source_options(files: list[Path]) -> list[tuple[Path, int, str, str]]:
    """Option lines that choose where packages come from: (file, line number, option, value)."""
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = _SOURCE_OPTION.match(line)
            if match:
                option = _SPELLING.get(match.group("opt"), match.group("opt"))
                found.append((path, number, option, match.group("value")))
    return found


_ENV_EXPANSION = re.compile(r"\$\{[A-Z0-9_]+\}")
ALLOW_HINT = (
    "allow it with --ready-allow-project-sources (VIRTUALENV_READY_ALLOW_PROJECT_SOURCES, or "
    "ready_allow_project_sources in virtualenv.ini) or allow-project-sources in the org policy"
)


def _inside(path: Path, project: Path) -> bool:
    try:
        path.absolute().relative_to(project.absolute())
    except ValueError:
        return False
    return True


def project_sources_allowed(config: ReadyConfig) -> bool:
    """User config or the org policy may let project files choose sources; a project file never can."""
    return config.allow_project_sources or bool(config.policy is not None and config.policy.allow_project_sources)


def check_source_options(files: list[Path], config: ReadyConfig) -> None:
    """Option lines that choose where packages come from, and ${VAR} expansion, in files of the project.

    With an org policy about sources each such line must pass it; without one, a file inside the project may not
    redirect the install (a cloned repository could point pip at an attacker's index or read secrets through
    ${VAR}) unless the user or the policy allows it.
    """
    policy = config.policy
    from ..redact import redact

    for path, number, option, value in source_options(files):
        where = f"{path}:{number}"
        if policy is not None and policy.restricts_sources:
            from ..policy import check_source

            check_source(policy, option, value, where)
            continue
        if _inside(path, config.project) and not project_sources_allowed(config):
            msg = f"{where}: {option} {redact(value)} in a project file chooses where packages come from; "
            msg += f"remove it, or {ALLOW_HINT}"
            raise ReadyError(msg)
    if project_sources_allowed(config):
        return
    for path in files:
        if not _inside(path, config.project):
            continue
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            found = _ENV_EXPANSION.search(line)
            if found and not line.lstrip().startswith("#"):
                msg = (
                    f"{path}:{number}: {found.group(0)} would put an environment variable into the install; "
                    f"write the value, or {ALLOW_HINT}"
                )
                raise ReadyError(msg)


@hookimpl(tryfirst=True)  # built-in sources come before plugins in the summary
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    sources: list[Source] = []
    if config.requirements is not None:
        files = [Path(item) for item in config.requirements if not is_lock_name(Path(item).name)]
        origin = config.origin.get("ready_requirement", "--ready-requirement")
    elif lock_file(project, config) is None and (project / "requirements.txt").is_file():
        files, origin = [project / "requirements.txt"], "default"
    else:
        files, origin = [], ""
    for path in files:
        if not path.is_file():
            msg = f"requirements file {path} not found (from {origin}); fix the path or create the file"
            raise ReadyError(msg)
        label = path.name if path.parent == project else str(path)
        files_read = included_files(path)
        check_source_options(files_read, config)
        sources.append(Source(label, requirement_files=(path,), inputs=tuple(files_read)))
    constraints: list[str] = []
    inputs: list[Path] = []
    for item in config.constraints:
        if "://" not in item:
            path = Path(item)
            if not path.is_file():
                where = config.origin.get("ready_constraint", "--ready-constraint")
                msg = f"constraints file {path} not found (from {where}); fix the path or create the file"
                raise ReadyError(msg)
            files_read = included_files(path)
            check_source_options(files_read, config)
            inputs.extend(files_read)
        constraints.append(item)
    if constraints:
        sources.append(Source("constraints", constraints=tuple(constraints), inputs=tuple(inputs)))
    return sources


__all__ = ["check_source_options", "included_files", "source_options"]
