"""The one option table: every ``--ready-*`` option once, and what is derived from it.

Each :class:`Option` names its flag, the ``ReadyConfig`` field it fills, how it parses, its ``VIRTUALENV_READY_*``
variable and ``ready_*`` ini key (virtualenv derives both from the flag), its ``[tool.virtualenv-ready]`` key, its
place in the record and its tox key. The argparse wiring, the environment reading, the project table's keys, the
record's options, ``IndexOptions``, sync's rules, doctor's listing and tox's keys all read this table, so adding an
option is one entry here and one field of ``ReadyConfig``. Imports nothing of the package: the floor of the floor.
"""

from __future__ import annotations

from .valuetypes import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: the table is read on every sync
if TYPE_CHECKING:
    from argparse import ArgumentParser
    from collections.abc import Mapping
    from typing import Any, Literal

    Kind = Literal["str", "list", "flag"]
    # what: recorded, and sync installs the record's value; where: recorded, and sync takes today's value when today
    # sets one (the record's otherwise); compare: recorded so a change is noticed, sync takes today's only
    InRecord = Literal["what", "where", "compare"]
    OriginKind = Literal["cli", "env", "ini", "project", "record", "policy", "tox", "default"]

PREFIX = "--ready-"
TOOL_TABLE = "tool.virtualenv-ready"


class Origin(str):
    """Where one value came from: a ``kind`` for code, the text (``env var VIRTUALENV_READY_GROUPS``) for people.

    A ``str`` so that messages and older callers that compare or format the text keep working.
    """

    kind: OriginKind

    def __new__(cls, kind: OriginKind, text: str | None = None) -> Origin:
        made = super().__new__(cls, kind if text is None else text)
        made.kind = kind
        return made


CLI = Origin("cli")
INI = Origin("ini", "virtualenv.ini")
DEFAULT = Origin("default")


def env_origin(name: str) -> Origin:
    """The origin of a value read from the environment variable ``name``."""
    return Origin("env", f"env var {name}")


@dataclass(frozen=True)
class Option:
    """One ``--ready-*`` option and every name it has elsewhere."""

    flag: str
    field: str | None  # the ReadyConfig field; None: read where it is used (the seeder reads ready_in_tools)
    kind: Kind
    help: str
    metavar: str | None = None
    default: Any = None  # the field's value when no layer sets it
    anchored: bool = False  # paths: relative to the cwd, or to the project when its pyproject.toml names them
    project_key: str | None = None  # the [tool.virtualenv-ready] key a project may set it with
    project_refused: bool = False  # a project naming it is told it cannot choose where packages come from
    # a project naming it is ignored with this line's reason: the setting would weaken a guarantee, so only the user
    # or the org policy chooses it
    project_ignored: str | None = None
    in_record: InRecord | None = None
    tox_key: str | None = None
    tox_help: str | None = None

    @property
    def name(self) -> str:
        """The flag without ``--ready-`` (``index-url``), as messages name the option in a project file."""
        return self.flag.removeprefix(PREFIX)

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def env_var(self) -> str:
        return "VIRTUALENV_" + self.dest.upper()

    @property
    def ini_key(self) -> str:
        return self.dest

    def parse(self, value: Any) -> Any:
        """A value as given by any layer (a string, a list, a bool) in the field's type (paths not yet anchored)."""
        if self.kind == "flag":
            return as_bool(value or False)
        if self.kind == "list":
            if value is None:
                return self.default
            return tuple(as_list(value))
        return str(value) if value else self.default


