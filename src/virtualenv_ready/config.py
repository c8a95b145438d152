"""Option layering: CLI > VIRTUALENV_READY_* > virtualenv.ini > pyproject [tool.virtualenv-ready] > defaults.

The options themselves are the table in ``options``; this module puts the layers together into a ``ReadyConfig``
(every value with its origin), for the seeder (:func:`resolve`), for ``sync`` (:func:`from_record`), for the CLI and
doctor (:func:`resolve_environment`) and for tox (:func:`layer`). The org policy goes on top of every one of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ReadyError
from .model import ReadyConfig
from .options import (
    CLI,
    DEFAULT,
    INI,
    OPTIONS,
    PROJECT_KEYS,
    SOURCE_KEYS,
    TOOL_TABLE,
    Option,
    Origin,
    add_arguments,
    as_bool,
    env_origin,
    environment_values,
    recorded,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Mapping, Sequence
    from typing import Any

    Given = dict[str, tuple[Any, Origin]]  # option dest -> (value as a layer gave it, where from)


def ini_path(env: Mapping[str, str] | None = None) -> Path:
    """The virtualenv.ini that virtualenv itself reads: VIRTUALENV_CONFIG_FILE, else its user config dir."""
    env = os.environ if env is None else env
    if env.get("VIRTUALENV_CONFIG_FILE"):
        return Path(env["VIRTUALENV_CONFIG_FILE"])
    from .userdirs import user_config_dir

    return Path(user_config_dir("virtualenv", "pypa")) / "virtualenv.ini"


def read_ini(path: Path) -> dict[str, str]:
    """The [virtualenv] section as virtualenv reads it (keys lower-cased, dashes as underscores; no file: empty)."""
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        text = None  # configparser says what is wrong
    if text is not None and all(_no_key(line.strip()) for line in text.splitlines()):
        return {}  # an empty or comment-only file, or section headers alone: no parser needed
    import configparser

    parser = configparser.ConfigParser(interpolation=None)  # literal values, as virtualenv reads them
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        msg = f"{path}: invalid ini file ({exc.message.splitlines()[0]}); fix the file"
        raise ReadyError(msg) from None
    if not parser.has_section("virtualenv"):
        return {}
    return {k.replace("-", "_"): v for k, v in parser.items("virtualenv")}


def _no_key(line: str) -> bool:
    return not line or line[0] in "#;" or (line[0] == "[" and line[-1] == "]")


def load_tool_table(project: Path) -> dict[str, Any]:
    """``[tool.virtualenv-ready]`` of the project's pyproject.toml, checked key by key."""
    from .tablememo import tool_table

    table = tool_table(project / "pyproject.toml")
    if table is None:
        return {}
    if not isinstance(table, dict):
        msg = f"{project / 'pyproject.toml'}: [{TOOL_TABLE}] must be a table"
        raise ReadyError(msg)
    for key in table:
        if key in SOURCE_KEYS:
            opt = next((o for o in OPTIONS if o.name == key), None)
            fix = f"set it with {opt.flag}, {opt.env_var} or virtualenv.ini" if opt else "remove it"
            msg = (
                f"{project / 'pyproject.toml'}: [{TOOL_TABLE}] {key}: a project file cannot choose where packages come "
                f"from; {fix}"
            )
            raise ReadyError(msg)
        if key not in PROJECT_KEYS:
            valid = ", ".join(PROJECT_KEYS)
            msg = f"{project / 'pyproject.toml'}: [{TOOL_TABLE}] unknown key {key!r}; valid keys: {valid}"
            raise ReadyError(msg)
    return table


