"""What a person sees while the installer runs: one status line on a terminal, one start line in a log.

The installer's output is read line by line (it is kept for the error report either way); the phase and counts
shown are the ones pip and uv print, never a guess. Everything shown passes through :func:`redact` and :func:`shown`
(control characters escaped: the names come from project files and installer output).
"""

from __future__ import annotations

import re
import sys
import threading
import time
from typing import TYPE_CHECKING

from .logs import LOGGER
from .redact import redact
from .safe import shown

if TYPE_CHECKING:
    from typing import TextIO

TICK = 0.5

# pip's default output: a requirement found, a download, a build, the install and its end
_PIP_FOUND = re.compile(r"^(?:Collecting|Obtaining|Processing) (\S+)")
_PIP_BUILD = re.compile(r"^Building (?:wheel|editable) for (\S+)")
_PIP_PREPARE = re.compile(
    r"^(?:Installing build dependencies|Getting requirements to build|Preparing (?:editable )?metadata)"
)
_PIP_INSTALLING = re.compile(r"^Installing collected packages: (.*)$")
_PIP_INSTALLED = re.compile(r"^Successfully installed (.*)$")
# both: a file fetched (uv prints it for large files only, pip for every file it does not have cached)
_DOWNLOAD = re.compile(r"^Downloading (\S+)")
# uv's report: its counts are the numbers shown; a build names the package
_UV_COUNT = re.compile(r"^(Resolved|Prepared|Installed|Uninstalled|Audited|Checked) (\d+) packages?\b")
_UV_BUILD = re.compile(r"^Building (?!wheel for |editable for )(\S+?)(?:==| @ |$)")


def _packages(count: int) -> str:
    return f"{count} package{'' if count == 1 else 's'}"


class Status:
    """Tracks the phase from the installer's lines; on a terminal redraws one line in place until closed.

    Every number shown is one the installer printed (uv's ``Resolved``/``Installed`` counts, pip's list of what it
    installs); the phase is always shown whole, the package name beside it (``detail``) is what a narrow window cuts.
    """

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.phase = "resolving"
        self.detail = ""
        self.found: list[str] = []
        self.start = time.monotonic()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = 0
        self.tty = _is_tty(self.stream)

    def begin(self) -> Status:
        """A terminal gets the status line (kept fresh by a timer); anything else one plain line for the log."""
        if not self.tty:
            LOGGER.warning("%s ...", redact(self.what))
            return self
        self._draw()
        self._thread = threading.Thread(target=self._tick, name="virtualenv-ready-progress", daemon=True)
        self._thread.start()
        return self

    def feed(self, line: str) -> None:
        """Read one line of installer output."""
        text = line.strip()
        changed = self._uv(text) or self._pip(text)
        if changed and self.tty:
            self._draw()

    def _set(self, phase: str, detail: str = "") -> bool:
        self.phase, self.detail = phase, detail
        return True

    def _uv(self, text: str) -> bool:
        found = _UV_COUNT.match(text)
        if found:
            verb, count = found.group(1), int(found.group(2))
            phase = {
                "Resolved": f"resolved {_packages(count)}",
                "Prepared": "installing",
                "Uninstalled": "installing",
                "Installed": f"installed {_packages(count)}",
            }.get(verb, f"{_packages(count)} already installed")
            return self._set(phase)
        found = _UV_BUILD.match(text)
        if found:
            return self._set("building", found.group(1))
        return False

    def _pip(self, text: str) -> bool:
        found = _PIP_INSTALLING.match(text)
        if found:
            return self._set(f"installing {_packages(len([n for n in found.group(1).split(',') if n.strip()]))}")
        found = _PIP_INSTALLED.match(text)
        if found:
            return self._set(f"installed {_packages(len(found.group(1).split()))}")
        found = _PIP_FOUND.match(text)
        if found:
            self.found.append(_short(found.group(1)))
            return self._set(f"resolving ({len(self.found)} found)")
        found = _DOWNLOAD.match(text)
        if found:
            return self._set("downloading", _short(found.group(1)))
        found = _PIP_BUILD.match(text)
        if found or (_PIP_PREPARE.match(text) and self.found):
            return self._set("building", found.group(1) if found else self.found[-1])
        return False

    def text(self, width: int | None = None) -> str:
        """The status line, at most ``width`` characters: the package name is cut first, then what is installed;
        the phase and the seconds stay whole."""
        tail = f"({time.monotonic() - self.start:.0f}s)"
        return fit(shown(redact(self.what)), shown(self.phase), shown(redact(self.detail)), tail, width)

    def _draw(self) -> None:
        line = self.text(_width(self.stream))
        with self._lock:
            if self._done.is_set():
                return
            self.stream.write(f"\r{line}{self._clear_rest(len(line))}")
            self.stream.flush()
            self._shown = len(line)

    def _clear_rest(self, length: int) -> str:
        # a Windows console without VT processing prints ESC[K as text: overwrite with spaces there
        return " " * max(self._shown - length, 0) if sys.platform == "win32" else "\x1b[K"

    def _tick(self) -> None:
        while not self._done.wait(TICK):
            self._draw()

    def close(self) -> None:
        """Stop the timer and clear the line, so the next log line starts on a clean row."""
        with self._lock:
            self._done.set()
            if self.tty:
                self.stream.write(f"\r{self._clear_rest(0)}\r")
                self.stream.flush()
        if self._thread is not None:
            self._thread.join(timeout=2)


def _short(spec: str) -> str:
    """A requirement as pip shows it (a name, a path or a URL): the part a person recognises."""
    return spec.rstrip("/").rsplit("/", 1)[-1].split("[")[0]


def fit(what: str, phase: str, detail: str, tail: str, width: int | None) -> str:
    """``WHAT: PHASE DETAIL TAIL`` in ``width`` characters: ``detail`` (package names) is cut first, then ``what``;
    only when the phase and tail alone do not fit is the end cut."""

    def line(head: str, names: str) -> str:
        return f"{head}: {phase}{' ' + names if names else ''} {tail}"

    full = line(what, detail)
    if width is None or len(full) <= width:
        return full
    keep = len(detail) - (len(full) - width) - 1
    if keep >= 1:
        return line(what, detail[:keep] + "…")
    full = line(what, "")
    if len(full) <= width:
        return full
    keep = len(what) - (len(full) - width) - 1
    if keep >= 1:
        return line(what[:keep] + "…", "")
    return f"{phase} {tail}"[:width]


def _width(stream: TextIO) -> int:
    """The columns of the terminal the line is drawn on (``COLUMNS``, else stderr's own size, not stdout's: stdout may
    be a file), less one so the cursor never wraps."""
    import os
    import shutil

    given = os.environ.get("COLUMNS", "")
    columns = int(given) if given.isdigit() else 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
    if columns <= 0:  # a terminal that does not say its size (a bare pty)
        columns = shutil.get_terminal_size((80, 24)).columns
    return max(columns - 1, 10)


def _is_tty(stream: TextIO) -> bool:
    import os

    if os.environ.get("TERM") == "dumb":
        return False  # cannot move the cursor back
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


__all__ = ["Status", "fit"]