OPTIONS: tuple[Option, ...] = (
    Option(
        "--ready-project",
        "project",
        "str",
        "project directory (default: cwd, else nearest parent with pyproject.toml)",
        "DIR",
    ),
    Option(
        "--ready-requirement",
        "requirements",
        "list",
        "requirements file to install, repeatable (default: pylock.toml, else requirements.txt)",
        "FILE",
        anchored=True,
        project_key="requirements",
        in_record="what",
        tox_key="ready_requirements",
        tox_help=(
            "requirements files ready installs, relative to tox_root (default: pylock.toml, else requirements.txt)"
        ),
    ),
    Option(
        "--ready-constraint",
        "constraints",
        "list",
        "constraints file or URL applied to everything, repeatable",
        "FILE|URL",
        (),
        anchored=True,
        project_key="constraints",
        in_record="what",
    ),
    Option(
        "--ready-extras",
        "extras",
        "list",
        "extras of the project to install, comma separated",
        "EXTRA",
        (),
        project_key="extras",
        in_record="what",
        tox_key="ready_extras",
        tox_help="extras of the project when ready installs it (skip_install envs)",
    ),
    Option(
        "--ready-groups",
        "groups",
        "list",
        "dependency groups to install (PEP 735, Poetry, uv), comma separated (default: as uv sync and poetry install)",
        "GROUP",
        project_key="groups",
        in_record="what",
        tox_key="ready_groups",
        tox_help="PEP 735 dependency groups ready installs (default: ready's own)",
    ),
    Option(
        "--ready-no-project",
        "no_project",
        "flag",
        "do not install the project itself (editable)",
        default=False,
        project_key="no-project",
        in_record="what",
    ),
    Option(
        "--ready-no-lock",
        "no_lock",
        "flag",
        "resolve from pyproject.toml, not from a lock (pylock.toml, uv.lock, poetry.lock, pdm.lock)",
        default=False,
        project_key="no-lock",
        in_record="what",
    ),
    Option(
        "--ready-installer",
        "installer",
        "str",
        "installer backend: auto (uv when found), uv or pip",
        "NAME",
        "auto",
        project_key="installer",
        project_ignored=(
            "the installer decides which guarantees hold (pip fetches URLs a dependency names, uv refuses them), so "
            "only you or the org policy choose it: --ready-installer, VIRTUALENV_READY_INSTALLER or virtualenv.ini"
        ),
        in_record="what",
    ),
    Option(
        "--ready-index-url",
        "index_url",
        "str",
        "base URL of the package index",
        "URL",
        project_refused=True,
        in_record="where",
    ),
    Option(
        "--ready-extra-index-url",
        "extra_index_urls",
        "list",
        "extra package index URL, repeatable",
        "URL",
        (),
        project_refused=True,
        in_record="where",
    ),
    Option(
        "--ready-find-links",
        "find_links",
        "list",
        "folder or URL to look for archives in, repeatable",
        "PATH|URL",
        (),
        anchored=True,
        project_refused=True,
        in_record="where",
    ),
    Option(
        "--ready-no-index",
        "no_index",
        "flag",
        "ignore package indexes (only --ready-find-links)",
        default=False,
        project_refused=True,
        in_record="where",
    ),
    Option(
        "--ready-only-binary",
        "only_binary",
        "list",
        "only install wheels for these packages (:all: for every one)",
        "NAME",
        (),
        in_record="where",
    ),
    Option(
        "--ready-require-hashes",
        "require_hashes",
        "flag",
        "require a hash for every requirement",
        default=False,
        in_record="where",
    ),
    Option(
        "--ready-dry-run",
        "dry_run",
        "flag",
        "print the plan and the installer command, install nothing",
        default=False,
    ),
    Option(
        "--ready-allow-project-sources",
        "allow_project_sources",
        "flag",
        "let the project's files choose indexes, find-links, direct URLs and paths outside it (refused by default)",
        default=False,
        in_record="compare",
    ),
    Option(
        "--ready-in-tools",
        None,
        "flag",
        "install also when ready is only the default seeder (enable or virtualenv.ini) and a tool (hatch, nox, "
        "pdm...) creates the env",
        default=False,
    ),
)
BY_DEST: dict[str, Option] = {opt.dest: opt for opt in OPTIONS}
# what a project file may set, and what it is told it cannot (trusted-host is no option of ours, but pip's)
PROJECT_KEYS = tuple(opt.project_key for opt in OPTIONS if opt.project_key)
SOURCE_KEYS = (*(opt.name for opt in OPTIONS if opt.project_refused), "trusted-host")


def option(dest: str) -> Option:
    """The option filling ``dest`` (``ready_groups``)."""
    return BY_DEST[dest]


def recorded(kind: InRecord) -> tuple[Option, ...]:
    """The options the record keeps with this rule."""
    return tuple(opt for opt in OPTIONS if opt.in_record == kind)


def tox_options() -> tuple[Option, ...]:
    """The options a tox env sets with a ``ready_*`` key of its own."""
    return tuple(opt for opt in OPTIONS if opt.tox_key)


def add_arguments(parser: ArgumentParser) -> None:
    """Add every ``--ready-*`` option with a ``None`` default so unset stays detectable.

    virtualenv folds its env vars and ini keys into an option's default, so a value still ``None`` after parsing was
    set by none of those three, and the project file may fill it.
    """
    from .arguments import add_option

    for opt in OPTIONS:
        text = (
            opt.help
            if "(default: " in opt.help or opt.default in (None, ())
            else f"{opt.help} (default: {opt.default})"
        )
        add_option(parser, opt.flag, opt.dest, opt.kind, opt.metavar, text)


def add_unset_option(parser: ArgumentParser, flag: str, metavar: str, text: str) -> None:
    """Add a value option outside the table (the activators' own) that defaults to nothing, without argparse's
    ``(default: None)``; an env var or ini value still shows as virtualenv's default."""
    from .arguments import add_option

    add_option(parser, flag, None, "str", metavar, text)


def as_list(value: Any) -> list[str]:
    """A list value from any layer: a string (comma or newline separated) or a list of them."""
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


def environment_values(env: Mapping[str, str], ini: Mapping[str, str] | None = None) -> dict[str, tuple[Any, Origin]]:
    """Values of the ready options from ``VIRTUALENV_READY_*`` over the ``[virtualenv]`` ini section, each with its
    origin; an empty value is unset, as virtualenv reads it."""
    values: dict[str, tuple[Any, Origin]] = {}
    for opt in OPTIONS:
        raw: Any = env.get(opt.env_var) or None
        origin = env_origin(opt.env_var)
        if raw is None and ini is not None:
            raw, origin = ini.get(opt.ini_key) or None, INI
        if raw is None:
            continue
        values[opt.dest] = (as_bool(raw) if opt.kind == "flag" else raw, origin)
    return values


__all__ = [
    "BY_DEST",
    "CLI",
    "DEFAULT",
    "INI",
    "OPTIONS",
    "PROJECT_KEYS",
    "SOURCE_KEYS",
    "TOOL_TABLE",
    "Option",
    "Origin",
    "add_arguments",
    "add_unset_option",
    "as_bool",
    "as_list",
    "env_origin",
    "environment_values",
    "option",
    "recorded",
    "tox_options",
]
