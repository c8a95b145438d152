"""The installer-output screen: lines of files outside the project that nobody handed the installer are shown only
as ``file:line``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..boundary import within
from ..files import logical_lines

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


class QuoteScreen:
    """Installer output with the lines of files outside the project, which nobody handed the installer, shown only as
    ``file:line``.

    Defence in depth behind :class:`Boundary`: should an installer still read such a file (a link swapped after the
    check, a spelling the checks read differently), its parse errors would quote the file's lines. Files are
    recognised where pip (``line N of FILE``, ``-r FILE (line N)``) and uv (``in `FILE```) name them; a few lines
    are held back because pip names the file after quoting the line.
    """

    HOLD = 4
    LARGEST = 1 << 20  # a requirements file, not an archive or a binary
    _QUOTED_FILE = re.compile(r"line \d+ of (?P<a>[^)]+)\)|-[rc] (?P<b>.+?) \(line \d+\)|\bin `(?P<c>[^`]+)`")

    def __init__(self, root: Path, cwd: Path, handed: Iterable[Path]) -> None:
        handed = list(handed)
        self.root = root
        self.bases = list(dict.fromkeys([cwd, *(p.parent for p in handed)]))
        self.handed = {p.resolve() for p in handed}
        self.masks: dict[str, str] = {}
        self.seen: set[Path] = set()
        self.held: list[str] = []

    def feed(self, line: str) -> list[str]:
        """Take one output line; return the lines that may be shown now."""
        self._learn(line)
        self.held.append(line)
        out: list[str] = []
        while len(self.held) > self.HOLD:
            out.append(self._mask(self.held.pop(0)))
        return out

    def flush(self) -> list[str]:
        out = [self._mask(line) for line in self.held]
        self.held = []
        return out

    def screen(self, text: str) -> str:
        for line in text.splitlines():
            self._learn(line)
        return self._mask(text)

    def _learn(self, line: str) -> None:
        for match in self._QUOTED_FILE.finditer(line):
            named = next(group for group in match.groups() if group).strip()
            for base in self.bases:
                try:
                    candidate = (base / named).resolve()
                    hidden = candidate.is_file() and not within(candidate, self.root)
                except (OSError, ValueError):
                    continue
                if hidden and candidate not in self.handed and candidate not in self.seen:
                    self.seen.add(candidate)
                    self._hide(candidate)

    def _hide(self, path: Path) -> None:
        try:
            if path.stat().st_size > self.LARGEST:
                return
            data = path.read_bytes()
        except OSError:
            return
        if b"\0" in data:
            return
        text = data.decode("utf-8", errors="replace")
        for number, line in [*enumerate(text.splitlines(), start=1), *logical_lines(text)]:
            if line.strip():
                self.masks.setdefault(line.strip(), f"<{path}:{number}>")
            for word in line.split():
                if len(word) >= 6:
                    self.masks.setdefault(word, f"<{path}:{number}>")

    def _mask(self, line: str) -> str:
        for text in sorted(self.masks, key=len, reverse=True):
            line = line.replace(text, self.masks[text])
        return line


__all__ = ["QuoteScreen"]
