"""One run at a time per destination: a lock file in the user's cache folder, removed when the run ends.

Never beside the env (that is the user's project) and never inside it (a failed run must leave an existing
folder as it found it). The file is named by the destination's absolute path.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .logs import LOGGER

if TYPE_CHECKING:
    from collections.abc import Iterator

CACHE_ENV = "VIRTUALENV_READY_CACHE_DIR"


def cache_dir() -> Path:
    """The user's cache folder for virtualenv-ready (``VIRTUALENV_READY_CACHE_DIR`` overrides it)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("virtualenv-ready", appauthor=False))


def lock_path(dest: Path) -> Path:
    from hashlib import sha256

    key = sha256(str(dest.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_dir() / "locks" / f"{key}.lock"


@contextmanager
def dest_lock(dest: Path) -> Iterator[None]:
    """Serialise seeding and installing into one destination across processes; say so when waiting."""
    path = lock_path(dest)
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":  # pragma: no cover - Windows: an open file cannot be removed, filelock tidies up
        from filelock import FileLock, Timeout

        lock = FileLock(str(path))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            _waiting(dest, path)
            lock.acquire()
        try:
            yield
        finally:
            lock.release()
        return
    fd = _acquire(path, dest)
    try:
        yield
    finally:
        # removed while still held: a waiter that opened this file sees it gone and opens a fresh one
        path.unlink(missing_ok=True)
        os.close(fd)


def _acquire(path: Path, dest: Path) -> int:
    import fcntl

    waited = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not waited:
                    _waiting(dest, path)
                    waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                mine, there = os.fstat(fd), path.stat()
            except FileNotFoundError:
                pass  # the run before us removed it after we opened it
            else:
                if (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino):
                    return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _waiting(dest: Path, path: Path) -> None:
    LOGGER.warning("virtualenv-ready: another run is making %s ready; waiting for it (lock %s)", dest, path)


__all__ = ["cache_dir", "dest_lock", "lock_path"]
