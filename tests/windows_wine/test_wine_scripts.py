"""The .cmd files of a real Windows env, run by wine's cmd.exe: venv-run.cmd, activate-ci.cmd, activate-policy.cmd."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from winekit import script_exe

from helpers import parse_github_env, wine_dest
from virtualenv_ready.activation.powershell import one_liner

if TYPE_CHECKING:
    from pathlib import Path

    from winekit import Created, Wine

pytestmark = [pytest.mark.wine, pytest.mark.xdist_group("wine")]
# a % in an argument (%PATH%, 100%) is left to the windows workflow: wine's cmd expands % again inside what %*
# gave it, which real cmd.exe does not
ARGS = ["a b", "x&y", "caret^", "!bang!", "(paren)", "it's"]


def driver(wine: Wine, name: str, line: str) -> Path:
    """A one-line batch file in a plain folder; it calls our script by bare name from the Scripts folder (the cwd)."""
    folder = wine.work / "drivers"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.bat"
    path.write_bytes(b"@echo off\r\n" + line.encode("ascii") + b"\r\n")
    return path


def test_venv_run_passes_arguments_intact_and_the_exit_code_back(wine: Wine, hostile_env: Created) -> None:
    code = "import json,os,sys;print(json.dumps([sys.executable,os.environ['VIRTUAL_ENV'],sys.argv[1:]]));sys.exit(7)"
    # typed in a batch file: quotes keep & ^ ! ( ' as they are
    quoted = " ".join(f'"{arg}"' for arg in ARGS)
    script = driver(wine, "venv-run", f'venv-run.cmd python -c "{code}" {quoted}')
    out = wine.cmd(script, cwd=hostile_env.scripts)
    assert out.returncode == 7, out.stdout + out.stderr
    executable, virtual_env, argv = json.loads(out.stdout.strip().splitlines()[-1])
    assert executable == wine_dest(hostile_env.scripts / "python.exe")
    assert virtual_env == wine_dest(hostile_env.env)
    assert argv == ARGS


def test_activate_ci_for_github_actions(wine: Wine, hostile_env: Created) -> None:
    files = wine.work / "github"
    files.mkdir(exist_ok=True)
    env = {"GITHUB_ENV": wine_dest(files / "env"), "GITHUB_PATH": wine_dest(files / "path")}
    out = wine.cmd(driver(wine, "ci", "activate-ci.cmd"), cwd=hostile_env.scripts, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    written = (files / "env").read_text(encoding="utf-8").replace("\r\n", "\n")
    assert parse_github_env(written) == {"VIRTUAL_ENV": wine_dest(hostile_env.env)}
    assert (files / "path").read_text(encoding="utf-8").replace("\r\n", "\n") == wine_dest(hostile_env.scripts) + "\n"


def test_activate_ci_for_azure_pipelines(wine: Wine, hostile_env: Created) -> None:
    out = wine.cmd(driver(wine, "ci", "activate-ci.cmd"), cwd=hostile_env.scripts, env={"TF_BUILD": "True"})
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.replace("\r\n", "\n").splitlines()
    assert f"##vso[task.setvariable variable=VIRTUAL_ENV]{wine_dest(hostile_env.env)}" in lines
    assert f"##vso[task.prependpath]{wine_dest(hostile_env.scripts)}" in lines


def test_activate_policy_reaches_powershell_with_the_exact_one_liner(wine: Wine, hostile_env: Created) -> None:
    """wine's powershell.exe prints nothing: a stand-in first on PATH records the arguments it got.

    The stand-in is an .exe, because cmd.exe starts a .bat through another round of its own parsing that
    PowerShell never sees.
    """
    fake = wine.work / "fake powershell"
    record = wine.work / "powershell-args.json"
    main = f"import json,sys\nopen({wine_dest(record)!r},'w',encoding='utf-8').write(json.dumps(sys.argv[1:]))\nsys.exit(5)\n"
    script_exe(wine, fake / "powershell.exe", main)
    out = wine.cmd(
        driver(wine, "policy", "activate-policy.cmd"), cwd=hostile_env.scripts, env={"WINEPATH": wine_dest(fake)}
    )
    assert out.returncode == 5, out.stdout + out.stderr
    got = json.loads(record.read_text(encoding="utf-8"))
    assert got == ["-NoLogo", "-NoExit", "-Command", one_liner(wine_dest(hostile_env.scripts / "activate-policy.ps1"))]
