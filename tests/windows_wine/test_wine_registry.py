"""What Windows keeps in the registry, written with ``wine reg add``: execution policies and PEP 514 interpreters.

Also who is creating the env, found the Windows way (the process tree) when a tool's launcher starts virtualenv.
"""

from __future__ import annotations

import getpass
import json
from typing import TYPE_CHECKING

import pytest
from winekit import create, script_exe

from helpers import wine_dest
from virtualenv_ready.activation.powershell import one_liner
from virtualenv_ready.activation.quoting import ps_quote

if TYPE_CHECKING:
    from pathlib import Path

    from winekit import Wine

pytestmark = [pytest.mark.wine, pytest.mark.xdist_group("wine")]
GPO = r"SOFTWARE\Policies\Microsoft\Windows\PowerShell"
SHELL_IDS = r"SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell"
HKLM_ENV = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
Value = tuple[str, str, str, str]  # key, name, type, data: what `wine reg add` writes


def group_policy(root: str, enable: str, policy: str = "") -> list[Value]:
    """ "Turn on Script Execution" in HKLM (MachinePolicy) or HKCU (UserPolicy): EnableScripts and the policy."""
    values = [(rf"{root}\{GPO}", "EnableScripts", "REG_DWORD", enable)]
    return values + ([(rf"{root}\{GPO}", "ExecutionPolicy", "REG_SZ", policy)] if policy else [])


def set_policy(root: str, policy: str) -> Value:
    """Set-ExecutionPolicy -Scope LocalMachine (HKLM) or CurrentUser (HKCU)."""
    return (rf"{root}\{SHELL_IDS}", "ExecutionPolicy", "REG_SZ", policy)


# scope: the registry values that set it, what the hint says, and whether the hint dot-sources the script (scripts
# run) rather than the one-liner that reads it as text
POLICIES: dict[str, tuple[list[Value], str, bool]] = {
    "MachinePolicy": (group_policy("HKLM", "1", "AllSigned"), "AllSigned set by Group Policy (MachinePolicy)", False),
    "MachinePolicy scripts off": (
        [*group_policy("HKLM", "0"), set_policy("HKCU", "Bypass")],
        "Restricted set by Group Policy (MachinePolicy)",
        False,
    ),
    "UserPolicy": (group_policy("HKCU", "1", "Restricted"), "Restricted set by Group Policy (UserPolicy)", False),
    "LocalMachine": ([set_policy("HKLM", "RemoteSigned")], "RemoteSigned", True),
    "CurrentUser": ([set_policy("HKLM", "Restricted"), set_policy("HKCU", "Unrestricted")], "Unrestricted", True),
    "PSExecutionPolicyPreference": (
        [(r"HKCU\Environment", "PSExecutionPolicyPreference", "REG_SZ", "Bypass")],
        "Bypass",
        True,
    ),
    "__PSLockdownPolicy": (
        [set_policy("HKCU", "RemoteSigned"), (HKLM_ENV, "__PSLockdownPolicy", "REG_SZ", "4")],
        "RemoteSigned, language mode ConstrainedLanguage",
        False,
    ),
}


# PowerShell puts the user's own module folder on PSModulePath: the hint is then the PowerShell line
IN_POWERSHELL = {"PSModulePath": rf"C:\users\{getpass.getuser()}\Documents\WindowsPowerShell\Modules"}


@pytest.mark.parametrize("scope", list(POLICIES))
def test_policy_probe_reads_each_scope_and_the_hint_follows(wine: Wine, scope: str) -> None:
    values, described, dot_source = POLICIES[scope]
    dest = wine.work / "policy" / scope.replace(" ", "-")
    try:
        for key, name, kind, data in values:
            wine.reg("add", key, "/v", name, "/t", kind, "/d", data)
        out = wine.python(
            "-m",
            "virtualenv",
            "--no-seed",
            "--activators",
            "powershell-policy",
            wine_dest(dest),
            cwd=wine.work,
            env=IN_POWERSHELL,
        )
    finally:
        for key, name, _, _ in values:
            wine.reg("delete", key, "/v", name)
    assert out.returncode == 0, out.stdout + out.stderr
    script = wine_dest(dest / "Scripts" / "activate-policy.ps1")
    # our lines go to stderr while virtualenv reports on stdout
    hints = [line for line in out.stderr.splitlines() if "PowerShell" in line and "activate-policy.ps1" in line]
    assert len(hints) == 1, out.stdout + out.stderr
    assert f"(execution policy {described}" in hints[0]
    if dot_source:
        assert f". {ps_quote(script)}" in hints[0]
        assert one_liner(script) not in hints[0]
    else:
        assert one_liner(script) in hints[0]
        assert "scripts cannot run" in hints[0]


