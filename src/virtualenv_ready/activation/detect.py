"""Which shell the user is typing in, to show only its activation line. Cheap, and never raises.

POSIX: the nearest ancestor process that is a shell (``/proc`` on Linux, ``ps`` elsewhere), else ``SHELL``.
Windows: PowerShell or cmd.exe from the ancestor processes (a Toolhelp snapshot), else ``PSModulePath``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .hints import ALIASES, SHELLS

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

# how far up to look: launchers (python, uv run, make, a tool) sit between the shell and us
DEPTH = 6


def _shell_name(word: str) -> str | None:
    name = Path(word.lstrip("-").replace("\\", "/")).name.lower()  # a login shell's argv[0] is "-bash"
    name = ALIASES.get(name, name.removesuffix(".exe"))
    return name if name in SHELLS else None


def detect(*, windows: bool | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The user's shell (a name from :data:`hints.SHELLS`), or ``None`` when it cannot be told."""
    env = os.environ if env is None else env
    windows = sys.platform == "win32" if windows is None else windows
    try:
        for name in _ancestors():  # nearest first, looked up one by one (on macOS each costs a `ps` call)
            found = _shell_name(name)
            if found:
                return found
    except (OSError, ValueError, IndexError, AttributeError):  # a hint must never break a creation
        pass
    if windows:
        return _from_psmodulepath(env)
    return _shell_name(env.get("SHELL", "")) if env.get("SHELL") else None


def _ancestors() -> Iterator[str]:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        from ..ancestors import windows_ancestors

        return iter(windows_ancestors(DEPTH))
    if Path("/proc/self/stat").exists():
        return _proc_ancestors()
    return _ps_ancestors()


def _proc_ancestors() -> Iterator[str]:
    pid = os.getppid()
    for _ in range(DEPTH):
        if pid <= 1:
            break
        exe = ""
        with contextlib.suppress(OSError):
            exe = str(Path(f"/proc/{pid}/exe").readlink())
        yield exe
        try:
            yield Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        # the command name in stat may hold spaces or ")": the fields after the last ")" are fixed
        pid = int(stat.rsplit(")", 1)[1].split()[1])


def _ps_ancestors() -> Iterator[str]:
    import subprocess

    pid = os.getppid()
    for _ in range(DEPTH):
        if pid <= 1:
            break
        try:
            out = subprocess.run(
                ["ps", "-o", "ppid=,comm=", "-p", str(pid)], capture_output=True, text=True, timeout=2, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return
        parent, _, comm = out.partition(" ")
        if not comm:
            return
        yield comm.strip()
        pid = int(parent)


def _from_psmodulepath(env: Mapping[str, str]) -> str:
    """PowerShell adds the user's own module folder to ``PSModulePath``; cmd.exe has only the machine's."""
    profile = env.get("USERPROFILE", "").lower()
    parts = [part.lower() for part in env.get("PSModulePath", "").split(";") if part]
    if profile and any(part.startswith(profile) for part in parts):
        return "powershell"
    return "cmd"


__all__ = ["detect"]
