"""Reading the project's files: size-capped reads, TOML with one-line errors, pip's line rules, content hashes.

The floor of the package (only ``errors`` below it), so config, policy, sources and the plan types can all read
project files without importing each other.
"""

from __future__ import annotations

import itertools
import re
import sys

from .errors import ReadyError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

#: the largest project file read (a lock of thousands of packages is a few MB); beyond it a read stops
MAX_FILE_BYTES = 64 * 1024 * 1024
# pip's comment rule (req_file.COMMENT_RE): a # at the start of a line or after whitespace
COMMENT_RE = re.compile(r"(^|\s+)#.*$")

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
    data = parse_toml(path, read_bytes(path))
    _CACHE[key] = data
    return data


def parse_toml(path: Path, data: bytes) -> dict[str, Any]:
    """Parse the content of the TOML file ``path`` as :func:`load_toml` reads it (``data``: its bytes)."""
    text = decoded(path, data)
    # an empty or comment-only file (an org's placeholder policy) is an empty table: no parser needed
    blank = all(not line.strip() or line.lstrip()[:1] == "#" for line in text.splitlines())
    return {} if blank else _parse_toml(path, text)


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
    except RecursionError:
        msg = f"{path}: invalid TOML: values nested too deeply to read; fix the file"
        raise ReadyError(msg) from None
    return data


def load_pyproject(path: Path) -> dict[str, Any] | None:
    """The parsed pyproject.toml, or ``None`` when there is none."""
    if not path.is_file():
        return None
    return load_toml(path)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """A requirements file's lines as pip reads them (``join_lines``, then ``ignore_comments``).

    Physical lines ending in ``\\`` are joined, except comment lines: a line starting with ``#`` (after optional
    whitespace) ends a continuation and is never continued itself, while ``pkg # c \\`` pulls the next line into
    its comment. Each line comes with the number of its first physical line, for ``file:line`` messages.
    """
    joined: list[tuple[int, str]] = []
    parts: list[str] = []
    first = 0
    for number, physical in enumerate(text.splitlines(), start=1):
        comment = COMMENT_RE.match(physical) is not None
        if physical.endswith("\\") and not comment:
            first = first if parts else number
            parts.append(physical.strip("\\"))
            continue
        line = " " + physical if comment else physical
        joined.append((first, "".join([*parts, line])) if parts else (number, line))
        parts = []
    if parts:
        joined.append((first, "".join(parts)))
    stripped = [(number, COMMENT_RE.sub("", line).strip()) for number, line in joined]
    return [(number, line) for number, line in stripped if line]


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A project file's content, at most ``limit`` bytes: a FIFO, device or folder is refused before it is read.

    Raises ``FileNotFoundError``/``OSError`` as ``open`` does, and :class:`ReadyError` for what is not a plain file
    or is larger than ``limit``.
    """
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            msg = f"{path}: not a plain file (a pipe, device or folder); replace it with a file"
            raise ReadyError(msg)
        data = handle.read(limit + 1)
    if len(data) > limit:
        msg = f"{path}: larger than {limit // (1024 * 1024)} MB, more than a project file holds; shorten it"
        raise ReadyError(msg)
    return data


def read_text(path: Path, *, strict: bool = True) -> str:
    """A project file as UTF-8 text (a BOM dropped), size-capped by :func:`read_bytes`; ``strict``: refuse
    bytes that are not UTF-8 (with the file named) instead of replacing them."""
    return decoded(path, read_bytes(path), strict=strict)


def decoded(path: Path, data: bytes, *, strict: bool = True) -> str:
    """The bytes of the project file ``path`` as :func:`read_text` reads them."""
    bom = b"\xef\xbb\xbf"  # what utf-8-sig drops (that codec is one more module to load)
    try:
        return data.removeprefix(bom).decode("utf-8", errors="strict" if strict else "replace")
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8"
        raise ReadyError(msg) from None


# a TOML string literal on one line (basic or literal), for the index of where each value is written
_STRING = r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\''  # compiled on first use (re caches it), not at import


class _Lines:
    """One file's text with the start of each line and the first line of every string literal, built once."""

    def __init__(self, text: str) -> None:
        from bisect import bisect_right  # located errors only: not loaded on a no-op sync

        lines = text.splitlines()
        self.count = len(lines)
        self.text = "\n".join(lines)
        self.starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        self.strings: dict[str, int] = {}
        for match in re.finditer(_STRING, self.text):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if value not in self.strings:
                self.strings[value] = bisect_right(self.starts, match.start())

    def find(self, needle: str) -> int | None:
        if needle.splitlines() != [needle]:  # "" is on every line; a needle with a line break on none
            return 1 if needle == "" and self.count else None
        if needle in self.strings:
            return self.strings[needle]
        from bisect import bisect_right

        at = self.text.find(needle)
        return None if at < 0 else bisect_right(self.starts, at)


_LINES: dict[tuple[str, int, int], _Lines] = {}


def line_of(path: Path, needle: str) -> int | None:
    """The first line of a project file holding ``needle`` (TOML parsers give no positions), for file:line.

    The file is read and indexed once per content (a lock names thousands of packages): a needle that is a whole
    string literal of the file is one dictionary look-up, anything else one search.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LINES:
        try:
            _LINES[key] = _Lines(read_text(path, strict=False))
        except (OSError, ReadyError):
            return None
    return _LINES[key].find(needle)


def _sha256_maker() -> Callable[[bytes], Any]:
    """sha256 from the interpreter's own module: ``hashlib`` loads OpenSSL, milliseconds on every no-op sync."""
    for name in ("_sha2", "_sha256"):  # 3.12 merged the second into the first
        maker = getattr(_imported(name), "sha256", None)
        if maker is not None:
            return maker  # type: ignore[no-any-return]
    import hashlib  # pragma: no cover - an interpreter built without its own sha256

    return hashlib.sha256  # pragma: no cover


def _imported(name: str) -> object:
    try:
        return __import__(name)
    except ImportError:
        return None


#: ``hashlib.sha256`` as the interpreter's own module makes it (the same digests)
sha256 = _sha256_maker()


def sha256_file(path: Path) -> str:
    """The content hash of an input file (``missing`` when there is none); size-capped like every read."""
    try:
        return str(sha256(read_bytes(path)).hexdigest())
    except FileNotFoundError:
        return "missing"


def newest(entries: Mapping[str, Any], new: Mapping[str, Any], kept: int) -> dict[str, Any]:
    """A memo's entries with ``new`` as the newest (a key given again moves to the end), the newest ``kept`` of them."""
    ordered = {key: value for key, value in entries.items() if key not in new}
    ordered.update(new)
    return dict(list(ordered.items())[-kept:])


def replace_file(path: Path, text: str, *, prefix: str) -> None:
    """Write ``text`` whole into a new private file beside ``path`` (``mkstemp``: mode 0600, a name nobody can plant a
    link at) and rename it over ``path``: readers see the old file or the new one, never half of one, and a link
    planted at ``path`` is replaced, not written through. Nothing is left behind when it fails."""
    import os
    import tempfile
    from pathlib import Path

    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = [
    "COMMENT_RE",
    "MAX_FILE_BYTES",
    "decoded",
    "line_of",
    "load_pyproject",
    "load_toml",
    "logical_lines",
    "newest",
    "parse_toml",
    "read_bytes",
    "read_text",
    "replace_file",
    "sha256",
    "sha256_file",
]
