"""Does an env installed from a lock satisfy what the project declares? A lock installs without a resolver, so a
stale or foreign lock can leave a requirement unmet while every install command succeeds.

After an exact install (a source installed without dependencies from a lock file), the project's declared
requirements (the installed project's own metadata, or a virtual project's dependencies, with the chosen extras and
dependency groups) are walked through the env's installed metadata, as `pip check` does but limited to the project's
closure; the first unmet requirement stops the run with the lock and its fix named. The metadata is read from the
``*.dist-info`` folders, without starting the env's interpreter; markers are evaluated for the target interpreter.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ReadyError
from .valuetypes import dataclass

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from .model import InstallPlan, ReadyConfig
    from .target import Target

#: what fixes each kind of lock that does not satisfy the project (``pylock.*.toml`` uses the pylock entry)
_FIX = {
    "uv.lock": "update it with `uv lock`",
    "pylock.toml": "regenerate it from the project (`uv export --format pylock.toml --output pylock.toml`)",
    "poetry.lock": "update it with `poetry lock`",
    "pdm.lock": "update it with `pdm lock`",
}


@dataclass(frozen=True)
class Dist:
    """One installed distribution: its version and its ``Requires-Dist`` lines."""

    version: str
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Unmet:
    """A requirement the env does not satisfy: who asks, what, and what is installed instead (``None``: nothing)."""

    by: str
    requirement: str
    found: str | None

    def __str__(self) -> str:
        has = f"{self.found} is installed" if self.found is not None else "it is not installed"
        return f"{self.by} requires {self.requirement}, but {has}"


def walk(
    roots: Iterable[tuple[str, str]],
    dist: Callable[[str], Dist | None],
    env: Mapping[str, str],
    overridden: frozenset[str] = frozenset(),
) -> list[Unmet]:
    """Every unmet requirement reachable from ``roots`` ((who asks, requirement line)) through installed metadata.

    ``dist`` looks a canonical name up; markers use ``env`` and, for a distribution's own lines, the extras asked
    of it. A satisfied requirement is followed into its distribution's requirements, each (name, extras) once.
    ``overridden``: names whose version the project's tool sets against what packages ask (uv's overrides), so
    only their presence is checked.
    """
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    queue: list[tuple[str, str, frozenset[str]]] = [(by, line, frozenset()) for by, line in roots]
    seen: set[tuple[str, frozenset[str]]] = set()
    unmet: list[Unmet] = []
    while queue:
        by, line, asked = queue.pop(0)
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue  # the installer accepted what it installed; a line it ignores is not ours to judge
        if req.marker is not None and not any(req.marker.evaluate({**env, "extra": e}) for e in [*asked, ""]):
            continue
        name = canonicalize_name(req.name)
        found = dist(name)
        if found is None:
            unmet.append(Unmet(by, str(req), None))
            continue
        if req.specifier and name not in overridden and not req.specifier.contains(found.version, prereleases=True):
            unmet.append(Unmet(by, str(req), f"{req.name} {found.version}"))
            continue
        extras = frozenset(canonicalize_name(e) for e in req.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        queue += [(f"{req.name} {found.version}", dep, extras) for dep in found.requires]
    return unmet


class Installed:
    """The env's distributions by canonical name, their METADATA read only when the walk asks for them."""

    def __init__(self, site_packages: Sequence[Path]) -> None:
        from .target import canonical

        self._folders: dict[str, Path] = {}
        for site in site_packages:
            if not site.is_dir():
                continue
            for entry in site.iterdir():
                if entry.name.endswith(".dist-info"):
                    self._folders.setdefault(canonical(_name(entry)), entry)
        self._read: dict[str, Dist | None] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._folders

    def __call__(self, name: str) -> Dist | None:
        if name not in self._read:
            folder = self._folders.get(name)
            self._read[name] = _dist(folder) if folder is not None else None
        return self._read[name]

    def everything(self) -> dict[str, list[object] | None]:
        """Every distribution's version and requirement lines (``None``: unreadable METADATA), by canonical name."""
        found = {name: self(name) for name in sorted(self._folders)}
        return {name: None if dist is None else [dist.version, list(dist.requires)] for name, dist in found.items()}


