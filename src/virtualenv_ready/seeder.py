"""The `ready` seeder: virtualenv's app-data seeding, then the project's requirements installed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from virtualenv.seed.embed.via_app_data.via_app_data import FromAppData

if TYPE_CHECKING:
    from argparse import ArgumentParser

    from python_discovery import PythonInfo
    from virtualenv.app_data.base import AppData
    from virtualenv.config.cli.parser import VirtualEnvOptions
    from virtualenv.create.creator import Creator

LOGGER = logging.getLogger("virtualenv_ready")


class ReadySeeder(FromAppData):
    """Seeds pip/setuptools exactly like ``app-data`` (all its options keep working), then makes the env ready."""

    def __init__(self, options: VirtualEnvOptions) -> None:
        super().__init__(options)
        self._options = options
        self._seed_packages = self.enabled
        # app-data turns itself off when no seed package is wanted (--no-pip on 3.12+); the project still installs
        self.enabled = not options.no_seed

    @classmethod
    def add_parser_arguments(cls, parser: ArgumentParser, interpreter: PythonInfo, app_data: AppData) -> None:
        super().add_parser_arguments(parser, interpreter, app_data)
        from .config import add_arguments

        add_arguments(parser)

    def run(self, creator: Creator) -> None:
        from pathlib import Path

        from .lock import dest_lock

        with dest_lock(Path(creator.dest)):
            if self._seed_packages:
                super().run(creator)
            self._make_ready(creator)

    def _make_ready(self, creator: Creator) -> None:
        from . import record
        from .apply import make_ready
        from .config import resolve
        from .errors import ReadyError
        from .target import Target

        target = Target.from_creator(creator)
        origin = self._origin()
        if self._skip_for_tool(origin):
            return
        try:
            config = resolve(self._options)
        except ReadyError as exc:
            # bad options or project files still leave a record saying the env is not ready
            record.mark_incomplete(target.venv, str(exc))
            raise
        from .origin import CONFIG

        verbosity = self._options.verbosity
        make_ready(target, config, verbosity=2 if verbosity is None else verbosity, ask_consent=origin == CONFIG)

    def _origin(self) -> str:
        """Whether this run chose ready itself (explicit) or only virtualenv.ini did (config)."""
        import os

        from .config import ini_path, read_ini
        from .origin import seeder_origin

        env = getattr(self._options, "env", None) or os.environ
        ini = ini_path(env)
        values = read_ini(ini)
        self._ini = ini
        return seeder_origin(env, values.get("seeder"))

    def _skip_for_tool(self, origin: str) -> bool:
        """Another tool (hatch, nox, pdm, ...) creating an env with ready only as the ini default: seed as app-data."""
        from .config import as_bool
        from .origin import CONFIG, calling_tool

        if origin != CONFIG:
            return False
        tool = calling_tool()
        if tool is None or as_bool(self._options.ready_in_tools or False):
            return False
        from .errors import PROBLEM

        LOGGER.log(
            PROBLEM,
            "virtualenv-ready: %s creates this env and ready is the seeder only through %s; seeded like app-data, "
            "project not installed (set ready_in_tools = true there to install in %s envs too)",
            tool,
            self._ini,
            tool,
        )
        return True

    def __repr__(self) -> str:
        return super().__repr__().replace(type(self).__name__, "ReadySeeder", 1)


__all__ = ["ReadySeeder"]
