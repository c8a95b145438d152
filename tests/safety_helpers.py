"""Helpers for the safety tests: tree hashes, grepping everything written, process-group checks."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path


def tree_hash(root: Path) -> dict[str, str]:
    """Every path under ``root`` (itself included) -> its kind, mode and content or symlink target, hashed.

    Symlinks are never followed, so a link pointing out of the tree is compared by its target text only.
    """
    out: dict[str, str] = {}

    def one(path: Path) -> None:
        info = path.lstat()
        rel = path.relative_to(root).as_posix() or "."
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISLNK(info.st_mode):
            out[rel] = f"link {mode:o} -> {path.readlink()}"
        elif stat.S_ISDIR(info.st_mode):
            out[rel] = f"dir {mode:o}"
        elif stat.S_ISREG(info.st_mode):
            out[rel] = f"file {mode:o} {hashlib.sha256(path.read_bytes()).hexdigest()}"
        else:
            out[rel] = f"other {stat.S_IFMT(info.st_mode):o} {mode:o}"

    one(root)
    for base, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            one(Path(base) / name)
    return out


def tree_diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What changed between two tree hashes, one line each (empty: nothing)."""
    lines = [f"removed {p}" for p in sorted(before.keys() - after.keys())]
    lines += [f"added {p}" for p in sorted(after.keys() - before.keys())]
    lines += [
        f"changed {p}: {before[p]} -> {after[p]}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]
    ]
    return lines


def grep_tree(roots: list[Path], needles: list[str], skip: tuple[Path, ...] = ()) -> list[str]:
    """Every file (and symlink target, and file name) under ``roots`` that holds one of ``needles``."""
    wanted = [n.encode() for n in needles]
    hits: list[str] = []

    def check(path: Path, data: bytes, what: str) -> None:
        hits.extend(f"{path} ({what}) holds {needle.decode()!r}" for needle in wanted if needle in data)

    skipped = {p.absolute() for p in skip}
    for root in roots:
        if not root.exists() and not root.is_symlink():
            continue
        paths = [root] if not root.is_dir() else []
        if root.is_dir():
            for base, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if (Path(base) / d).absolute() not in skipped]
                paths += [Path(base) / n for n in [*dirs, *files] if (Path(base) / n).absolute() not in skipped]
        for path in paths:
            check(path, os.fsencode(path.name), "name")
            if path.is_symlink():
                check(path, os.fsencode(path.readlink()), "symlink target")
            elif path.is_file():
                check(path, path.read_bytes(), "content")
    return hits


def record_of(venv: Path) -> dict[str, object]:
    return json.loads((venv / "virtualenv-ready.json").read_text(encoding="utf-8"))


def status(venv: Path) -> str:
    return str(record_of(venv)["status"])


def group_members(pgid: int) -> list[tuple[int, str]]:
    """Live (non-zombie) processes of a process group, read from /proc: (pid, command line)."""
    found: list[tuple[int, str]] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_text = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat_text.rsplit(")", 1)[1].split()
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in {"Z", "X"}:
            found.append((int(entry.name), cmdline))
    return found


def descendants(pid: int) -> list[int]:
    """Live processes below ``pid`` (children, grandchildren, ...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in {"Z", "X"}:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    out, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            out.append(child)
            queue.append(child)
    return out


def wait_until(check, timeout: float = 60.0, step: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return bool(check())


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` of a child a test interrupts: SIGINT back to its default, as a terminal's shell gives it.

    Started from a background job (``pytest ... &`` in a script or CI step), pytest inherits SIGINT ignored and so
    would the child, which then never sees the test's Ctrl-C; an ignored signal stays ignored across ``exec``.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


LINUX = sys.platform == "linux"

__all__ = [
    "LINUX",
    "ctrl_c_reaches_it",
    "descendants",
    "grep_tree",
    "group_members",
    "record_of",
    "status",
    "tree_diff",
    "tree_hash",
    "wait_until",
]
