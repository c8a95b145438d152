"""The per-env record `<venv>/virtualenv-ready.json`: what was asked, what was installed, whether it finished."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ReadyError

if TYPE_CHECKING:
    from .model import ReadyConfig
    from .target import Target

NAME = "virtualenv-ready.json"
SCHEMA = 1
COMPLETE = "complete"
INCOMPLETE = "incomplete"


def path_of(venv: Path) -> Path:
    return venv / NAME


def read(venv: Path) -> dict[str, Any] | None:
    """The record, or ``None`` when the env has none; a corrupt one is an error naming the fix."""
    path = path_of(venv)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        msg = f"{path}: unreadable record ({exc}); delete it and run `virtualenv-ready sync {venv}`"
        raise ReadyError(msg) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        msg = f"{path}: record schema {data.get('schema') if isinstance(data, dict) else '?'} is not {SCHEMA}; run sync"
        raise ReadyError(msg)
    return data


def write(venv: Path, data: dict[str, Any]) -> None:
    """Replace the record atomically: readers see the old or the new one, never half of it."""
    import tempfile
    from datetime import datetime, timezone

    from . import __version__

    data = {"schema": SCHEMA, "tool": f"virtualenv-ready {__version__}", **data}
    data["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    text = json.dumps(data, indent=2, sort_keys=False, default=str) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".virtualenv-ready.", suffix=".tmp", dir=venv)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path_of(venv))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update(venv: Path, **changes: Any) -> dict[str, Any]:
    """Merge changes into the existing record (or a new one) and write it."""
    current = {}
    try:
        current = read(venv) or {}
    except ReadyError:
        current = {}
    current.pop("schema", None)
    current.pop("tool", None)
    current.update(changes)
    write(venv, current)
    return current


def mark_incomplete(venv: Path, why: str) -> None:
    """Say the env is not ready and why (credentials masked), keeping what the record already knows."""
    from .redact import redact

    update(venv, status=INCOMPLETE, error=redact(why))


CANDIDATES = ("pylock.toml", "uv.lock", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt")


def candidate_inputs(project: Path) -> list[str]:
    """The default input files present in the project: one appearing or vanishing changes the plan."""
    return [name for name in CANDIDATES if (project / name).is_file()]


def unchanged(data: dict[str, Any], config: ReadyConfig, target: Target) -> bool:
    """The no-op answer from the record alone, before plugins load or a plan is made (sync's and a re-run's case).

    Same options, the same input files with the same content, the same default input files present, and the
    same distributions installed. Anything else takes the full path, which compares the plan itself.
    """
    from .files import sha256_file

    if data.get("status") != "complete" or not data.get("fingerprint"):
        return False
    if config.decisive() != data.get("options"):
        return False
    if candidate_inputs(config.project) != data.get("candidates"):
        return False
    if any(sha256_file(Path(path)) != digest for path, digest in (data.get("inputs") or {}).items()):
        return False
    return bool(target.installed() == data.get("installed"))


__all__ = [
    "COMPLETE",
    "INCOMPLETE",
    "NAME",
    "mark_incomplete",
    "path_of",
    "read",
    "unchanged",
    "update",
    "write",
    "candidate_inputs",
]
