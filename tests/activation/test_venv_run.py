"""venv-run from bash, dash, zsh, mksh and fish, with hostile env names and arguments."""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING

import pytest
from activation_helpers import HOSTILE, HOSTILE_IDS, make_env, need, no_pwned

if TYPE_CHECKING:
    from pathlib import Path

SHELLS = ["bash", "dash", "zsh", "mksh", "fish"]
DUMP = "import json, os, sys; print(json.dumps({'ve': os.environ.get('VIRTUAL_ENV'), 'path0': os.environ['PATH'].split(os.pathsep)[0], 'home': os.environ.get('PYTHONHOME'), 'argv': sys.argv[1:], 'prefix': sys.prefix}))"
ARGS = ["$(touch PWNED)", "a b", "", "*", "'\"", "-x", "new\nline"]


def run_from(shell: str, script: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = need(shell)
    code = "command $argv" if shell == "fish" else '"$@"'
    argv = [exe, "-c", code] + ([] if shell == "fish" else ["venv-run"]) + [str(script), *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize("name", HOSTILE, ids=HOSTILE_IDS)
def test_venv_run_hostile_env_dir(sandbox: Path, name: str) -> None:
    dest = make_env(sandbox, name, prompt=name)
    env = {**os.environ, "PYTHONHOME": "/nonexistent"}
    for shell in SHELLS:
        result = run_from(shell, dest / "bin" / "venv-run", ["python", "-c", DUMP, *ARGS], env)
        assert result.returncode == 0, (shell, result.stderr)
        data = json.loads(result.stdout)
        assert data == {"ve": str(dest), "path0": str(dest / "bin"), "home": None, "argv": ARGS, "prefix": str(dest)}, (
            shell
        )
    no_pwned(sandbox)


def test_venv_run_exit_code_and_usage(sandbox: Path) -> None:
    dest = make_env(sandbox, "env")
    script = dest / "bin" / "venv-run"
    failed = subprocess.run([str(script), "python", "-c", "raise SystemExit(7)"], check=False)
    assert failed.returncode == 7
    usage = subprocess.run([str(script)], capture_output=True, text=True, check=False)
    assert usage.returncode == 2
    assert "usage: venv-run COMMAND" in usage.stderr
    missing = subprocess.run([str(script), "no-such-command-xyz"], capture_output=True, text=True, check=False)
    assert missing.returncode == 127


def test_venv_run_exec_replaces_the_shell(sandbox: Path) -> None:
    dest = make_env(sandbox, "env")
    result = subprocess.run(
        [str(dest / "bin" / "venv-run"), "sh", "-c", 'echo "$$ $PPID"'], capture_output=True, text=True, check=True
    )
    pid, ppid = result.stdout.split()
    # exec: the command is the child of this test process, not of a lingering sh running venv-run
    assert int(ppid) == os.getpid(), (pid, ppid)
