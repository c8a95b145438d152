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
    from .plugins import hooks

    sources = hooks().add_sources(config.project, config, target)
    index = IndexOptions(
        index_url=config.index_url,
        extra_index_urls=config.extra_index_urls,
        find_links=config.find_links,
        no_index=config.no_index,
        only_binary=config.only_binary,
        require_hashes=config.require_hashes,
    )
    plan = InstallPlan(config.project, tuple(sources), index, config.installer, config.decisive())
    refusals = hooks().validate_plan(plan)
    if refusals:
        msg = "the plan was refused: " + "; ".join(refusals)
        raise ReadyError(msg)
    return plan


__all__ = ["IndexOptions", "InstallPlan", "Source", "Step", "make_plan", "sha256_file"]
