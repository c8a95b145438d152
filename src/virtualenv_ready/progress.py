"""What a person sees while the installer runs: one status line on a terminal, one start line in a log.

The installer's output is read line by line (it is kept for the error report either way); the phase and counts
shown come from the lines pip and uv print. Everything shown passes through :func:`redact` and :func:`shown`
(control characters escaped: the names come from project files and installer output).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from typing import TYPE_CHECKING

from .redact import redact
from .safe import shown

if TYPE_CHECKING:
    from typing import TextIO

LOGGER = logging.getLogger("virtualenv_ready")
TICK = 0.5

# pip's default output: a requirement found, a download, a build, the install
_PIP_FOUND = re.compile(r"^(?:Collecting|Obtaining|Processing) (\S+)")
_PIP_DOWNLOAD = re.compile(r"^Downloading ")
_PIP_BUILD = re.compile(r"^Building (?:wheel|editable) for (\S+)")
_PIP_PREPARE = re.compile(
    r"^(?:Installing build dependencies|Getting requirements to build|Preparing (?:editable )?metadata)"
)
_PIP_INSTALLING = re.compile(r"^Installing collected packages: (.*)$")
_UV_COUNT = re.compile(r"^(Resolved|Prepared|Installed|Uninstalled|Audited) (\d+) packages?\b")


class Status:
    """Tracks the phase from the installer's lines; on a terminal redraws one line in place until closed."""

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.phase = "resolving"
        self.downloads = 0
        self.found: list[str] = []
        self.resolved: int | None = None
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
        changed = self._phase_from(text)
        if changed and self.tty:
            self._draw()

    def _phase_from(self, text: str) -> bool:
        found = _UV_COUNT.match(text)
        if found:
            verb, count = found.group(1), int(found.group(2))
            if verb == "Resolved":
                self.resolved = count
                self.phase = f"downloading and building for {count} packages"
            elif verb == "Prepared":
                self.phase = f"installing {self.resolved or count} packages"
            elif verb in {"Installed", "Uninstalled", "Audited"}:
                self.phase = "finishing"
            return True
        found = _PIP_INSTALLING.match(text)
        if found:
            self.phase = f"installing {len([n for n in found.group(1).split(',') if n.strip()])} packages"
            return True
        found = _PIP_FOUND.match(text)
        if found:
            self.found.append(_short(found.group(1)))
            self.phase = f"resolving ({len(self.found)} found)"
            return True
        if _PIP_DOWNLOAD.match(text):
            self.downloads += 1
            self.phase = f"downloading {self.downloads}/{len(self.found)}"
            return True
        found = _PIP_BUILD.match(text)
        if found or (_PIP_PREPARE.match(text) and self.found):
            self.phase = f"building {found.group(1) if found else self.found[-1]}"
            return True
        return False

    def text(self) -> str:
        return shown(redact(f"{self.what}: {self.phase} ({time.monotonic() - self.start:.0f}s)"))

    def _draw(self) -> None:
        import shutil

        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
        line = self.text()
        if len(line) > width:
            line = line[: width - 1] + "…"
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


def _is_tty(stream: TextIO) -> bool:
    import os

    if os.environ.get("TERM") == "dumb":
        return False  # cannot move the cursor back
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


__all__ = ["Status"]
