"""``activate-ci``: run once in a CI step and the later steps run inside the environment (GitHub Actions, Azure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base import ReadyActivator, activation_env, fill, read_template, to_crlf, write
from ..hints import Hint, Place, register, runner

if TYPE_CHECKING:
    from pathlib import Path

    from virtualenv.create.creator import Creator

SCRIPTS = ("activate-ci", "activate-ci.cmd")


def delimiter(values: list[str]) -> str:
    """A GitHub multi-line value delimiter found in none of the values (derived from them, so output is stable)."""
    from hashlib import sha256

    digest = sha256("\0".join(values).encode("utf-8", "surrogateescape")).hexdigest()
    size = 16
    while any(f"ghadelimiter_{digest[:size]}" in value for value in values):  # pragma: no cover - needs a collision
        size += 1
    return f"ghadelimiter_{digest[:size]}"


@register("ci", order=90, shells=())
def _hints(place: Place) -> list[Hint]:
    return runner(place, "ci", "activate-ci", "CI step", "", "GitHub Actions, Azure Pipelines")


class CIActivator(ReadyActivator):
    """Writes ``activate-ci`` (POSIX sh) and, for Windows targets, ``activate-ci.cmd``."""

    def write_scripts(self, creator: Creator) -> list[Path]:
        from ..quoting import cmd_quote, cmd_unsafe, has_line_break, sh_quote, shown

        extra = activation_env(creator.dest)
        dest, bin_dir = str(creator.dest), str(creator.bin_dir)
        if any(has_line_break(value) for value in (dest, *extra.values())):
            why = (
                f"CI variable files take one line per value and {shown(dest)} (or a plugin variable) holds a line break"
            )
            return self.skip(creator, SCRIPTS, why)
        mark = delimiter([dest, bin_dir, *extra.values()])
        written: list[Path] = []
        sh_env = "".join(f"ready_set {name} {sh_quote(value)}\n" for name, value in extra.items())
        values = {
            "__VIRTUAL_ENV__": sh_quote(dest),
            "__BIN_DIR__": sh_quote(bin_dir),
            "__DELIMITER__": sh_quote(mark),
            "__READY_ENV__": sh_env,
        }
        written.append(
            write(
                creator.bin_dir / "activate-ci",
                fill(read_template(__name__, "activate-ci.sh"), values),
                executable=True,
            )
        )
        if creator.interpreter.os == "nt":
            bad = sorted({c for value in (bin_dir, *extra.values()) for c in cmd_unsafe(value)})
            if bad:
                why = f"cmd.exe cannot carry {', '.join(bad)} in {shown(dest)} or a plugin variable; use a plainer path"
                return written + self.skip(creator, ("activate-ci.cmd",), why)
            all_env = {"VIRTUAL_ENV": dest, **extra}
            github = "".join(
                f'>>"%GITHUB_ENV%" echo:{name}^<^<{mark}\n'
                f'>>"%GITHUB_ENV%" echo:{cmd_quote(value)}\n'
                f'>>"%GITHUB_ENV%" echo:{mark}\n'
                for name, value in all_env.items()
            )
            azure = "".join(
                f"echo:##vso[task.setvariable variable={name}]{cmd_quote(value)}\n" for name, value in all_env.items()
            )
            cmd_values = {
                "__VIRTUAL_ENV__": cmd_quote(dest),
                "__BIN_DIR__": cmd_quote(bin_dir),
                "__GITHUB_ENV__": to_crlf(github),
                "__AZURE_ENV__": to_crlf(azure),
            }
            text = fill(to_crlf(read_template(__name__, "activate-ci.cmd")), cmd_values)
            written.append(write(creator.bin_dir / "activate-ci.cmd", text))
        return written


__all__ = ["CIActivator"]
