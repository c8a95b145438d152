"""``activate-policy.ps1`` (+ ``activate-policy.cmd`` on Windows): PowerShell activation under any execution policy.

PowerShell checks script *files* against the execution policy; text piped to ``Invoke-Expression`` is not checked.
The script is therefore written so it also works as text: no param block, no ``$PSScriptRoot``, no .NET calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base import ReadyActivator, activation_env, fill, read_template, to_crlf, write
from ..hints import POWERSHELLS, Hint, Place, cmd_word, register

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from pathlib import Path, PurePath

    from virtualenv.create.creator import Creator

    from .policy import Policy

SCRIPT = "activate-policy.ps1"
LAUNCHER = "activate-policy.cmd"


def one_liner(script: str) -> str:
    """The command that activates under any policy, quoted for PowerShell."""
    from ..quoting import ps_quote

    return f"Get-Content -Raw -LiteralPath {ps_quote(script)} | Invoke-Expression"


@register("powershell-policy", order=60, shells=POWERSHELLS)
def _hints(place: Place) -> list[Hint]:
    if not place.has("powershell-policy", SCRIPT):
        return []
    if place.policy is None and place.windows and place.probe:
        from .policy import probe

        place.policy = probe()
    return [powershell_hint(place.bin_dir, windows=place.windows, policy=place.policy)]


@register("powershell-policy", order=65, shells=("cmd",))
def _launcher_hints(place: Place) -> list[Hint]:
    word = cmd_word(place.path(LAUNCHER)) if place.windows and place.has("powershell-policy", LAUNCHER) else None
    return [Hint("new PowerShell", word, "from cmd.exe or Explorer")] if word else []


def powershell_hint(bin_dir: PurePath, *, windows: bool, policy: Policy | None) -> Hint:
    """The PowerShell command that works under the policy found (the policy-proof one-liner when unsure)."""
    from ..quoting import ps_quote

    script = str(bin_dir / SCRIPT)
    dot = f". {ps_quote(script)}"
    if not windows:
        return Hint("PowerShell", dot)
    if policy is None or not policy.effective:
        return Hint("PowerShell", one_liner(script), "works under any execution policy")
    if policy.scripts_run:
        return Hint("PowerShell", dot, policy.describe())
    if policy.effective == "AllSigned" and _signed(script) and policy.language in {"", "FullLanguage"}:
        return Hint("PowerShell", dot, f"{policy.describe()}; the script is signed")
    return Hint("PowerShell", one_liner(script), f"{policy.describe()}: scripts cannot run, this reads it as text")


def _signed(script: str) -> bool:
    from pathlib import Path

    try:
        return b"# SIG # Begin signature block" in Path(script).read_bytes()
    except OSError:
        return False


class PowerShellPolicyActivator(ReadyActivator):
    """Writes ``activate-policy.ps1`` everywhere (pwsh runs on Linux and macOS too), ``.cmd`` on Windows."""

    @classmethod
    def add_parser_arguments(cls, parser: ArgumentParser, interpreter: object) -> None:
        from ...options import add_unset_option

        # virtualenv hands each activator its own argument group already
        add_unset_option(parser, "--ready-sign-pfx", "PATH", "PKCS#12 (.pfx) code-signing certificate")
        add_unset_option(
            parser,
            "--ready-sign-password-env",
            "VAR",
            "name of the environment variable holding the .pfx password (never the password itself)",
        )
        add_unset_option(
            parser,
            "--ready-sign-thumbprint",
            "HEX",
            "Windows: thumbprint of a code-signing certificate in Cert:\\CurrentUser\\My or \\LocalMachine\\My",
        )
        add_unset_option(parser, "--ready-sign-timestamp", "URL", "RFC 3161 timestamp server URL")

    def write_scripts(self, creator: Creator) -> list[Path]:
        from ..quoting import cmd_unsafe, has_line_break, ps_quote, shown

        windows = creator.interpreter.os == "nt"
        extra = activation_env(creator.dest)
        script = creator.bin_dir / SCRIPT
        command = one_liner(str(script))
        # a line comment ends at a line break: a path holding one is left out of the comment
        usage = (
            f"#   {command}\n"
            if not has_line_break(command)
            else "#   Get-Content -Raw -LiteralPath <this file> | Invoke-Expression\n"
        )
        values = {
            "__USAGE__": to_crlf(usage),
            "__VIRTUAL_ENV__": ps_quote(str(creator.dest)),
            "__PROMPT__": ps_quote(self.prompt(creator)),
            "__BIN_DIR__": ps_quote(str(creator.bin_dir)),
            "__PATH_SEP__": ps_quote(";" if windows else ":"),
            "__EXTRA_NAMES__": "".join(f", {ps_quote(name)}" for name in extra),
            "__SET_ENV__": to_crlf("".join(f"$env:{name} = {ps_quote(value)}\n" for name, value in extra.items())),
        }
        written = [write(script, fill(to_crlf(read_template(__name__, SCRIPT)), values), bom=True)]
        if windows:
            bad = cmd_unsafe(str(script))  # the rest of the one-liner is ours; inside "..." only % needs doubling
            if bad:
                where = shown(str(creator.dest))
                why = f"cmd.exe cannot carry {', '.join(bad)} in {where}; use {shown(command)} in PowerShell"
                self.skip(creator, (LAUNCHER,), why)
            else:
                cmd = fill(to_crlf(read_template(__name__, LAUNCHER)), {"__ONE_LINER__": command.replace("%", "%%")})
                written.append(write(creator.bin_dir / LAUNCHER, cmd))
        from .signing import sign_if_asked

        sign_if_asked(script, self.options)  # the last write to the script
        return written


__all__ = ["PowerShellPolicyActivator", "one_liner", "powershell_hint"]
