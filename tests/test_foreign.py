"""Found, not made: a destination whose record this user did not sign (committed, copied, edited, 0.1.0's) or that git
tracks is adopted as an env made elsewhere: nothing in its record is used, its pip config is set aside, nothing of it
runs before consent; ``--clear`` of the project is refused; a sync after an interrupted first run seeds pip."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import installed, offline_env, ready_cli, virtualenv_cmd
from safety_helpers import LINUX, ctrl_c_reaches_it, grep_tree, status, wait_until
from wheels import make_sdist

if TYPE_CHECKING:
    from collections.abc import Iterator

CANARY = "CANARY-netrc-7f3a91"
INSTALLERS = ["uv", "pip"]


def git_commit(root: Path) -> None:
    """Make ``root`` a real checkout with everything in it committed, as a cloned repository is."""
    shutil.rmtree(root / ".git", ignore_errors=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A", "-f"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "hostile"], cwd=root, check=True)


def plain_venv(venv: Path) -> None:
    """What the user types: `python -m venv .venv` (over the committed folder, which it keeps)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)


def site_packages(venv: Path) -> Path:
    return venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home folder with a netrc holding a canary password."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / ".netrc").write_text(f"machine idx.invalid login me password {CANARY}\n", encoding="utf-8")
    return folder


def committed_record(venv: Path, project: Path, **fields: object) -> None:
    venv.mkdir(parents=True, exist_ok=True)
    data = {
        "schema": 1,
        "tool": "virtualenv-ready 0.1.0",
        "status": "complete",
        "project": str(project),
        "python": "bin/python",
        "bin_dir": "bin",
        "options": {"requirements": ["~/.netrc"], "installer": "pip"},
        **fields,
    }
    (venv / "virtualenv-ready.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout of the committed env")
