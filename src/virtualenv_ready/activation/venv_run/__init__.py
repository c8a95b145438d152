"""``venv-run CMD ARGS...``: run one command inside the environment without activating a shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base import ReadyActivator, activation_env, fill, read_template, to_crlf, write
from ..hints import Hint, Place, register, runner

if TYPE_CHECKING:
    from pathlib import Path

    from virtualenv.create.creator import Creator


@register("venv-run", order=80, shells=())
def _hints(place: Place) -> list[Hint]:
    return runner(place, "venv-run", "venv-run", "one command", " COMMAND [ARGS...]")


class VenvRunActivator(ReadyActivator):
    """Writes ``venv-run`` (POSIX sh, ``exec``) and, for Windows targets, ``venv-run.cmd``."""

    def write_scripts(self, creator: Creator) -> list[Path]:
        from ..quoting import cmd_quote, cmd_unsafe, sh_quote, shown

        extra = activation_env(creator.dest)
        written: list[Path] = []
        bin_dir = creator.bin_dir
        sh_env = "".join(f"{name}={sh_quote(value)}\nexport {name}\n" for name, value in extra.items())
        text = fill(
            read_template(__name__, "venv-run.sh"),
            {
                "__VIRTUAL_ENV__": sh_quote(str(creator.dest)),
                "__BIN_DIR__": sh_quote(str(bin_dir)),
                "__READY_ENV__": sh_env,
            },
        )
        written.append(write(bin_dir / "venv-run", text, executable=True))
        if creator.interpreter.os == "nt":
            bad = cmd_unsafe(str(bin_dir)) + [c for v in extra.values() for c in cmd_unsafe(v)]
            if bad:
                where = shown(str(creator.dest))
                why = f"cmd.exe cannot carry {', '.join(sorted(set(bad)))} in {where}; use a plainer path"
                return written + self.skip(creator, ("venv-run.cmd",), why)
            cmd_env = "".join(f'set "{name}={cmd_quote(value)}"\n' for name, value in extra.items())
            values = {
                "__VIRTUAL_ENV__": cmd_quote(str(creator.dest)),
                "__BIN_DIR__": cmd_quote(str(bin_dir)),
                "__READY_ENV__": to_crlf(cmd_env),
            }
            written.append(
                write(bin_dir / "venv-run.cmd", fill(to_crlf(read_template(__name__, "venv-run.cmd")), values))
            )
        return written


__all__ = ["VenvRunActivator"]
