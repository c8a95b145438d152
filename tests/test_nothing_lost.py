"""Nothing lost: a failing creation or install never changes what was there, interrupts leave no process behind,
the record says ``incomplete`` and a re-run or `virtualenv-ready sync` repairs; parallel runs do not collide.

Contents are compared with a tree hash (paths, modes, file contents, symlink targets; links never followed).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import bin_path, installed, offline, offline_env, ready_cli, virtualenv_cmd
from safety_helpers import (
    LINUX,
    ctrl_c_reaches_it,
    descendants,
    group_members,
    record_of,
    status,
    tree_diff,
    tree_hash,
    wait_until,
)
from wheels import make_sdist, make_wheel


def make_user_dir(root: Path, outside: Path) -> None:
    """A directory of the user's: files, an executable, nested dirs, symlinks in, out and dangling, their pip.conf."""
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "todo.txt").write_text("keep me\n", encoding="utf-8")
    (root / "empty").mkdir()
    (root / "run.sh").write_text("#!/bin/sh\necho hi\n", encoding="utf-8")
    (root / "run.sh").chmod(0o750)
    (root / "secret.key").write_bytes(os.urandom(64))
    (root / "secret.key").chmod(0o600)
    (root / "pip.conf").write_text("[global]\ntimeout = 7\n", encoding="utf-8")
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "target.txt").write_text("outside\n", encoding="utf-8")
    (root / "to-outside").symlink_to(outside / "target.txt")
    (root / "to-outside-dir").symlink_to(outside)
    (root / "dangling").symlink_to(root / "nowhere")
    (root / "notes" / "relative").symlink_to("todo.txt")


