"""Files the project names itself, by default or in its pyproject.toml's own table, as values for the boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..boundary import Named
from ..config import TOOL_TABLE
from ..files import line_of

if TYPE_CHECKING:
    from pathlib import Path


def named_by(path: Path, origin: str, key: str, project: Path) -> list[Named]:
    """``path`` as the project names it: its default file (``origin`` "default") or a ``key`` (``requirements``,
    ``constraints``) of its ``[tool.virtualenv-ready]``, with file:line; nothing when the user named it."""
    if origin == "default":
        return [Named(str(path), f"{path} (the project's default {key} file)", "file")]
    if origin.endswith(f"[{TOOL_TABLE}]"):
        pyproject = project / "pyproject.toml"
        number = line_of(pyproject, key)
        where = f"{pyproject}:{number}" if number else str(pyproject)
        return [Named(str(path), f"{where}: [{TOOL_TABLE}] {key}: {path}", "file")]
    return []


__all__ = ["named_by"]
