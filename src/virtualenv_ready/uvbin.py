"""Where the uv binary is: the `uv` package's, else `uv` on PATH; shared by the uv installer and the uv.lock reader."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache


@cache
def find_uv_binary() -> tuple[str, str, str] | None:
    """(binary, version, where it came from), or ``None`` when there is no uv; looked up once per process."""
    binary: str | None = None
    where = ""
    try:
        from uv import find_uv_bin

        binary, where = find_uv_bin(), "the uv package"
    except (ImportError, FileNotFoundError):
        binary = shutil.which("uv")
        where = "PATH"
    if not binary:
        return None
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    version = out.stdout.split()[1] if len(out.stdout.split()) > 1 else out.stdout.strip()
    return binary, version, where


def version_tuple(version: str) -> tuple[int, ...]:
    """``0.6.14`` as ``(0, 6, 14)``; a part that is not a number stops the tuple."""
    parts: list[int] = []
    for part in version.split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


__all__ = ["find_uv_binary", "version_tuple"]
