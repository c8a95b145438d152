"""``activate-policy.ps1`` (+ ``activate-policy.cmd`` on Windows): PowerShell activation under any execution policy.

PowerShell checks script *files* against the execution policy; text piped to ``Invoke-Expression`` is not checked.
The script is therefore written so it also works as text: no param block, no ``$PSScriptRoot``, no .NET calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base import ReadyActivator, activation_env, fill, read_template, to_crlf, write

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from pathlib import Path

    from virtualenv.create.creator import Creator

SCRIPT = "activate-policy.ps1"
LAUNCHER = "activate-policy.cmd"


def one_liner(script: str) -> str:
    """The command that activates under any policy, quoted for PowerShell."""
    from ..quoting import ps_quote

    return f"Get-Content -Raw -LiteralPath {ps_quote(script)} | Invoke-Expression"


class PowerShellPolicyActivator(ReadyActivator):
    """Writes ``activate-policy.ps1`` everywhere (pwsh runs on Linux and macOS too), ``.cmd`` on Windows."""

    @classmethod
    def add_parser_arguments(cls, parser: ArgumentParser, interpreter: object) -> None:
        group = parser  # virtualenv hands each activator its own argument group already
        group.add_argument(
            "--ready-sign-pfx", metavar="PATH", default=None, help="PKCS#12 (.pfx) code-signing certificate"
        )
        group.add_argument(
            "--ready-sign-password-env",
            metavar="VAR",
            default=None,
            help="name of the environment variable holding the .pfx password (never the password itself)",
        )
        group.add_argument(
            "--ready-sign-thumbprint",
            metavar="HEX",
            default=None,
            help="Windows: thumbprint of a code-signing certificate in Cert:\\CurrentUser\\My or \\LocalMachine\\My",
        )
        group.add_argument("--ready-sign-timestamp", metavar="URL", default=None, help="RFC 3161 timestamp server URL")

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


__all__ = ["PowerShellPolicyActivator", "one_liner"]
