"""Seed packages (pip, setuptools) as virtualenv's app-data would pick them, installed by uv when it is the installer.

The seeder fills in a :class:`Seed` (the request, a way to find the wheel files, app-data seeding as the fallback);
:func:`virtualenv_ready.apply.make_ready` decides when it runs: not at all when the env is already up to date,
through the installer when it can take wheel files, else through app-data before the installer is looked up.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import IndexOptions, Step

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

APP_DATA = "app-data"
UV = "uv"


@dataclass
class Seed:
    """What this run seeds and how; ``done`` once the seed packages are in the env (or were found there)."""

    #: the seed options as given (versions, download, search dirs, symlinks): recorded, so a re-run that asks for
    #: other seed packages seeds again and one that asks for the same does not
    request: dict[str, Any]
    #: the distributions seeded (pip, setuptools, ...)
    names: tuple[str, ...]
    #: seeds like the app-data seeder would (copy or symlink from virtualenv's app-data)
    app_data: Callable[[], None]
    #: {distribution: wheel file} exactly as app-data would resolve them; ``None`` when only app-data may seed
    wheels: Callable[[], Mapping[str, Path]] | None = None
    #: whether uv is there to take the wheels (asked only when seeding is due: a re-run never looks)
    uv_found: Callable[[], bool] = lambda: False
    #: how the env was seeded: app-data, symlink or uv (for the record)
    via: str = APP_DATA
    done: bool = False
    #: the installer runs that seeded (for the record)
    commands: list[list[str]] = field(default_factory=list)

    @property
    def via_installer(self) -> bool:
        return self.wheels is not None and self.uv_found()

    def seed_with_app_data(self) -> None:
        """The fallback, and the only way for the pip installer and ``--symlink-app-data``."""
        if not self.done:
            self.app_data()
            self.done = True
            if self.via == UV:
                self.via = APP_DATA


def seed_step(wheels: Mapping[str, Path]) -> tuple[Step, IndexOptions]:
    """One no-deps installer run for exactly these wheel files, offline.

    The wheels are pinned by name and version and found through ``--find-links`` on their folders, not given as
    file paths: a path would be recorded as a direct URL (``pip freeze --all`` would show ``pip @`` and a file URL),
    which app-data seeding never does.
    """
    lines = tuple(f"{name}=={wheel_version(path)}" for name, path in sorted(wheels.items()))
    folders = tuple(dict.fromkeys(str(path.parent) for path in wheels.values()))
    return Step(lines=lines, no_deps=True), IndexOptions(find_links=folders, no_index=True)


def with_seed(step: Step, index: IndexOptions, wheels: Mapping[str, Path]) -> tuple[Step, IndexOptions]:
    """The project's first run with the seed wheels in it, as the floor does by hand: one uv run for everything.

    Each seed line carries the sha256 of virtualenv's wheel, so whichever source uv finds it in (an index may list
    the same version), what it installs is that very file, byte for byte.
    """
    from .files import sha256_file

    lines = tuple(
        f"{name}=={wheel_version(path)} --hash=sha256:{sha256_file(path)}" for name, path in sorted(wheels.items())
    )
    folders = tuple(dict.fromkeys(str(path.parent) for path in wheels.values()))
    links = tuple(dict.fromkeys((*index.find_links, *folders)))
    return replace(step, lines=(*step.lines, *lines)), replace(index, find_links=links)


def named(lines: list[str], names: Mapping[str, object]) -> bool:
    """Whether any requirement line names one of the seed distributions (the project pins it: it must win)."""
    import re

    from packaging.utils import canonicalize_name

    wanted = {canonicalize_name(name) for name in names}
    for line in lines:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match and not line.lstrip().startswith("-") and canonicalize_name(match[1]) in wanted:
            return True
    return False


def wheel_version(path: Path) -> str:
    """The version part of a wheel file name (``pip-26.3-py3-none-any.whl`` -> ``26.3``)."""
    return path.name.split("-")[1]


__all__ = ["APP_DATA", "UV", "Seed", "named", "seed_step", "wheel_version", "with_seed"]
