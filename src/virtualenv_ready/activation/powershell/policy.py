"""What PowerShell will allow on this Windows machine: the effective execution policy, who set it, the language mode.

Read once at creation time, from ``powershell.exe`` with a timeout, else from the registry, to log the activation
command that works here.
"""

from __future__ import annotations

import os

from ...valuetypes import dataclass, field

PROBE_TIMEOUT = 15.0
# Get-ExecutionPolicy -List order: the first scope with a policy wins
SCOPES = ("MachinePolicy", "UserPolicy", "Process", "CurrentUser", "LocalMachine")
GROUP_POLICY_SCOPES = ("MachinePolicy", "UserPolicy")
SCRIPTS_ALLOWED = ("Unrestricted", "RemoteSigned", "Bypass")
PROBE_COMMAND = (
    "'effective=' + (Get-ExecutionPolicy); "
    "Get-ExecutionPolicy -List | ForEach-Object { '' + $_.Scope + '=' + $_.ExecutionPolicy }; "
    "'language=' + $ExecutionContext.SessionState.LanguageMode"
)


@dataclass(frozen=True)
class Policy:
    """The policy found; empty strings where it could not be read."""

    effective: str = ""
    scopes: dict[str, str] = field(default_factory=dict)
    language: str = ""
    source: str = "none"  # powershell, registry or none

    @property
    def locked_by(self) -> str | None:
        """The Group Policy scope that sets the policy (then ``Set-ExecutionPolicy`` changes nothing), if any."""
        for scope in GROUP_POLICY_SCOPES:
            if self.scopes.get(scope, "Undefined") not in {"", "Undefined"}:
                return scope
        return None

    @property
    def scripts_run(self) -> bool:
        """True when an unsigned local script file may run and in FullLanguage mode."""
        return self.effective in SCRIPTS_ALLOWED and self.language in {"", "FullLanguage"}

    def describe(self) -> str:
        text = f"execution policy {self.effective or 'unknown'}"
        if self.locked_by:
            text += (
                f" set by Group Policy ({self.locked_by}), so Set-ExecutionPolicy and -ExecutionPolicy cannot change it"
            )
        if self.language and self.language != "FullLanguage":
            text += f", language mode {self.language}"
        return text


def parse_probe(output: str) -> Policy:
    """Read the lines :data:`PROBE_COMMAND` prints."""
    values: dict[str, str] = {}
    for line in output.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep:
            values[key.strip()] = value.strip()
    scopes = {scope: values[scope] for scope in SCOPES if scope in values}
    return Policy(values.get("effective", ""), scopes, values.get("language", ""), "powershell")


def probe() -> Policy:
    """Ask Windows PowerShell, with a timeout; fall back to the registry. Never raises."""
    import shutil
    import subprocess

    shell = shutil.which("powershell.exe") or shutil.which("pwsh.exe")
    if shell is not None:
        cmd = [shell, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", PROBE_COMMAND]
        try:
            result = subprocess.run(
                cmd, capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired):
            result = None
        if result is not None and result.returncode == 0:
            found = parse_probe(result.stdout)
            if found.effective:
                return found
    return from_registry()


def policy_from_values(scopes: dict[str, str], lockdown: str | None) -> Policy:
    """The effective policy from per-scope values as the registry holds them (an unset scope is left out)."""
    effective = next((scopes[scope] for scope in SCOPES if scopes.get(scope, "Undefined") != "Undefined"), "Restricted")
    language = "ConstrainedLanguage" if (lockdown or "").strip() == "4" else ""
    return Policy(effective, dict(scopes), language, "registry")


def from_registry() -> Policy:  # pragma: no cover - Windows only: the wine layer and the windows workflow run it
    """Group Policy, CurrentUser and LocalMachine policies from the registry; Process scope from the environment."""
    try:
        import winreg
    except ImportError:
        return Policy()
    hklm, hkcu = winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER  # type: ignore[attr-defined,unused-ignore]

    def read(root: object, key: str, name: str) -> str | None:
        try:
            with winreg.OpenKey(root, key) as handle:  # type: ignore[attr-defined,arg-type,unused-ignore]
                value = winreg.QueryValueEx(handle, name)[0]  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return None
        return str(value)

    scopes: dict[str, str] = {}
    gpo = r"SOFTWARE\Policies\Microsoft\Windows\PowerShell"
    shell_ids = r"SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell"
    for scope, root in (("MachinePolicy", hklm), ("UserPolicy", hkcu)):
        # as PowerShell reads Group Policy: "Turn on Script Execution" disabled (EnableScripts 0) is Restricted,
        # and ExecutionPolicy counts only while it is enabled (EnableScripts 1)
        enabled = read(root, gpo, "EnableScripts")
        value = "Restricted" if enabled == "0" else read(root, gpo, "ExecutionPolicy") if enabled == "1" else None
        if value:
            scopes[scope] = value
    for scope, root in (("CurrentUser", hkcu), ("LocalMachine", hklm)):
        value = read(root, shell_ids, "ExecutionPolicy")
        if value:
            scopes[scope] = value
    process = os.environ.get("PSExecutionPolicyPreference")  # noqa: SIM112 - the Windows spelling
    if process:
        scopes["Process"] = process
    session = r"SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
    lockdown = os.environ.get("__PSLockdownPolicy") or read(hklm, session, "__PSLockdownPolicy")  # noqa: SIM112
    return policy_from_values(scopes, lockdown)


__all__ = ["PROBE_COMMAND", "Policy", "parse_probe", "policy_from_values", "probe"]
