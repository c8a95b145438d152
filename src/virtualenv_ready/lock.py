"""One run at a time per destination: a lock file beside the env (not inside it, so it never ends up in the env)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LOGGER = logging.getLogger("virtualenv_ready")


def lock_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.virtualenv-ready.lock"


@contextmanager
def dest_lock(dest: Path) -> Iterator[None]:
    """Serialise seeding and installing into one destination across processes; say so when waiting."""
    from filelock import FileLock, Timeout

    path = lock_path(dest.absolute())
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        LOGGER.warning("virtualenv-ready: another run is making %s ready; waiting for it (lock %s)", dest, path)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


__all__ = ["dest_lock", "lock_path"]
