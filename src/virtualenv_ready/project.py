"""Which directory is the project: a few stats, no parsing, so the notice plain `virtualenv` prints stays cheap."""

from __future__ import annotations

from pathlib import Path


def find_project(start: Path) -> tuple[Path, str]:
    """The project directory and why it was chosen: start itself, else the nearest parent with a pyproject.toml.

    The walk up stops at a VCS root or the home directory, so a stray pyproject.toml above them is never used.
    """
    start = start.absolute()
    if _has_inputs(start):
        return start, "current directory"
    home = Path.home()
    current = start
    while True:
        if (current / "pyproject.toml").is_file():
            return current, f"nearest parent with pyproject.toml of {start}"
        if current == home or any((current / vcs).exists() for vcs in (".git", ".hg", ".svn")):
            break
        if current.parent == current:
            break
        current = current.parent
    return start, "current directory"


def _has_inputs(path: Path) -> bool:
    return any((path / name).is_file() for name in ("pyproject.toml", "requirements.txt", "pylock.toml"))


__all__ = ["find_project"]
