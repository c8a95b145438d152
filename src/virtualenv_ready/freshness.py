"""Whether a sync has anything to do: from the record alone before a plan is made, else against today's plan.

The record's own comparisons (:func:`virtualenv_ready.record.unchanged`, :func:`virtualenv_ready.record.differences`)
are pure; this module adds what the :class:`Mode` asks for (the seed options, ``--exact``, tox's accepted drift) and
``--check``'s report. :func:`virtualenv_ready.apply.sync` asks each question once.
"""

from __future__ import annotations

from . import record
from .mode import ACCEPTED, DIFFERS, FRESH, LEFT, NOTHING, Mode, Outcome
from .valuetypes import replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

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

    installed = target.installed()
    absent = dict.fromkeys(missing(plan, target))
    if previous is None:
        lines = package_lines(absent, installed)
        return Outcome(NOTHING if plan.empty else DIFFERS, plan.summary, () if plan.empty else tuple(lines))
    found = check_lines(previous, plan.input_hashes(), plan.fingerprint(), installed, absent)
    if mode.exact:
        found += package_lines({}, installed, remove=extras(plan, target))
    return Outcome(DIFFERS if found else FRESH, plan.summary, tuple(found))


#: what an installer's failure adds for the terminal it printed on; read back from the record, nothing is above it
_ABOVE = " (its explanation is above)"


def check_lines(
    previous: Record,
    inputs: Mapping[str, str],
    fingerprint: str,
    installed: Mapping[str, str],
    absent: Mapping[str, str | None],
) -> list[str]:
    """``--check``'s lines for an env with a record: an unfinished install, then the packages that differ as
    `uv sync --check` names them (``absent``: what the plan names and the env lacks), else the input files or
    options that changed; an install that never finished recorded no inputs, so none is called new."""
    found: list[str] = []
    if not previous.complete:
        why = (previous.error or previous.status or "").replace(_ABOVE, "")
        found.append(f"the last install did not finish ({why})")
    recorded = dict(previous.installed or {})
    wanted = {**dict(absent), **{name: version for name, version in recorded.items() if installed.get(name) != version}}
    packages = package_lines(wanted, installed)
    found += packages
    if packages or previous.inputs is None:
        return found
    old = previous.inputs
    found += [f"{'changed' if path in old else 'new input'} {path}" for path in inputs if old.get(path) != inputs[path]]
    found += [f"input gone: {path}" for path in old if path not in inputs]
    if len(found) == (0 if previous.complete else 1) and previous.fingerprint != fingerprint:
        found.append("the options or sources changed")
    return found


def package_lines(
    wanted: Mapping[str, str | None], installed: Mapping[str, str], remove: Iterable[str] = ()
) -> list[str]:
    """Packages as `uv sync --check` names them, by name: ``- name==version`` would go, ``+ name==version`` would come
    (a changed version is both; ``+ name`` when the plan pins none)."""
    lines: list[str] = []
    gone = set(remove)
    for name in sorted({*wanted, *gone}):
        now, want = installed.get(name), wanted.get(name)
        changed = now is not None and want is not None and now != want
        if now is not None and (name in gone or changed):
            lines.append(f"- {name}=={now}")
        if name in wanted and (now is None or changed):
            lines.append(f"+ {name}=={want}" if want else f"+ {name}")
    return lines


__all__ = [
    "check",
    "check_lines",
    "decide",
    "differences",
    "fresh_from_record",
    "package_lines",
    "seeded",
    "settle",
]
