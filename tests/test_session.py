"""A real terminal (tmux): on a cold and a warm creation every number on the status line is the installer's own,
the summary is whole on screen, and a narrow window cuts names before the phase.

Set ``READY_SESSION_OUT`` to a folder to keep what the terminal showed (docs/session.md is made from it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import installed, need_tool
from wheels import make_sdist

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="tmux is POSIX")

WIDE, NARROW = 110, 60
WHAT = "installing requirements.txt and seeding with uv: "
SEEDS = {"pip", "setuptools", "wheel"}
_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78])")


class Pane:
    """One tmux pane on a private server: a bash prompt in ``cwd`` with ``env``, its raw output kept in a file."""

    def __init__(self, tmux: str, tmp: Path, cwd: Path, env: dict[str, str], width: int) -> None:
        self.base = [tmux, "-S", str(tmp / "tmux.sock"), "-f", os.devnull]
        self.raw = tmp / "pane.raw"
        self.env = env
        rc = tmp / "bashrc"
        rc.write_text("PS1='$ '\n", encoding="utf-8")
        shell = f"bash --noprofile --rcfile '{rc}' -i"
        self._tmux("new-session", "-d", "-s", "ready", "-x", str(width), "-y", "50", "-c", str(cwd), shell)
        self._tmux("wait-for", "prompt", timeout=60)  # the first prompt
        self._tmux("pipe-pane", "-o", "-t", "ready", f"cat >> '{self.raw}'")

    def _tmux(self, *args: str, timeout: float = 30) -> str:
        done = subprocess.run(
            [*self.base, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert done.returncode == 0, f"tmux {args}: {done.stderr}"
        return done.stdout

    def run(self, command: str) -> str:
        """Type a command, wait for the next prompt; the raw output it wrote (status-line redraws included)."""
        before = self.raw.stat().st_size if self.raw.exists() else 0
        self._tmux("send-keys", "-t", "ready", "-l", command)
        self._tmux("send-keys", "-t", "ready", "Enter")
        self._tmux("wait-for", "prompt", timeout=300)
        return self.raw.read_bytes()[before:].decode("utf-8", errors="replace")

    def screen(self) -> list[str]:
        """The pane as a person sees it now (its rows, blank ones dropped)."""
        return [
            row.rstrip() for row in self._tmux("capture-pane", "-p", "-J", "-t", "ready").splitlines() if row.strip()
        ]

    def resize(self, width: int) -> None:
        self._tmux("resize-window", "-t", "ready", "-x", str(width))

    def clear(self) -> None:
        self._tmux("send-keys", "-t", "ready", "-l", "clear")
        self._tmux("send-keys", "-t", "ready", "Enter")
        self._tmux("wait-for", "prompt")
        self._tmux("clear-history", "-t", "ready")

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], env=self.env, capture_output=True, timeout=30, check=False)


def drawn(raw: str) -> list[str]:
    """Every status line drawn, in order: each redraw starts with a carriage return and clears the rest of the row."""
    parts = re.split(r"[\r\n]", raw.replace("\x1b[K", ""))
    return [_ESCAPE.sub("", part) for part in parts if _ESCAPE.sub("", part).startswith(WHAT[:20])]


def phase(line: str) -> str:
    """``installing ...: PHASE [NAME] (Ns)`` -> ``PHASE [NAME]``."""
    return re.sub(r" \(\d+s\)$", "", line.split(": ", 1)[1])


def count(phases: list[str], verb: str) -> int:
    (number,) = {int(m[1]) for p in phases if (m := re.fullmatch(rf"{verb} (\d+) packages?", p))}
    return number


@pytest.fixture
def pane(project: Path, wheelhouse: Path, tmp_path: Path) -> Iterator[Pane]:
    tmux = need_tool("tmux")
    house = tmp_path / "house"
    house.mkdir()
    for name in ("alpha-1.0", "beta-1.0", "zeta-1.0"):
        (house / f"{name}-py3-none-any.whl").symlink_to(wheelhouse / f"{name}-py3-none-any.whl")
    make_sdist(house, "slowpkg", "1.0", sleep=2, pidfile=str(tmp_path / "build.pid"))
    (project / "requirements.txt").write_text("beta\nzeta\nslowpkg\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TMUX", "COLUMNS", "LINES"))}
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "PROMPT_COMMAND": f"'{need_tool('tmux')}' -S '{tmp_path / 'tmux.sock'}' wait-for -S prompt",
        "HISTFILE": os.devnull,
        "VIRTUALENV_READY_NO_INDEX": "1",
        "VIRTUALENV_READY_FIND_LINKS": str(house),
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),  # empty: the first run is cold
        "VIRTUALENV_READY_TRUST_STORE": str(tmp_path / "trust.json"),
    }
    env.pop("TERM", None)  # tmux's own
    opened = Pane(tmux, tmp_path, project, env, WIDE)
    yield opened
    opened.close()


def keep(name: str, rows: list[str], lines: list[str]) -> None:
    out = os.environ.get("READY_SESSION_OUT")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        Path(out, f"{name}.txt").write_text("\n".join([*rows, "", "# status lines drawn:", *lines]) + "\n")


def test_status_line_numbers_are_the_installers_cold_and_warm(pane: Pane, project: Path) -> None:
    cold = drawn(pane.run("virtualenv --seeder ready .venv"))
    rows = pane.screen()
    keep("cold", rows, cold)
    everything = installed(project / ".venv")
    project_packages = {name for name in everything if name not in SEEDS}
    phases = [phase(line) for line in cold]
    assert phases and all(line.startswith(WHAT) and line.endswith("s)") for line in cold), cold
    assert not [p for p in phases if "/" in p or "download" in p], phases  # a folder of files: nothing downloaded
    assert "building slowpkg" in phases, phases
    assert count(phases, "resolved") == count(phases, "installed") == len(everything), (phases, everything)
    summary = f"installed {len(project_packages)} packages from requirements.txt with uv in "
    assert [row for row in rows if row.startswith(summary) and row.endswith("s")], rows  # whole, not cut
    assert not [row for row in rows if row.startswith(WHAT)], rows  # the status line was cleared

    pane.clear()
    pane.resize(NARROW)
    warm = drawn(pane.run("virtualenv --seeder ready .venv2"))
    rows = pane.screen()
    keep("warm", rows, warm)
    phases = [phase(line) for line in warm]
    assert warm and all(len(line) < NARROW for line in warm), warm
    assert not [p for p in phases if "download" in p or "building" in p or "/" in p], warm  # all from the cache
    assert [line for line in warm if f": installed {len(everything)} packages (" in line], warm  # cut before the phase
    assert installed(project / ".venv2") == everything
    assert [row for row in rows if row.startswith(summary)], rows
