"""What to install: ask every source (built-in and plugin), then let plugins refuse the plan.

The plan types live in ``model``; they are importable from here too, as plugins have always done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ReadyError
from .files import sha256_file
from .model import IndexOptions, InstallPlan, ReadyConfig, Source, Step

if TYPE_CHECKING:
    from .target import Target


def make_plan(config: ReadyConfig, target: Target) -> InstallPlan:
    """Collect sources from every plugin (built-ins included), then let plugins refuse the plan."""
    from . import plugins

    sources: list[Source] = []
    for result in plugins.call("ready_add_sources", project=config.project, config=config, target=target):
        sources.extend(result or ())
    index = IndexOptions.from_config(config)
    plan = InstallPlan(config.project, tuple(sources), index, config.installer, config.decisive())
    refusals = [r for r in plugins.call("ready_validate_plan", plan=plan) if r]
    if refusals:
        msg = "the plan was refused: " + "; ".join(str(r) for r in refusals)
        raise ReadyError(msg)
    return plan


__all__ = ["IndexOptions", "InstallPlan", "Source", "Step", "make_plan", "sha256_file"]
