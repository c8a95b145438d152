"""`virtualenv-ready doctor`: what is installed, what is the default, what each option is and where it came from."""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ReadyError

if TYPE_CHECKING:
    from .model import Policy, ReadyConfig

DIST = "virtualenv-ready"


def run_doctor() -> int:
    """Print a report; return 1 when something is broken (an entry point, a config file, a plugin)."""
    from . import __version__
    from .config import ini_path, read_ini

    problems: list[str] = []
    print(f"virtualenv-ready {__version__}")
    print(f"virtualenv {_version('virtualenv')}")
    _print_entry_points(problems)
    ini = ini_path()
    try:
        ini_values = read_ini(ini)
    except ReadyError as exc:
        problems.append(str(exc))
        ini_values = {}
    warnings: list[str] = []
    _default_seeder(ini, ini_values, problems, warnings)
    _print_installer()
    _print_plugins(problems)
    _print_policy(problems)
    print("options:")
    try:
        _print_options(ini, ini_values)
    except ReadyError as exc:
        problems.append(str(exc))
    for warning in warnings:
        print(f"warning: {warning}")
    for problem in problems:
        print(f"problem: {problem}")
    return 1 if problems else 0


def _print_entry_points(problems: list[str]) -> None:
    """Each of the package's entry points and whether it imports (tox's are unused without tox)."""
    print("entry points:")
    for ep in sorted(_own_entry_points(), key=lambda e: (e.group, e.name)):
        if ep.group == "tox" and _version("tox") == "not installed":
            print(f"  {ep.group}: {ep.name} = {ep.value} [unused: tox is not installed]")
            continue
        try:
            ep.load()
            state = "ok"
        except Exception as exc:
            state = f"BROKEN: {type(exc).__name__}: {exc}"
            problems.append(f"entry point {ep.group}:{ep.name} does not import")
        print(f"  {ep.group}: {ep.name} = {ep.value} [{state}]")


def _print_installer() -> None:
    """Which installer ``auto`` picks here, and why not uv when it is not uv."""
    from .installers.uv import find_uv, uv_failure

    uv, broken = find_uv(), uv_failure()
    if uv is not None:
        print(f"installer for auto: uv {uv.version} at {uv.where}")
    elif broken:
        print(f"installer for auto: pip (the env's own; {broken})")
    else:
        print('installer for auto: pip (the env\'s own; uv not found: `pip install "virtualenv-ready[uv]"`)')


def _print_plugins(problems: list[str]) -> None:
    """The plugins registered besides the built-ins (one that fails to load is a problem)."""
    try:
        from . import plugins

        manager = plugins.get_plugin_manager()
        names = [name for name, _ in manager.list_name_plugin() if name and not name.startswith("virtualenv_ready.")]
        print(f"plugins: {', '.join(names) or 'none besides the built-ins'}")
    except ReadyError as exc:
        problems.append(str(exc))


def _print_policy(problems: list[str]) -> None:
    """The org policy file in force, where it was looked for, and the keys it enforces (values redacted)."""
    from .policy import load_policy, policy_path

    path, why = policy_path()
    try:
        policy = load_policy()
    except ReadyError as exc:
        problems.append(str(exc))
        policy = None
    _source_variables(policy, problems)
    if policy is None:
        print(f"org policy: none ({path} from {why} does not exist)")
    else:
        print(f"org policy: {policy.path} (from {why}); enforced keys:")
        from .redact import redact

        for key, value in policy.raw.items():
            print(f"  {key} = {redact(str(value))}")


def _source_variables(policy: Policy | None, problems: list[str]) -> None:
    """The installer variables in this environment that choose sources: a problem under a policy that names the
    sources (installs refuse them), else listed as what pip and uv will use."""
    from .installers.process import refuse_source_variables, source_variables

    found = source_variables(os.environ)
    if not found:
        return
    if policy is not None and policy.restricts_sources:
        try:
            refuse_source_variables(os.environ, policy.where(str(policy.source_key)))
        except ReadyError as exc:
            problems.append(str(exc))
        return
    print(f"installer variables that choose sources (used as pip and uv document them): {', '.join(found)}")


