"""Reading the project's files: TOML with one-line errors, requirements-file includes, content hashes.

The floor of the package (only ``errors`` below it), so config, policy, sources and the plan types can all read
project files without importing each other.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
import shlex
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import ReadyError

# pip's requirements-file options (optparse, so long options may be abbreviated); uv reads the same spellings
_SHORT = {"-r": "--requirement", "-c": "--constraint", "-e": "--editable", "-i": "--index-url", "-f": "--find-links"}
_LONG_VALUE = (
    "--requirement",
    "--constraint",
    "--editable",
    "--index-url",
    "--extra-index-url",
    "--find-links",
    "--trusted-host",
    "--hash",
    "--no-binary",
    "--only-binary",
    "--use-feature",
    "--config-settings",
    "--global-option",
)
_LONG_FLAGS = ("--no-index", "--prefer-binary", "--require-hashes", "--pre")
INCLUDE_OPTIONS = ("--requirement", "--constraint")
_COMMENT = re.compile(r"(^|\s+)#.*$")

_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes one line with file:line and the parser's reason."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        msg = f"{path}: file not found"
        raise ReadyError(msg) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        return _CACHE[key]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8"
        raise ReadyError(msg) from None
    # an empty or comment-only file (an org's placeholder policy) is an empty table: no parser needed
    blank = all(not line.strip() or line.lstrip()[:1] == "#" for line in text.splitlines())
    data = {} if blank else _parse_toml(path, text)
    _CACHE[key] = data
    return data


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{path}:{found.group(1)}:{found.group(2)}" if found else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        msg = f"{where}: invalid TOML: {reason}; fix the file"
        raise ReadyError(msg) from None
    return data


def load_pyproject(path: Path) -> dict[str, Any] | None:
    """The parsed pyproject.toml, or ``None`` when there is none."""
    if not path.is_file():
        return None
    return load_toml(path)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """A requirements file's lines as pip and uv read them: ``\\`` continuations joined, comments dropped.

    Each line comes with the number of its first physical line, for ``file:line`` messages.
    """
    out: list[tuple[int, str]] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not parts:
            start = number
        if raw.endswith("\\"):
            parts.append(raw[:-1])
            continue
        parts.append(raw)
        line = _COMMENT.sub("", "".join(parts)).strip()
        parts = []
        if line:
            out.append((start, line))
    if parts:
        line = _COMMENT.sub("", "".join(parts)).strip()
        if line:
            out.append((start, line))
    return out


def split_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    """One logical requirements line: the requirement (``""`` for an option-only line) and its options.

    Options come back in their long spelling with their value (``("--requirement", "base.txt")``), however they were
    written: ``-rbase.txt``, ``-r base.txt``, ``--requirement=base.txt`` or an abbreviation such as ``--req``, which
    pip's option parser accepts too.
    """
    words = line.split(" ")
    cut = next((i for i, word in enumerate(words) if word.startswith("-")), len(words))
    requirement = " ".join(words[:cut]).strip()
    rest = " ".join(words[cut:])
    try:
        tokens = shlex.split(rest, posix=sys.platform != "win32")
    except ValueError:
        tokens = rest.split()
    options: list[tuple[str, str]] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.startswith("--"):
            name, equals, value = token.partition("=")
            spelled = _long_option(name)
            if spelled is None:
                continue
            if spelled in _LONG_FLAGS:
                options.append((spelled, ""))
                continue
            if not equals and position < len(tokens):
                value = tokens[position]
                position += 1
            options.append((spelled, value))
        elif token.startswith("-") and token[:2] in _SHORT:
            value = token[2:]
            if not value and position < len(tokens):
                value = tokens[position]
                position += 1
            options.append((_SHORT[token[:2]], value))
    return requirement, options


def _long_option(name: str) -> str | None:
    if name in _LONG_VALUE or name in _LONG_FLAGS:
        return name
    matches = [o for o in (*_LONG_VALUE, *_LONG_FLAGS) if o.startswith(name)]
    return matches[0] if len(matches) == 1 else None


#: ``guard(file, line number, option, value)`` is called for every -r/-c line before the file it names is read.
IncludeGuard = Callable[[Path, int, str, str], None]


def requirement_file_tree(
    path: Path, seen: set[Path] | None = None, guard: IncludeGuard | None = None
) -> list[tuple[Path, list[tuple[int, str]]]]:
    """The file and every local file it pulls in with -r/-c, each read once: (file, its :func:`logical_lines`).

    ``guard`` may refuse an include (by raising) before the included file is opened. A file that cannot be read is
    listed with no lines (the installer names the problem in its own words).
    """
    seen = set() if seen is None else seen
    path = path.absolute()
    if path in seen:
        return []
    seen.add(path)
    try:
        lines = logical_lines(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return [(path, [])]
    found = [(path, lines)]
    for number, line in lines:
        for option, value in split_line(line)[1]:
            if option not in INCLUDE_OPTIONS or not value:
                continue
            if guard is not None:
                guard(path, number, option, value)
            if "://" not in value:
                found.extend(requirement_file_tree((path.parent / value).absolute(), seen, guard))
    return found


def included_files(path: Path, seen: set[Path] | None = None, guard: IncludeGuard | None = None) -> list[Path]:
    """The file and every local file it pulls in with -r/-c, so a change in any of them is noticed."""
    return [item for item, _ in requirement_file_tree(path, seen, guard)]


def requirement_file_lines(paths: Iterable[Path], seen: set[Path] | None = None) -> list[tuple[Path, int, str]]:
    """(file, line number, line) of each file and every local file it includes, as :func:`logical_lines` reads them."""
    seen = set() if seen is None else seen
    found: list[tuple[Path, int, str]] = []
    for path in paths:
        for item, lines in requirement_file_tree(path, seen):
            found += [(item, number, line) for number, line in lines]
    return found


_LINES: dict[tuple[str, int, int], tuple[str, list[int], int]] = {}


def line_of(path: Path, needle: str) -> int | None:
    """The first line of a project file holding ``needle`` (TOML parsers give no positions), for file:line.

    The file is read once per content (a lock names thousands of packages), and each lookup is one search.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LINES:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        _LINES[key] = ("\n".join(lines), starts, len(lines))
    text, starts, count = _LINES[key]
    if needle.splitlines() != [needle]:  # "" is on every line; a needle with a line break on none
        return 1 if needle == "" and count else None
    at = text.find(needle)
    return None if at < 0 else bisect.bisect_right(starts, at)


def sha256_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


__all__ = [
    "INCLUDE_OPTIONS",
    "IncludeGuard",
    "included_files",
    "line_of",
    "load_pyproject",
    "load_toml",
    "logical_lines",
    "requirement_file_lines",
    "requirement_file_tree",
    "sha256_file",
    "split_line",
]
