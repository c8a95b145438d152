"""Where the uv binary is: the `uv` package's, else `uv` on PATH; shared by the uv installer and the uv.lock reader."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .installers.process import Finished


def find_uv_binary() -> tuple[str, str, str] | None:
    """(binary, version, where it came from), or ``None`` when there is no uv or it fails to run."""
    return probe_uv_binary()[0]


@cache
def probe_uv_binary() -> tuple[tuple[str, str, str] | None, str | None]:
    """What :func:`find_uv_binary` returns and, when uv is there but cannot run, why; looked up once per process."""
    binary: str | None = None
    where = ""
    try:
        from uv import find_uv_bin

        binary, where = find_uv_bin(), "the uv package"
    except (ImportError, FileNotFoundError):
        binary = shutil.which("uv")
        where = "PATH"
    if not binary:
        return None, None
    stamp = _stamp(binary)
    version = _cached_version(stamp)
    if version is not None:
        return (binary, version, where), None
    from .installers.process import ChildNotRun, Purpose, child_env, run

    try:
        out = run([binary, "--version"], purpose=Purpose.PROBE, env=child_env(os.environ, Purpose.PROBE))
    except ChildNotRun as exc:
        return None, f"uv at {binary} (from {where}) failed to run: {exc.reason}"
    if out.returncode != 0:
        return None, f"uv at {binary} (from {where}) failed to run: `uv --version` {failure(out)}"
    version = out.stdout.split()[1] if len(out.stdout.split()) > 1 else out.stdout.strip()
    _remember_version(stamp, version)
    return (binary, version, where), None


def _stamp(binary: str) -> list[str | int] | None:
    """What identifies this exact uv file: its path, size, modification time and inode (``None``: unreadable)."""
    path = Path(binary).absolute()
    try:
        info = path.stat()
    except OSError:
        return None
    return [str(path), info.st_size, info.st_mtime_ns, info.st_ino]


def _version_file() -> Path:
    from .lock import cache_dir

    return cache_dir() / "uv-version.json"


#: uv files remembered (the newest): a user may run several (one per tool env, PATH's, a project's)
_KEPT = 16


def _cached_version(stamp: list[str | int] | None) -> str | None:
    """The version a successful ``uv --version`` of this very file reported before: saves a process per run.

    Only successes are kept, keyed by the file's stamp, so a new or replaced uv is always run once first.
    """
    if stamp is None:
        return None
    version = _versions().get(json.dumps(stamp))
    return version if isinstance(version, str) and version else None


def _versions() -> dict[str, object]:
    """{stamp as JSON: version} of the uv files seen (an older single-entry file, or an unreadable one: none)."""
    try:
        data = json.loads(_version_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = data.get("versions") if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


def _remember_version(stamp: list[str | int] | None, version: str) -> None:
    """Keep the answer for the next run; a cache that cannot be written only costs that run the query again.

    Written whole into a new private file (``mkstemp``: a name nobody can plant a link at) and renamed over the cache
    file: a planted symlink at either name is replaced, never written through.
    """
    if stamp is None or not version:
        return
    from .files import newest, replace_file

    kept = newest(_versions(), {json.dumps(stamp): version}, _KEPT)
    path = _version_file()
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"versions": kept})
        replace_file(path, text, prefix=f".{path.name}.")


# NTSTATUS values a Windows process ends with when it cannot even start
_NTSTATUS = {0xC0000135: "a DLL it needs is missing", 0xC0000139: "a DLL lacks a function it needs"}


def failure(out: Finished) -> str:
    """How a process failed, in one line: its exit code (Windows status codes in hex, named) and its last error line."""
    code = out.returncode
    text = f"exited with code {f'0x{code:08X}' if code >= 0xC0000000 else code}"
    if code in _NTSTATUS:
        text += f" ({_NTSTATUS[code]})"
    lines = [line.strip() for line in (out.stderr or out.stdout or "").splitlines() if line.strip()]
    if lines:
        text += f": {lines[-1]}"
    return text


def version_tuple(version: str) -> tuple[int, ...]:
    """``0.6.14`` as ``(0, 6, 14)``; a part that is not a number stops the tuple."""
    parts: list[int] = []
    for part in version.split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


__all__ = ["failure", "find_uv_binary", "probe_uv_binary", "version_tuple"]
