"""Opt-in Authenticode signing of ``activate-policy.ps1`` for sites that enforce AllSigned.

Windows uses ``Set-AuthenticodeSignature``; elsewhere ``osslsigncode`` (2.8 or newer signs PowerShell scripts).
The .pfx password comes from the environment variable named by ``--ready-sign-password-env``: it is handed to the
signer through its standard input or environment, never on a command line, in a log or in a file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argparse import Namespace

MIN_OSSLSIGNCODE = (2, 8)
TIMEOUT = 120


def sign_if_asked(script: Path, options: Namespace) -> bool:
    """Sign ``script`` when a signing option was given; True when it was signed."""
    pfx = getattr(options, "ready_sign_pfx", None)
    thumbprint = getattr(options, "ready_sign_thumbprint", None)
    password_env = getattr(options, "ready_sign_password_env", None)
    timestamp = getattr(options, "ready_sign_timestamp", None)
    if not pfx and not thumbprint:
        if password_env or timestamp:
            _fail(
                "--ready-sign-password-env/--ready-sign-timestamp were given without a certificate",
                "",
                "add --ready-sign-pfx PATH or --ready-sign-thumbprint HEX",
            )
        return False
    if pfx and thumbprint:
        _fail("signing needs one certificate, got both --ready-sign-pfx and --ready-sign-thumbprint", "", "drop one")
    password = _password(password_env)
    if sys.platform == "win32":
        _sign_windows(script, pfx, thumbprint, password, timestamp)
    else:
        if thumbprint:
            _fail(
                "--ready-sign-thumbprint needs the Windows certificate store",
                thumbprint,
                "on this system use --ready-sign-pfx PATH",
            )
        _sign_osslsigncode(script, str(pfx), password, timestamp)
    from .._base import LOGGER

    LOGGER.info("virtualenv-ready: signed %s", script)
    return True


def _fail(what: str, value: str, fix: str) -> None:
    from ...errors import ReadyError
    from ..quoting import shown

    text = f" {shown(value)}" if value else ""
    msg = f"signing activate-policy.ps1 failed: {what}{text}; {fix}"
    raise ReadyError(msg)


def _password(env_var: str | None) -> str | None:
    if env_var is None:
        return None
    if env_var not in os.environ:
        _fail(
            "the password variable named by --ready-sign-password-env is not set",
            env_var,
            f"export {env_var} before running virtualenv",
        )
    return os.environ[env_var]


def osslsigncode_version(tool: str) -> tuple[int, ...] | None:
    """The version ``osslsigncode --version`` reports, or None when it cannot be read."""
    import re
    import subprocess

    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"osslsigncode\s+(\d+)\.(\d+)", out.stdout + out.stderr)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _sign_osslsigncode(script: Path, pfx: str, password: str | None, timestamp: str | None) -> None:
    import shutil
    import subprocess

    tool = shutil.which("osslsigncode")
    if tool is None:
        _fail(
            "osslsigncode was not found on PATH",
            "osslsigncode",
            "install osslsigncode 2.8 or newer (Debian: bookworm-backports)",
        )
    assert tool is not None  # noqa: S101 - _fail raised
    version = osslsigncode_version(tool)
    if version is None or version < MIN_OSSLSIGNCODE:
        found = ".".join(map(str, version)) if version else "unknown"
        _fail("osslsigncode is too old to sign PowerShell scripts, version", found, "install osslsigncode 2.8 or newer")
    if not Path(pfx).is_file():
        _fail("the certificate file does not exist", pfx, "pass an existing .pfx to --ready-sign-pfx")
    signed = script.with_name(script.name + ".signing")
    signed.unlink(missing_ok=True)
    cmd = [tool, "sign", "-pkcs12", pfx, "-h", "sha256"]
    if password is not None:
        cmd += ["-readpass", "/dev/stdin"]  # the password goes through the pipe, not the command line
    if timestamp:
        cmd += ["-ts", timestamp]
    cmd += ["-in", str(script), "-out", str(signed)]
    try:
        result = subprocess.run(
            cmd, input=(password or "") + "\n", capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        signed.unlink(missing_ok=True)
        _fail(
            f"osslsigncode did not finish within {TIMEOUT}s",
            timestamp or pfx,
            "check the timestamp server or leave --ready-sign-timestamp out",
        )
    if result.returncode != 0 or not signed.is_file():
        signed.unlink(missing_ok=True)
        detail = _last_line(result.stdout + result.stderr, password)
        _fail(
            f"osslsigncode exited with {result.returncode} ({detail}) for",
            pfx,
            "check the certificate, its password variable and the timestamp URL",
        )
    signed.replace(script)


_WINDOWS_SIGN = r"""
$ErrorActionPreference = 'Stop'
if ($env:READY_SIGN_THUMBPRINT) {
    $id = $env:READY_SIGN_THUMBPRINT
    $stores = ('Cert:\CurrentUser\My\' + $id), ('Cert:\LocalMachine\My\' + $id)
    $cert = Get-ChildItem -Path $stores -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $cert) {
        throw ('no certificate ' + $env:READY_SIGN_THUMBPRINT + ' in Cert:\CurrentUser\My or Cert:\LocalMachine\My')
    }
} else {
    $type = 'System.Security.Cryptography.X509Certificates.X509Certificate2'
    $cert = New-Object -TypeName $type -ArgumentList $env:READY_SIGN_PFX, $env:READY_SIGN_PASSWORD
}
$arguments = @{ FilePath = $env:READY_SIGN_FILE; Certificate = $cert; HashAlgorithm = 'SHA256' }
if ($env:READY_SIGN_TIMESTAMP) { $arguments['TimestampServer'] = $env:READY_SIGN_TIMESTAMP }
$sig = Set-AuthenticodeSignature @arguments
if ($null -eq $sig.SignerCertificate) { throw ('Set-AuthenticodeSignature: ' + $sig.StatusMessage) }
"""


def _sign_windows(
    script: Path, pfx: str | None, thumbprint: str | None, password: str | None, timestamp: str | None
) -> None:
    import shutil
    import subprocess

    shell = shutil.which("powershell.exe") or shutil.which("pwsh.exe")
    if shell is None:
        _fail("PowerShell was not found on PATH", "powershell.exe", "sign on a machine with PowerShell")
    assert shell is not None  # noqa: S101 - _fail raised
    if pfx and not Path(pfx).is_file():
        _fail("the certificate file does not exist", pfx, "pass an existing .pfx to --ready-sign-pfx")
    env = dict(os.environ)
    env.update(
        READY_SIGN_FILE=str(script),
        READY_SIGN_PFX=pfx or "",
        READY_SIGN_THUMBPRINT=(thumbprint or "").replace(" ", ""),
        READY_SIGN_PASSWORD=password or "",
        READY_SIGN_TIMESTAMP=timestamp or "",
    )
    import base64

    encoded = base64.b64encode(_WINDOWS_SIGN.encode("utf-16-le")).decode("ascii")
    cmd = [shell, "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded]
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        _fail(
            f"Set-AuthenticodeSignature did not finish within {TIMEOUT}s", timestamp or "", "check the timestamp server"
        )
    if result.returncode != 0:
        detail = _last_line(result.stderr + result.stdout, password)
        _fail(
            f"Set-AuthenticodeSignature failed ({detail}) with",
            pfx or thumbprint or "",
            "check the certificate and its password variable",
        )


def _last_line(text: str, secret: str | None) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else "no output"
    if secret:
        line = line.replace(secret, "***")
    return line[:300]


__all__ = ["MIN_OSSLSIGNCODE", "osslsigncode_version", "sign_if_asked"]
