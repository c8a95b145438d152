"""`sync --exact`: which installed distributions the plan no longer asks for, directly or through dependencies."""

from __future__ import annotations

from email.parser import HeaderParser
from pathlib import Path
from typing import TYPE_CHECKING

from .logs import LOGGER

if TYPE_CHECKING:
    from packaging.requirements import Requirement

    from .installers.base import Installer, Located
    from .model import InstallPlan
    from .target import Target

#: never removed: what a plain env has (the seed packages)
KEEP = frozenset({"pip", "setuptools", "wheel"})


def _parse(line: str) -> Requirement | None:
    from packaging.requirements import InvalidRequirement, Requirement

    text = line.split(" --", 1)[0].split(" #", 1)[0].strip()
    if not text or text.startswith("-"):
        return None
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _editable_name(spec: str) -> Requirement | None:
    from packaging.requirements import Requirement

    from .files import load_pyproject

    folder, _, extras = spec.partition("[")
    data = load_pyproject(Path(folder) / "pyproject.toml") or {}
    # a Poetry project without [project] names itself in [tool.poetry]
    name = (data.get("project") or {}).get("name") or ((data.get("tool") or {}).get("poetry") or {}).get("name")
    return Requirement(f"{name}[{extras}" if extras else name) if name else None


def wanted(plan: InstallPlan, target: Target) -> set[str]:
    """Canonical names the plan needs: its requirements and, through installed metadata, their dependencies."""
    from packaging.utils import canonicalize_name

    roots = [r for r in map(_parse, plan.requirement_lines()) if r is not None]
    for source in plan.sources:
        roots += [r for r in map(_editable_name, source.editables) if r is not None]
    metadata = _metadata(target)
    env = dict(target.marker_environment)
    result: set[str] = set()
    queue = [(r, frozenset(r.extras)) for r in roots]
    while queue:
        req, extras = queue.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        key = f"{name}{sorted(extras)}"
        if key in result:
            continue
        result.add(key)
        result.add(name)
        for dep in metadata.get(name, []):
            dep_req = _parse(dep)
            if dep_req is None:
                continue
            if dep_req.marker is None or any(dep_req.marker.evaluate({**env, "extra": e}) for e in [*extras, ""]):
                queue.append((dep_req, frozenset(dep_req.extras)))
    return {item for item in result if "[" not in item}


def unwanted(plan: InstallPlan, target: Target) -> set[str]:
    return set(target.installed()) - wanted(plan, target)


def missing(plan: InstallPlan, target: Target) -> list[str]:
    """What the plan names that the env does not have (``sync --check`` on an env made without the seeder)."""
    return sorted(wanted(plan, target) - set(target.installed()))


def extras(plan: InstallPlan, target: Target) -> list[str]:
    """What ``--exact`` removes: installed, not needed by the plan, not a seed package."""
    return sorted(unwanted(plan, target) - KEEP)


def remove_extras(plan: InstallPlan, installer: Installer, located: Located, target: Target, verbosity: int) -> None:
    """Uninstall what the plan no longer asks for (the installer's own uninstall, in the project)."""
    extra = extras(plan, target)
    if not extra:
        return
    from .installers.base import run_installer
    from .installers.steps import child_env

    LOGGER.warning("virtualenv-ready: removing %s (not in the plan)", ", ".join(extra))
    argv = installer.uninstall_argv(located, target, extra)
    what = f"removing {', '.join(extra)}"
    run_installer(argv, cwd=plan.project, env=child_env(target), verbosity=verbosity, what=what)


def _metadata(target: Target) -> dict[str, list[str]]:
    from packaging.utils import canonicalize_name

    out: dict[str, list[str]] = {}
    for site in target.site_packages:
        for dist in site.glob("*.dist-info"):
            try:
                headers = HeaderParser().parsestr((dist / "METADATA").read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if headers.get("Name"):
                out[canonicalize_name(headers["Name"])] = headers.get_all("Requires-Dist") or []
    return out


__all__ = ["KEEP", "extras", "missing", "remove_extras", "unwanted", "wanted"]
