"""Whether a project's pylock.toml still matches its pyproject.toml: a pylock has no content hash to compare."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def pylock_mismatch(lock: Path) -> str | None:
    """Why a project's pylock.toml no longer matches its pyproject.toml (a requirement it has no package for, or
    locks below or above), else ``None``. A pylock.toml has no content hash; this compares what it can."""
    from packaging.requirements import InvalidRequirement, Requirement

    from ..files import load_pyproject, load_toml
    from .lockgraph import canonical

    data = load_pyproject(lock.parent / "pyproject.toml")
    project = (data or {}).get("project")
    if not isinstance(project, dict) or "dependencies" in project.get("dynamic", []):
        return None
    locked: dict[str, list[str]] = {}
    for package in load_toml(lock).get("packages") or []:
        if isinstance(package, dict) and package.get("name") and package.get("version"):
            locked.setdefault(canonical(str(package["name"])), []).append(str(package["version"]))
    for text in project.get("dependencies") or []:
        try:
            requirement = Requirement(str(text))
        except InvalidRequirement:
            return None  # pyproject.toml's own error is reported where it is read
        versions = locked.get(canonical(requirement.name))
        if versions is None and requirement.marker is None and not requirement.url:
            return f"it has no package {requirement.name}"
        for version in versions or []:
            if not requirement.specifier.contains(version, prereleases=True):
                return f"it has {requirement.name} {version}, pyproject.toml asks for {requirement.specifier}"
    return None


__all__ = ["pylock_mismatch"]
