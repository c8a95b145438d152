"""A Windows CPython under wine: one prefix per test session, commands run with pipes and a clean environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import ROOT, need_tool, wine_dest
from wheels import write_project

KIT_VAR = "READY_WINDOWS_KIT"
KIT_PARTS = ("python311/python.exe", "python310/python.exe", "wheels")
# the machine's own settings must not reach the Windows processes (wine passes every variable through)
PASS = ("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR")


def need_kit() -> Path:
    """The Windows kit `.ci/install-windows-python` makes; skip locally when it is missing, fail under CI."""
    value = os.environ.get(KIT_VAR, "")
    kit = Path(value) if value else None
    if kit is not None and all((kit / part).exists() for part in KIT_PARTS):
        return kit
    why = (
        f"{KIT_VAR} is unset" if kit is None else f"{KIT_VAR}={value} lacks {', '.join(KIT_PARTS)}"
    ) + ': run `export READY_WINDOWS_KIT="$(.ci/install-windows-python | tail -n1)"`'
    if os.environ.get("CI"):
        pytest.fail(f"the Windows layer needs its kit but CI is set: {why}", pytrace=False)
    pytest.skip(why)
    raise AssertionError  # unreachable


@dataclass
class Wine:
    """The session's wine prefix, the Windows kit, and the host venv (virtualenv + this package, from wheels)."""

    prefix: Path
    kit: Path
    host: Path
    work: Path
    server: subprocess.Popen[bytes] | None = None

    @property
    def host_python(self) -> str:
        return wine_dest(self.host / "Scripts" / "python.exe")

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        base = {key: os.environ[key] for key in PASS if key in os.environ}
        base.update(
            {
                "WINEPREFIX": str(self.prefix),
                "WINEDEBUG": "-all",
                "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono/Gecko install dialog on boot
                "PYTHONIOENCODING": "utf-8",  # the tests read the output as UTF-8 (a console would get UTF-16)
                "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
                "VIRTUALENV_CONFIG_FILE": wine_dest(self.work / "no-virtualenv.ini"),
                "VIRTUALENV_READY_TRUST_STORE": wine_dest(self.work / "trust.json"),
                "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "PIP_NO_INPUT": "1",
            }
        )
        base.update(extra or {})
        return base

    def run(
        self, *argv: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """``wine ARGV`` with pipes (python.exe cannot start with a regular file as stdio under wine)."""
        return subprocess.run(
            ["wine", *argv],
            cwd=cwd,
            env=self.env(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )

    def python(
        self, *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """The host venv's python.exe (virtualenv and virtualenv-ready installed)."""
        return self.run(self.host_python, *args, cwd=cwd, env=env, timeout=timeout)

    def cmd(self, script: Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """``cmd /c SCRIPT`` (a plain path: wine re-quotes its own argv, so the hostile parts live in the script)."""
        return self.run("cmd", "/c", wine_dest(script), cwd=cwd, env=env)

    def reg(self, *args: str) -> None:
        """``wine reg ...``, as an admin writes policy values."""
        out = self.run("reg", *args, "/f", cwd=self.work)
        assert out.returncode == 0, out.stdout + out.stderr

    def json(self, code: str, cwd: Path, env: dict[str, str] | None = None) -> object:
        """Run Python code in the host interpreter; its last output line is JSON."""
        out = self.python("-c", code, cwd=cwd, env=env)
        assert out.returncode == 0, out.stdout + out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])


def boot(prefix: Path, kit: Path, work: Path) -> Wine:
    """A fresh prefix (its services started with no pipe of ours open) and the host venv, all offline."""
    need_tool("wine")
    need_tool("wineserver")
    prefix.mkdir(parents=True)
    wine = Wine(prefix, kit, work / "host", work)
    try:
        _boot(wine)
    except BaseException:
        shutdown(wine)
        raise
    return wine


def _boot(wine: Wine) -> None:
    kit, work = wine.kit, wine.work
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # a persistent server, our own child (-f): each wine call then starts in about a second instead of booting
    # services again, and the services it starts hold none of our pipes; it is ready once its socket is there
    wine.server = subprocess.Popen(["wineserver", "-f", "-p"], env=wine.env(), start_new_session=True, **quiet)  # type: ignore[call-overload]
    deadline = time.monotonic() + 60
    while not Path(f"/proc/{wine.server.pid}/cwd/socket").exists():
        assert wine.server.poll() is None, f"wineserver exited with {wine.server.returncode}"
        assert time.monotonic() < deadline, "wineserver did not start in 60 s"
        time.sleep(0.1)
    subprocess.run(["wine", "wineboot", "--init"], env=wine.env(), timeout=600, check=True, **quiet)  # type: ignore[call-overload]
    wheels = work / "own-wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_NO_INDEX": "1"},
    )
    base = wine_dest(kit / "python311" / "python.exe")
    for step in (
        [base, "-m", "venv", "--without-pip", wine_dest(wine.host)],
        [
            base,
            "-m",
            "pip",
            "--python",
            wine.host_python,
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            wine_dest(kit / "wheels"),
            "--find-links",
            wine_dest(wheels),
            "virtualenv-ready[uv]",
        ],
    ):
        out = wine.run(*step, cwd=work, timeout=600)
        assert out.returncode == 0, f"{step}: {out.stdout}{out.stderr}"