def unchanged_where_it_was(before: dict[str, str], after: dict[str, str], ignore: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Every path that existed before is still there, identical (new paths are the env's own)."""
    return [line for line in tree_diff(before, after) if not line.startswith("added") and line.split()[1] not in ignore]


# --- an existing directory that is not an env ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("installer", "requirement"),
    [("uv", "does-not-exist-anywhere"), ("pip", "brokenpkg"), ("uv", "needs-old-alpha\nneeds-new-alpha")],
    ids=["not-found-uv", "build-fails-pip", "conflict-uv"],
)
def test_existing_directory_is_kept_when_the_install_fails(
    project: Path, wheelhouse: Path, tmp_path: Path, installer: str, requirement: str
) -> None:
    mine = tmp_path / "mine"
    make_user_dir(mine, tmp_path / "elsewhere")
    outside_before = tree_hash(tmp_path / "elsewhere")
    before = tree_hash(mine)
    (project / "requirements.txt").write_text(requirement + "\n", encoding="utf-8")
    out = virtualenv_cmd(
        "--seeder", "ready", str(mine), "--ready-installer", installer, *offline(wheelhouse), cwd=project
    )
    assert out.returncode != 0, out.stdout + out.stderr
    # a pip.conf found in the destination is never obeyed: it is set aside, whole, under a name that says so
    assert unchanged_where_it_was(before, tree_hash(mine), ignore={"pip.conf"}) == []
    aside = mine / "pip.conf.virtualenv-ready-found"
    assert aside.read_text(encoding="utf-8") == "[global]\ntimeout = 7\n"
    assert "set aside as" in out.stdout + out.stderr
    assert tree_hash(tmp_path / "elsewhere") == outside_before
    assert status(mine) == "incomplete"
    assert not list(tmp_path.rglob("*virtualenv-ready.lock"))  # no lock beside or inside


# --- an existing env with the user's own packages -------------------------------------------------------------


@pytest.fixture
def user_env(project: Path, wheelhouse: Path) -> Path:
    """An env made ready with alpha 1.0, to which the user then added zeta and delta by hand."""
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    out = virtualenv_cmd("--seeder", "ready", ".venv", "--ready-installer", "uv", *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr
    venv = project / ".venv"
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None
    subprocess.run(
        [
            uv.argv[0],
            "pip",
            "install",
            "--python",
            str(bin_path(venv, "python")),
            "--no-index",
            "-f",
            str(wheelhouse),
            "zeta",
            "delta",
        ],
        check=True,
        capture_output=True,
    )
    (venv / "my-notes.txt").write_text("mine\n", encoding="utf-8")
    assert {"alpha", "zeta", "delta"} <= installed(venv).keys()
    return venv


def env_hash(venv: Path) -> dict[str, str]:
    """The env's tree without the record (ours to rewrite) and without bytecode caches, which Python itself
    writes whenever the env's interpreter imports a module (pip and setuptools' .pth hook do, on every run)."""
    found = {path: kind for path, kind in tree_hash(venv).items() if "__pycache__" not in path.split("/")}
    found.pop("virtualenv-ready.json")
    return found


def repaired(venv: Path, project: Path, wheelhouse: Path, requirements: str = "alpha==1.0\nepsilon\n") -> None:
    (project / "requirements.txt").write_text(requirements, encoding="utf-8")
    env = offline_env(wheelhouse)
    out = ready_cli("sync", str(venv), cwd=project, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert status(venv) == "complete"
    assert {"alpha", "epsilon", "delta", "zeta"} <= installed(venv).keys()
    assert (venv / "my-notes.txt").read_text(encoding="utf-8") == "mine\n"


FAILING = {
    "not-found": ("uv", "alpha==1.0\ndoes-not-exist-anywhere\n"),
    "conflict": ("uv", "alpha==1.0\nneeds-old-alpha\nneeds-new-alpha\n"),
    "build-fails": ("pip", "alpha==1.0\nbrokenpkg\n"),
    "hash-mismatch-uv": ("uv", "alpha==2.0 --hash=sha256:" + "0" * 64 + "\n"),
    "hash-mismatch-pip": ("pip", "alpha==2.0 --hash=sha256:" + "0" * 64 + "\n"),
}


@pytest.mark.parametrize("how", ["rerun", "sync"])
@pytest.mark.parametrize("case", list(FAILING))
def test_user_env_is_unchanged_by_a_failing_install(
    user_env: Path, project: Path, wheelhouse: Path, case: str, how: str
) -> None:
    installer, requirements = FAILING[case]
    before = env_hash(user_env)
    (project / "requirements.txt").write_text(requirements, encoding="utf-8")
    if how == "rerun":
        out = virtualenv_cmd(
            "--seeder", "ready", ".venv", "--ready-installer", installer, *offline(wheelhouse), cwd=project
        )
    else:
        env = offline_env(wheelhouse)
        out = ready_cli("sync", ".venv", cwd=project, env=env)
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    assert "failed with exit code" in text, text[-3000:]  # our one line after the installer's own explanation
    assert tree_diff(before, env_hash(user_env)) == []
    assert status(user_env) == "incomplete"
    repaired(user_env, project, wheelhouse)


def test_installer_missing_changes_nothing(
    user_env: Path, project: Path, ready: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from virtualenv_ready.errors import ReadyError
    from virtualenv_ready.installers import uv

    before = env_hash(user_env)
    (project / "requirements.txt").write_text("alpha==1.0\nepsilon\n", encoding="utf-8")
    monkeypatch.setattr(uv, "find_uv", lambda: None)
    with pytest.raises(ReadyError, match="uv is not installed"):
        ready(installer="uv", dest=user_env)
    assert tree_diff(before, env_hash(user_env)) == []
    assert status(user_env) == "incomplete"
    monkeypatch.undo()
    monkeypatch.chdir(project)


# --- disk full, permission denied -----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A 24 MiB tmpfs mounted for the test (root only); unmounted afterwards."""
    mount = tmp_path / "small"
    mount.mkdir()
    if not LINUX or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("simulating a full disk mounts a small tmpfs, which needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs under CI: {done.stderr!r}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the file system up to ``leave`` free bytes."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as stream:
        stream.truncate(0)
        chunk = b"\0" * (1 << 20)
        remaining = free - leave
        while remaining > 0:
            remaining -= stream.write(chunk[: min(len(chunk), remaining)])
    return filler


def test_disk_full_changes_nothing_and_sync_repairs(project: Path, wheelhouse: Path, small_disk: Path) -> None:
    venv = small_disk / "venv"
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    no_seed = ("--no-pip", "--no-setuptools", "--no-wheel")
    out = virtualenv_cmd("--seeder", "ready", str(venv), *no_seed, *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr
    before = env_hash(venv)
    filler = fill(small_disk, leave=96 * 1024)
    # pytest and its dependencies need far more than the space left
    (project / "requirements.txt").write_text("alpha==1.0\npytest\n", encoding="utf-8")
    out = virtualenv_cmd("--seeder", "ready", str(venv), *no_seed, *offline(wheelhouse), cwd=project)
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    assert "No space left on device" in text or "os error 28" in text, text[-2000:]
    assert "Traceback" not in text, text[-3000:]
    assert unchanged_where_it_was(before, env_hash(venv)) == []
    assert status(venv) == "incomplete"
    filler.unlink()
    # sync takes today's sources from the environment
    env = offline_env(wheelhouse)
    done = ready_cli("sync", str(venv), cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert status(venv) == "complete"
    assert {"alpha", "pytest"} <= installed(venv).keys()


def without_override() -> tuple[str, ...]:
    """Run a command so that file modes bind it: as root, drop the capabilities that bypass them."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        if os.environ.get("CI"):
            pytest.fail("setpriv (util-linux) is needed to drop root's file-permission override under CI")
        pytest.skip("setpriv (util-linux) is needed to drop root's file-permission override")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_permission_denied_changes_nothing_and_sync_repairs(user_env: Path, project: Path, wheelhouse: Path) -> None:
    site = next(user_env.glob("lib/python*/site-packages"))
    (project / "requirements.txt").write_text("alpha==1.0\nepsilon\n", encoding="utf-8")
    site.chmod(0o555)  # the env stays writable (its record), its packages do not
    try:
        before = env_hash(user_env)
        env = offline_env(wheelhouse)
        out = ready_cli("sync", str(user_env), cwd=project, env=env, prefix=without_override())
        text = out.stdout + out.stderr
        assert out.returncode != 0, text
        assert "ermission denied" in text, text[-2000:]
        assert "Traceback" not in text, text[-3000:]
        assert tree_diff(before, env_hash(user_env)) == []
        assert status(user_env) == "incomplete"
    finally:
        site.chmod(0o755)
    repaired(user_env, project, wheelhouse)


# --- Ctrl-C at points of the install -----------------------------------------------------------------------------

ROUNDS = int(os.environ.get("READY_SIGINT_ROUNDS", "5"))
# when a round presses Ctrl-C, each moment announced by the run itself (no sleep that may miss the install):
#   building: the build backend wrote its pid (the installer is mid-install, for 1.5 s)
#   began: the record says incomplete (planning and seeding, before or as the installer starts)
#   between: a seeded random moment after "began", but never later than "building"
MOMENTS = ("building", "began", "between")


@pytest.mark.skipif(not LINUX, reason="reads process groups from /proc")
def test_sigint_during_the_install_leaves_no_process_and_sync_repairs(
    project: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    """Ctrl-C (SIGINT to the foreground group) at moments the run announces, with uv and pip by turns.

    ``READY_SIGINT_ROUNDS`` sets the number of rounds (default 5).
    """
    house = tmp_path / "house"
    house.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        (house / wheel.name).symlink_to(wheel)
    pidfile = tmp_path / "build.pid"
    make_sdist(house, "slowpkg", "1.0", sleep=1.5, pidfile=str(pidfile))
    make_wheel(house, "omega", "1.0", ["alpha", "delta", "zeta"])
    (project / "requirements.txt").write_text("beta\nepsilon\nomega\nslowpkg\n", encoding="utf-8")
    # no cache: every round builds slowpkg again, so each one has a window to interrupt
    env = {**os.environ, "UV_NO_CACHE": "1", "PIP_NO_CACHE_DIR": "1"}
    rng = random.Random(20240601)  # noqa: S311 - timing, not security
    outcomes = []
    for number in range(ROUNDS):
        venv = tmp_path / f"venv{number}"
        pidfile.unlink(missing_ok=True)
        installer = "uv" if number % 2 == 0 else "pip"
        moment = MOMENTS[number % len(MOMENTS)]
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "virtualenv",
                "--seeder",
                "ready",
                str(venv),
                "--ready-installer",
                installer,
                "--ready-no-index",
                "--ready-find-links",
                str(house),
            ],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=ctrl_c_reaches_it,  # noqa: PLW1509 - one signal call, before exec
        )
        try:
            output, groups = _interrupt(proc, venv / "virtualenv-ready.json", pidfile, moment, rng)
        finally:
            if proc.poll() is None:  # a failed wait: leave no env build running behind the test
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
        outcomes.append(proc.returncode)
        where = f"round {number} ({installer}, at {moment})"
        if proc.returncode in {-signal.SIGINT, 1} and status(venv) == "complete":
            # the interrupt landed after the install, in virtualenv's own last steps or its exit: killed by
            # SIGINT (a shell reports 130) or virtualenv's own KeyboardInterrupt exit; the env is complete
            assert proc.returncode == -signal.SIGINT or "KeyboardInterrupt" in output, output[-3000:]
        else:
            # 130 is our exit; the process may also end by the signal itself (seen once under CI load, after our
            # one-line message), which a shell reports as 130 too
            assert proc.returncode in {0, *CTRL_C}, f"{where}: exit {proc.returncode}\n{output[-3000:]}"
        if moment == "building":
            assert proc.returncode in CTRL_C, f"{where}: the install was not interrupted\n{output[-3000:]}"
        if proc.returncode == 130 or (proc.returncode == -signal.SIGINT and status(venv) != "complete"):
            assert "interrupted" in output
            assert status(venv) == "incomplete", output[-2000:]
            assert "Traceback" not in output, output[-3000:]
        else:
            assert status(venv) == "complete"
        # nothing of the installer's process groups is left running
        left = [member for group in groups for member in group_members(group)]
        assert wait_until(lambda: not [m for g in groups for m in group_members(g)], timeout=10), (  # noqa: B023
            f"{where}: left running {left}"
        )
        if pidfile.exists() and pidfile.read_text():
            builder = int(pidfile.read_text())
            assert wait_until(lambda: not Path(f"/proc/{builder}").exists() or _zombie(builder), timeout=10)  # noqa: B023
        # a sync finishes it
        fix = ready_cli("sync", str(venv), cwd=project, env=offline_env(house, env))
        assert fix.returncode == 0, fix.stdout + fix.stderr
        assert status(venv) == "complete"
        assert {"alpha", "beta", "delta", "epsilon", "omega", "slowpkg", "zeta"} <= installed(venv).keys()
    assert 130 in outcomes, f"no round was interrupted: {outcomes}"


CTRL_C = frozenset({130, -signal.SIGINT})


def _interrupt(
    proc: subprocess.Popen[str], record: Path, pidfile: Path, moment: str, rng: random.Random
) -> tuple[str, set[int]]:
    """Wait for ``moment`` as the run announces it, press Ctrl-C; the output and the process groups below it."""
    building = lambda: bool(pidfile.exists() and pidfile.read_text()) or proc.poll() is not None  # noqa: E731
    # the install began: the record exists, saying incomplete
    assert wait_until(lambda: record.exists() or proc.poll() is not None, timeout=120), "never started"
    if moment == "building":
        assert wait_until(building, timeout=120), "the build never started"
    elif moment == "between":
        wait_until(building, timeout=rng.uniform(0.0, 2.5))
    assert proc.poll() is None, f"ended before the interrupt at {moment}: {proc.communicate()[0][-3000:]}"
    groups = set()
    for pid in descendants(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            groups.add(os.getpgid(pid))
    os.killpg(proc.pid, signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    return output, groups


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in {"Z", "X"}
    except FileNotFoundError:
        return True


# --- concurrency -----------------------------------------------------------------------------------------------


def _start(dest: Path, cwd: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "virtualenv", "--seeder", "ready", str(dest), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_eight_parallel_creations_share_app_data_and_cache(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    (project / "requirements.txt").write_text("beta\nepsilon\nzeta\ngamma\n", encoding="utf-8")
    env = {
        **os.environ,
        "VIRTUALENV_APP_DATA": str(tmp_path / "app-data"),  # fresh: all eight fill it at once
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),  # fresh: all eight fill it (and build gamma) at once
    }
    procs = [
        _start(tmp_path / f"env{i}", project, env, "--ready-installer", "uv", *offline(wheelhouse)) for i in range(8)
    ]
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    for number, (proc, output) in enumerate(zip(procs, outputs, strict=True)):
        assert proc.returncode == 0, f"env{number}: {output[-3000:]}"
        venv = tmp_path / f"env{number}"
        assert status(venv) == "complete"
        assert {"alpha", "beta", "delta", "epsilon", "zeta", "gamma"} <= installed(venv).keys()
    assert not list(tmp_path.rglob("*virtualenv-ready.lock"))


def test_runs_into_one_destination_are_serialised_by_the_lock(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        (house / wheel.name).symlink_to(wheel)
    make_sdist(house, "slowpkg", "1.0", sleep=2, pidfile=str(tmp_path / "build.pid"))
    (project / "requirements.txt").write_text("beta\nslowpkg\n", encoding="utf-8")
    env = {**os.environ, "UV_NO_CACHE": "1"}
    dest = tmp_path / "shared"
    args = ("--ready-installer", "uv", "--ready-no-index", "--ready-find-links", str(house))
    first = _start(dest, project, env, *args)
    # the second and third start while the first holds the lock (building slowpkg)
    assert wait_until(lambda: (tmp_path / "build.pid").exists() or first.poll() is not None, timeout=120)
    others = [_start(dest, project, env, *args) for _ in range(2)]
    outputs = [proc.communicate(timeout=300)[0] for proc in (first, *others)]
    for proc, output in zip((first, *others), outputs, strict=True):
        assert proc.returncode == 0, output[-3000:]
    later = "\n".join(outputs[1:])
    assert "waiting for it" in later, later[-3000:]
    assert "already up to date" in later, later[-3000:]
    assert not list(tmp_path.rglob("*virtualenv-ready.lock"))
    data = record_of(dest)
    assert data["status"] == "complete"
    assert {"alpha", "beta", "slowpkg"} <= installed(dest).keys()
