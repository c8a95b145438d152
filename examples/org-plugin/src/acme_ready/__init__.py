"""ACME's virtualenv-ready plugin: copy this package, change the names and the lists, ship it to the fleet."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from virtualenv_ready import hookimpl
from virtualenv_ready.plan import Source

if TYPE_CHECKING:
    from pathlib import Path

# Installed into every environment, in the same resolver run as the project.
MANDATORY = tuple(os.environ.get("ACME_MANDATORY", "pre-commit").split(","))
# Never allowed, whatever a project asks for.
BANNED = frozenset(os.environ.get("ACME_BANNED", "left-pad").split(","))


@hookimpl
def ready_add_sources(project: Path, config: Any, target: Any) -> list[Source]:
    return [Source("acme tools", lines=MANDATORY)]


@hookimpl
def ready_validate_plan(plan: Any) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    for line in plan.requirement_lines():
        try:
            name = canonicalize_name(Requirement(line.split(" --")[0]).name)
        except InvalidRequirement:
            continue
        if name in BANNED:
            return f"{name} is banned at ACME (see https://wiki.acme.invalid/banned); remove it from the project"
    return None


@hookimpl
def ready_after_install(plan: Any, target: Any, result: Any) -> None:
    """The post-create step: leave a stamp the support team's tooling reads (a real org might run `pre-commit install`)."""
    stamp = {"project": str(plan.project), "installed": sorted(result.changed)}
    (target.venv / "acme-setup.json").write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


@hookimpl
def ready_activation_env(venv: Path) -> dict[str, str]:
    return {"ACME_ENVIRONMENT": "development"}
