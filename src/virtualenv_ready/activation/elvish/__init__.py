"""``activate.elv``: activate the environment in Elvish with ``eval (slurp < venv/bin/activate.elv)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._base import ReadyActivator, activation_env, fill, read_template, write
from ..hints import Hint, Place, register

if TYPE_CHECKING:
    from pathlib import Path

    from virtualenv.create.creator import Creator


def usage(script: str) -> str:
    """The command that activates from the REPL, quoted for Elvish."""
    from ..quoting import elvish_quote

    return f"eval (slurp < {elvish_quote(script)})"


@register("elvish", order=70, shells=("elvish",))
def _hints(place: Place) -> list[Hint]:
    return [Hint("elvish", usage(place.path("activate.elv")))] if place.has("elvish", "activate.elv") else []


class ElvishActivator(ReadyActivator):
    """Writes ``activate.elv`` (virtualenv leaves Elvish to plugins)."""

    def write_scripts(self, creator: Creator) -> list[Path]:
        from ..quoting import elvish_quote, has_line_break

        extra = activation_env(creator.dest)
        script = creator.bin_dir / "activate.elv"
        one_liner = usage(str(script))
        # a comment ends at a line break, so a path holding one is left out of it
        shown = "#   " + one_liner + "\n" if not has_line_break(one_liner) else "#   eval (slurp < <this file>)\n"
        values = {
            "__USAGE__": shown,
            "__VIRTUAL_ENV__": elvish_quote(str(creator.dest)),
            "__BIN_DIR__": elvish_quote(str(creator.bin_dir)),
            "__PROMPT__": elvish_quote(self.prompt(creator)),
            "__SET_ENV__": "".join(f"set-env {name} {elvish_quote(value)}\n" for name, value in extra.items()),
            "__UNSET_ENV__": "".join(f"  unset-env {name}\n" for name in extra),
        }
        return [write(script, fill(read_template(__name__, "activate.elv"), values))]


__all__ = ["ElvishActivator", "usage"]
