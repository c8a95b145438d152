"""What `uv export` answered before, for exactly these inputs: a locked creation skips uv when nothing changed.

An entry is kept only for a successful export, under the sha256 of everything that can change uv's answer: its
argv (uv's path, the file's stamp and version, every flag, the interpreter), that interpreter's identity, the
``UV_*`` variables, the folder it runs in, and the bytes of uv.lock, uv.toml, the root's, every workspace member's
and every local dependency's pyproject.toml, and of the pyproject.toml of each folder above (where uv looks for a
workspace). A project whose answer depends on more than those files is never cached: dynamic metadata (a build's
output, which uv answers from its own cache), a local archive, or workspace member globs this module cannot expand
as uv does. Entries live in the user's cache folder, written whole with private permissions, and carry a MAC under
the user's record key over the key and the output: a corrupted, copied or planted entry is ignored, and uv runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..logs import LOGGER

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

FORMAT = 1
#: entries kept; older ones (by last use) go when a new one is written past this
KEEP = 200
_MAX_ENTRY = 16 * 1024 * 1024
_GLOB = frozenset("*?[")


def export_key(
    argv: Sequence[str],
    tool: Sequence[str],
    cwd: Path,
    files: Mapping[str, str | None],
    interpreter: Sequence[str],
    env: Mapping[str, str],
) -> str:
    """The sha256 naming one export's answer: equal only when every input uv reads is equal."""
    variables = {name: value for name, value in env.items() if name.startswith("UV_")}
    variables.pop("UV_PROJECT_ENVIRONMENT", None)  # a fresh temporary folder per run, not an input
    document = {
        "format": FORMAT,
        "argv": list(argv),
        "tool": list(tool),
        "cwd": str(cwd),
        "files": dict(files),
        "interpreter": list(interpreter),
        "env": variables,
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8", "surrogateescape")).hexdigest()


def input_files(project: Path, lock_folders: Sequence[str] | None) -> list[Path] | None:
    """The files whose bytes decide `uv export`'s answer for this project, or ``None`` when more than files decide
    it (dynamic metadata, a local archive, a member glob not in the last path part, a parent workspace).

    ``lock_folders``: the folders of the lock's local packages, relative to the project (``None``: the lock names a
    local archive), as :func:`virtualenv_ready.sources.lockfacts.lock_facts` says."""
    from ..errors import ReadyError
    from ..files import load_pyproject

    try:
        root = load_pyproject(project / "pyproject.toml")
    except ReadyError:
        return None
    members = _member_folders(project, root) if root is not None else None
    if lock_folders is None or members is None:
        return None
    folders = [project / folder for folder in lock_folders]
    for folder in folders:
        if not _static(folder / "pyproject.toml"):
            return None
    above = [parent / "pyproject.toml" for parent in project.absolute().parents]
    if any(_names_a_workspace(path) for path in above):
        return None
    found = [project / "uv.lock", project / "uv.toml", project / "pyproject.toml", *above]
    found += [folder / "pyproject.toml" for folder in [*folders, *members]]
    return list(dict.fromkeys(found))


def _member_folders(project: Path, root: Mapping[str, Any]) -> list[Path] | None:
    """Every folder the root's ``[tool.uv.workspace]`` members and exclude patterns may name, today or once a folder
    appears: a glob only in the last path part is listed whole (each entry's pyproject.toml is then an input)."""
    workspace = ((root.get("tool") or {}).get("uv") or {}).get("workspace")
    if workspace is None:
        return []
    if not isinstance(workspace, dict):
        return None
    folders: list[Path] = []
    for pattern in [*(workspace.get("members") or []), *(workspace.get("exclude") or [])]:
        if not isinstance(pattern, str):
            return None
        parts = Path(pattern).parts
        if any(_GLOB & set(part) for part in parts[:-1]) or not parts or ".." in parts:
            return None
        if not _GLOB & set(parts[-1]):
            folders.append(project / pattern)
            continue
        parent = project.joinpath(*parts[:-1])
        try:
            folders += sorted(parent / entry.name for entry in os.scandir(parent))
        except FileNotFoundError:
            folders.append(parent)  # none yet: the folder's appearance changes its pyproject.toml's state
        except OSError:
            return None
    return folders


def _static(pyproject: Path) -> bool:
    """The folder's metadata is all in its pyproject.toml: a ``[project]`` table with nothing ``dynamic``."""
    from ..errors import ReadyError
    from ..files import load_pyproject

    try:
        data = load_pyproject(pyproject)
    except ReadyError:
        return False
    project = (data or {}).get("project")
    return isinstance(project, dict) and not project.get("dynamic")


def _names_a_workspace(pyproject: Path) -> bool:
    """A pyproject.toml above the project that may make it a member of a larger workspace (with its own lock)."""
    try:
        return b"workspace" in pyproject.read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True


def digests(paths: Iterable[Path]) -> dict[str, str | None] | None:
    """Each file's sha256 (``None``: absent), or ``None`` when one cannot be read."""
    from ..errors import ReadyError
    from ..files import read_bytes

    found: dict[str, str | None] = {}
    for path in paths:
        try:
            found[str(path)] = hashlib.sha256(read_bytes(path)).hexdigest()
        except (FileNotFoundError, NotADirectoryError):
            found[str(path)] = None
        except (OSError, ReadyError):
            return None
    return found


def binary_stamp(binary: str) -> list[str]:
    """What tells this uv file from another at the same path: size, modification time and inode."""
    try:
        info = Path(binary).stat()
    except OSError:
        return ["unreadable"]
    return [str(info.st_size), str(info.st_mtime_ns), str(info.st_ino)]


def folder() -> Path:
    """Where the entries are: ``uv-export`` in the user's cache folder."""
    from ..lock import cache_dir

    return cache_dir() / "uv-export"


def _payload(key: str, stdout: str) -> bytes:
    return json.dumps({"format": FORMAT, "key": key, "stdout": stdout}, sort_keys=True).encode()


def load(key: str) -> str | None:
    """The output stored under ``key``, when the entry is whole and this user's MAC over it holds."""
    from ..errors import ReadyError
    from ..userkey import verify

    path = folder() / f"{key}.json"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY:
            return None
        raw = stream.read(_MAX_ENTRY + 1)
    try:
        entry = json.loads(raw)
        stdout = entry["stdout"]
        valid = isinstance(stdout, str) and verify(_payload(key, stdout), entry.get("mac"))
    except (ValueError, TypeError, KeyError, AttributeError):
        valid = False
    except ReadyError as exc:  # an unusable record key: the record says so, with its fix, when it signs
        LOGGER.info("ignored %s: %s", path, exc)
        return None
    if not valid:
        LOGGER.info("ignored %s: not an entry this user's virtualenv-ready wrote for these inputs", path)
        return None
    with suppress(OSError):
        os.utime(path)  # last use, for pruning
    return str(stdout)


def store(key: str, stdout: str) -> None:
    """Keep ``stdout`` under ``key``: a private file written whole, then renamed into place; a failure only logs."""
    from ..errors import ReadyError
    from ..files import replace_file
    from ..redact import redact
    from ..userkey import sign

    if redact(stdout) != stdout:
        return  # an index URL with a credential in uv's answer: never written to the cache, uv runs each time
    where = folder()
    try:
        entry = {"format": FORMAT, "key": key, "stdout": stdout, "mac": sign(_payload(key, stdout))}
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        replace_file(where / f"{key}.json", json.dumps(entry), prefix=".entry.")
        _prune(where)
    except (OSError, ReadyError) as exc:
        LOGGER.info("not cached in %s: %s", where, exc)


def _prune(where: Path) -> None:
    """Past :data:`KEEP` entries, drop the least recently used down to three quarters of it."""
    entries = [entry for entry in os.scandir(where) if entry.name.endswith(".json")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - KEEP * 3 // 4]:
        Path(entry.path).unlink(missing_ok=True)


__all__ = ["FORMAT", "KEEP", "binary_stamp", "digests", "export_key", "folder", "input_files", "load", "store"]
