"""How a sync is asked for (:class:`Mode`) and what it found and did (:class:`Outcome`): the conductor's interface.

The seeder, `virtualenv-ready sync` and the tox plugin each translate their own arguments into a Mode, hand it to
:func:`virtualenv_ready.apply.sync` and report its Outcome in their own words.
"""

from __future__ import annotations

from .logs import LOGGER
from .valuetypes import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from .installers.base import InstallResult
    from .seeding import SeedRequest

FRESH = "up to date"
DIFFERS = "differs"
NOTHING = "nothing to install"
INSTALLED = "installed"
UNTRUSTED = "not trusted"
SHOWN = "dry run"
ACCEPTED = "drift accepted"
LEFT = "left as it is"


@dataclass(frozen=True)
class Mode:
    """How to sync; each caller translates its own arguments into one."""

    verbosity: int = 2
    #: also remove what the plan no longer asks for
    exact: bool = False
    #: say what differs (:attr:`Outcome.differences`) and change nothing
    check: bool = False
    #: only a default (enable or virtualenv.ini) chose `ready`: the project's inputs must be trusted first
    consent: bool = False
    #: virtualenv has just (re)made the env: the record says incomplete from the start until the install finished
    creating: bool = False
    #: the seed packages to put in first (the seeder's request), ``None`` for none
    seed: SeedRequest | None = None
    #: packages changed since the last sync (by tox's own installs) become the recorded state, not reinstalled
    accept_drift: bool = False
    #: ``False``: never install (at most accept drift)
    install: bool = True
    #: take the destination lock before changing the env (``False``: the caller holds it)
    lock: bool = False
    #: tox's name for the env: what differs is announced as a re-sync of it
    env_name: str | None = None
    #: a creation's activation options (activator names, prompt), recorded for `sync` to write the scripts again
    activation: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Outcome:
    """What a sync found and did: ``state`` is one of the module's constants."""

    state: str
    summary: str = ""
    differences: tuple[str, ...] = ()
    result: InstallResult | None = None


def announce(mode: Mode, venv: Path, project: Path, differences: list[str], *, recorded: bool) -> None:
    """Say why this sync installs: tox as a warning naming its env, `virtualenv-ready sync` at info level; a creation
    says nothing (virtualenv's own output says it)."""
    logger = LOGGER
    name = "virtualenv-ready.json"
    if mode.creating:
        return
    if mode.env_name is not None and not recorded:
        logger.warning("virtualenv-ready: make %s ready (no %s yet)", mode.env_name, name)
    elif mode.env_name is not None:
        logger.warning("virtualenv-ready: re-sync %s: %s", mode.env_name, "; ".join(differences))
    elif not recorded:
        logger.info("%s: no %s yet; installing the plan of %s into it", venv, name, project)
    else:
        for line in differences:
            logger.info("%s: %s", venv, line)


def activation_of(activators: object, prompt: object) -> dict[str, Any]:
    """A creation's activation options as the record keeps them: virtualenv's default selection is one
    comma-separated string, ``--prompt .`` is the current directory's name."""
    if isinstance(activators, str):
        activators = [name.strip() for name in activators.split(",") if name.strip()]
    names = [str(name) for name in activators] if isinstance(activators, (list, tuple)) else []
    from pathlib import Path

    shown = Path.cwd().name if prompt == "." else (None if prompt is None else str(prompt))
    return {"activators": names, "prompt": shown}


__all__ = [
    "activation_of",
    "ACCEPTED",
    "DIFFERS",
    "FRESH",
    "INSTALLED",
    "LEFT",
    "NOTHING",
    "SHOWN",
    "UNTRUSTED",
    "Mode",
    "Outcome",
    "announce",
]
