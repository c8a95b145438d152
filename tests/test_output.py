"""What a person sees while and after creating: the status line on a real terminal, the log line without one,
-q and -v, and no file left in the project but the env."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import offline, virtualenv_cmd
from wheels import make_sdist

REQUIREMENTS = "beta\nzeta\nslowpkg\n"


def slow_house(wheelhouse: Path, tmp_path: Path) -> Path:
    """The test wheels plus an sdist that takes two seconds to build, so the status line has time to tick."""
    house = tmp_path / "house"
    house.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        (house / wheel.name).symlink_to(wheel)
    make_sdist(house, "slowpkg", "1.0", sleep=2, pidfile=str(tmp_path / "build.pid"))
    return house


def on_a_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run a command with a real pseudo-terminal as its stdin, stdout and stderr; everything it wrote there."""
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 300)
        if not ready:
            proc.kill()
            pytest.fail("no output for 300 s: " + b"".join(chunks).decode(errors="replace")[-2000:])
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0, b"".join(chunks).decode(errors="replace")[-3000:]
    return b"".join(chunks).decode("utf-8", errors="replace")


def screen(raw: str) -> list[str]:
    """The rows a terminal shows at the end: a carriage return goes back to the row start, ESC[K clears the rest."""
    rows: list[str] = []
    for line in raw.replace("\r\n", "\n").split("\n"):
        row = ""
        for part in line.split("\r"):
            pieces = part.split("\x1b[K")
            row = pieces[0] + row[len(pieces[0]) :] if len(pieces) == 1 else pieces[-1]
        rows.append(row)
    return rows


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_a_status_line_on_a_terminal(project: Path, wheelhouse: Path, tmp_path: Path, installer: str) -> None:
    if sys.platform == "win32":
        pytest.skip("pseudo-terminals are POSIX; the Windows console is left to the windows workflow")
    house = slow_house(wheelhouse, tmp_path)
    (project / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    env = {**os.environ, "TERM": "xterm", "UV_NO_CACHE": "1", "COLUMNS": "200"}
    dest = tmp_path / "venv"
    argv = [sys.executable, "-m", "virtualenv", "--seeder", "ready", str(dest), "--ready-installer", installer]
    raw = on_a_terminal([*argv, "--ready-no-index", "--ready-find-links", str(house)], project, env)
    # uv seeds pip and setuptools in the project's run unless the seed wheels clash with the wheelhouse's own copies
    seeding = f"installing requirements.txt and seeding with {installer}: " in raw
    what = f"installing requirements.txt {'and seeding ' if seeding else ''}with {installer}: "
    ran = 6 if seeding else 4
    drawn = [part.split("\x1b[K")[0] for part in raw.split("\r") if part.startswith(what)]
    assert len(drawn) >= 3, raw[-3000:]  # drawn at start, on each phase and each tick while slowpkg builds
    assert all(line.endswith("s)") for line in drawn), drawn
    phases = " ".join(drawn)
    assert "resolving" in phases and "installing" in phases, drawn
    assert "building" in phases and "/" not in phases, drawn
    if installer == "uv":  # uv's own counts of its run (nothing is downloaded from a folder)
        assert f"resolved {ran} packages" in phases and f"installed {ran} packages" in phases, drawn
        assert "downloading" not in phases, drawn
    rows = screen(raw)
    # the status line is cleared: what stays on screen is the summary, on a row of its own
    assert not [row for row in rows if row.startswith(what)], rows
    assert any(row.startswith(f"installed 4 packages from requirements.txt with {installer} in ") for row in rows)
    assert f"{what.rstrip(': ')} ..." not in raw  # the log form is for logs only


def test_one_start_line_without_a_terminal_and_quiet_or_verbose(
    project: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    (project / "requirements.txt").write_text("beta\nzeta\n", encoding="utf-8")
    args = ("--seeder", "ready", "--ready-installer", "uv", *offline(wheelhouse))
    out = virtualenv_cmd(*args, str(tmp_path / "a"), cwd=project)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    lines = text.splitlines()
    starts = ("installing requirements.txt with uv ...", "installing requirements.txt and seeding with uv ...")
    start = next(number for number, line in enumerate(lines) if line in starts)
    assert lines[start + 1].startswith("installed 3 packages from requirements.txt with uv in ")
    assert "\r" not in text and "\x1b" not in text
    quiet = virtualenv_cmd(*args, "-q", str(tmp_path / "b"), cwd=project)
    assert quiet.returncode == 0 and quiet.stdout + quiet.stderr == "", quiet.stdout + quiet.stderr
    loud = virtualenv_cmd(*args, "-v", str(tmp_path / "c"), cwd=project)
    assert loud.returncode == 0, loud.stderr
    assert re.search(r"^Resolved \d+ packages", loud.stdout + loud.stderr, re.M)  # uv's own words, streamed
    assert not [line for line in (loud.stdout + loud.stderr).splitlines() if line in starts]


def test_quiet_still_says_when_nothing_was_installed(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n", encoding="utf-8")
    out = virtualenv_cmd("--seeder", "ready", "-q", *offline(wheelhouse), str(tmp_path / "venv"), cwd=project)
    assert out.returncode == 0, out.stderr
    (line,) = (out.stdout + out.stderr).splitlines()
    assert line.startswith(f"virtualenv-ready: nothing to install in {project}: "), line


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    who = ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main"]
    return subprocess.run(["git", *who, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_a_git_checkout_shows_only_the_env(project: Path, wheelhouse: Path, tmp_path: Path, installer: str) -> None:
    from helpers import need_tool

    need_tool("git")
    (project / ".git").rmdir()
    (project / "requirements.txt").write_text("beta\ngamma\n", encoding="utf-8")  # gamma: an sdist, built
    (project / "pyproject.toml").write_text('[dependency-groups]\ndev = ["zeta"]\n', encoding="utf-8")
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "-qm", "project", cwd=project)
    cache = tmp_path / "cache"
    env = {**os.environ, "VIRTUALENV_READY_CACHE_DIR": str(cache)}
    out = virtualenv_cmd(
        "--seeder", "ready", ".venv", "--ready-installer", installer, *offline(wheelhouse), cwd=project, env=env
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "installed 4 packages" in out.stdout + out.stderr
    # virtualenv marks the env ignored, so plain status is empty; with ignored files, the env is all there is
    assert _git("status", "--porcelain", cwd=project) == ""
    assert _git("status", "--porcelain", "--ignored", cwd=project).splitlines() == ["!! .venv/"]
    assert list(cache.rglob("*.lock")) == []  # the destination lock is gone once the run ends


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal, to read back what the status line drew."""

    def isatty(self) -> bool:
        return True


def test_status_phases_from_pip_lines_and_no_credential_on_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    from virtualenv_ready.progress import Status

    monkeypatch.setenv("TERM", "xterm")
    screen_text = _Terminal()
    status = Status("installing https://me:s3cret@pkgs.example/r.txt with pip", screen_text).begin()
    phases = []
    for line in (
        "Collecting alpha @ https://me:s3cret@pkgs.example/alpha-1.0.tar.gz",
        "  Downloading https://me:s3cret@pkgs.example/alpha-1.0.tar.gz (2 kB)",
        "  Installing build dependencies: started",
        "Collecting beta",
        "Building wheel for alpha (pyproject.toml): started",
        "Installing collected packages: beta, alpha",
        "Successfully installed alpha-1.0 beta-1.0",
    ):
        status.feed(line)
        phases.append(status.phase)
    status.close()
    assert phases == [
        "resolving (1 found)",
        "downloading",
        "building",
        "resolving (2 found)",
        "building",
        "installing 2 packages",
        "installed 2 packages",
    ]
    drawn = screen_text.getvalue()
    assert "s3cret" not in drawn and "installing https://****@pkgs.example/r.txt with pip: " in drawn, drawn
    assert drawn.endswith("\r")  # cleared at the end


def test_a_failing_resolve_runs_the_installer_once(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    (project / "requirements.txt").write_text("nosuchpkg\n", encoding="utf-8")
    dest = tmp_path / "venv"
    args = ("--seeder", "ready", "--ready-installer", "uv", *offline(wheelhouse), "-v", str(dest))
    out = virtualenv_cmd(*args, cwd=project)
    assert out.returncode == 1, out.stdout + out.stderr
    assert (out.stdout + out.stderr).count("No solution found") == 1, out.stdout + out.stderr
    (error,) = [line for line in out.stderr.splitlines() if "failed with exit code" in line]
    assert error.startswith("virtualenv-ready: error: installing requirements.txt"), error
    assert "ReadyError" not in out.stdout + out.stderr
    assert (dest / "bin" / "pip").exists() or (dest / "Scripts" / "pip.exe").exists()  # seeded as app-data would


def test_a_creation_right_after_a_no_op_sync_runs_no_installer(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    from helpers import ready_cli

    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    dest = tmp_path / "venv"
    assert virtualenv_cmd(str(dest), cwd=project).returncode == 0  # plain, then adopted by sync
    env = {**os.environ, "VIRTUALENV_READY_NO_INDEX": "1", "VIRTUALENV_READY_FIND_LINKS": str(wheelhouse)}
    synced = ready_cli("sync", str(dest), cwd=project, env=env)
    assert synced.returncode == 0 and "installed 2 packages" in synced.stderr, synced.stderr
    again = ready_cli("sync", str(dest), cwd=project, env=env)
    assert "up to date" in again.stdout + again.stderr, again.stdout + again.stderr
    created = virtualenv_cmd("--seeder", "ready", *offline(wheelhouse), str(dest), cwd=project)
    assert created.returncode == 0, created.stderr
    assert "is already up to date" in created.stderr, created.stderr
    assert "installing" not in created.stdout + created.stderr and "installed" not in created.stderr


def at_the_question(project: Path, wheelhouse: Path, tmp_path: Path, answer: bytes, wait: float = 0) -> tuple[str, int]:
    """`virtualenv .venv` with ready only the ini's default, on a pseudo-terminal: ``answer`` typed at the consent
    question after ``wait`` seconds; what the terminal showed and the exit code."""
    import pty
    import time

    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini), "TERM": "xterm"}
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(project)
        os.execve(sys.executable, [sys.executable, "-m", "virtualenv", ".venv", "--activators", ""], env)  # noqa: S606
    seen, asked = b"", False
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not asked and seen.rstrip().endswith(b"[y/N]"):
            time.sleep(wait)
            os.write(fd, answer)
            asked = True
    _, code = os.waitpid(pid, 0)
    assert asked, seen
    return seen.decode(errors="replace"), os.waitstatus_to_exitcode(code)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_at_the_question_starts_a_new_line(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n", encoding="utf-8")
    text, code = at_the_question(project, wheelhouse, tmp_path, b"\x03")  # Ctrl-C, as the terminal sends it
    assert code in {130, -2}, text
    after = text.split("[y/N] ", 1)[1]
    # the terminal echoes ^C where the cursor is; our line starts on a row of its own
    rows = after.replace("\r", "").split("\n")
    assert rows[0] in {"", "^C"}, rows
    interrupted = [row for row in rows if "interrupted" in row]
    assert interrupted and interrupted[0].startswith("virtualenv-ready: interrupted"), rows
    assert "Error" not in text and "Traceback" not in text, text


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_summary_does_not_count_the_time_at_the_question(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    import re
    import time

    (project / "requirements.txt").write_text("alpha\n", encoding="utf-8")
    start = time.monotonic()
    text, code = at_the_question(project, wheelhouse, tmp_path, b"y\n", wait=6)
    elapsed = time.monotonic() - start
    assert code == 0, text
    (seconds,) = re.findall(r"installed 1 package from requirements.txt with \w+ in ([0-9.]+)s", text)
    assert float(seconds) < elapsed - 5, (seconds, elapsed)  # the six seconds at the question are not in it


def test_a_creation_error_reads_like_syncs(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    """Raised before anything of the package logged (a broken pyproject.toml): the same one line as `sync`'s."""
    (project / "pyproject.toml").write_text("[project\nname = 'x'\n", encoding="utf-8")
    out = virtualenv_cmd("--seeder", "ready", *offline(wheelhouse), str(tmp_path / "venv"), cwd=project)
    assert out.returncode == 1, out.stdout + out.stderr
    (line,) = [line for line in out.stderr.splitlines() if "error" in line]
    assert line.startswith(f"virtualenv-ready: error: {project / 'pyproject.toml'}"), line
    assert "ReadyError" not in out.stdout + out.stderr and not out.stdout.strip(), out.stdout
