"""Why `ready` is the seeder of this run, and who is creating the env: the user, or another tool."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Tools that create environments through virtualenv, by the name they run under.
TOOLS = ("hatch", "pipenv", "pdm", "nox", "poetry", "tox", "virtualenvwrapper", "pipx")
EXPLICIT = "explicit"
CONFIG = "config"


def _is_virtualenv_command(argv: Sequence[str]) -> bool:
    if not argv:
        return False
    first = Path(argv[0])
    return first.stem.lower() in {"virtualenv", "virtualenv-script"} or first.parts[-2:] == (
        "virtualenv",
        "__main__.py",
    )


def seeder_origin(env: Mapping[str, str], ini_seeder: str | None, argv: Sequence[str] | None = None) -> str:
    """``explicit`` when this run chose ready itself (command line or VIRTUALENV_SEEDER), ``config`` when only
    virtualenv.ini did.

    virtualenv reports every option as coming from the command line, so the inputs are read here instead.
    """
    argv = sys.argv if argv is None else argv
    if env.get("VIRTUALENV_SEEDER", "").strip() == "ready":
        return EXPLICIT
    if (ini_seeder or "").strip() != "ready":
        return EXPLICIT  # not the ini and not the env var: the caller's arguments asked for it
    if _is_virtualenv_command(argv) and any(a == "--seeder" or a.startswith("--seeder=") for a in argv[1:]):
        return EXPLICIT
    return CONFIG


def calling_tool(argv: Sequence[str] | None = None) -> str | None:
    """The tool creating this env (in-process through virtualenv's API, or as its parent process), else ``None``."""
    argv = sys.argv if argv is None else argv
    if argv and not _is_virtualenv_command(argv):
        return Path(argv[0]).stem or "python"
    parent = _parent_command()
    for word in parent:
        name = Path(word).stem.lower()
        if name in TOOLS:
            return name
    return None


def _parent_command() -> list[str]:
    """Linux: the parent's command line. Windows: the names of the nearest ancestors, through Python launchers."""
    if sys.platform == "win32":
        return _windows_ancestors()
    if not sys.platform.startswith("linux"):
        return []  # no /proc: only in-process callers are recognised
    try:
        raw = Path(f"/proc/{os.getppid()}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _windows_ancestors(limit: int = 6) -> list[str]:
    """Image names up the process tree, from the parent to the first one that is not a Python launcher.

    A tool's console script (``nox.exe``) starts python.exe, and a venv's python.exe starts the base one: the tool
    sits a few steps up. Windows has no /proc; a process snapshot gives each process's parent and image name.
    """
    if sys.platform != "win32":
        return []
    import ctypes
    from ctypes import wintypes

    class Entry(ctypes.Structure):
        _fields_ = [  # the PROCESSENTRY32W layout
            ("dwSize", wintypes.DWORD),
            ("cntUsage", wintypes.DWORD),
            ("th32ProcessID", wintypes.DWORD),
            ("th32DefaultHeapID", ctypes.c_size_t),
            ("th32ModuleID", wintypes.DWORD),
            ("cntThreads", wintypes.DWORD),
            ("th32ParentProcessID", wintypes.DWORD),
            ("pcPriClassBase", wintypes.LONG),
            ("dwFlags", wintypes.DWORD),
            ("szExeFile", wintypes.WCHAR * 260),
        ]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateToolhelp32Snapshot.restype = wintypes.HANDLE
    snapshot = kernel32.CreateToolhelp32Snapshot(0x2, 0)  # TH32CS_SNAPPROCESS
    if not snapshot or snapshot == wintypes.HANDLE(-1).value:
        return []
    table: dict[int, tuple[int, str]] = {}
    try:
        entry = Entry()
        entry.dwSize = ctypes.sizeof(Entry)
        more = kernel32.Process32FirstW(snapshot, ctypes.byref(entry))
        while more:
            table[entry.th32ProcessID] = (entry.th32ParentProcessID, entry.szExeFile)
            more = kernel32.Process32NextW(snapshot, ctypes.byref(entry))
    finally:
        kernel32.CloseHandle(snapshot)
    names: list[str] = []
    pid = os.getpid()
    for _ in range(limit):
        pid = table.get(pid, (0, ""))[0]
        if pid not in table:
            break
        name = table[pid][1]
        names.append(name)
        stem = Path(name).stem.lower()
        if not (stem.startswith("python") or stem in {"py", "pyw", "virtualenv"}):
            break
    return names


__all__ = ["CONFIG", "EXPLICIT", "calling_tool", "seeder_origin"]
