"""What a tool's lock installs for one interpreter: the locked packages reached from the project's requirements.

Poetry (every lock version) and PDM locks made without inherited metadata do not say which packages a group needs
on which platform; the tool walks its dependency graph from the project's requirements at install time, evaluating
each edge's marker for the interpreter. This module is that walk, shared by both readers, and the lines it yields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ReadyError
from ..target import canonical  # PEP 503 names: the one key every lock and requirement is compared by
from ..valuetypes import dataclass, field

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


@dataclass(frozen=True)
class Edge:
    """One requirement: a name, a PEP 440 specifier ("" for any), a marker ("" for none) and the extras asked for."""

    name: str
    specifier: str = ""
    marker: str = ""
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class Locked:
    """One locked package: its version, the Python versions it is for, its dependencies and extras.

    ``extras`` maps each extra to the dependency names it turns on (``None``: the dependencies carry ``extra``
    markers themselves, as PEP 508 strings do); ``optional`` names dependencies only an extra turns on.
    """

    name: str
    version: str
    python: str = ""
    marker: str = ""
    dependencies: tuple[Edge, ...] = ()
    optional: frozenset[str] = frozenset()
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Chosen:
    """What a lock installs: the packages (in lock order), the groups chosen and those left out."""

    path: Path
    tool: str
    packages: tuple[Locked, ...]
    groups: tuple[str, ...]
    left_out: tuple[str, ...]


def evaluate(path: Path, marker: str, env: dict[str, Any], extras: Iterable[str] = ()) -> bool:
    """A marker for the interpreter, true when it holds for no extra or for any extra asked for."""
    if not marker:
        return True
    from packaging.markers import InvalidMarker, Marker

    try:
        parsed = Marker(marker)
        return any(parsed.evaluate({**env, "extra": extra}) for extra in ("", *extras))
    except InvalidMarker as exc:
        msg = f"{path}: marker {marker!r}: {exc}; regenerate the lock"
        raise ReadyError(msg) from None


def walk(path: Path, roots: list[Edge], packages: list[Locked], env: dict[str, Any]) -> list[Locked]:
    """The locked packages the roots need on this interpreter, with the extras asked of each, in lock order."""
    by_name: dict[str, list[Locked]] = {}
    for package in packages:
        by_name.setdefault(canonical(package.name), []).append(package)
    reached: dict[int, set[str]] = {}
    pending = [edge for edge in roots if evaluate(path, edge.marker, env)]
    while pending:
        edge = pending.pop()
        found = _pick(path, edge, by_name.get(canonical(edge.name), []), env)
        if found is None:
            continue
        package = found
        extras = reached.get(id(package))
        if extras is not None and set(edge.extras) <= extras:
            continue
        extras = (extras or set()) | set(edge.extras)
        reached[id(package)] = extras
        turned_on = {canonical(n) for extra in extras for n in package.extras.get(extra, ())}
        for dependency in package.dependencies:
            if canonical(dependency.name) in package.optional and canonical(dependency.name) not in turned_on:
                continue
            if evaluate(path, dependency.marker, env, extras):
                pending.append(dependency)
    return [package for package in packages if id(package) in reached]


def _pick(path: Path, edge: Edge, candidates: list[Locked], env: dict[str, Any]) -> Locked | None:
    """The locked version an edge reaches: the one for this Python and platform that the edge's specifier allows."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    for package in candidates:
        try:
            if package.python and not SpecifierSet(package.python).contains(env["python_full_version"], True):
                continue
            if edge.specifier and not SpecifierSet(edge.specifier).contains(package.version, True):
                continue
        except InvalidSpecifier:
            pass  # a constraint with no PEP 440 spelling does not decide between versions
        if evaluate(path, package.marker, env):
            return package
    return None


def requirement_of(path: Path, text: str) -> Edge | None:
    """A PEP 508 string as an edge (``None`` for a line that is not one, such as PDM's ``-e`` entries)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        parsed = Requirement(text)
    except InvalidRequirement:
        return None
    return Edge(parsed.name, str(parsed.specifier), str(parsed.marker or ""), tuple(sorted(parsed.extras)))


def lines(path: Path, packages: Iterable[Locked], files_of: Any) -> tuple[list[str], list[str], list[str]]:
    """The chosen packages as the lines we write: exact hashed lines, direct references, editables.

    ``files_of(package)`` gives ``("hashed", hashes)``, ``("reference", requirement)`` or ``("editable", folder)``.
    """
    from ..lines import editable_line, requirement_line

    hashed: list[str] = []
    loose: list[str] = []
    editable: list[str] = []
    for package in packages:
        where = f"{path}: package {package.name}"
        kind, value = files_of(package)
        if kind == "hashed":
            if not value:
                msg = f"{path}: package {package.name} {package.version} has no file hashes; regenerate the lock"
                raise ReadyError(msg)
            hashed.append(requirement_line(f"{package.name}=={package.version}", where, value))
        elif kind == "editable":
            editable.append(editable_line(value, where))
        else:
            loose.append(requirement_line(value, where))
    return hashed, loose, editable


def sha256s(path: Path, name: str, values: Iterable[str]) -> list[str]:
    """``sha256:<hex>`` hashes of a package's files (other algorithms left out); none at all fails."""
    found = [value for value in values if value.startswith("sha256:")]
    if not found:
        msg = f"{path}: package {name} has no sha256 file hash; regenerate the lock"
        raise ReadyError(msg)
    return list(dict.fromkeys(found))


__all__ = ["Chosen", "Edge", "Locked", "canonical", "evaluate", "lines", "requirement_of", "sha256s", "walk"]
