"""What a uv.lock says before uv is asked, remembered by the lock's bytes: a locked creation parses no TOML and loads
no marker parser while the lock is unchanged.

Three facts are read from the lock itself: whether it locks any package, the folders of its local packages (inputs
of the `uv export` cache key) and its ``supported-markers``; whether this environment is among those is remembered
per marker environment. The memo is signed (:mod:`virtualenv_ready.signedmemo`); a lock whose facts cannot be
remembered (a syntax error, a marker that does not parse, another platform's lock) is read and reported each time.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import ReadyError
from ..valuetypes import dataclass

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from ..target import Target

NAME = "uv-lock-facts.json"
FORMAT = 1
#: the locks remembered (the newest)
KEPT = 64
#: marker environments remembered per lock as supported
_ENVIRONMENTS = 8
_LOCAL_SOURCES = ("editable", "virtual", "directory")


@dataclass(frozen=True)
class LockFacts:
    """What a uv.lock says, as far as the plan needs it before uv reads it."""

    #: it locks at least one package (`uv lock` of a project without [project] locks none)
    packages: bool
    #: the folders of its local packages, relative to the project; ``None``: it names an archive on disk
    folders: tuple[str, ...] | None


def lock_facts(path: Path, target: Target) -> LockFacts:
    """The facts of the uv.lock at ``path``; a lock made only for other platforms is the error naming the fix."""
    from .. import signedmemo
    from ..files import read_bytes, sha256

    digest = str(sha256(read_bytes(path)).hexdigest())
    memo = signedmemo.read(NAME, FORMAT)
    known = _valid(memo.get(digest))
    entry = known if known is not None else _read(path)
    here = _environment(target) if entry["supported"] else None
    if here is not None and here not in entry["here"]:
        _check_platform(path, entry["supported"], target.marker_environment)
        entry["here"] = [*entry["here"], here][-_ENVIRONMENTS:]
    elif known is not None:
        return _facts(entry)
    signedmemo.remember(NAME, FORMAT, memo, {digest: entry}, KEPT)
    return _facts(entry)


def _read(path: Path) -> dict[str, Any]:
    """The lock's facts from its TOML (a syntax error is reported with its line, before uv is asked)."""
    from ..files import load_toml

    data = load_toml(path)
    supported = data.get("supported-markers") or []
    return {
        "packages": bool(data.get("package")),
        "folders": local_folders(data),
        "supported": [str(marker) for marker in supported] if isinstance(supported, list) else [str(supported)],
        "here": [],
    }


def local_folders(lock: Mapping[str, Any]) -> list[str] | None:
    """The folders of the lock's local packages (workspace members, path dependencies); ``None``: a local archive."""
    folders: list[str] = []
    for package in lock.get("package") or []:
        source = package.get("source") if isinstance(package, dict) else None
        if not isinstance(source, dict):
            return None
        if "path" in source:
            return None  # an archive on disk: uv may read (or build) it to compare its metadata
        folders += [source[kind] for kind in _LOCAL_SOURCES if isinstance(source.get(kind), str)]
    return folders


def _valid(entry: object) -> dict[str, Any] | None:
    """A remembered entry of the shape :func:`_read` makes, else ``None``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("packages"), bool):
        return None
    folders, supported, here = entry.get("folders"), entry.get("supported"), entry.get("here")
    strings = (folders or [], supported, here)
    valid = (folders is None or isinstance(folders, list)) and all(
        isinstance(values, list) and all(isinstance(value, str) for value in values) for values in strings
    )
    return entry if valid else None


def _facts(entry: Mapping[str, Any]) -> LockFacts:
    folders = entry["folders"]
    return LockFacts(entry["packages"], None if folders is None else tuple(folders))


def _environment(target: Target) -> str:
    """The marker environment as one string: a lock supported here is supported wherever these are the values."""
    return json.dumps(target.marker_environment, sort_keys=True)


def _check_platform(path: Path, supported: list[str], env: Mapping[str, str]) -> None:
    """A lock made only for other platforms ([tool.uv] environments) would install nothing: say so instead."""
    from packaging.markers import InvalidMarker, Marker

    try:
        if any(Marker(marker).evaluate(dict(env)) for marker in supported):
            return
    except InvalidMarker as exc:
        msg = f"{path}: supported-markers: {' '.join(str(exc).split())}; regenerate it with `uv lock`"
        raise ReadyError(msg) from None
    here = f"{env['sys_platform']} {env['platform_machine']} Python {env['python_full_version']}"
    msg = (
        f"{path}: locked only for {' or '.join(supported)}, not this environment ({here}); add it to [tool.uv] "
        "environments and run `uv lock`, or pass --ready-no-lock"
    )
    raise ReadyError(msg)


__all__ = ["FORMAT", "KEPT", "NAME", "LockFacts", "local_folders", "lock_facts"]