def _name(folder: Path) -> str:
    """Installers name the folder ``{normalized name}-{version}``; an older one's dashes need METADATA's Name."""
    name, sep, version = folder.name[: -len(".dist-info")].partition("-")
    if sep and "-" not in version:
        return name
    try:
        with (folder / "METADATA").open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                if line.startswith("Name:"):
                    return line.partition(":")[2].strip()
                if not line.strip():
                    break
    except OSError:
        pass
    return name


def _dist(folder: Path) -> Dist | None:
    """The Version and Requires-Dist headers of one METADATA (the body, often a long README, is not read on)."""
    try:
        text = (folder / "METADATA").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    version, requires = "", []
    for line in text.partition("\n\n")[0].splitlines():
        key, _, value = line.partition(":")
        if key == "Requires-Dist":
            requires.append(value.strip())
        elif key == "Version":
            version = value.strip()
    return Dist(version, tuple(requires))


def lock_of(plan: InstallPlan) -> Path | None:
    """The lock file an exact source of the plan was read from (its first input), or ``None``."""
    from .sources.pylock import is_lock_name

    return next((path for path in plan.exact_inputs() if path.name in _FIX or is_lock_name(path.name)), None)


def fix_for(lock: Path) -> str:
    """How to repair a lock of this kind."""
    return _FIX.get(lock.name, _FIX["pylock.toml"])


def check_locked(plan: InstallPlan, config: ReadyConfig, target: Target) -> None:
    """After the install: fail naming the first unmet requirement when a lock installed the env."""
    lock = lock_of(plan)
    if lock is None:
        return
    installed = Installed(target.site_packages)
    overridden = _overridden(config.project / "pyproject.toml")
    roots, env = declared(config, installed, lock), target.marker_environment
    from .signedmemo import read, remember

    key = _closure_key(roots, installed, env, overridden)
    met = read(_MET, _MET_FORMAT)
    if met.get(key) is True:
        return
    unmet = walk(roots, installed, env, overridden)
    if not unmet:  # an unmet closure is never kept: it is reported every time
        remember(_MET, _MET_FORMAT, met, {key: True}, _MET_KEPT)
        return
    more = f" (and {len(unmet) - 1} more: {'; '.join(map(str, unmet[1:4]))})" if len(unmet) > 1 else ""
    other = "pass --ready-no-lock to resolve from pyproject.toml" if config.requirements is None else "name another"
    other += "" if config.requirements is None else " lock with --ready-requirement"
    msg = f"{lock} does not satisfy the project: {unmet[0]}{more}; {fix_for(lock)}, or {other}"
    raise ReadyError(msg)


def _closure_key(
    roots: list[tuple[str, str]], installed: Installed, env: Mapping[str, str], overridden: frozenset[str]
) -> str:
    """Everything :func:`walk` reads, as one sha256: the same inputs give the same answer without parsing a line."""
    import json

    from .files import sha256

    document = [roots, env, sorted(overridden), installed.everything()]
    return str(sha256(json.dumps(document, sort_keys=True).encode("utf-8", "surrogateescape")).hexdigest())


#: closures found complete, by :func:`_closure_key` (signed, beside the record key: see :mod:`.signedmemo`)
_MET = "lock-closures.json"
_MET_FORMAT = 1
_MET_KEPT = 64


def declared(config: ReadyConfig, installed: Installed, lock: Path) -> list[tuple[str, str]]:
    """(who asks, requirement) of the project as its tool installs it: the installed project with the chosen extras
    (its metadata holds even dynamic dependencies), else a virtual project's static dependencies; and the chosen
    dependency groups."""
    from .files import load_pyproject
    from .target import canonical

    pyproject = config.project / "pyproject.toml"
    data = load_pyproject(pyproject)
    if data is None:
        return []
    meta, poetry = _table(data.get("project")), _table(_table(data.get("tool")).get("poetry"))
    name = str(meta.get("name") or poetry.get("name") or "")
    roots: list[tuple[str, str]] = []
    extras = f"[{','.join(config.extras)}]" if config.extras else ""
    if config.no_project:
        pass
    elif name and canonical(name) in installed:
        roots.append((f"{pyproject}", f"{name}{extras}"))
    elif "dependencies" not in meta.get("dynamic", []) and meta:
        where = f"{pyproject} [project] dependencies"
        roots += [(where, str(line)) for line in meta.get("dependencies") or []]
        optional = meta.get("optional-dependencies") or {}
        for extra in config.extras:
            roots += [(f"{pyproject} [project.optional-dependencies] {extra}", str(d)) for d in optional.get(extra, [])]
    elif poetry:
        roots += _poetry_roots(poetry, pyproject, config)
    if poetry and lock.name == "poetry.lock":
        roots += _poetry_groups(poetry, pyproject, config)
    return roots + _groups(data, pyproject, config, lock)