@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_committed_record_is_not_obeyed(
    project: Path, wheelhouse: Path, home: Path, tmp_path: Path, installer: str
) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    committed_record(project / ".venv", project, index_url="http://127.0.0.1:9/simple")
    git_commit(project)
    plain_venv(project / ".venv")
    env = {**offline_env(wheelhouse), "HOME": str(home), "VIRTUALENV_READY_INSTALLER": installer}
    out = ready_cli("sync", cwd=project, env=env)
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert CANARY not in text
    assert not grep_tree([project, tmp_path / "data"], [CANARY], skip=(home / ".netrc",))
    assert "was found, not made" in text
    assert installed(project / ".venv")["alpha"] == "1.0"
    record = json.loads((project / ".venv" / "virtualenv-ready.json").read_text(encoding="utf-8"))
    assert "~/.netrc" not in json.dumps(record)
    assert record["installer"]["name"] == installer  # today's choice, not the recorded "pip"
    assert record["options"].get("index_url") is None
    assert "mac" in record


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout of the committed env")
def test_an_unsigned_record_of_this_machine_is_treated_as_made_elsewhere(project: Path, wheelhouse: Path) -> None:
    """0.1.0 wrote no MAC: its envs are adopted (rebuilt and signed), with one line saying why."""
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    plain_venv(project / ".venv")
    committed_record(project / ".venv", project, options={"installer": "uv"}, inputs={}, installed={})
    out = ready_cli("sync", cwd=project, env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stderr
    assert "its record is not signed by you: treated as an env made elsewhere" in out.stderr
    again = ready_cli("sync", "--check", cwd=project, env=offline_env(wheelhouse))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "up to date" in again.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout of the committed env")
def test_a_committed_complete_record_is_not_up_to_date(project: Path, wheelhouse: Path, home: Path) -> None:
    (project / "requirements.txt").write_text("alpha==2.0\n", encoding="utf-8")
    committed_record(project / ".venv", project, fingerprint="f" * 64, inputs={}, candidates=[], installed={})
    git_commit(project)
    plain_venv(project / ".venv")
    out = ready_cli("sync", "--check", cwd=project, env={**offline_env(wheelhouse), "HOME": str(home)})
    assert out.returncode == 1, out.stdout + out.stderr
    assert "up to date" not in out.stdout
    assert "treated as an env made elsewhere" in out.stdout
    assert CANARY not in out.stdout + out.stderr


class _Recorder(BaseHTTPRequestHandler):
    log: list[str]

    def do_GET(self) -> None:
        self.log.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every request it gets."""
    log: list[str] = []
    handler = type("Handler", (_Recorder,), {"log": log})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout of the committed env")
@pytest.mark.parametrize("how", ["sync", "create"])
def test_a_committed_pip_conf_is_set_aside(
    project: Path, wheelhouse: Path, home: Path, recorder: tuple[str, list[str]], how: str
) -> None:
    url, log = recorder
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    venv = project / ".venv"
    venv.mkdir()
    hostile = f"[global]\nfind-links = {url}/links/\nextra-index-url = {url}/simple/\n"
    (venv / "pip.conf").write_text(hostile, encoding="utf-8")
    git_commit(project)
    # pip reads the env's pip.conf unless PIP_CONFIG_FILE says otherwise: let it
    env = {k: v for k, v in offline_env(wheelhouse).items() if k != "PIP_CONFIG_FILE"}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), VIRTUALENV_READY_INSTALLER="pip")
    if how == "sync":
        plain_venv(venv)
        out = ready_cli("sync", cwd=project, env=env)
    else:
        out = virtualenv_cmd("--seeder", "ready", ".venv", cwd=project, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert log == []
    assert installed(venv)["alpha"] == "1.0"
    assert (venv / "pip.conf.virtualenv-ready-found").read_text(encoding="utf-8") == hostile  # kept, not obeyed
    assert not (venv / "pip.conf").exists() or url not in (venv / "pip.conf").read_text(encoding="utf-8")


@pytest.fixture
def enabled(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    """`ready` is only the default seeder (`virtualenv-ready enable`), offline: a first install asks for consent."""
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini), "VIRTUALENV_READY_CONFIG_FILE": str(tmp_path / "r.toml")}
    assert ready_cli("enable", env=env).returncode == 0
    return env


def committed_env_with_pth(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A committed `.venv` with a record and a `.pth` that writes a marker when any interpreter of it starts."""
    marker = tmp_path / "pth-ran"
    venv = project / ".venv"
    committed_record(venv, project)
    site = site_packages(venv)
    site.mkdir(parents=True)
    (site / "evil.pth").write_text(f"import pathlib; pathlib.Path({str(marker)!r}).write_text('ran')\n")
    git_commit(project)
    return venv, marker


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout of the committed env")
@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_committed_pth_does_not_run_before_consent(
    project: Path, enabled: dict[str, str], tmp_path: Path, installer: str
) -> None:
    (project / "requirements.txt").write_text("alpha\n", encoding="utf-8")
    venv, marker = committed_env_with_pth(project, tmp_path)
    out = virtualenv_cmd(".venv", cwd=project, env={**enabled, "VIRTUALENV_READY_INSTALLER": installer})
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "not installed" in text  # no terminal: no consent
    assert not marker.exists(), text
    assert "was found, not made" in text
    assert "pip" in installed(venv)  # seeded all the same, by app-data
    assert status(venv) == "incomplete"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout of the committed env")
def test_reading_a_uv_lock_runs_no_interpreter_of_a_found_env(
    project: Path, enabled: dict[str, str], tmp_path: Path, wheelhouse: Path
) -> None:
    """Planning a uv.lock project asks `uv export`, which starts the interpreter it is given: not the found env's."""
    from test_layouts import uv_project

    uv_project(project, wheelhouse)
    _, marker = committed_env_with_pth(project, tmp_path)
    out = virtualenv_cmd(".venv", cwd=project, env={**enabled, "VIRTUALENV_READY_INSTALLER": "uv"})
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "uv.lock" in text  # the lock was read for the plan the question names
    assert "not installed" in text
    assert not marker.exists(), text


def test_a_record_signed_with_another_key_is_foreign(
    ready, project: Path, wheelhouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two users (two data folders): a record copied from one to the other is made elsewhere; an edited byte too."""
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    one = tmp_path / "one" / "record-key"
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(one))
    venv = ready()
    if sys.platform != "win32":
        assert stat.S_IMODE(one.stat().st_mode) == 0o600
    env = offline_env(wheelhouse)
    assert ready_cli("sync", "--check", str(venv), env=env).returncode == 0
    other = {**env, "VIRTUALENV_READY_RECORD_KEY": str(tmp_path / "two" / "record-key")}
    out = ready_cli("sync", "--check", str(venv), env=other)
    assert out.returncode == 1, out.stdout
    assert "not written by you" in out.stdout
    path = venv / "virtualenv-ready.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"alpha": "1.0"', '"alpha": "1.1"'), encoding="utf-8")
    out = ready_cli("sync", "--check", str(venv), env=env)
    assert out.returncode == 1, out.stdout
    assert "not written by you (or was changed)" in out.stdout
    # a sync adopts it and signs it anew
    assert ready_cli("sync", str(venv), env=env).returncode == 0
    assert ready_cli("sync", "--check", str(venv), env=env).returncode == 0


@pytest.mark.parametrize("dest", [".", "..", "{project}"])
def test_clear_of_the_project_is_refused(project: Path, wheelhouse: Path, dest: str) -> None:
    (project / "requirements.txt").write_text("alpha\n", encoding="utf-8")
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    dest = dest.format(project=project)
    out = virtualenv_cmd("--seeder", "ready", "--clear", dest, "--ready-no-index", cwd=project)
    assert out.returncode != 0
    assert "--clear" in out.stderr + out.stdout
    assert "refused" in out.stderr + out.stdout
    assert "Traceback" not in out.stderr
    assert (project / "app.py").read_text(encoding="utf-8") == "print('mine')\n"
    assert (project / "requirements.txt").exists()
    assert not (project / "pyvenv.cfg").exists()


def test_clear_of_another_folder_still_clears(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    venv = tmp_path / "elsewhere"
    venv.mkdir()
    (venv / "old").write_text("x", encoding="utf-8")
    out = virtualenv_cmd("--seeder", "ready", "--clear", str(venv), "--ready-no-index", cwd=project)
    assert out.returncode == 0, out.stderr
    assert not (venv / "old").exists()


@pytest.mark.skipif(not LINUX, reason="presses Ctrl-C through process groups")
def test_sync_after_ctrl_c_in_the_first_uv_run_seeds_pip(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        (house / wheel.name).symlink_to(wheel)
    pidfile = tmp_path / "build.pid"
    make_sdist(house, "slowpkg", "1.0", sleep=3, pidfile=str(pidfile))
    (project / "requirements.txt").write_text("alpha\nslowpkg\n", encoding="utf-8")
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_NO_CACHE": "1"}
    argv = [sys.executable, "-m", "virtualenv", "--seeder", "ready", str(venv), "--ready-installer", "uv"]
    argv += ["--ready-no-index", "--ready-find-links", str(house)]
    proc = subprocess.Popen(
        argv,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_reaches_it,  # noqa: PLW1509 - one signal call, before exec
    )
    try:
        assert wait_until(lambda: (pidfile.exists() and bool(pidfile.read_text())) or proc.poll() is not None, 120)
        assert proc.poll() is None, proc.communicate()[0][-3000:]
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, output[-3000:]
    assert status(venv) == "incomplete"
    if "pip" in installed(venv):
        # the seeds go into the project's first uv run unless that joint run fails, when they get a run of their
        # own first (seen once under heavy load): then the interrupted run held no seeds and this case is not here
        pytest.skip(f"the seeds were installed before the interrupted run:\n{output[-2000:]}")
    fix = ready_cli("sync", str(venv), cwd=project, env=offline_env(house, env))
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert status(venv) == "complete"
    assert {"alpha", "slowpkg", "pip"} <= installed(venv).keys()


def test_an_env_git_tracks_is_foreign_even_with_a_signed_record(ready, project: Path, wheelhouse: Path) -> None:
    """A pull can change a tracked env behind its record: its record, even a signed one, decides nothing."""
    (project / "requirements.txt").write_text("alpha==1.0\n", encoding="utf-8")
    venv = ready(dest=project / ".venv")
    env = offline_env(wheelhouse)
    assert ready_cli("sync", "--check", str(venv), env=env).returncode == 0
    git_commit(project)
    out = ready_cli("sync", "--check", str(venv), env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "git tracks files in it" in out.stdout
