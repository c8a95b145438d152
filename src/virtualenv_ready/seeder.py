"""The `ready` seeder: pip and setuptools as app-data picks them (through uv when it installs), then the project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from virtualenv.seed.embed.via_app_data.via_app_data import FromAppData

from . import pipes  # noqa: F401 - guards the package's log lines and keeps them off virtualenv's report
from .logs import LOGGER
from .settings import hook_default_seeder

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from pathlib import Path

    from python_discovery import PythonInfo
    from virtualenv.app_data.base import AppData
    from virtualenv.config.cli.parser import VirtualEnvOptions
    from virtualenv.create.creator import Creator

    from .seeding import SeedRequest

hook_default_seeder()  # `virtualenv-ready enable`: ready as --seeder's default, only where this package is installed


class ReadySeeder(FromAppData):
    """Seeds pip/setuptools exactly like ``app-data`` (all its options keep working), then makes the env ready."""

    def __init__(self, options: VirtualEnvOptions) -> None:
        super().__init__(options)
        self._options = options
        self._seed_packages = self.enabled
        # app-data turns itself off when no seed package is wanted (--no-pip on 3.12+); the project still installs
        self.enabled = not options.no_seed
        # virtualenv builds its parts before it runs any: this is the last look at the destination as it was
        self._existed = self._before_creation(options)

    @staticmethod
    def _before_creation(options: VirtualEnvOptions) -> bool:
        """Refuse ``--clear`` of the project (the creator deletes the destination before any seeder runs); say
        whether the destination was there with something in it (then it is found, not made)."""
        from pathlib import Path

        from .foreign import had_content, refuse_clear

        dest = getattr(options, "dest", None)
        if dest is None:
            return False
        if getattr(options, "clear", False):
            project = getattr(options, "ready_project", None)
            refuse_clear(Path(dest), [Path.cwd(), *([Path(project).expanduser()] if project else [])])
            return False
        return had_content(Path(dest))

    @classmethod
    def add_parser_arguments(cls, parser: ArgumentParser, interpreter: PythonInfo, app_data: AppData) -> None:
        super().add_parser_arguments(parser, interpreter, app_data)
        from .config import add_arguments

        add_arguments(parser)

    def run(self, creator: Creator) -> None:
        from pathlib import Path

        from .lock import dest_lock

        with dest_lock(Path(creator.dest)):
            self._make_ready(creator)

    def _make_ready(self, creator: Creator) -> None:
        from functools import partial

        from . import record
        from .apply import sync
        from .config import resolve
        from .errors import ReadyError
        from .foreign import adopt, examine
        from .mode import FRESH, Mode, activation_of
        from .origin import CONFIG
        from .target import Target
        from .valuetypes import replace

        target = Target.from_creator(creator)
        origin = self._origin()
        if self._skip_for_tool(origin):
            self._app_data(creator)
            return
        try:
            config = resolve(self._options)
        except ReadyError as exc:
            # bad options or project files still leave a seeded env, and a record saying it is not ready
            self._app_data(creator)
            record.mark_incomplete(target.venv, str(exc))
            raise
        verbosity = self._options.verbosity
        mode = Mode(
            verbosity=2 if verbosity is None else verbosity,
            consent=origin == CONFIG,
            creating=True,
            seed=self._seed_request(creator, config.installer),
            activation=activation_of(
                getattr(self._options, "activators", None), getattr(self._options, "prompt", None)
            ),
        )
        found = examine(target.venv, existed=self._existed)
        if found.foreign:
            adopt(target.venv, found)  # and seeded by app-data: uv would start the env's interpreter before consent
            mode = replace(mode, seed=replace(mode.seed, wheels=None) if mode.seed else None)
        previous = None if config.dry_run else found.record  # a dry run shows the whole plan
        outcome = sync(target, config, mode, previous=previous, app_data=partial(FromAppData.run, self, creator))
        if outcome.state == FRESH:
            LOGGER.warning("virtualenv-ready: %s is already up to date with %s", target.venv, outcome.summary)

    def _app_data(self, creator: Creator) -> None:
        if self._seed_packages:
            super().run(creator)

    def _seed_request(self, creator: Creator, installer: str) -> SeedRequest | None:
        """What this run seeds; uv may take the wheels app-data would use when it is the installer (asked for, or
        found by ``auto``) and the packages are copied, not symlinked (``--symlink-app-data`` links into app-data's
        images, which only app-data can do)."""
        if not self._seed_packages:
            return None
        from functools import partial

        from .seeding import UV, SeedRequest

        names = tuple(self.distribution_to_versions())
        options: dict[str, object] = {
            **self.distribution_to_versions(),
            "download": self.download,
            "extra_search_dir": [str(path) for path in self.extra_search_dir],
            "symlink": self.symlinks,
        }
        usable = not self.symlinks and installer in {"auto", UV} and has_seed_wheels(self)
        wheels = partial(seed_wheels, self, creator) if usable else None
        return SeedRequest(options, names, wheels, symlink=self.symlinks)

    def _origin(self) -> str:
        """Whether this run chose ready itself (explicit) or only a default did (config): virtualenv.ini's seeder, or
        `virtualenv-ready enable` under it; ``self._default_from`` names that file for the messages."""
        import os

        from .config import ini_path, read_ini
        from .origin import seeder_origin
        from .settings import enabled_quietly, settings_path

        env = getattr(self._options, "env", None) or os.environ
        ini = ini_path(env)
        ini_seeder = read_ini(ini).get("seeder")
        enabled = not ini_seeder and enabled_quietly()
        self._ini = ini
        self._default_from = settings_path()[0] if enabled else ini
        return seeder_origin(env, ini_seeder, enabled=enabled)

    def _skip_for_tool(self, origin: str) -> bool:
        """Another tool (hatch, nox, pdm, ...) creating an env with ready only as the default seeder: seed as
        app-data."""
        from .config import as_bool
        from .origin import CONFIG, calling_tool

        if origin != CONFIG:
            return False
        tool = calling_tool(env=getattr(self._options, "env", None), dest=getattr(self._options, "dest", None))
        if tool is None or as_bool(self._options.ready_in_tools or False):
            return False
        from .errors import PROBLEM

        LOGGER.log(
            PROBLEM,
            "virtualenv-ready: %s creates this env and ready is the seeder only through %s; seeded like app-data, "
            "project not installed (set ready_in_tools = true in %s or VIRTUALENV_READY_IN_TOOLS=1 to install in %s "
            "envs too)",
            tool,
            self._default_from,
            self._ini,
            tool,
        )
        return True

    def __repr__(self) -> str:
        return super().__repr__().replace(type(self).__name__, "ReadySeeder", 1)


# virtualenv has no public way to ask which wheel files app-data would seed; ``FromAppData._get_seed_wheels`` (a
# context manager yielding {distribution: Wheel}, each with ``.path``) is that lookup. Checked against virtualenv
# 20.26.6 to 21.15.14; tests/unit/test_seeder.py fails when it goes, and without it app-data seeds as before.
_SEED_WHEELS = "_get_seed_wheels"


def has_seed_wheels(seeder: FromAppData) -> bool:
    """Whether this virtualenv still has the wheel lookup :func:`seed_wheels` relies on."""
    return hasattr(seeder, _SEED_WHEELS)


def seed_wheels(seeder: FromAppData, creator: Creator) -> dict[str, Path]:
    """The wheel files app-data would install, found by virtualenv itself (versions, bundle, embed, download,
    periodic update, extra search dirs): the same lookup as :meth:`FromAppData.run`."""
    from pathlib import Path

    with getattr(seeder, _SEED_WHEELS)(creator) as found:
        return {name: Path(wheel.path) for name, wheel in found.items()}


__all__ = ["ReadySeeder", "has_seed_wheels", "seed_wheels"]