def script_exe(wine: Wine, exe: Path, main: str) -> Path:
    """A real .exe running ``main`` with the host python: the launcher pip puts in Scripts\\ (launcher, shebang,
    zipped __main__.py), so it can stand in for a program such as powershell.exe or a tool such as nox.exe."""
    import io
    import zipfile

    launcher = wine.kit / "python311" / "Lib" / "site-packages" / "pip" / "_vendor" / "distlib" / "t64.exe"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("__main__.py", main)
    exe.parent.mkdir(parents=True, exist_ok=True)
    exe.write_bytes(launcher.read_bytes() + f'#!"{wine.host_python}"\r\n'.encode() + archive.getvalue())
    return exe


def shutdown(wine: Wine) -> None:
    """Stop the prefix's server and remove the prefix this session made."""
    subprocess.run(["wineserver", "-k"], env=wine.env(), timeout=60, check=False, capture_output=True)
    if wine.server is not None:
        try:
            wine.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            wine.server.kill()
            wine.server.wait()
    shutil.rmtree(wine.prefix, ignore_errors=True)


# spaces, %, !, (, '; and a long path: files in site-packages end up past 260 characters. The .cmd files run here.
HOSTILE = "with space 100% !x! (y) 'q'"
LONG = "a-long-folder-name-" * 6
# & and ^ (no .cmd files written) and non-ASCII, for the env only: CPython 3.11 reads an editable install's .pth
# file in the ANSI code page, so the project folder keeps to ASCII
AMPERSAND = "R&D ^caret"
NON_ASCII = "èрт中"


@dataclass
class Created:
    """An env made by the real ``python.exe -m virtualenv --seeder ready`` and what the command printed."""

    env: Path
    project: Path
    out: subprocess.CompletedProcess[str]

    @property
    def scripts(self) -> Path:
        return self.env / "Scripts"

    @property
    def text(self) -> str:
        return self.out.stdout + self.out.stderr


def create(
    wine: Wine, wheelhouse: Path, parent: Path, *extra: str, env: dict[str, str] | None = None, sub: str = ""
) -> Created:
    """A project (depends on alpha) in ``parent`` and its env in ``parent / sub``; offline, from the test wheelhouse."""
    project = write_project(parent / "proj", "proj", dependencies=["alpha"])
    (project / ".git").mkdir(exist_ok=True)
    dest = parent / sub / "env" if sub else parent / "env"
    out = wine.python(
        "-m",
        "virtualenv",
        "--seeder",
        "ready",
        "--ready-no-index",
        "--ready-find-links",
        wine_dest(wheelhouse),
        wine_dest(dest),
        *extra,
        cwd=project,
        env=env,
    )
    return Created(dest, project, out)


__all__ = [
    "AMPERSAND",
    "HOSTILE",
    "KIT_VAR",
    "LONG",
    "NON_ASCII",
    "Created",
    "Wine",
    "boot",
    "create",
    "need_kit",
    "shutdown",
]
