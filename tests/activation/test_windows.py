"""Real cmd.exe and powershell.exe under Restricted, AllSigned, Group-Policy-like and ConstrainedLanguage settings.

These run in .github/workflows/windows.yml on windows-latest and skip elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from activation_helpers import make_env

pytestmark = [pytest.mark.windows, pytest.mark.skipif(sys.platform != "win32", reason="needs real Windows")]
NAMES = ["with space", "';touch PWNED;'", "\u2019;x;\u2019", "!!x!", "$env:USERPROFILE", "èрт🚒中片"]


def powershell(command: str, policy: str | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("powershell.exe")
    assert exe is not None
    args = [exe, "-NoLogo", "-NoProfile", "-NonInteractive"]
    if policy:
        args += ["-ExecutionPolicy", policy]
    return subprocess.run(
        [*args, "-Command", command], capture_output=True, text=True, encoding="utf-8", timeout=120, check=False
    )


def one_liner(script: Path) -> str:
    from virtualenv_ready.activation.powershell import one_liner as make

    return make(str(script))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("policy", ["Restricted", "AllSigned"])
def test_one_liner_works_where_scripts_are_refused(sandbox: Path, name: str, policy: str) -> None:
    dest = make_env(sandbox, name, prompt=name)
    script = dest / "Scripts" / "activate-policy.ps1"
    refused = powershell(f"& '{script}'", policy)
    assert refused.returncode != 0
    prefix = "[Console]::OutputEncoding = [Text.Encoding]::UTF8; "
    ok = powershell(
        prefix
        + one_liner(script)
        + "; $env:VIRTUAL_ENV; $env:VIRTUAL_ENV_PROMPT; deactivate; [string]$env:VIRTUAL_ENV",
        policy,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[:3] == [str(dest), name, ""]
    assert not list(sandbox.rglob("PWNED"))


def test_constrained_language(sandbox: Path) -> None:
    dest = make_env(sandbox, "env")
    script = dest / "Scripts" / "activate-policy.ps1"
    cmd = "$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'; " + one_liner(script)
    result = powershell(cmd + "; $env:VIRTUAL_ENV; $ExecutionContext.SessionState.LanguageMode")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(dest), "ConstrainedLanguage"]


def test_group_policy_is_reported(sandbox: Path) -> None:
    import winreg  # type: ignore[import-not-found,unused-ignore]

    from virtualenv_ready.activation.powershell.policy import probe

    key = winreg.CreateKey(winreg.HKEY_CURRENT_USER, r"SOFTWARE\Policies\Microsoft\Windows\PowerShell")
    try:
        winreg.SetValueEx(key, "EnableScripts", 0, winreg.REG_DWORD, 1)
        winreg.SetValueEx(key, "ExecutionPolicy", 0, winreg.REG_SZ, "AllSigned")
        found = probe()
        assert found.locked_by == "UserPolicy"
        assert found.effective == "AllSigned"
        bypass = powershell("Get-ExecutionPolicy", "Bypass")
        assert bypass.stdout.strip() == "AllSigned", "Group Policy overrides -ExecutionPolicy"
    finally:
        winreg.DeleteValue(key, "ExecutionPolicy")
        winreg.DeleteValue(key, "EnableScripts")
        winreg.CloseKey(key)


def test_cmd_files_in_real_cmd(sandbox: Path) -> None:
    dest = make_env(sandbox, "100% !x! (y)")
    scripts = dest / "Scripts"
    fake = sandbox / "fake"
    fake.mkdir()
    (fake / "powershell.bat").write_text(f'@echo off\r\n>"{sandbox / "args.txt"}" echo %*\r\n', encoding="ascii")
    env = {**os.environ, "PATH": f"{fake};{os.environ['PATH']}"}
    env.pop("PYTHONHOME", None)
    env["PATH"] = ";".join(p for p in env["PATH"].split(";") if not (Path(p) / "pwsh.exe").exists())
    subprocess.run(["cmd.exe", "/c", str(scripts / "activate-policy.cmd")], env=env, check=False, timeout=60)
    args = (sandbox / "args.txt").read_text(encoding="mbcs").strip()
    assert args == f'-NoLogo -NoExit -Command "{one_liner(scripts / "activate-policy.ps1")}"'
    code = "import os, sys; print(os.environ['VIRTUAL_ENV']); sys.exit(4)"
    run = subprocess.run(
        ["cmd.exe", "/c", str(scripts / "venv-run.cmd"), "python", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 4
    assert run.stdout.strip() == str(dest)


def test_venv_run_keeps_percent_in_arguments_and_a_non_ascii_path(sandbox: Path) -> None:
    """What the wine layer cannot show: %PATH% and 100% arrive as typed (wine's cmd expands % again inside %*),
    and a non-ASCII path survives cmd.exe reading the script in the console's code page (wine's cmd has none)."""
    dest = make_env(sandbox, "100% env \u00e8\u0440")
    code = "import json,os,sys;print(json.dumps([os.environ['VIRTUAL_ENV'],sys.argv[1:]]));sys.exit(7)"
    driver = sandbox / "drive.bat"
    driver.write_text(f'@venv-run.cmd python -c "{code}" "%%PATH%%" "100%%" "a b"\r\n', encoding="ascii")
    run = subprocess.run(
        ["cmd.exe", "/c", str(driver)],
        cwd=dest / "Scripts",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 7, run.stdout + run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == [str(dest), ["%PATH%", "100%", "a b"]]
