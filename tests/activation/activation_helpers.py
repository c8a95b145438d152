"""Helpers for the activation tests: hostile names, tool lookup, real and stand-in environments."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

HOSTILE = [
    "with space",
    "';touch PWNED;'",
    '";touch PWNED;"',
    "$(touch PWNED)",
    "`touch PWNED`",
    "a\\'b",
    "trail\\",
    "!!x!",
    "%cd%&touch PWNED",
    "$env:USERPROFILE",
    "__VIRTUAL_ENV__",
    "\u2019;touch PWNED;\u2019",
    "èрт🚒中片",
    "*?[a]",
    "-x",
    "~user",
    "\\u\\w%n{cwd}",
    "new\nline",
]
HOSTILE_IDS = [repr(name) for name in HOSTILE]


def need(tool: str) -> str:
    """The path of a tool the test needs: skip when it is missing, but fail when ``CI`` is set."""
    found = shutil.which(tool)
    if found is None:
        msg = f"{tool} is not installed (.ci/install-shells installs it)"
        if os.environ.get("CI"):
            pytest.fail(f"{msg}; CI must have every tool", pytrace=False)
        pytest.skip(msg)
    return found


def no_pwned(root: Path) -> None:
    hits = [str(p) for p in root.rglob("PWNED")]
    assert not hits, f"an injected command ran: {hits}"


def dir_name(name: str) -> str:
    """virtualenv refuses ``:`` (the PATH separator) in a POSIX destination; the name still goes in as --prompt."""
    return name.replace(":", "_") if os.name != "nt" else name


def make_env(parent: Path, name: str, prompt: str | None = None, *extra: str) -> Path:
    """A real environment made by virtualenv (no seed packages) in ``parent / name``."""
    from virtualenv import cli_run

    dest = parent / dir_name(name)
    args = [str(dest), "--no-seed", "--no-vcs-ignore", *extra]
    if prompt is not None:
        args.append(f"--prompt={prompt}")
    cli_run(args, setup_logging=False)
    return dest


def fake_creator(dest: str, *, windows: bool, bin_name: str | None = None, env_name: str | None = None) -> Any:
    """A stand-in creator for writing Windows-target scripts on Linux (paths as Windows spells them)."""
    from pathlib import PurePosixPath, PureWindowsPath

    pure = PureWindowsPath if windows else PurePosixPath
    root = pure(dest)
    return SimpleNamespace(
        dest=root,
        bin_dir=root / (bin_name or ("Scripts" if windows else "bin")),
        env_name=env_name or root.name,
        interpreter=SimpleNamespace(os="nt" if windows else "posix"),
    )


def options(**values: Any) -> Any:
    base: dict[str, Any] = {"prompt": None, "activators": "powershell-policy,venv-run,elvish,ci", "seeder": "ready"}
    base.update(values)
    return SimpleNamespace(**base)


def render(cls: Any, creator: Any, outdir: Path, monkeypatch: pytest.MonkeyPatch, **opts: Any) -> dict[str, Path]:
    """Run ``cls.write_scripts`` for a stand-in creator, writing the files into ``outdir`` (name -> path)."""
    from pathlib import PureWindowsPath

    outdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    def fake_write(path: Any, text: str, *, bom: bool = False, executable: bool = False) -> Path:
        name = PureWindowsPath(str(path)).name if "\\" in str(path) else Path(str(path)).name
        target = outdir / name
        target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        if executable:
            target.chmod(0o755)
        written[name] = target
        return target

    monkeypatch.setattr(sys.modules[cls.__module__], "write", fake_write)
    cls(options(**opts)).write_scripts(creator)
    return written


PY = sys.executable
