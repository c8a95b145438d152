"""The per-user key that signs records: a record this user's virtualenv-ready did not write is no record.

32 random bytes in ``record-key`` in the user's data folder (``VIRTUALENV_READY_RECORD_KEY`` names another file),
created on first use exclusively with mode 0600, never through a symlink. A key file another user owns, or one that
others may read, is an error naming the fix: a key they can read lets them forge records.
"""

from __future__ import annotations

import os
import sys
from _operator import _compare_digest
from functools import cache
from pathlib import Path

from .errors import ReadyError
from .files import sha256

KEY_ENV = "VIRTUALENV_READY_RECORD_KEY"
_SIZE = 32
_BLOCK = 64  # sha256's block size


def key_path() -> Path:
    """Where this user's key is: ``VIRTUALENV_READY_RECORD_KEY``, else ``record-key`` in the user data folder."""
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    from .userdirs import user_data_dir

    return Path(user_data_dir("virtualenv-ready")) / "record-key"


def hmac_sha256(key: bytes, payload: bytes) -> str:
    """``hmac.new(key, payload, "sha256").hexdigest()`` (RFC 2104) without ``hmac``, which loads OpenSSL."""
    if len(key) > _BLOCK:
        key = sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = sha256(bytes(byte ^ 0x36 for byte in key) + payload).digest()
    return str(sha256(bytes(byte ^ 0x5C for byte in key) + inner).hexdigest())


def sign(payload: bytes) -> str:
    """The MAC of ``payload`` under this user's key (made on first use)."""
    return hmac_sha256(_key(key_path()), payload)


def verify(payload: bytes, mac: object) -> bool:
    """Whether ``mac`` is this user's MAC of ``payload``; a user without a key yet verifies nothing."""
    if not isinstance(mac, str) or not mac.isascii():
        return False
    path = key_path()
    if not os.path.lexists(path):
        return False
    return bool(_compare_digest(hmac_sha256(_key(path), payload).encode("ascii"), mac.encode("ascii")))


@cache
def _key(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    _create(path)
    return _read(path)


def _read(path: Path) -> bytes:
    """The key's bytes, from a regular file of this user that nobody else can read or change."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        msg = f"{path}: cannot read the key that signs virtualenv-ready's records ({exc.strerror}); {_FIX}"
        raise ReadyError(msg) from None
    with os.fdopen(fd, "rb") as stream:
        _check(path, os.fstat(stream.fileno()))
        data = stream.read(_SIZE + 1)
    if len(data) != _SIZE:
        msg = f"{path}: the key that signs virtualenv-ready's records is {len(data)} bytes, not {_SIZE}; {_FIX}"
        raise ReadyError(msg)
    return data


_FIX = "delete it (envs it signed are then treated as made elsewhere, and the next sync re-signs them)"


def _check(path: Path, info: os.stat_result) -> None:
    import stat

    if not stat.S_ISREG(info.st_mode):
        msg = f"{path}: the key that signs virtualenv-ready's records is not a regular file; {_FIX}"
        raise ReadyError(msg)
    if sys.platform == "win32":  # pragma: no cover - the user profile's ACLs protect it
        return
    if info.st_uid != os.getuid():
        msg = f"{path}: the key that signs virtualenv-ready's records belongs to user id {info.st_uid}, not you; {_FIX}"
        raise ReadyError(msg)
    if info.st_mode & 0o077:
        mode = oct(stat.S_IMODE(info.st_mode))
        msg = f"{path}: the key that signs virtualenv-ready's records has mode {mode}; run `chmod 600 {path}`"
        raise ReadyError(msg)


def _create(path: Path) -> None:
    """Write a new key whole into a private temporary file, then link it in place: it appears complete or not at
    all, and a name that already exists (a concurrent run's key, a planted symlink) is never written through."""
    import tempfile
    from contextlib import suppress

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".record-key.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(os.urandom(_SIZE))
            stream.flush()
            os.fsync(stream.fileno())
        with suppress(FileExistsError):  # another run made it first: use theirs
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


__all__ = ["KEY_ENV", "hmac_sha256", "key_path", "sign", "verify"]
