"""Destinations this user's virtualenv-ready did not make: found, not made, and nothing of them obeyed or run.

An existing destination is *foreign* when it has no record this user signed (none, committed, copied, edited, or
written by 0.1.0) or when git tracks files in it (a checkout can change a tracked env behind its record). A foreign
env is adopted as `sync` adopts one made elsewhere: its record is not read, its ``pip.conf``/``pip.ini`` is set
aside before any installer runs, and its interpreter runs only after consent.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ReadyError
from .logs import LOGGER
from .valuetypes import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from .record import Record

ASIDE = ".virtualenv-ready-found"
TRACKED = "git tracks files in it: treated as an env made elsewhere"
UNRECORDED = "it has no virtualenv-ready.json: treated as an env made elsewhere"
#: envs in a checkout that git was asked about and tracks nothing of, by the state of the index it answered for
UNTRACKED_MEMO = "untracked-envs.json"
_MEMO_FORMAT = 1
_KEPT = 64
# where git may find another repository or index than the nearest .git/index
_GIT_LOCATIONS = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR")


@dataclass(frozen=True)
class Found:
    """What a destination turned out to be: the record to go by (``None``: none or foreign), and why it is foreign."""

    record: Record | None
    why: str | None = None

    @property
    def foreign(self) -> bool:
        return self.why is not None


def examine(venv: Path, *, existed: bool = True) -> Found:
    """Whether ``venv`` is this user's env: its signed record, unless git tracks it (asked only then: a process on
    every sync); a new destination is ours."""
    from . import record

    if not existed:
        return Found(None)
    try:
        found, why = record.examine(venv)
    except ReadyError:
        found, why = None, "its record is unreadable: treated as an env made elsewhere"
    if found is None:
        return Found(None, why or UNRECORDED)
    if tracked(venv):
        return Found(None, TRACKED)
    return Found(found)


def had_content(dest: Path) -> bool:
    """Whether ``dest`` exists with anything in it (an empty folder is as good as a new one)."""
    try:
        with os.scandir(dest) as entries:
            return any(True for _ in entries)
    except OSError:
        return os.path.lexists(dest)


def tracked(venv: Path) -> bool:
    """Whether git tracks any file under ``venv`` (no checkout around it, or no git: not tracked). git is asked once
    per state of the checkout's index (a process, and the process helpers' imports, on every sync otherwise): what
    git tracks is what its index lists, so an index unchanged since git answered "nothing" gives the same answer."""
    checkout = _checkout(venv)
    if checkout is None:
        return False
    stamp = _index_stamp(checkout)
    from .signedmemo import read, remember

    key = str(venv.absolute())
    memo = read(UNTRACKED_MEMO, _MEMO_FORMAT)
    if stamp is not None and memo.get(key) == stamp:
        return False
    found = _git_tracks(venv)
    if not found and stamp is not None:  # a "yes" is never kept: git is asked again
        remember(UNTRACKED_MEMO, _MEMO_FORMAT, memo, {key: stamp}, _KEPT)
    return found


def _git_tracks(venv: Path) -> bool:
    from .installers.process import ChildNotRun, Purpose, child_env, run

    try:
        out = run(["git", "ls-files", "-z"], purpose=Purpose.PROBE, env=child_env(os.environ, Purpose.PROBE), cwd=venv)
    except ChildNotRun:
        return False
    return out.returncode == 0 and bool(out.stdout.strip("\0"))


def _checkout(venv: Path) -> Path | None:
    """The nearest folder holding a ``.git``, ``venv`` or above it: only then is git asked."""
    here = venv.absolute()
    return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), None)


def _index_stamp(checkout: Path) -> list[object] | None:
    """The identity of the checkout's index file (rewritten by a rename on every change: a new inode); ``None`` where
    git may read another index (a ``.git`` file: a worktree or a submodule; ``GIT_*`` locations in the environment),
    or there is none: git is asked then."""
    if any(os.environ.get(name) for name in _GIT_LOCATIONS):
        return None
    index = checkout / ".git" / "index"
    try:
        found = index.stat()  # a .git file: NotADirectoryError
    except OSError:
        return None
    return [str(index), found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def set_aside_pip_config(venv: Path) -> Path | None:
    """Move a found env's pip config out of pip's way (kept beside it, never deleted); ours is written at the end."""
    from .envconfig import config_path

    path = config_path(venv)
    if not os.path.lexists(path):
        return None
    aside = path.with_name(path.name + ASIDE)
    number = 0
    while os.path.lexists(aside):
        number += 1
        aside = path.with_name(f"{path.name}{ASIDE}.{number}")
    path.rename(aside)
    LOGGER.warning("virtualenv-ready: %s came with the env, not from you: set aside as %s, not obeyed", path, aside)
    return aside


def adopt(venv: Path, found: Found) -> None:
    """Say the env was found, not made, and set its pip config aside: nothing of it decides what happens."""
    if found.why is not None and found.why != UNRECORDED:
        LOGGER.warning("virtualenv-ready: %s was found, not made: %s", venv, found.why)
    set_aside_pip_config(venv)


def refuse_clear(dest: Path, projects: list[Path]) -> None:
    """``--clear`` deletes the destination before any seeder runs: refuse it when that is a project or holds one."""
    target = Path(dest).resolve()
    for project in projects:
        folder = Path(project).resolve()
        if folder == target or target in folder.parents:
            where = "is the project folder" if folder == target else f"holds the project {folder}"
            msg = (
                f"--clear {target}: refused: the destination {where}, and --clear would delete it; "
                f"make the env in a folder of its own (such as {folder / '.venv'})"
            )
            raise ReadyError(msg)


__all__ = ["ASIDE", "TRACKED", "UNRECORDED", "Found", "adopt", "examine", "had_content", "refuse_clear", "tracked"]
