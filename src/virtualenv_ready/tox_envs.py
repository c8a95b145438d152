"""What a tox env without ``ready = true`` gets from virtualenv: no more than it would without this package.

tox builds packages in envs of their own (``.pkg``): those never get the project's requirements, whatever made
``ready`` the default seeder. A run env without ``ready = true`` gets ready only where the user opted in for tools
(``ready_in_tools``), and then without the project when tox installs the package itself. Neither gets our
activators. The commands of every env (and tox's logs of them) get no ``VIRTUALENV_READY_*`` value that carries a
credential. Only the tox plugin imports this module, inside its hooks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

SEEDER_ENV = "VIRTUALENV_SEEDER"
ACTIVATORS_ENV = "VIRTUALENV_ACTIVATORS"
PLAIN_SEEDER = "app-data"  # what `ready` extends: the same seed packages, nothing else
DIST = "virtualenv-ready"
OURS_PREFIX = "VIRTUALENV_READY_"
# a URL (one item of a comma or space separated list), and one with user-info or a query: where credentials go
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s,]+")
_CREDENTIAL_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s,]*[@?]")


def default_seeder(env: Mapping[str, str]) -> tuple[str, bool]:
    """The seeder virtualenv will use with ``env`` and whether the run chose it (VIRTUALENV_SEEDER) rather than a
    default (virtualenv.ini's ``seeder``, or `virtualenv-ready enable` under it)."""
    from .config import ini_path, read_ini
    from .errors import ReadyError
    from .settings import is_enabled

    chosen = env.get(SEEDER_ENV, "").strip()
    if chosen:
        return chosen, True
    try:
        in_ini = read_ini(ini_path(env)).get("seeder", "").strip()
        enabled = not in_ini and is_enabled(env)
    except (ReadyError, OSError):  # virtualenv reports a broken file itself
        return "", False
    return in_ini or ("ready" if enabled else ""), False


def opted_in_for_tools(env: Mapping[str, str]) -> bool:
    """``ready_in_tools`` from the variable or virtualenv.ini, as the seeder reads it."""
    from .config import as_bool, ini_path, read_ini
    from .errors import ReadyError

    name = "VIRTUALENV_READY_IN_TOOLS"
    if env.get(name, "").strip():
        return as_bool(env[name])
    try:
        return as_bool(read_ini(ini_path(env)).get("ready_in_tools") or False)
    except ReadyError:
        return False


def package_env_vars(env: Mapping[str, str]) -> dict[str, str]:
    """A packaging env (``.pkg``): seeded like app-data even when ``ready`` is the seeder by default or by choice."""
    seeder, _ = default_seeder(env)
    return {SEEDER_ENV: PLAIN_SEEDER} if seeder == "ready" else {}


def run_env_vars(env: Mapping[str, str], project: Path, tox_installs: bool) -> tuple[dict[str, str], bool]:
    """A run env without ``ready = true``: app-data unless the user chose ready or opted in for tools, and then no
    project when tox installs the package. Also whether ready is only a default here that this env does not use
    (worth one notice of how to turn it on)."""
    seeder, explicit = default_seeder(env)
    if seeder != "ready":
        return {}, False
    if not explicit and not opted_in_for_tools(env):
        return {SEEDER_ENV: PLAIN_SEEDER}, True
    settings = {} if env.get("VIRTUALENV_READY_PROJECT") else {"VIRTUALENV_READY_PROJECT": str(project)}
    if tox_installs:
        settings["VIRTUALENV_READY_NO_PROJECT"] = "1"
    return settings, False


def carries_credential(value: str) -> bool:
    """Whether a setting's value holds a URL with user-info (``user:token@``) or a query (``?token=``), the parts of a
    URL that our own output masks as credentials."""
    return _CREDENTIAL_URL.search(value) is not None


def withheld(env: Mapping[str, str], pass_env: Iterable[str]) -> set[str]:
    """The ``VIRTUALENV_READY_*`` names of ``env`` that tox's commands must not get: their value carries a credential,
    and ``pass_env`` does not name them one by one (tox passes ``VIRTUALENV_*`` by default and writes the environment
    of each command into its logs; a user who names the variable asked for it)."""
    named = {pattern.upper() for pattern in pass_env}
    return {
        name
        for name, value in env.items()
        if name.upper().startswith(OURS_PREFIX) and name.upper() not in named and carries_credential(value)
    }


def masked(env: dict[str, str]) -> dict[str, str]:
    """``env`` as tox may write it into its logs: the credentials in our variables' URLs masked (``env`` itself when
    there are none)."""
    from .redact import redact_url

    hidden = withheld(env, ())
    if not hidden:
        return env
    return {k: _URL.sub(lambda url: redact_url(url.group(0)), v) if k in hidden else v for k, v in env.items()}


def activators_chosen(env: Mapping[str, str]) -> bool:
    """Whether the user named the activators (variable or virtualenv.ini); then they are theirs to choose."""
    from .config import ini_path, read_ini
    from .errors import ReadyError

    if env.get(ACTIVATORS_ENV, "").strip():
        return True
    try:
        return bool(read_ini(ini_path(env)).get("activators", "").strip())
    except ReadyError:
        return True


def is_ours(activator: object) -> bool:
    """Whether an activator instance is one of this package's."""
    return type(activator).__module__.split(".", 1)[0] == "virtualenv_ready"


def toml_config(config_file: Path | None) -> bool:
    """Whether tox reads its configuration from TOML (``tox.toml``, ``[tool.tox]``), where overrides name
    ``env_run_base`` instead of ``testenv``."""
    if config_file is None:
        return False
    if config_file.name == "tox.toml":
        return True
    if config_file.name != "pyproject.toml":
        return False
    from .files import load_pyproject

    table = ((load_pyproject(config_file) or {}).get("tool") or {}).get("tox")
    return isinstance(table, dict) and not set(table) <= {"legacy_tox_ini"}


def turn_on_hint(config_file: Path | None) -> str:
    """How to make tox envs ready, in the form of this configuration (tox's rule for ``-x``)."""
    if toml_config(config_file):
        return "set ready = true in [env_run_base] of the TOML config, or try it once with -x env_run_base.ready=true"
    return "set ready = true in [testenv] of the config, or try it once with -x testenv.ready=true"


def names_us(requires: list[object]) -> bool:
    """Whether tox's ``requires`` installs this package into the tox it provisions."""
    from packaging.utils import canonicalize_name

    return any(canonicalize_name(str(getattr(req, "name", ""))) == DIST for req in requires)


def missing(requires: list[object]) -> list[str]:
    """The requirements of tox's ``requires`` this tox lacks (missing, or at a version outside them; pre-releases
    count, as in tox's own check): tox provisions itself when there is one."""
    from importlib.metadata import PackageNotFoundError, version

    found: list[str] = []
    for req in requires:
        marker = getattr(req, "marker", None)
        if marker is not None and not marker.evaluate():
            continue
        try:
            have = version(str(getattr(req, "name", "")))
        except PackageNotFoundError:
            found.append(str(req))
            continue
        specifier = getattr(req, "specifier", None)
        if specifier is not None and not specifier.contains(have, prereleases=True):
            found.append(str(req))
    return found


__all__ = [
    "activators_chosen",
    "carries_credential",
    "default_seeder",
    "is_ours",
    "masked",
    "names_us",
    "opted_in_for_tools",
    "package_env_vars",
    "missing",
    "run_env_vars",
    "toml_config",
    "turn_on_hint",
    "withheld",
]
