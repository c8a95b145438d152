"""The project's Python version against the environment's interpreter, checked before anything is installed.

`requires-python` (or Poetry's ``python``, or setup.cfg's ``python_requires``) that the interpreter does not
satisfy stops the run with the `virtualenv -p` that fixes it; a `.python-version` that does not match warns.
"""

from __future__ import annotations

import configparser
import re
from typing import TYPE_CHECKING

from .. import hookimpl
from ..errors import ReadyError
from ..logs import LOGGER

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import ReadyConfig, Source
    from ..target import Target

_VERSION = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")
# minor versions a fix may name (oldest to newest); the one nearest the interpreter found is suggested
_MINORS = tuple(f"3.{minor}" for minor in range(6, 16))


def declared(project: Path) -> tuple[str, str] | None:
    """(where, specifier) of the project's Python requirement, or ``None`` when it declares none."""
    from ..files import load_pyproject, read_text
    from .poetry import poetry_table, requires_python

    pyproject = project / "pyproject.toml"
    data = load_pyproject(pyproject)
    if data is not None:
        meta = data.get("project")
        if isinstance(meta, dict) and meta.get("requires-python"):
            return f"{pyproject} requires-python", str(meta["requires-python"])
        poetry = poetry_table(data)
        if poetry is not None and not isinstance(meta, dict):
            found = requires_python(poetry)
            if found:
                return f"{pyproject} [tool.poetry.dependencies] python", found
    setup_cfg = project / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(read_text(setup_cfg, strict=False), str(setup_cfg))
        except configparser.Error:
            return None  # the build backend reports a broken setup.cfg with its own words
        value = parser.get("options", "python_requires", fallback="").strip()
        if value:
            return f"{setup_cfg} [options] python_requires", value
    return None


def _fix(spec: str, current: str, venv: Path) -> str:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    specs = SpecifierSet(spec)
    fitting = [m for m in _MINORS if specs.contains(f"{m}.0", prereleases=True) or specs.contains(f"{m}.99")]
    if not fitting:
        return f"create the env with a Python that satisfies {spec}: `virtualenv -p <python> --seeder ready {venv}`"
    now = Version(current)
    best = min(fitting, key=lambda m: abs(int(m.split(".")[1]) - now.minor))
    return f"create the env with a matching Python: `virtualenv -p {best} --seeder ready {venv}`"


def not_satisfied(where: str, spec: str, target: Target) -> str:
    """The one line for an interpreter outside a declared Python requirement, with the `virtualenv -p` that fixes it."""
    implementation, current = _interpreter(target)
    found = f"{target.python} is {implementation} {current}"
    return f"{where} {spec} is not satisfied: {found}; {_fix(spec, current, target.venv)}"


@hookimpl(tryfirst=True)
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    requirement = declared(project)
    pinned = _python_version_file(project)
    if requirement is None and pinned is None:
        return None
    implementation, current = _interpreter(target)
    found = f"{target.python} is {implementation} {current}"
    if requirement is not None:
        where, spec = requirement
        try:
            ok = SpecifierSet(spec).contains(current, prereleases=True)
        except InvalidSpecifier:
            msg = f"{where}: {spec!r} is not a valid version specifier; fix it (e.g. >=3.10)"
            raise ReadyError(msg) from None
        if not ok:
            msg = not_satisfied(where, spec, target)
            raise ReadyError(msg)
    if pinned is not None and not _matches(pinned, current):
        LOGGER.warning(
            "virtualenv-ready: %s asks for Python %s, but %s; create the env with `virtualenv -p %s --seeder ready %s`",
            project / ".python-version",
            pinned,
            found,
            pinned,
            target.venv,
        )
    return None


def _interpreter(target: Target) -> tuple[str, str]:
    """(implementation, full version) of the env's interpreter: from pyvenv.cfg, which virtualenv writes, with no
    subprocess; else by asking the interpreter."""
    values: dict[str, str] = {}
    try:
        for line in (target.venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                values[key.strip()] = value.strip()
    except (OSError, UnicodeDecodeError):
        pass
    info = values.get("version_info", "").split(".")
    if values.get("implementation") and len(info) >= 3 and all(part.isdigit() for part in info[:3]):
        version = ".".join(info[:3])
        if len(info) >= 5 and info[3] != "final":
            version += {"alpha": "a", "beta": "b", "candidate": "rc"}.get(info[3], info[3]) + info[4]
        return values["implementation"], version
    env = target.marker_environment
    return env["platform_python_implementation"], env["python_full_version"]


def _python_version_file(project: Path) -> str | None:
    from ..files import read_text

    path = project / ".python-version"
    try:
        lines = read_text(path, strict=False).splitlines()
    except OSError:
        return None
    for line in lines:
        text = line.strip()
        if text and not text.startswith("#"):
            match = _VERSION.search(text)
            return match.group(0) if match else None
    return None


def _matches(pinned: str, current: str) -> bool:
    """``3.12`` matches every 3.12.x; ``3.12.1`` only itself."""
    want = pinned.split(".")
    have = current.split(".")
    return have[: len(want)] == want


__all__ = ["declared", "not_satisfied"]