def _poetry_roots(poetry: dict[str, Any], pyproject: Path, config: ReadyConfig) -> list[tuple[str, str]]:
    """A Poetry project not installed itself (non-package mode): [tool.poetry.dependencies], with chosen extras."""
    from .sources.poetry import dependency_lines

    extras = _table(poetry.get("extras"))
    chosen = {e: extras[e] for e in extras if e in config.extras}
    try:
        lines = dependency_lines(_table(poetry.get("dependencies")), pyproject, "tool.poetry.dependencies", chosen)
    except (ReadyError, ValueError):
        return []  # the plan reported what cannot be translated
    return [(f"{pyproject} [tool.poetry.dependencies]", line) for line in lines]


def _poetry_groups(poetry: dict[str, Any], pyproject: Path, config: ReadyConfig) -> list[tuple[str, str]]:
    """The Poetry groups a poetry.lock installs: the ones named, else every non-optional one (`poetry install`)."""
    from .sources.poetry import chosen_groups, group_lines, groups

    try:
        table = groups(poetry, pyproject)
        chosen = [table[name] for name in chosen_groups({n: g.optional for n, g in table.items()}, config.groups)]
        return [(f"{pyproject} [{g.table}]", line) for g in chosen for line in group_lines(g, pyproject)]
    except (ReadyError, ValueError):
        return []


def _groups(data: dict[str, object], pyproject: Path, config: ReadyConfig, lock: Path) -> list[tuple[str, str]]:
    """The chosen PEP 735 groups' requirements: the ones named, else the lock's defaults (uv's for a uv.lock, every
    one for a pdm.lock, the pylock's ``default-groups``), each only when the project declares it."""
    from .sources.uv import group_table, selected_groups

    table = group_table(dict(data), pyproject)
    if not table:
        return []
    from dependency_groups import resolve

    if config.groups is not None or lock.name == "uv.lock":
        chosen = selected_groups(dict(data), pyproject, config)
    elif lock.name == "pdm.lock":
        chosen = list(table)  # `pdm install` installs every group
    else:
        chosen = [g for g in _lock_default_groups(lock) if g in table]
    roots: list[tuple[str, str]] = []
    for group in chosen:
        try:
            roots += [(f"{pyproject} [dependency-groups] {group}", line) for line in resolve(table, group)]
        except (LookupError, ValueError, TypeError):
            continue  # the plan reported a broken group already
    return roots


def _overridden(pyproject: Path) -> frozenset[str]:
    """Names the project's tool installs at a version of its own choosing: uv's ``override-dependencies``, PDM's
    resolution overrides (a lock honouring them is not stale for it)."""
    from .files import load_pyproject
    from .target import canonical

    tool = _table((load_pyproject(pyproject) or {}).get("tool"))
    resolution = _table(_table(tool.get("pdm")).get("resolution"))
    names = [str(name) for name in _table(resolution.get("overrides"))]
    lines = _table(tool.get("uv")).get("override-dependencies") or []
    if lines:
        from packaging.requirements import InvalidRequirement, Requirement
    for line in lines:
        try:
            names.append(Requirement(str(line)).name)
        except InvalidRequirement:
            continue
    return frozenset(canonical(name) for name in names)


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _lock_default_groups(lock: Path) -> list[str]:
    if (lock.name in _FIX and lock.name != "pylock.toml") or not lock.is_file():
        return []
    from .files import load_toml

    groups = load_toml(lock).get("default-groups") or []
    return [str(g) for g in groups] if isinstance(groups, list) else []


__all__ = ["Dist", "Installed", "Unmet", "check_locked", "declared", "fix_for", "lock_of", "walk"]
