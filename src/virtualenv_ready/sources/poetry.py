"""Poetry's tables: [tool.poetry.dependencies] and its groups, translated to PEP 508 requirement lines.

The project itself installs through its backend (poetry-core writes its own metadata), so only what the backend
does not see needs translating: the groups, and the dependencies of a project with ``package-mode = false``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import ReadyError
from ..valuetypes import dataclass

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from packaging.version import Version

_OPERATOR = re.compile(r"(===|==|!=|<=|>=|~=|<|>|\^|~)\s+")
_CLAUSE = re.compile(r"^(===|==|!=|<=|>=|~=|<|>|\^|~)?(.+)$")
_DIRECT = {
    "git": "a git dependency",
    "path": "a path dependency",
    "url": "a URL dependency",
    "develop": "a develop (editable path) dependency",
    "source": "a dependency pinned to a named Poetry source (index)",
}


class Untranslatable(ValueError):
    """A Poetry constraint with no PEP 508 spelling."""


@dataclass(frozen=True)
class PoetryGroup:
    """One Poetry group: whether `poetry install` leaves it out by default, its table name and its dependencies."""

    name: str
    optional: bool
    table: str
    dependencies: dict[str, Any]


def poetry_table(data: dict[str, Any]) -> dict[str, Any] | None:
    """[tool.poetry], or ``None`` when the project does not use Poetry."""
    table = (data.get("tool") or {}).get("poetry")
    return table if isinstance(table, dict) else None


def package_mode(poetry: dict[str, Any]) -> bool:
    """False for Poetry's non-package mode: the project itself cannot be installed, only its dependencies."""
    return bool(poetry.get("package-mode", True))


def groups(poetry: dict[str, Any], pyproject: Path) -> dict[str, PoetryGroup]:
    """Every Poetry group; the legacy [tool.poetry.dev-dependencies] is group dev, as Poetry itself reads it."""
    found: dict[str, PoetryGroup] = {}
    legacy = poetry.get("dev-dependencies")
    if isinstance(legacy, dict) and legacy:
        found["dev"] = PoetryGroup("dev", False, "tool.poetry.dev-dependencies", legacy)
    table = poetry.get("group") or {}
    if not isinstance(table, dict):
        msg = f"{pyproject}: [tool.poetry.group] must be a table of groups"
        raise ReadyError(msg)
    for name, group in table.items():
        if not isinstance(group, dict):
            msg = f"{pyproject}: [tool.poetry.group.{name}] must be a table"
            raise ReadyError(msg)
        deps = dict(group.get("dependencies") or {})
        where = f"tool.poetry.group.{name}.dependencies"
        if name in found:  # dev-dependencies and group.dev together: Poetry merges them
            deps = {**found[name].dependencies, **deps}
            where = f"{found[name].table} and {where}"
        found[name] = PoetryGroup(name, bool(group.get("optional", False)), where, deps)
    return found


def chosen_groups(optional: Mapping[str, bool], named: Iterable[str] | None) -> list[str]:
    """The Poetry groups to install (``optional``: each group's name and whether it is optional): the ones named,
    compared as PEP 503 names, else every non-optional one, as `poetry install` chooses."""
    from ..target import canonical

    if named is None:
        return [name for name, off in optional.items() if not off]
    wanted = {canonical(name) for name in named}
    return [name for name in optional if canonical(name) in wanted]


def group_lines(group: PoetryGroup, pyproject: Path) -> list[str]:
    """The group's dependencies as requirement lines (its optional ones left out, as `poetry install` does)."""
    return dependency_lines(group.dependencies, pyproject, group.table, extras=None)


def dependency_lines(
    table: dict[str, Any], pyproject: Path, where: str, extras: dict[str, list[str]] | None
) -> list[str]:
    """Translate a Poetry dependency table; ``extras`` maps the chosen extras to the optional names they pull in."""
    wanted = {name.lower() for names in (extras or {}).values() for name in names}
    lines: list[str] = []
    for name, spec in table.items():
        if name == "python":
            continue
        items = spec if isinstance(spec, list) else [spec]
        for item in items:
            if isinstance(item, dict) and item.get("optional") and name.lower() not in wanted:
                continue
            lines.append(requirement(name, item, pyproject, where))
    return lines


def requirement(name: str, spec: Any, pyproject: Path, where: str) -> str:
    """One Poetry dependency entry as a PEP 508 line; an entry with no such spelling fails naming file, table, key."""
    from packaging.requirements import InvalidRequirement, Requirement

    def fail(why: str) -> ReadyError:
        return ReadyError(
            f"{pyproject} [{where}] {name}: {why} cannot be translated to a requirement line; install it from a "
            "requirements file (--ready-requirement), or leave its group out with --ready-groups"
        )

    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        msg = f"{pyproject} [{where}] {name}: expected a version string or a table, got {spec!r}; fix the entry"
        raise ReadyError(msg)
    for key, what in _DIRECT.items():
        if key in spec:
            raise fail(what)
    try:
        version = specifier(str(spec.get("version", "*")))
        markers = []
        if "python" in spec:
            markers.append(python_marker(str(spec["python"])))
        if "platform" in spec:
            markers.append(f'sys_platform == "{spec["platform"]}"')
        if spec.get("markers"):
            markers.append(str(spec["markers"]))
    except Untranslatable as exc:
        raise fail(f"the constraint {exc}") from None
    extras = spec.get("extras") or []
    line = name + (f"[{','.join(extras)}]" if extras else "") + version
    if markers:
        line += "; " + " and ".join(f"({m})" if len(markers) > 1 else m for m in markers)
    try:
        Requirement(line)
    except InvalidRequirement as exc:
        raise fail(f"the entry (read as {line!r}: {exc})") from None
    return line