def test_no_policy_anywhere_is_windows_default_restricted(wine: Wine) -> None:
    found = wine.json(
        "import json; from virtualenv_ready.activation.powershell.policy import probe; p = probe(); "
        "print(json.dumps([p.effective, p.scopes, p.language, p.source]))",
        cwd=wine.work,
    )
    assert found == ["Restricted", {}, "", "registry"]


def test_interpreter_discovery_by_version_through_pep_514(wine: Wine, wheelhouse: Path) -> None:
    """The host is 3.11: ``-p 3.10`` can only be found through the PEP 514 keys an installer writes."""
    home = wine.kit / "python310"
    missing = wine.python("-m", "virtualenv", "-p", "3.10", "--no-seed", wine_dest(wine.work / "no-310"), cwd=wine.work)
    assert missing.returncode != 0, "3.10 found before it was registered"
    key = r"HKCU\Software\Python\PythonCore\3.10"
    try:
        wine.reg("add", key, "/v", "SysVersion", "/t", "REG_SZ", "/d", "3.10")
        wine.reg("add", key, "/v", "SysArchitecture", "/t", "REG_SZ", "/d", "64bit")
        wine.reg("add", rf"{key}\InstallPath", "/ve", "/t", "REG_SZ", "/d", wine_dest(home))
        wine.reg(
            "add", rf"{key}\InstallPath", "/v", "ExecutablePath", "/t", "REG_SZ", "/d", wine_dest(home / "python.exe")
        )
        created = create(wine, wheelhouse, wine.work / "pep 514", "-p", "3.10", "--no-setuptools")
    finally:
        wine.reg("delete", key)
    assert created.out.returncode == 0, created.text
    cfg = (created.env / "pyvenv.cfg").read_text(encoding="utf-8")
    assert f"home = {wine_dest(home)}" in cfg
    assert "version_info = 3.10." in cfg
    data = json.loads((created.env / "virtualenv-ready.json").read_text(encoding="utf-8"))
    assert data["status"] == "complete"
    assert "installed 2 packages from pyproject.toml with pip" in created.text
    site = created.env / "Lib" / "site-packages"
    assert (site / "alpha").is_dir()
    assert list(site.glob("proj-1.0.dist-info"))


def test_a_tool_launcher_up_the_process_tree_is_recognised(wine: Wine, wheelhouse: Path) -> None:
    """nox.exe (a console-script launcher) runs virtualenv in a subprocess, with ready only the ini default."""
    ini = wine.work / "ini" / "virtualenv.ini"
    ini.parent.mkdir(exist_ok=True)
    ini.write_text("[virtualenv]\nseeder = ready\n", encoding="utf-8")
    project = wine.work / "tool project"
    created = create(wine, wheelhouse, project, "--version")  # writes the project; --version creates nothing
    assert created.out.returncode == 0, created.text
    dest = project / "tool-env"
    main = (
        "import subprocess, sys\n"
        f"sys.exit(subprocess.run([{wine.host_python!r}, '-m', 'virtualenv', {wine_dest(dest)!r}]).returncode)\n"
    )
    nox = script_exe(wine, wine.work / "tools" / "nox.exe", main)
    out = wine.run(wine_dest(nox), cwd=created.project, env={"VIRTUALENV_CONFIG_FILE": wine_dest(ini)})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "nox creates this env and ready is the seeder only through" in out.stdout + out.stderr
    assert not (dest / "Lib" / "site-packages" / "alpha").exists()
