"""The sha256 of files that do not change (virtualenv's seed wheels), remembered by the file's identity.

Every creation that seeds with uv pins each seed wheel by its sha256, and hashing the ~3 MB of pip and setuptools
cost ~10 ms a creation. A digest is kept under the file's real path, device, inode, size, modification and
status-change times: writing the file, or putting another one in its place, changes at least one of them, so the
memo answers only for the very file that was hashed. A stale or planted answer could only make uv refuse the wheel
(its hash would not match); the memo is signed as every memo is (:mod:`virtualenv_ready.signedmemo`) all the same.
"""

from __future__ import annotations

import os

from . import signedmemo
from .files import sha256_file

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

NAME = "file-digests.json"
FORMAT = 1
#: the digests kept (the newest): a few seed wheels per virtualenv version and Python
KEPT = 64


def sha256_files(paths: Iterable[Path]) -> dict[Path, str]:
    """The sha256 of each file (``missing`` for one that is not there), hashing only what the memo does not know."""
    memo = signedmemo.read(NAME, FORMAT)
    found: dict[Path, str] = {}
    learned: dict[str, str] = {}
    for path in paths:
        identity = _identity(path)
        known = memo.get(identity) if identity is not None else None
        if isinstance(known, str) and len(known) == 64:  # a sha256 in hex
            found[path] = known
            continue
        found[path] = digest = sha256_file(path)
        if identity is not None and digest != "missing":
            learned[identity] = digest
    if learned:
        signedmemo.remember(NAME, FORMAT, memo, learned, KEPT)
    return found


def _identity(path: Path) -> str | None:
    """What tells this file from any other file, or the same path written again; ``None``: it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return None
    stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return os.path.realpath(path) + "\0" + ",".join(map(str, stamp))


__all__ = ["FORMAT", "KEPT", "NAME", "sha256_files"]
