"""Option layering: CLI > VIRTUALENV_READY_* > virtualenv.ini > pyproject [tool.virtualenv-ready] > defaults.

virtualenv folds env vars and ini keys into an option's default, so every ``--ready-*`` option defaults to
``None``: a value still ``None`` after parsing was set by none of those three, and the project file may fill it.
"""

from __future__ import annotations

import os
from argparse import Action
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ReadyError
from .model import ReadyConfig
from .project import find_project

if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace
    from collections.abc import Mapping, Sequence


TOOL_TABLE = "tool.virtualenv-ready"
# Keys a project file may set: what to install, never where it comes from.
PROJECT_KEYS = ("requirements", "constraints", "extras", "groups", "no-project", "no-lock", "installer")
SOURCE_KEYS = ("index-url", "extra-index-url", "find-links", "no-index", "trusted-host")


class _Append(Action):
    """Repeatable option; an env var or ini value (a string, comma or newline separated) is replaced, not extended."""

    def __call__(
        self, parser: ArgumentParser, namespace: Namespace, values: Any, option_string: str | None = None
    ) -> None:
        current = getattr(namespace, self.dest, None)
        items = list(current) if isinstance(current, list) else []
        if values not in items:
            items.append(values)
        setattr(namespace, self.dest, items)


@dataclass(frozen=True)
class Option:
    """One ``--ready-*`` option: its flag, the config field it fills and how it parses."""

    flag: str
    dest: str
    help: str
    kind: str = "str"  # str, list, flag
    metavar: str | None = None

    @property
    def env_var(self) -> str:
        return "VIRTUALENV_" + self.flag.lstrip("-").replace("-", "_").upper()

    @property
    def ini_key(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


OPTIONS: tuple[Option, ...] = (
    Option(
        "--ready-project",
        "ready_project",
        "project directory (default: cwd, else nearest parent with pyproject.toml)",
        metavar="DIR",
    ),
    Option(
        "--ready-requirement",
        "ready_requirement",
        "requirements file to install, repeatable (default: pylock.toml, else requirements.txt)",
        "list",
        "FILE",
    ),
    Option(
        "--ready-constraint",
        "ready_constraint",
        "constraints file or URL applied to everything, repeatable",
        "list",
        "FILE|URL",
    ),
    Option("--ready-extras", "ready_extras", "extras of the project to install, comma separated", "list", "EXTRA"),
    Option(
        "--ready-groups",
        "ready_groups",
        "dependency groups to install (PEP 735, Poetry, uv), comma separated (default: as uv sync and poetry install)",
        "list",
        "GROUP",
    ),
    Option("--ready-no-project", "ready_no_project", "do not install the project itself (editable)", "flag"),
    Option(
        "--ready-no-lock",
        "ready_no_lock",
        "resolve from pyproject.toml instead of installing the versions of pylock.toml or uv.lock",
        "flag",
    ),
    Option(
        "--ready-installer", "ready_installer", "installer backend: auto (uv when found), uv or pip", "choice", "NAME"
    ),
    Option("--ready-index-url", "ready_index_url", "base URL of the package index", metavar="URL"),
    Option("--ready-extra-index-url", "ready_extra_index_url", "extra package index URL, repeatable", "list", "URL"),
    Option(
        "--ready-find-links",
        "ready_find_links",
        "folder or URL to look for archives in, repeatable",
        "list",
        "PATH|URL",
    ),
    Option("--ready-no-index", "ready_no_index", "ignore package indexes (only --ready-find-links)", "flag"),
    Option(
        "--ready-only-binary",
        "ready_only_binary",
        "only install wheels for these packages (:all: for every one)",
        "list",
        "NAME",
    ),
    Option("--ready-require-hashes", "ready_require_hashes", "require a hash for every requirement", "flag"),
    Option("--ready-dry-run", "ready_dry_run", "print the plan and the installer command, install nothing", "flag"),
    Option(
        "--ready-allow-project-sources",
        "ready_allow_project_sources",
        "let the project's files choose indexes, find-links, direct URLs and paths outside it (refused by default)",
        "flag",
    ),
    Option(
        "--ready-in-tools",
        "ready_in_tools",
        "install also when ready is only virtualenv.ini's default and a tool (hatch, nox, pdm...) creates the env",
        "flag",
    ),
)


def add_arguments(parser: ArgumentParser) -> None:
    """Add every ``--ready-*`` option with a ``None`` default so unset stays detectable."""
    group = parser  # virtualenv hands seeders their own argument group already
    for opt in OPTIONS:
        if opt.kind == "flag":
            group.add_argument(opt.flag, dest=opt.dest, action="store_const", const=True, default=None, help=opt.help)
        elif opt.kind == "list":
            group.add_argument(
                opt.flag, dest=opt.dest, action=_Append, default=None, metavar=opt.metavar, help=opt.help
            )
        else:
            group.add_argument(opt.flag, dest=opt.dest, default=None, metavar=opt.metavar, help=opt.help)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for item in value:
        out.extend(part.strip() for part in str(item).replace("\n", ",").split(",") if part.strip())
    return out


def as_bool(value: Any) -> bool:
    """An ini or env-var flag value as virtualenv reads it (1, true, yes, on)."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def ini_path(env: Mapping[str, str] | None = None) -> Path:
    """The virtualenv.ini that virtualenv itself reads: VIRTUALENV_CONFIG_FILE, else its user config dir."""
    env = os.environ if env is None else env
    if env.get("VIRTUALENV_CONFIG_FILE"):
        return Path(env["VIRTUALENV_CONFIG_FILE"])
    from platformdirs import user_config_dir

    return Path(user_config_dir(appname="virtualenv", appauthor="pypa")) / "virtualenv.ini"


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
    from .files import load_pyproject

    data = load_pyproject(project / "pyproject.toml")
    if data is None:
        return {}
    table = data.get("tool", {}).get("virtualenv-ready", {})
    if not isinstance(table, dict):
        msg = f"{project / 'pyproject.toml'}: [{TOOL_TABLE}] must be a table"
        raise ReadyError(msg)
    for key in table:
        if key in SOURCE_KEYS:
            msg = (
                f"{project / 'pyproject.toml'}: [{TOOL_TABLE}] {key}: a project file cannot choose where packages come "
                f"from; set it with --ready-{key}, VIRTUALENV_READY_{key.replace('-', '_').upper()} or virtualenv.ini"
            )
            raise ReadyError(msg)
        if key not in PROJECT_KEYS:
            valid = ", ".join(PROJECT_KEYS)
            msg = f"{project / 'pyproject.toml'}: [{TOOL_TABLE}] unknown key {key!r}; valid keys: {valid}"
            raise ReadyError(msg)
    return table


def resolve(options: Namespace, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> ReadyConfig:
    """Layer the parsed options over the project's tool table and the defaults."""
    env = os.environ if env is None else env
    origin: dict[str, str] = {}
    raw = {opt.dest: getattr(options, opt.dest, None) for opt in OPTIONS}
    ini: dict[str, str] | None = None
    for opt in OPTIONS:
        if raw[opt.dest] is not None:
            if ini is None:
                ini = _ini_values(env)
            origin[opt.dest] = _origin_of(opt, options, env, ini)

    if raw["ready_project"]:
        project = Path(str(raw["ready_project"])).expanduser().absolute()
        if not project.is_dir():
            msg = f"--ready-project {project}: no such directory; pass an existing project directory"
            raise ReadyError(msg)
    else:
        project, why = find_project(cwd or Path.cwd())
        origin["ready_project"] = why
    table = load_tool_table(project)

    def pick(dest: str, key: str) -> Any:
        if raw[dest] is not None:
            return raw[dest]
        if key in table:
            origin[dest] = f"{project / 'pyproject.toml'} [{TOOL_TABLE}]"
            return table[key]
        return None

    requirements = pick("ready_requirement", "requirements")
    groups = pick("ready_groups", "groups")
    # any registered installer name is valid; an unknown one is reported with the list when it is looked up
    installer = str(pick("ready_installer", "installer") or "auto")
    constraints = pick("ready_constraint", "constraints")

    def anchor(dest: str, values: list[str]) -> tuple[str, ...]:
        # CLI, env and ini paths are relative to where virtualenv runs; a project file's to the project
        base = project if origin.get(dest, "").endswith(f"[{TOOL_TABLE}]") else (cwd or Path.cwd())
        return tuple(v if "://" in v else str((base / Path(v).expanduser()).absolute()) for v in values)

    from .policy import enforce, load_policy
    from .redact import remember_secrets

    config = ReadyConfig(
        project=project,
        requirements=anchor("ready_requirement", _as_list(requirements)) if requirements is not None else None,
        constraints=anchor("ready_constraint", _as_list(constraints)),
        extras=tuple(_as_list(pick("ready_extras", "extras"))),
        groups=tuple(_as_list(groups)) if groups is not None else None,
        no_project=as_bool(pick("ready_no_project", "no-project") or False),
        no_lock=as_bool(pick("ready_no_lock", "no-lock") or False),
        installer=installer,
        index_url=raw["ready_index_url"] or None,
        extra_index_urls=tuple(_as_list(raw["ready_extra_index_url"])),
        find_links=anchor("ready_find_links", _as_list(raw["ready_find_links"])),
        no_index=as_bool(raw["ready_no_index"] or False),
        only_binary=tuple(_as_list(raw["ready_only_binary"])),
        require_hashes=as_bool(raw["ready_require_hashes"] or False),
        dry_run=as_bool(raw["ready_dry_run"] or False),
        in_tools=as_bool(raw["ready_in_tools"] or False),
        allow_project_sources=as_bool(raw["ready_allow_project_sources"] or False),
        origin=origin,
    )
    config = enforce(config, load_policy(env))
    remember_secrets([u for u in (config.index_url, *config.extra_index_urls, *config.find_links) if u])
    return config


def _ini_values(env: Mapping[str, str]) -> dict[str, str]:
    try:
        return read_ini(ini_path(env))
    except ReadyError:  # virtualenv went on without the broken file; `doctor` reports it
        return {}


def _origin_of(opt: Option, options: Namespace, env: Mapping[str, str], ini: Mapping[str, str]) -> str:
    # get_source() says "cli" for plugin options on some virtualenv releases (argparse re-sets a string default
    # while virtualenv marks everything set as "cli"), so look at the inputs themselves
    if opt.env_var in env:
        return f"env var {opt.env_var}"
    getter = getattr(options, "get_source", None)
    source = getter(opt.dest) if getter else None
    if source == "file":
        return "virtualenv.ini"
    in_ini = ini.get(opt.ini_key)
    if in_ini is not None and getattr(options, opt.dest, None) == (as_bool(in_ini) if opt.kind == "flag" else in_ini):
        return "virtualenv.ini"  # the same value as the file's (a list the command line gave is a list, not a str)
    return "cli"


def options_namespace(values: Mapping[str, Any] | None = None) -> Namespace:
    """A namespace with every ready option unset, for callers outside virtualenv (sync, doctor, tox)."""
    from argparse import Namespace

    ns = Namespace(**{opt.dest: None for opt in OPTIONS})
    for key, value in (values or {}).items():
        setattr(ns, key, value)
    return ns


def from_environment(env: Mapping[str, str] | None = None, ini: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Values of the ready options from VIRTUALENV_READY_* and the virtualenv.ini [virtualenv] section."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for opt in OPTIONS:
        raw = env.get(opt.env_var) or None  # empty means unset, as virtualenv reads it
        if raw is None and ini is not None:
            raw = ini.get(opt.ini_key) or None
        if raw is None:
            continue
        values[opt.dest] = as_bool(raw) if opt.kind == "flag" else raw
    return values


def check_names(kind: str, wanted: Sequence[str], available: Sequence[str], where: str) -> None:
    """Fail with the list of what exists when a group or extra is unknown."""
    from packaging.utils import canonicalize_name

    known = {canonicalize_name(a): a for a in available}
    missing = [w for w in wanted if canonicalize_name(w) not in known]
    if missing:
        have = ", ".join(sorted(available)) or "none"
        msg = f"{where}: unknown {kind} {', '.join(missing)}; available: {have}"
        raise ReadyError(msg)


__all__ = ["ini_path", "read_ini", "OPTIONS", "ReadyConfig", "add_arguments", "find_project", "resolve"]
