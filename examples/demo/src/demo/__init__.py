"""Tell whether a version satisfies a requirement, using `packaging` (the project's one dependency)."""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.version import Version


def satisfies(requirement: str, version: str) -> bool:
    """True when `version` is allowed by the specifier of `requirement`."""
    return Requirement(requirement).specifier.contains(Version(version), prereleases=True)
