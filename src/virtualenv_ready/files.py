"""Reading the project's files: TOML with one-line errors, requirements-file includes, content hashes.

The floor of the package (only ``errors`` below it), so config, policy, sources and the plan types can all read
project files without importing each other.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import ReadyError

_INCLUDE = re.compile(r"^\s*(?:-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)")

_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes one line with file:line and the parser's reason."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        stat = path.stat()
    except FileNotFoundError:
        msg = f"{path}: file not found"
        raise ReadyError(msg) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        return _CACHE[key]
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{path}:{found.group(1)}:{found.group(2)}" if found else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        msg = f"{where}: invalid TOML: {reason}; fix the file"
        raise ReadyError(msg) from None
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8"
        raise ReadyError(msg) from None
    _CACHE[key] = data
    return data


def load_pyproject(path: Path) -> dict[str, Any] | None:
    """The parsed pyproject.toml, or ``None`` when there is none."""
    if not path.is_file():
        return None
    return load_toml(path)


def included_files(path: Path, seen: set[Path] | None = None) -> list[Path]:
    """The file and every local file it pulls in with -r/-c, so a change in any of them is noticed."""
    seen = set() if seen is None else seen
    path = path.absolute()
    if path in seen:
        return []
    seen.add(path)
    found = [path]
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return found
    for line in text.splitlines():
        match = _INCLUDE.match(line)
        if match and "://" not in match.group(1):
            found.extend(included_files((path.parent / match.group(1)).absolute(), seen))
    return found


def requirement_file_lines(paths: Iterable[Path], seen: set[Path] | None = None) -> list[tuple[Path, int, str]]:
    """(file, line number, line) of each file and every local file it includes; blanks and comments left out."""
    seen = set() if seen is None else seen
    found: list[tuple[Path, int, str]] = []
    for path in paths:
        for item in included_files(path, seen):
            try:
                text = item.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip() and not line.lstrip().startswith("#"):
                    found.append((item, number, line.strip()))
    return found


def sha256_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


__all__ = ["included_files", "load_pyproject", "load_toml", "requirement_file_lines", "sha256_file"]
