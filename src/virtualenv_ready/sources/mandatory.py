"""The org policy's mandatory packages, installed in the same resolver run as the project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import hookimpl
from ..model import Source

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import ReadyConfig
    from ..target import Target


@hookimpl(tryfirst=True)
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    if not config.mandatory:
        return None
    inputs = (config.policy.path,) if config.policy is not None else ()
    return [Source("org mandatory", lines=config.mandatory, inputs=inputs)]


__all__: list[str] = []
