"""Whether a sync has anything to do: from the record alone before a plan is made, else against today's plan.

The record's own comparisons (:func:`virtualenv_ready.record.unchanged`, :func:`virtualenv_ready.record.differences`)
are pure; this module adds what the :class:`Mode` asks for (the seed options, ``--exact``, tox's accepted drift) and
``--check``'s report. :func:`virtualenv_ready.apply.sync` asks each question once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import record
from .mode import ACCEPTED, DIFFERS, FRESH, LEFT, NOTHING, Mode, Outcome

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .model import InstallPlan, ReadyConfig
    from .record import Record
    from .target import Target


def fresh_from_record(previous: Record, config: ReadyConfig, target: Target, mode: Mode) -> bool:
    """The answer before plugins load or a plan is made (a no-op sync's and a re-run's case)."""
    if mode.exact or config.dry_run:
        return False
    today = record.Today.of(previous, config, target)
    return seeded(previous, mode, today.installed) and record.unchanged(previous, today)


def seeded(previous: Record, mode: Mode, installed: Mapping[str, str]) -> bool:
    """Whether the env has the seeding this run asks for: the record's seed options are these, or the record never
    seeded (`sync` adopted an env that app-data seeded) and every seed package is there, so a creation right after
    a no-op `sync` runs no installer."""
    if mode.seed is None or previous.seeded_as(mode.seed.options):
        return True
    return previous.seed is None and all(name in installed for name in mode.seed.names)


def differences(previous: Record | None, plan: InstallPlan, target: Target) -> list[str]:
    """What makes the env differ from the plan, as lines (none without a record: there is nothing to compare)."""
    if previous is None:
        return []
    return record.differences(previous, plan.input_hashes(), plan.fingerprint(), target.installed())


def decide(previous: Record | None, differences: list[str], fingerprint: str, mode: Mode) -> str | None:
    """Once the plan is made: ``FRESH`` (nothing differs), ``ACCEPTED`` (only tox's installs moved the versions: they
    become the record), ``LEFT`` (differs, but this sync never installs), or ``None``: install."""
    seed_options = mode.seed.options if mode.seed else None
    if previous is not None and not differences and not mode.exact and previous.seeded_as(seed_options):
        return FRESH
    if previous is not None and mode.accept_drift and previous.complete and previous.fingerprint == fingerprint:
        return ACCEPTED
    return None if mode.install else LEFT


def settle(state: str, previous: Record | None, target: Target, *, rewrite: bool) -> None:
    """What the record says when the verdict was not to install: tox's drift accepted becomes the recorded state;
    ``rewrite`` (the sync marked the env incomplete, as a creation over a finished env does) puts it back as it was."""
    if state == FRESH and previous is not None and rewrite:
        record.write(target.venv, previous)
    elif state == ACCEPTED and previous is not None:
        record.write(target.venv, replace(previous, installed=target.installed()))


def check(plan: InstallPlan, previous: Record | None, target: Target, mode: Mode) -> Outcome:
    """``--check``: what differs, as lines; an env without a record lists what the plan misses."""
    from .exact import extras, missing

    if previous is None:
        lines = tuple(f"{name} is not installed" for name in missing(plan, target))
        return Outcome(NOTHING if plan.empty else DIFFERS, plan.summary, () if plan.empty else lines)
    found = differences(previous, plan, target)
    if mode.exact:
        found += [f"not in the plan: {name}" for name in extras(plan, target)]
    return Outcome(DIFFERS if found else FRESH, plan.summary, tuple(found))


__all__ = ["check", "decide", "differences", "fresh_from_record", "seeded", "settle"]
