"""`virtualenv-ready sync` makes any env what a fresh creation makes: seed packages, every activator's scripts, record.

Each case cuts a real creation short (Ctrl-C at a point the run reaches for sure, a requirement not found) or adopts
an env made elsewhere, runs `sync`, and compares the env with a fresh one made the same way: the same files and the
same packages, and `sync --check` agrees.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import installed, offline_env, ready_cli
from safety_helpers import LINUX, ctrl_c_reaches_it, status, wait_until
from wheels import make_sdist, make_wheel

# Loaded by every Python the creation starts (PYTHONPATH): holds one of virtualenv's own steps until the test's
# Ctrl-C, after saying so in a file. Pythons without virtualenv (the env's, the build's) are left alone.
PAUSE = """
import os, time
_file, _at = os.environ.get("READY_TEST_PAUSE_FILE"), os.environ.get("READY_TEST_PAUSE_AT")


def _pause(original):
    def held(*args, **kwargs):
        open(_file, "w").close()
        time.sleep(120)
        return original(*args, **kwargs)

    return held


try:
    if _at == "seeding":
        from virtualenv.seed.embed.via_app_data.via_app_data import FromAppData

        FromAppData.run = _pause(FromAppData.run)
    elif _at == "scripts":
        from virtualenv.run.session import Session

        Session._activate = _pause(Session._activate)
except ImportError:
    pass
"""

#: files whose content (not presence) legitimately differs between two creations
IGNORED_PARTS = {"__pycache__"}


def files(venv: Path) -> set[str]:
    """The env's files and folders, relative, without byte-code caches."""
    return {path.relative_to(venv).as_posix() for path in venv.rglob("*") if not IGNORED_PARTS & set(path.parts)} - {
        "virtualenv-ready.json.lock"
    }


# how the seed packages were installed leaves its own marks: virtualenv's app-data seeder (what a failed creation
# falls back to) writes `<name>.virtualenv` markers and `pip-3.X`, uv writes REQUESTED and its cache note
SEED_MARKS = re.compile(
    r"lib/python[0-9.]+/site-packages/(pip|setuptools|wheel)-[^/]+(\.virtualenv|\.dist-info/(REQUESTED|uv_cache\.json))"
    r"|bin/pip-[0-9.]+"
)


def assert_like_fresh(repaired: Path, fresh: Path, *, seeded_either_way: bool = False) -> None:
    """Same files, same packages, a complete record, and `--check` content (``seeded_either_way``: the seed packages
    may have come from app-data in one env and from uv in the other, the same versions either way)."""
    differ = files(repaired) ^ files(fresh)
    if seeded_either_way:
        differ = {path for path in differ if not SEED_MARKS.fullmatch(path)}
    assert differ == set(), sorted(differ)
    assert installed(repaired) == installed(fresh)
    assert status(repaired) == "complete"


def _create(
    venv: Path, project: Path, house: Path, installer: str, env: dict[str, str], *more: str
) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "virtualenv", "--seeder", "ready", str(venv), "--ready-installer", installer, *more]
    argv += ["--ready-no-index", "--ready-find-links", str(house)]
    return subprocess.Popen(
        argv,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_reaches_it,  # noqa: PLW1509 - one signal call, before exec
    )


@pytest.fixture
def house(wheelhouse: Path, tmp_path: Path) -> Path:
    """The test wheelhouse plus a package whose build takes 3 s and says when it started."""
    folder = tmp_path / "house"
    folder.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        (folder / wheel.name).symlink_to(wheel)
    make_sdist(folder, "slowpkg", "1.0", sleep=3, pidfile=str(tmp_path / "build.pid"))
    return folder


# (installer, where the Ctrl-C lands): app-data seeding (pip installs after it), the installer's run (uv seeds
# within it), virtualenv writing the activation scripts (the seeder finished: the record says complete)
POINTS = [("pip", "seeding"), ("uv", "installer"), ("uv", "scripts")]


