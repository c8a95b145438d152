"""Seed packages (pip, setuptools) as virtualenv's app-data would pick them, installed by uv when it is the installer.

The seeder describes what to seed in a :class:`SeedRequest`; the functions here seed and return what they did as a
:class:`Seeded` value. :func:`virtualenv_ready.apply.sync` decides when: not at all when the env is already up to
date, through the installer when it can take wheel files, else through app-data before the installer is looked up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .logs import LOGGER
from .model import IndexOptions, Step
from .valuetypes import dataclass, field, replace

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .installers.base import Installer, Located
    from .model import InstallPlan, ReadyConfig
    from .record import Record
    from .target import Target

APP_DATA = "app-data"
SYMLINK = "symlink"
UV = "uv"


@dataclass(frozen=True)
class SeedRequest:
    """What the seeder asks for: recorded, so a re-run that asks for other seed packages seeds again."""

    #: the seed options as given (versions, download, search dirs, symlinks)
    options: Mapping[str, Any]
    #: the distributions seeded (pip, setuptools, ...)
    names: tuple[str, ...]
    #: {distribution: wheel file} exactly as app-data would resolve them, looked up only when uv seeds;
    #: ``None`` when only app-data may seed (symlinks into app-data, or an installer other than uv asked for)
    wheels: Callable[[], Mapping[str, Path]] | None = None
    #: how app-data seeds: a copy, or symlinks into its images
    symlink: bool = False

    @property
    def app_data_via(self) -> str:
        return SYMLINK if self.symlink else APP_DATA


@dataclass(frozen=True)
class Seeded:
    """What seeding did: how (app-data, symlink or uv) and the installer runs of its own it took (for the record)."""

    via: str
    commands: tuple[tuple[str, ...], ...] = ()
    #: when the seed wheels went into the project's first run: that run's command and the versions it seeded
    with_project: tuple[str, ...] = ()
    versions: Mapping[str, str] = field(default_factory=dict)


def seeded_before(request: SeedRequest, previous: Record | None, installed: Mapping[str, str]) -> Seeded | None:
    """An earlier run seeded these very packages (and maybe failed later), and they are all still there."""
    if previous is None or previous.seed != request.options or not previous.seed_via:
        return None
    if not all(name in installed for name in request.names):
        return None
    return Seeded(previous.seed_via)


_SEED_SETTINGS = ("download", "extra_search_dir", "symlink")


def resumed(previous: Record, target: Target) -> SeedRequest | None:
    """The seeding a first run asked for and did not finish (Ctrl-C in the first uv run, which was to seed too), for
    `sync` to do: the record keeps the request from the start; ``None`` when nothing is left to seed."""
    seed = previous.seed
    if previous.complete or not seed or previous.seed_via:
        return None
    names = tuple(name for name in seed if name not in _SEED_SETTINGS)
    if not names or all(name in target.installed() for name in names):
        return None
    from functools import partial

    wheels = None if seed.get("symlink") else partial(_wheels_again, dict(seed), names, target)
    return SeedRequest(dict(seed), names, wheels)


def _wheels_again(seed: Mapping[str, Any], names: tuple[str, ...], target: Target) -> dict[str, Path]:
    """The wheels a creation with these seed options takes, found by virtualenv's lookup (app-data, then the wheels
    it embeds), offline."""
    import os

    from virtualenv.seed.wheels.embed import get_embed_wheel

    python = target.marker_environment["python_version"]
    found: dict[str, Path] = {}
    for name in names:
        try:
            from virtualenv.app_data import make_app_data
            from virtualenv.seed.wheels.acquire import get_wheel

            app_data = make_app_data(None, read_only=True, env=os.environ)
            searched = [Path(folder) for folder in seed.get("extra_search_dir") or ()]
            wheel = get_wheel(name, seed.get(name), python, searched, False, app_data, False, dict(os.environ))
        except Exception:
            wheel = get_embed_wheel(name, python)
        if wheel is not None:
            found[name] = Path(wheel.path)
    return found


def via_installer(request: SeedRequest) -> bool:
    """Whether uv takes the seed wheels (asked only when seeding is due: a re-run never looks for uv)."""
    if request.wheels is None:
        return False
    from .installers.uv import find_uv

    return find_uv() is not None


def with_app_data(request: SeedRequest, app_data: Callable[[], None]) -> Seeded:
    """The fallback, and the only way for the pip installer and ``--symlink-app-data``."""
    app_data()
    return Seeded(request.app_data_via)


def through_installer(
    request: SeedRequest,
    app_data: Callable[[], None],
    installer: Installer,
    located: Located,
    target: Target,
    *,
    project: Path,
    verbosity: int,
    tmp: Path,
) -> Seeded:
    """The seed wheels in one offline run of the installer, before the project's runs so the project's pins win."""
    if request.wheels is None or installer.name != UV or not via_installer(request):
        return with_app_data(request, app_data)
    from .installers.steps import run_step

    wheels = request.wheels()
    if not wheels:
        return Seeded(UV)
    step, index = seed_step(wheels)
    what = f"seeding {', '.join(sorted(wheels))} with {installer.name}"
    argv = run_step(
        installer,
        located,
        target,
        step,
        index,
        file=tmp / "seed.txt",
        project=project,
        handed=None,
        verbosity=verbosity,
        what=what,
    )
    return Seeded(UV, commands=(tuple(argv),))


def seed_first(
    request: SeedRequest,
    app_data: Callable[[], None],
    steps: list[Step],
    plan: InstallPlan,
    installer: Installer,
    located: Located,
    target: Target,
    index: IndexOptions,
    *,
    verbosity: int,
    tmp: Path,
) -> tuple[Seeded, list[Step]]:
    """Seed, and return what it did and the runs still to do.

    The seed wheels go into the project's first uv run (one run, as the floor does by hand); where the project names
    a seed package, or that run fails over a seed package (a conflict with its pin, another file of that version
    found first), seeding is a run of its own before the project's, so the project's versions win exactly as after
    app-data seeding. Any other failure of that run is the project's own and is reported as it is: running the
    project again alone would fail the same way.
    """
    from .installers.base import InstallerFailed, show_output
    from .installers.steps import handed_files, run_step

    if steps and request.wheels is not None and installer.name == UV and via_installer(request):
        wheels = request.wheels()
        if not named(plan.requirement_lines(), wheels):
            merged, merged_index = with_seed(steps[0], index, wheels)
            what = f"installing {plan.summary} and seeding with {installer.name}"
            try:
                argv = run_step(
                    installer,
                    located,
                    target,
                    merged,
                    merged_index,
                    file=tmp / "step0.txt",
                    project=plan.project,
                    handed=handed_files(plan),
                    verbosity=verbosity,
                    what=what,
                    attempt=True,
                )
            except InstallerFailed as exc:
                if not seed_in(exc.output, wheels):  # the project's own failure: a second run would only repeat it
                    if verbosity < 3:  # at -v it was shown as it came
                        show_output(exc.output)
                    raise
                LOGGER.info("virtualenv-ready: the seed packages and %s do not resolve together", plan.summary)
            else:
                versions = {name: wheel_version(path) for name, path in wheels.items()}
                return Seeded(UV, with_project=tuple(argv), versions=versions), steps[1:]
    seeded = through_installer(
        request, app_data, installer, located, target, project=plan.project, verbosity=verbosity, tmp=tmp
    )
    return seeded, steps


def seed_alone(
    request: SeedRequest, app_data: Callable[[], None], config: ReadyConfig, target: Target, verbosity: int
) -> Seeded:
    """Seed an env that gets nothing else (no project, or not trusted): still pip and setuptools, as app-data."""
    if not via_installer(request):
        return with_app_data(request, app_data)
    import tempfile

    from .installers.choose import choose_installer

    installer, located = choose_installer(config.installer, target)
    with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as tmp:
        return through_installer(
            request, app_data, installer, located, target, project=config.project, verbosity=verbosity, tmp=Path(tmp)
        )


def record_keys(request: SeedRequest | None, seeded: Seeded | None, *, commands: bool = True) -> dict[str, Any]:
    """The record's seed keys: what was asked, how it was seeded (and the runs of its own that took); none when no
    seeding was asked for."""
    if request is None:
        return {}
    keys: dict[str, Any] = {"seed": request.options, "seed_via": seeded.via if seeded else request.app_data_via}
    if commands:
        keys["seed_commands"] = seeded.commands if seeded else ()
    return keys


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
    the same version), what it installs is that very file, byte for byte. The wheels do not change, so their digests
    come from :mod:`virtualenv_ready.filedigests` after the first creation.
    """
    from .filedigests import sha256_files

    digests = sha256_files(wheels.values())
    lines = tuple(
        f"{name}=={wheel_version(path)} --hash=sha256:{digests[path]}" for name, path in sorted(wheels.items())
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


def seed_in(output: str, wheels: Mapping[str, Path]) -> bool:
    """Whether an installer's error names a seed package as pinned (``pip==26.3``): the pin is what failed. Only the
    error is read (from uv's ``error:`` line on), not the ``--verbose`` log before it, which names every input."""
    lines = output.splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith("error:")), 0)
    error = "\n".join(line for line in lines[start:] if "DEBUG" not in line[:40])
    return any(f"{name}=={wheel_version(path)}" in error for name, path in wheels.items())


def wheel_version(path: Path) -> str:
    """The version part of a wheel file name (``pip-26.3-py3-none-any.whl`` -> ``26.3``)."""
    return path.name.split("-")[1]


__all__ = [
    "APP_DATA",
    "SYMLINK",
    "UV",
    "SeedRequest",
    "Seeded",
    "named",
    "record_keys",
    "resumed",
    "seed_alone",
    "seed_first",
    "seed_in",
    "seed_step",
    "seeded_before",
    "through_installer",
    "via_installer",
    "wheel_version",
    "with_app_data",
    "with_seed",
]
