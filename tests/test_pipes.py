"""Output a script can read: with the package installed, `virtualenv x | head -1` reads virtualenv's own first line
and exits as virtualenv without the package does; our lines go to stderr; a closed pipe prints no traceback."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import offline

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="shell pipes and SIGPIPE statuses are POSIX")

#: virtualenv and what it imports: a virtualenv installation without this package
PLAIN = ("virtualenv", "distlib", "filelock", "platformdirs", "python-discovery", "packaging", "typing-extensions")
BROKEN = ("Logging error", "Traceback", "Exception ignored")


@pytest.fixture(scope="module")
def plain_virtualenv(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A command running the same virtualenv with none of this package on its path (``-S``: no site-packages)."""
    root = tmp_path_factory.mktemp("plain")
    for name in PLAIN:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for top in (dist.read_text("top_level.txt") or "").split() or [name.replace("-", "_")]:
            spec = importlib.util.find_spec(top)
            assert spec is not None and spec.origin is not None, top
            origin = Path(spec.origin)
            source = origin.parent if origin.name == "__init__.py" else origin
            (root / source.name).symlink_to(source)
        info = next(f.parts[0] for f in dist.files or () if f.parts[0].endswith(".dist-info"))
        (root / info).symlink_to(Path(str(dist.locate_file(info))))  # its entry points: the plugins virtualenv loads
    code = f"import runpy, sys; sys.path[:0] = [{str(root)!r}]; runpy.run_module('virtualenv', run_name='__main__')"
    return [sys.executable, "-S", "-c", code]


def piped(argv: list[str], cwd: Path, reader: str = "head -1") -> subprocess.CompletedProcess[str]:
    """``argv | reader`` in a real shell with pipefail: the pipe's status is the writer's unless it is 0."""
    line = f"set -o pipefail; {shlex.join(argv)} | {reader}"
    return subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def clean(out: subprocess.CompletedProcess[str]) -> None:
    for word in BROKEN:
        assert word not in out.stderr, out.stderr


def test_plain_virtualenv_reads_like_virtualenv_alone(project: Path, plain_virtualenv: list[str]) -> None:
    alone = piped([*plain_virtualenv, str(project / "alone")], project)
    ours = piped([sys.executable, "-m", "virtualenv", str(project / "ours")], project)
    assert "activate with" not in alone.stdout + alone.stderr, "the plain command loaded the package"
    assert alone.stdout.startswith("created virtual environment"), alone.stdout + alone.stderr
    clean(alone)
    assert ours.returncode == alone.returncode == 0, ours.stderr
    assert ours.stdout.splitlines() == [ours.stdout.splitlines()[0]]
    assert ours.stdout.startswith("created virtual environment"), ours.stdout + ours.stderr
    clean(ours)
    assert "activate with bash" in ours.stderr  # moved to stderr, not lost


def test_the_ready_seeder_reads_like_virtualenv_alone(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    ready = [sys.executable, "-m", "virtualenv", "--seeder", "ready", *offline(wheelhouse)]
    out = piped([*ready, "venv"], project)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("created virtual environment"), out.stdout + out.stderr
    clean(out)
    assert "activate with" in out.stderr
    # the whole stdout is virtualenv's report: none of our lines before, between or after it
    full = subprocess.run([*ready, "again"], cwd=project, capture_output=True, text=True, check=False)
    assert full.returncode == 0, full.stderr
    assert full.stdout.startswith("created virtual environment"), full.stdout
    assert "virtualenv-ready" not in full.stdout and "activate with" not in full.stdout, full.stdout


def closed_pipe() -> int:
    """The write end of a pipe whose reader is already gone (deterministic, unlike a fast ``head``)."""
    read, write = os.pipe()
    os.close(read)
    return write


def test_a_closed_stderr_stops_our_lines_quietly(project: Path) -> None:
    write = closed_pipe()
    try:
        argv = [sys.executable, "-m", "virtualenv", str(project / "venv")]
        out = subprocess.run(argv, cwd=project, stdout=subprocess.PIPE, stderr=write, text=True, check=False)
    finally:
        os.close(write)
    assert out.returncode == 0
    assert out.stdout.startswith("created virtual environment"), out.stdout


@pytest.mark.parametrize("command", [["activate", "--list"], ["sync", "--check"]])
def test_the_cli_on_a_closed_pipe(project: Path, command: list[str]) -> None:
    made = subprocess.run([sys.executable, "-m", "virtualenv", "venv"], cwd=project, capture_output=True, check=False)
    assert made.returncode == 0, made.stderr
    argv = [sys.executable, "-m", "virtualenv_ready", *command, "venv"]
    write = closed_pipe()
    try:
        out = subprocess.run(argv, cwd=project, stdout=write, stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write)
    assert out.returncode == 141, out.stderr  # the status a shell gives a writer killed by SIGPIPE
    clean(out)
    headed = piped(argv, project)
    assert headed.returncode in (0, 141), headed.stderr
    assert headed.stdout.strip(), headed.stderr
    clean(headed)