@pytest.mark.skipif(not LINUX, reason="process groups and a build that reports its pid")
@pytest.mark.parametrize(("installer", "point"), POINTS)
def test_ctrl_c_then_sync_equals_a_fresh_env(
    installer: str, point: str, project: Path, house: Path, tmp_path: Path
) -> None:
    (project / "requirements.txt").write_text("beta\nslowpkg\n", encoding="utf-8")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(PAUSE, encoding="utf-8")
    paused, pidfile = tmp_path / "paused", tmp_path / "build.pid"
    env = {**os.environ, "UV_NO_CACHE": "1", "PIP_NO_CACHE_DIR": "1"}
    held = {**env, "PYTHONPATH": str(hooks), "READY_TEST_PAUSE_FILE": str(paused), "READY_TEST_PAUSE_AT": point}
    venv = tmp_path / "cut"
    more = ("--prompt", "my prompt") if point == "scripts" else ()  # virtualenv writes it into pyvenv.cfg last
    proc = _create(venv, project, house, installer, held if point != "installer" else env, *more)
    reached = paused if point != "installer" else pidfile
    try:
        assert wait_until(lambda: reached.exists() and bool(point != "installer" or reached.read_text()), 120)
        assert proc.poll() is None, proc.communicate()[0][-3000:]
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode != 0, output[-3000:]
    assert "activate" not in {path.name for path in (venv / "bin").iterdir()}, output[-3000:]
    sync_env = offline_env(house, env)
    check = ready_cli("sync", "--check", str(venv), cwd=project, env=sync_env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"{venv}: activation script missing: bin/activate\n" in check.stdout
    if point != "scripts":
        assert f"{venv}: + slowpkg" in check.stdout  # named as `uv sync --check` names it
        assert "explanation is above" not in check.stdout
        assert "new input" not in check.stdout  # the unfinished install recorded no inputs: none is new
    fix = ready_cli("sync", str(venv), cwd=project, env=sync_env)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert "activation scripts" in fix.stderr
    again = ready_cli("sync", "--check", str(venv), cwd=project, env=sync_env)
    assert again.returncode == 0, again.stdout + again.stderr
    fresh = tmp_path / "fresh"
    made = _create(fresh, project, house, installer, env, *more)
    assert made.wait(timeout=300) == 0, made.communicate()[0][-3000:]
    assert_like_fresh(venv, fresh)
    prompt = [line for line in (venv / "pyvenv.cfg").read_text().splitlines() if line.startswith("prompt")]
    assert prompt == [line for line in (fresh / "pyvenv.cfg").read_text().splitlines() if line.startswith("prompt")]
    assert ready_cli("activate", "--shell", "bash", str(venv)).stdout.startswith("source ")


def test_a_failed_creation_fixed_later_then_sync_equals_a_fresh_env(project: Path, house: Path, tmp_path: Path) -> None:
    (project / "requirements.txt").write_text("alpha\nlater\n", encoding="utf-8")
    venv, env = tmp_path / "failed", {**os.environ}
    failed = _create(venv, project, house, "uv", env)
    output, _ = failed.communicate(timeout=300)
    assert failed.returncode != 0, output[-3000:]
    assert not (venv / "bin" / "activate").exists()
    make_wheel(house, "later", "1.0")  # the requirement that was not found is published
    sync_env = offline_env(house, env)
    check = ready_cli("sync", "--check", str(venv), cwd=project, env=sync_env)
    assert check.returncode == 1
    assert f"{venv}: + later\n" in check.stdout
    assert "(its explanation is above)" not in check.stdout
    assert ready_cli("sync", str(venv), cwd=project, env=sync_env).returncode == 0
    assert ready_cli("sync", "--check", str(venv), cwd=project, env=sync_env).returncode == 0
    fresh = tmp_path / "fresh"
    assert _create(fresh, project, house, "uv", env).wait(timeout=300) == 0
    assert_like_fresh(venv, fresh, seeded_either_way=True)  # the failed creation seeded through app-data


@pytest.mark.parametrize(
    ("made_by", "lacks"),
    [(["--no-seed"], "+ pip (a seed package)"), (["--activators", "bash"], "activation script missing: bin/venv-run")],
)
def test_an_adopted_env_gets_the_scripts_seeds_and_record(
    made_by: list[str], lacks: str, project: Path, house: Path, tmp_path: Path
) -> None:
    (project / "requirements.txt").write_text("alpha\n", encoding="utf-8")
    venv = tmp_path / "plain"
    plain = [sys.executable, "-m", "virtualenv", "--seeder", "app-data", "--no-download", *made_by, str(venv)]
    subprocess.run(plain, check=True, capture_output=True)
    before = {
        path: path.read_bytes() for path in (venv / "bin").iterdir() if path.is_file() and path.stat().st_size < 1 << 20
    }
    env = offline_env(house)
    check = ready_cli("sync", "--check", str(venv), cwd=project, env=env)
    assert check.returncode == 1
    assert f"{venv}: {lacks}\n" in check.stdout
    out = ready_cli("sync", str(venv), cwd=project, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    for name in ("venv-run", "activate-policy.ps1", "activate.elv", "activate-ci", "activate", "activate.fish"):
        assert (venv / "bin" / name).is_file(), name
    assert "pip" in installed(venv)
    assert all(path.read_bytes() == data for path, data in before.items())  # nothing it had was replaced
    data = json.loads((venv / "virtualenv-ready.json").read_text())
    assert data["status"] == "complete"
    assert "bin/venv-run" in data["scripts"]
    assert ready_cli("sync", "--check", str(venv), cwd=project, env=env).returncode == 0


def test_activate_without_scripts_names_a_fix_that_works(project: Path, house: Path, tmp_path: Path) -> None:
    """`activate --list` never prints nothing and exits 0; the command it suggests writes the scripts."""
    import re
    import shlex

    venv = tmp_path / "bare"
    bare = [sys.executable, "-m", "virtualenv", "--no-seed", "--activators", "", str(venv)]
    subprocess.run(bare, check=True, capture_output=True)
    for argv in (["activate", "--list", str(venv)], ["activate", "--shell", "bash", str(venv)]):
        out = ready_cli(*argv)
        assert out.returncode == 1, out.stdout + out.stderr
        assert out.stdout == ""
        assert "has no activation scripts" in out.stderr
    fix = re.search(r"`virtualenv-ready (sync [^`]+)`", out.stderr)
    assert fix is not None, out.stderr
    done = ready_cli(*shlex.split(fix[1]), cwd=project, env=offline_env(house))
    assert done.returncode == 0, done.stdout + done.stderr
    listed = ready_cli("activate", "--list", str(venv))
    assert listed.returncode == 0, listed.stderr
    assert "bash/zsh" in listed.stdout
    assert ready_cli("activate", "--shell", "bash", str(venv)).stdout.startswith("source ")


def test_activate_on_an_env_made_with_no_activators_says_so(ready, project: Path) -> None:  # type: ignore[no-untyped-def]
    venv = ready()  # --activators "": the creation asked for no scripts, and sync writes none
    out = ready_cli("activate", "--list", str(venv))
    assert out.returncode == 1
    assert "was created with no activators" in out.stderr
    assert str(venv / "bin" / "python") in out.stderr
