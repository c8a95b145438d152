"""What a build can read: a folder's files as its VCS sees them (else a bounded walk), each with a content hash.

Consent covers these, so a changed module that ``setup.py`` imports, an in-tree backend or a new ``uv.toml`` asks
again. Only the user's trust store keeps the hashes; nothing here runs the project's code (``git`` runs with its
file-system monitor off, and may not look above the checkout's root).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from .valuetypes import dataclass, field

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_FILES = 20_000
MAX_BYTES = 256 * 1024 * 1024  # bytes hashed per snapshot; beyond, files count by size and modification time
BIG_FILE = 16 * 1024 * 1024  # a larger file counts by size and modification time
#: folders a build does not read as the project's: VCS data, environments and test runners' envs, bytecode
SKIP_FOLDERS = frozenset({".git", ".hg", ".svn", ".bzr", ".tox", ".nox", "node_modules", "__pycache__"})
GIT_TIMEOUT = 30.0


@dataclass
class Tree:
    """Files (path relative to the folder, ``/``-separated) and their short hashes; ``complete`` is ``False`` when
    a cap stopped the listing."""

    files: dict[str, str] = field(default_factory=dict)
    complete: bool = True
    listed_by: str = "walk"
    budget: int = MAX_BYTES


def snapshot(folder: Path, *, tree: Tree | None = None, prefix: str = "") -> Tree:
    """The files of ``folder`` as git lists them (tracked and untracked, not ignored), else a bounded walk."""
    tree = Tree() if tree is None else tree
    listed = git_files(folder)
    if listed is None:
        listed, complete = walk(folder)
        tree.complete = tree.complete and complete
    else:
        tree.listed_by = "git"
        if len(listed) > MAX_FILES:
            listed, tree.complete = listed[:MAX_FILES], False
    for relative in _without_envs(listed):
        tree.files[prefix + relative] = file_hash(folder / relative, tree)
    return tree


def add_file(tree: Tree, path: Path, name: str) -> None:
    """One more file (an archive the plan names) under ``name``."""
    tree.files[name] = file_hash(path, tree)


def git_files(folder: Path) -> list[str] | None:
    """``git ls-files`` of ``folder`` (tracked, and untracked not ignored), or ``None`` without a usable checkout."""
    import shutil

    root = _checkout_root(folder)
    git = shutil.which("git") if root is not None else None
    if root is None or git is None:
        return None
    from .installers.process import ChildNotRun, Purpose, child_env, run

    env = child_env(os.environ, Purpose.PROBE)
    env["GIT_CEILING_DIRECTORIES"] = str(root.parent)  # git's own discovery stops where ours did
    env["GIT_OPTIONAL_LOCKS"] = "0"
    argv = [git, "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-C", str(folder)]
    argv += ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        out = run(argv, purpose=Purpose.PROBE, env=env, timeout=GIT_TIMEOUT)
    except ChildNotRun:
        return None
    if out.returncode != 0:
        return None
    return sorted({name for name in out.stdout.split("\0") if name and not name.endswith("/")})


def walk(folder: Path) -> tuple[list[str], bool]:
    """Files under ``folder`` without a VCS: links not followed, :data:`SKIP_FOLDERS` and env folders skipped, at
    most :data:`MAX_FILES`; the flag says whether the walk saw everything."""
    found: list[str] = []
    for here, folders, files in os.walk(folder):
        base = Path(here)
        links = [name for name in folders if (base / name).is_symlink()]  # listed as links, never entered
        folders[:] = sorted(name for name in folders if name not in links and not _skipped(base / name))
        for name in sorted([*files, *links]):
            if len(found) >= MAX_FILES:
                return found, False
            found.append((base / name).relative_to(folder).as_posix())
    return found, True


def file_hash(path: Path, tree: Tree) -> str:
    """A short content hash; a link hashes its target's name, a large file (or one past the byte budget) its size
    and modification time."""
    try:
        info = path.lstat()
    except OSError:
        return "missing"
    if stat.S_ISLNK(info.st_mode):
        return "link " + _short(os.fsencode(path.readlink()))
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    if not stat.S_ISREG(info.st_mode):
        return "special"
    if info.st_size > BIG_FILE or info.st_size > tree.budget:
        return f"size {info.st_size} modified {info.st_mtime_ns}"
    tree.budget -= info.st_size
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "unreadable"
    return digest.hexdigest()[:16]


def _short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _skipped(folder: Path) -> bool:
    name = folder.name
    return name in SKIP_FOLDERS or name.endswith(".egg-info") or (folder / "pyvenv.cfg").is_file()


def _without_envs(listed: Iterable[str]) -> list[str]:
    """Git's listing without what :func:`walk` skips: an env nobody ignored, bytecode, build metadata."""
    names = list(listed)
    envs = {name.rpartition("/")[0] for name in names if name == "pyvenv.cfg" or name.endswith("/pyvenv.cfg")}
    kept = []
    for name in names:
        parts = name.split("/")
        if any(part in SKIP_FOLDERS or part.endswith(".egg-info") for part in parts[:-1]):
            continue
        if any("/".join(parts[:depth]) in envs for depth in range(1, len(parts))):
            continue
        kept.append(name)
    return kept


def _checkout_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` holding ``.git``, walking only through folders the user may take a
    project from (see :func:`virtualenv_ready.project.unsafe`)."""
    from .project import unsafe

    current = folder.absolute()
    while True:
        if (current / ".git").exists():
            return current
        if current.parent == current or unsafe(current.parent) is not None:
            return None
        current = current.parent


__all__ = ["MAX_FILES", "Tree", "add_file", "git_files", "snapshot", "walk"]
