"""Which directory is the project: a few stats, no parsing, so the notice plain `virtualenv` prints stays cheap.

The walk up from the working directory is as careful as git's own discovery (its ``safe.directory`` rule): it stops
at the checkout's root, and it never takes a project from a folder another user owns or anyone may write to (a
shared ``/tmp``, sticky or not), where anyone could have planted a ``pyproject.toml`` and its ``setup.py``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .logs import LOGGER

VCS_MARKERS = (".git", ".hg", ".svn", ".bzr")
INPUTS = ("pyproject.toml", "requirements.txt", "pylock.toml")
CURRENT = "current directory"
PARENT = "nearest parent with pyproject.toml"


def unsafe(folder: Path) -> str | None:
    """Why a project may not be taken from ``folder`` (another user's, or writable by anyone), or ``None``."""
    if not hasattr(os, "getuid"):
        # Windows: st_mode and st_uid are made up there (every folder looks 0o777, owned by 0); its ACLs are not
        # read here, so only the VCS stop guards the walk
        return None
    try:
        info = folder.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if info.st_mode & stat.S_IWOTH:
        sticky = "sticky, " if info.st_mode & stat.S_ISVTX else ""
        return f"it is writable by every user ({sticky}mode {stat.S_IMODE(info.st_mode):o})"
    if info.st_uid != os.geteuid():
        return f"it is owned by another user (uid {info.st_uid})"
    return None


def find_project(start: Path) -> tuple[Path, str]:
    """The project directory and why it was chosen: start itself, else the nearest parent with a pyproject.toml.

    The walk up stops at a VCS root, the home directory and any folder :func:`unsafe` refuses. When ``start``
    itself is refused, the project is an empty folder of the user's (nothing of ``start`` is read).
    """
    found, why, _refused = locate(start)
    return found, why


def locate(start: Path) -> tuple[Path, str, str | None]:
    """:func:`find_project`'s answer and, when a folder stopped the walk for safety, the one line saying why."""
    start = start.absolute()
    refused = unsafe(start)
    if refused is not None:
        return nowhere(), f"no project: {start} is not taken as one", f"no project taken from {start}: {refused}"
    if _has_inputs(start):
        return start, CURRENT, None
    home = Path.home()
    current = start
    while current != home and not _vcs_root(current) and current.parent != current:
        parent = current.parent
        refused = unsafe(parent)
        if refused is not None:
            return start, CURRENT, f"no project looked for in {parent} or above: {refused}"
        current = parent
        if (current / "pyproject.toml").is_file():
            return current, f"{PARENT} of {start}", None
    return start, CURRENT, None


def discover(start: Path) -> tuple[Path, str]:
    """:func:`find_project` for a run: a project above ``start`` is named on the run's first line (relative to
    ``start``), and a folder refused for safety says why at ``-v``."""
    found, why, refused = locate(start)
    if refused is not None:
        LOGGER.info("virtualenv-ready: %s", refused)
    if why.startswith(PARENT):
        LOGGER.warning("virtualenv-ready: project: %s (pyproject.toml)", os.path.relpath(found, start.absolute()))
    return found, why


def nowhere() -> Path:
    """An empty folder of the user's that stands for "no project" (so nothing of an unsafe folder is read)."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("virtualenv-ready", appauthor=False)) / "no-project"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _vcs_root(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in VCS_MARKERS)


def _has_inputs(path: Path) -> bool:
    return any((path / name).is_file() for name in INPUTS)


__all__ = ["discover", "find_project", "locate", "nowhere", "unsafe"]