def specifier(constraint: str) -> str:
    """A Poetry version constraint (``^1.2``, ``~1.2``, ``1.2.*``, ``>=1,<2``, ``a || b``) as a PEP 440 specifier."""
    text = constraint.strip()
    if "|" in text:
        return _union([specifier(part) for part in re.split(r"\|\|?", text)], constraint)
    text = _OPERATOR.sub(r"\1", text)
    clauses = [c for c in re.split(r"[\s,]+", text) if c]
    out: list[str] = []
    for clause in clauses:
        out.extend(_clause(clause, constraint))
    result = ",".join(out)
    if result:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            SpecifierSet(result)
        except InvalidSpecifier:
            raise Untranslatable(repr(constraint)) from None
    return result


def _clause(clause: str, whole: str) -> list[str]:
    from packaging.version import InvalidVersion, Version

    match = _CLAUSE.match(clause)
    if match is None or clause == "*":
        return []
    op, value = match.group(1) or "", match.group(2)
    if op in {"^", "~"}:
        try:
            version = Version(value)
        except InvalidVersion:
            raise Untranslatable(repr(whole)) from None
        return [f">={value}", f"<{_caret_upper(version) if op == '^' else _tilde_upper(version)}"]
    if not op:
        if value.endswith((".*", ".x")):
            return [f"=={value[:-2]}.*"]
        return [f"=={value}"]
    return [f"{op}{value}"]


def _caret_upper(version: Version) -> str:
    release = list(version.release)
    nonzero = next((i for i, part in enumerate(release) if part), len(release) - 1)
    return ".".join(str(p) for p in [*release[:nonzero], release[nonzero] + 1])


def _tilde_upper(version: Version) -> str:
    release = list(version.release)
    keep = 0 if len(release) == 1 else 1
    return ".".join(str(p) for p in [*release[:keep], release[keep] + 1])


def _union(parts: list[str], whole: str) -> str:
    """``a || b`` has a PEP 440 spelling only when the alternatives join into one range; else it cannot be written."""
    from packaging.version import Version

    ranges: list[tuple[Version | None, Version | None]] = []
    for part in parts:
        lower: Version | None = None
        upper: Version | None = None
        for item in (p for p in part.split(",") if p):
            if item.startswith(">="):
                lower = Version(item[2:])
            elif item.startswith("<") and not item.startswith("<="):
                upper = Version(item[1:])
            else:
                raise Untranslatable(f"{whole!r} (an `||` of ranges other than >=/<)")
        if not part:
            return ""
        ranges.append((lower, upper))
    ranges.sort(key=lambda r: (r[0] is not None, r[0] or Version("0")))
    lower, upper = ranges[0]
    for next_lower, next_upper in ranges[1:]:
        if upper is not None and (next_lower is None or next_lower > upper):
            raise Untranslatable(f"{whole!r} (ranges with a gap between them)")
        if upper is not None and (next_upper is None or next_upper > upper):
            upper = next_upper
    return ",".join(s for s in (f">={lower}" if lower else "", f"<{upper}" if upper else "") if s)


def python_marker(constraint: str) -> str:
    """A Poetry ``python`` constraint as an environment marker (an ``||`` becomes ``or``)."""
    if "|" in constraint:
        return " or ".join(f"({python_marker(part)})" for part in re.split(r"\|\|?", constraint) if part.strip())
    from packaging.specifiers import SpecifierSet

    parts = []
    for spec in SpecifierSet(specifier(constraint)):
        key = "python_version" if spec.version.count(".") <= 1 and "*" not in spec.version else "python_full_version"
        parts.append(f'{key} {spec.operator} "{spec.version}"')
    return " and ".join(sorted(parts)) or 'python_version >= "0"'


def direct_references(pyproject: Path, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(table key, requirement) of ``[tool.poetry.dependencies]`` entries that Poetry's backend turns into direct
    references of the project (URLs, checkouts, paths), for the boundary."""
    poetry = (data.get("tool") or {}).get("poetry")
    table = poetry.get("dependencies") if isinstance(poetry, dict) else None
    entries: list[tuple[str, str]] = []
    for name, given in (table or {}).items() if isinstance(table, dict) else ():
        for spec in given if isinstance(given, list) else [given]:
            if not isinstance(spec, dict):
                continue
            key = f"[tool.poetry.dependencies] {name}"
            entries += [(key, f"{name} @ {spec['url']}")] if spec.get("url") else []
            entries += [(key, f"{name} @ git+{spec['git']}")] if spec.get("git") else []
            entries += [(key, str((pyproject.parent / str(spec["path"])).absolute()))] if spec.get("path") else []
    return entries


def requires_python(poetry: dict[str, Any]) -> str | None:
    """[tool.poetry.dependencies] python as a PEP 440 specifier (``None`` when absent or untranslatable)."""
    value = (poetry.get("dependencies") or {}).get("python")
    if not isinstance(value, str) or "|" in value:
        return None
    try:
        return specifier(value) or None
    except Untranslatable:
        return None


__all__ = [
    "PoetryGroup",
    "chosen_groups",
    "dependency_lines",
    "direct_references",
    "group_lines",
    "groups",
    "package_mode",
    "poetry_table",
    "python_marker",
    "requirement",
    "requires_python",
    "specifier",
]
