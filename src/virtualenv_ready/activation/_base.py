"""What every virtualenv-ready activator shares: template loading, one-pass filling, writing, plugin variables."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from virtualenv.activation.activator import Activator

from ..logs import named

if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Mapping
    from pathlib import Path

    from virtualenv.create.creator import Creator

LOGGER = named("virtualenv_ready.activation")


class ReadyActivator(Activator):
    """Base of the virtualenv-ready activators: keeps the options and announces how to activate after writing."""

    def __init__(self, options: Namespace) -> None:
        super().__init__(options)  # type: ignore[arg-type]
        self.options = options

    def generate(self, creator: Creator) -> list[Path]:
        written = self.write_scripts(creator)
        from .notices import announce

        announce(creator, self.options)
        return written

    def write_scripts(self, creator: Creator) -> list[Path]:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def prompt(self, creator: Creator) -> str:
        """The prompt prefix: ``--prompt`` when given, else the environment directory's name."""
        return creator.env_name if self.flag_prompt is None else str(self.flag_prompt)

    def skip(self, creator: Creator, names: tuple[str, ...], why: str) -> list[Path]:
        """Warn that these scripts are not written, and remove stale copies from an earlier run."""
        for name in names:
            target = creator.bin_dir / name
            if hasattr(target, "unlink"):
                target.unlink(missing_ok=True)
        from ..errors import PROBLEM

        LOGGER.log(PROBLEM, "virtualenv-ready: not writing %s: %s", ", ".join(names), why)
        return []


def read_template(package: str, name: str) -> str:
    """A template beside its activator class, as text with ``\\n`` line ends."""
    import sys
    from pathlib import Path

    here = getattr(sys.modules[package], "__file__", None)
    if here is not None:  # an installed package is files on disk: read it without importlib.resources' machinery
        try:
            return (Path(here).parent / name).read_bytes().decode("utf-8")
        except OSError:
            pass
    from importlib.resources import files

    return (files(package) / name).read_bytes().decode("utf-8")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace every placeholder in one pass, so a placeholder name inside a filled-in value stays data."""
    import re

    pattern = re.compile("|".join(re.escape(key) for key in sorted(values, key=len, reverse=True)))
    return pattern.sub(lambda match: values[match.group()], template)


def write(path: Path, text: str, *, bom: bool = False, executable: bool = False) -> Path:
    """Write a script byte for byte (line ends are the template's, see :func:`to_crlf`); ``bom`` adds a UTF-8 BOM."""
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.unlink(missing_ok=True)  # a re-run may meet a read-only or signed copy
    path.write_bytes(data)
    if executable:
        path.chmod(0o755)
    return path


def to_crlf(template: str) -> str:
    """A template's ``\\n`` line ends as ``\\r\\n``; run it before filling so values keep their own characters."""
    return template.replace("\r\n", "\n").replace("\n", "\r\n")


def activation_env(venv: Path) -> dict[str, str]:
    """Variables plugins want set by every script (hook ``ready_activation_env``); the first plugin to name one wins.

    The plugin manager (and pluggy) is only loaded when a ``virtualenv_ready`` plugin is installed, so a plain
    ``virtualenv`` call pays nothing for it.
    """
    if not _plugins_installed():
        return {}
    from ..plugins import hooks

    return hooks().activation_env(venv)


def _plugins_installed() -> bool:
    if os.environ.get("VIRTUALENV_READY_FORCE_PLUGINS"):
        return True
    return _has_entry_points()


@functools.cache
def _has_entry_points() -> bool:
    # one scan per process: each of our activators asks
    from ..plugins import PROJECT, entry_points_of

    return bool(entry_points_of(PROJECT))


__all__ = ["LOGGER", "ReadyActivator", "activation_env", "fill", "read_template", "to_crlf", "write"]