def resolve(options: Namespace, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> ReadyConfig:
    """The seeder's config: virtualenv's parsed options (CLI, env vars and ini folded in) over the project's table."""
    env = os.environ if env is None else env
    given: Given = {}
    ini: dict[str, str] | None = None
    for opt in OPTIONS:
        value = getattr(options, opt.dest, None)
        if value is not None:
            if ini is None:
                ini = _ini_values(env)
            given[opt.dest] = (value, _origin_of(opt, options, env, ini))
    return layer(given, cwd=cwd, env=env)


def layer(
    given: Mapping[str, tuple[Any, Origin]], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> ReadyConfig:
    """The config from values the caller's layers gave (each with its origin), the project's table, the defaults, and
    the org policy on top."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    project, project_origin = _project(given, cwd)
    table = load_tool_table(project)
    in_table = Origin("project", f"{project / 'pyproject.toml'} [{TOOL_TABLE}]")
    values: dict[str, Any] = {}
    origin: dict[str, Origin] = {"ready_project": project_origin}
    for opt in OPTIONS:
        if opt.field == "project":
            continue
        if opt.dest in given:
            raw, origin[opt.dest] = given[opt.dest]
        elif opt.project_key in table and opt.project_ignored:
            _ignored(project, opt)
            raw, origin[opt.dest] = None, DEFAULT
        elif opt.project_key in table:
            raw, origin[opt.dest] = table[opt.project_key], in_table
        else:
            raw, origin[opt.dest] = None, DEFAULT
        if opt.field is None:
            continue
        value = opt.parse(raw)
        if opt.anchored and value:
            # CLI, env and ini paths are relative to where virtualenv runs; a project file's to the project
            base = project if origin[opt.dest].kind == "project" else cwd
            value = tuple(v if "://" in v else str((base / Path(v).expanduser()).absolute()) for v in value)
        values[opt.field] = value

    from .policy import enforce, load_policy
    from .redact import remember_secrets

    config = enforce(ReadyConfig(project=project, **values, origin=origin), load_policy(env))
    remember_secrets([u for u in (config.index_url, *config.extra_index_urls, *config.find_links) if u])
    return config


def _ignored(project: Path, opt: Option) -> None:
    """Say, once per run, that the project's setting of ``opt`` is not used."""
    from .logs import LOGGER

    LOGGER.warning(
        "virtualenv-ready: %s [%s] %s is ignored: %s",
        project / "pyproject.toml",
        TOOL_TABLE,
        opt.project_key,
        opt.project_ignored,
    )


def _project(given: Mapping[str, tuple[Any, Origin]], cwd: Path) -> tuple[Path, Origin]:
    raw, origin = given.get("ready_project", (None, DEFAULT))
    if not raw:
        from .project import discover

        found, why = discover(cwd)
        return found, Origin("default", why)
    project = Path(str(raw)).expanduser().absolute()
    if not project.is_dir():
        msg = f"--ready-project {project}: no such directory; pass an existing project directory"
        raise ReadyError(msg)
    return project, origin


def resolve_environment(
    overrides: Mapping[str, Any] | None = None, *, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> ReadyConfig:
    """The config a creation from ``cwd`` would get from ``VIRTUALENV_READY_*`` and virtualenv.ini (a broken ini is an
    error here), with ``overrides`` (option dest -> value, ``None`` skipped) as if given on the command line."""
    env = os.environ if env is None else env
    given: Given = environment_values(env, read_ini(ini_path(env)))
    given.update({dest: (value, CLI) for dest, value in (overrides or {}).items() if value is not None})
    return layer(given, cwd=cwd, env=env)


def from_record(
    venv: Path,
    project: str | None,
    recorded_options: Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> ReadyConfig:
    """Today's config for an env that has a record: the record's choices of what to install, today's sources of
    packages (the record's only where today sets none), ``overrides`` (option dest -> value) on top."""
    from .redact import MASK

    env = os.environ if env is None else env
    in_record = Origin("record", f"record of {venv}")
    given: Given = {"ready_project": (project, in_record)} if project else {}
    for opt in recorded("what"):
        if recorded_options.get(str(opt.field)) not in (None, [], False):
            given[opt.dest] = (recorded_options[str(opt.field)], in_record)
    today = environment_values(env, read_ini(ini_path(env)))
    for opt in recorded("where"):
        value = recorded_options.get(str(opt.field))
        if opt.dest in today:
            given[opt.dest] = today[opt.dest]
        elif value not in (None, [], False):
            if MASK in str(value):
                msg = (
                    f"{venv}: the recorded {opt.field} had credentials, which are never stored; "
                    f"set {opt.env_var} to sync"
                )
                raise ReadyError(msg)
            given[opt.dest] = (value, in_record)
    given.update({dest: (value, CLI) for dest, value in (overrides or {}).items() if value is not None})
    return layer(given, env=env)


def _ini_values(env: Mapping[str, str]) -> dict[str, str]:
    try:
        return read_ini(ini_path(env))
    except ReadyError:  # virtualenv went on without the broken file; `doctor` reports it
        return {}


def _origin_of(opt: Option, options: Namespace, env: Mapping[str, str], ini: Mapping[str, str]) -> Origin:
    # get_source() says "cli" for plugin options on some virtualenv releases (argparse re-sets a string default
    # while virtualenv marks everything set as "cli"), so look at the inputs themselves
    if opt.env_var in env:
        return env_origin(opt.env_var)
    getter = getattr(options, "get_source", None)
    source = getter(opt.dest) if getter else None
    if source == "file":
        return INI
    in_ini = ini.get(opt.ini_key)
    if in_ini is not None and getattr(options, opt.dest, None) == (as_bool(in_ini) if opt.kind == "flag" else in_ini):
        return INI  # the same value as the file's (a list the command line gave is a list, not a str)
    return CLI


def check_names(kind: str, wanted: Sequence[str], available: Sequence[str], where: str) -> None:
    """Fail with the list of what exists when a group or extra is unknown."""
    from packaging.utils import canonicalize_name

    known = {canonicalize_name(a): a for a in available}
    missing = [w for w in wanted if canonicalize_name(w) not in known]
    if missing:
        have = ", ".join(sorted(available)) or "none"
        msg = f"{where}: unknown {kind} {', '.join(missing)}; available: {have}"
        raise ReadyError(msg)


__all__ = [
    "OPTIONS",
    "PROJECT_KEYS",
    "SOURCE_KEYS",
    "TOOL_TABLE",
    "ReadyConfig",
    "add_arguments",
    "as_bool",
    "check_names",
    "from_record",
    "ini_path",
    "layer",
    "load_tool_table",
    "read_ini",
    "resolve",
    "resolve_environment",
]