def _default_seeder(ini: Path, ini_values: dict[str, str], problems: list[str], warnings: list[str]) -> None:
    """Print the default seeder and where it comes from, in virtualenv's order (VIRTUALENV_SEEDER, virtualenv.ini,
    `enable`, app-data); warn about a virtualenv.ini line that breaks other virtualenvs or hides `enable`."""
    from .settings import hook_default_seeder, is_enabled, settings_path

    path, why = settings_path()
    try:
        enabled = is_enabled()
    except ReadyError as exc:
        problems.append(f"{exc}; ready is not the default seeder until it is fixed")
        enabled = False
    seeder_env = os.environ.get("VIRTUALENV_SEEDER", "").strip()
    ini_seeder = ini_values.get("seeder", "").strip()
    if seeder_env:
        print(f"default seeder: {seeder_env} (from env var VIRTUALENV_SEEDER)")
    elif ini_seeder:
        print(f"default seeder: {ini_seeder} (from {ini})")
    elif enabled:
        print(f"default seeder: ready (from {path}, written by `virtualenv-ready enable`)")
    else:
        print("default seeder: app-data (virtualenv's default; `virtualenv-ready enable` makes it ready)")
    if ini_seeder == "ready":
        warnings.append(
            f"{ini} sets seeder = ready, which breaks every virtualenv without virtualenv-ready (Poetry's, pipx's, "
            "hatch's...); run `virtualenv-ready enable` to move the choice into virtualenv-ready's own file"
        )
    elif enabled and ini_seeder:
        warnings.append(
            f"{ini} sets seeder = {ini_seeder}, which wins over `virtualenv-ready enable`; remove that line"
        )
    if enabled and seeder_env and seeder_env != "ready":
        warnings.append(f"VIRTUALENV_SEEDER={seeder_env} in this environment wins over `virtualenv-ready enable`")
    if enabled:
        broken = hook_default_seeder()
        if broken:
            problems.append(f"`virtualenv-ready enable` ({path}, {why}) is not effective: {broken}")


def _print_options(ini: Path, ini_values: dict[str, str]) -> None:
    """Every option of the table with its value and where it came from (the ini file by its path)."""
    from .config import layer
    from .options import OPTIONS, environment_values
    from .redact import redact

    given = environment_values(os.environ, ini_values)
    config = layer(given)
    for opt in OPTIONS:
        if opt.field is not None:
            value = getattr(config, opt.field)
        else:  # read where it is used, not part of the config
            value = opt.parse(given[opt.dest][0] if opt.dest in given else None)
        origin = config.origin[opt.dest]
        source = str(ini) if origin.kind == "ini" else origin
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else value
        if opt.dest == "ready_groups" and value is None:
            shown = default_groups_shown(config)
        print(f"  {opt.flag} = {redact(str(shown)) if shown not in (None, '') else '(unset)'} [{source}]")


def default_groups_shown(config: ReadyConfig) -> str:
    """What an unset ``--ready-groups`` installs for the project here, as uv sync, poetry install and a pylock.toml
    choose (``dev (uv's default)``); a project file that does not parse says so."""
    from .files import load_pyproject, load_toml
    from .sources import poetry
    from .sources.uv import selected_groups

    project = config.project
    try:
        if (project / "pylock.toml").is_file() and config.requirements is None:
            chosen = load_toml(project / "pylock.toml").get("default-groups") or []
            return _named([str(g) for g in chosen], "pylock.toml's default-groups")
        pyproject = project / "pyproject.toml"
        data = load_pyproject(pyproject)
        if data is None:
            return "none (no pyproject.toml)"
        names = _named(selected_groups(data, pyproject, config), "uv's default")
        table = poetry.poetry_table(data)
        groups = poetry.groups(table, pyproject) if table is not None else {}
        required = poetry.chosen_groups({name: group.optional for name, group in groups.items()}, None)
        return (
            ", ".join(filter(None, [names, _named(required, "poetry install's default")])) or "none (no default group)"
        )
    except ReadyError as exc:
        return f"(cannot tell: {exc})"


def _named(groups: list[str], why: str) -> str:
    return ", ".join(f"{group} ({why})" for group in groups)


def _own_entry_points() -> list[metadata.EntryPoint]:
    try:
        dist = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        return []
    return list(dist.entry_points)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


__all__ = ["default_groups_shown", "run_doctor"]
