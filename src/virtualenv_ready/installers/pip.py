"""pip backend: the env's own pip, else the pip wheel virtualenv embeds (for envs made with --no-pip)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import hookimpl
from .base import Installer, Located, index_argv, step_argv

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ..model import IndexOptions, Step
    from ..target import Target


class PipInstaller(Installer):
    """Installs with pip, run by the env's interpreter so markers and tags are the env's."""

    name = "pip"
    auto_priority = 0

    def locate(self, target: Target) -> Located | None:
        version = target.installed().get("pip")
        if version:
            return Located((str(target.python), "-m", "pip"), version, f"pip {version} in the environment")
        wheel = _embedded_pip(target)
        if wheel is None:
            return None
        version = wheel.name.split("-")[1]
        # a pip wheel runs from the zip: `python pip.whl/pip`, leaving nothing behind in the env
        return Located((str(target.python), str(wheel / "pip")), version, f"virtualenv's embedded {wheel.name}")

    def missing_hint(self) -> str:
        return "create the env without --no-pip, or use --ready-installer uv"

    def install_argv(
        self, located: Located, target: Target, step: Step, index: IndexOptions, verbosity: int
    ) -> list[str]:
        argv = [*located.argv, "install", "--disable-pip-version-check", "--no-input"]
        if verbosity >= 4:
            argv.append("--verbose")
        elif verbosity <= 1:
            argv.append("--quiet")
        argv += index_argv(index)
        argv += step_argv(step, step.requirements_file)
        return argv

    def uninstall_argv(self, located: Located, target: Target, names: Sequence[str]) -> list[str]:
        return [*located.argv, "uninstall", "--disable-pip-version-check", "--no-input", "--yes", *names]


def _embedded_pip(target: Target) -> Path | None:
    """The pip wheel virtualenv ships for the target's Python, run from outside the env when it has no pip."""
    from pathlib import Path

    try:
        from virtualenv.seed.wheels.embed import get_embed_wheel
    except ImportError:
        return None
    version = target.marker_environment["python_version"]
    wheel = get_embed_wheel("pip", version)
    return Path(wheel.path) if wheel is not None else None


@hookimpl
def ready_register_installers() -> list[Installer]:
    return [PipInstaller()]


__all__ = ["PipInstaller"]
