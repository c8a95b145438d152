"""The conductor: :func:`sync` is the one path of the `ready` seeder, `virtualenv-ready sync` and the tox plugin.

It decides once whether the env is up to date (from the record alone, else from the plan, made at most once), then
seeds, installs and writes the record; each caller only translates its own arguments into a :class:`Mode`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import record
from .errors import PROBLEM, ReadyError, ReadyInterrupted

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import ExitStack

    from .installers.base import Installer, InstallResult, Located
    from .model import IndexOptions, InstallPlan, ReadyConfig
    from .record import Record
    from .seeding import Seeded, SeedRequest
    from .target import Target

LOGGER = logging.getLogger("virtualenv_ready")
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
    #: only virtualenv.ini chose `ready`: the project's inputs must be trusted before anything of it installs
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


@dataclass(frozen=True)
class Outcome:
    """What a sync found and did: ``state`` is one of the module's constants."""

    state: str
    summary: str = ""
    differences: tuple[str, ...] = ()
    result: InstallResult | None = None


@dataclass
class _Run:
    """One sync's progress, private to this module: whether it started changing the env, and what seeded it."""

    target: Target
    config: ReadyConfig
    mode: Mode
    previous: Record | None
    app_data: Callable[[], None]
    stack: ExitStack
    start: float = field(default_factory=time.perf_counter)
    started: bool = False
    seeded: Seeded | None = None


def _no_app_data() -> None:
    """Outside the seeder there is no app-data seeding (and no seed request)."""


def sync(
    target: Target,
    config: ReadyConfig,
    mode: Mode,
    *,
    previous: Record | None,
    app_data: Callable[[], None] = _no_app_data,
) -> Outcome:
    """Bring the env up to date with today's plan; ``previous`` is its record as the caller read it.

    ``app_data`` is virtualenv's own seeding, for when the seed packages cannot go through the installer.
    """
    if previous is None and not mode.install:
        return Outcome(LEFT)
    if previous is not None and _fresh_from_record(previous, config, target, mode):
        return Outcome(FRESH, previous.summary or "")
    from contextlib import ExitStack

    with ExitStack() as stack:
        run = _Run(target, config, mode, previous, app_data, stack)
        try:
            return _conduct(run)
        except (ReadyError, ReadyInterrupted) as exc:
            _failed(run, str(exc), seed_anyway=isinstance(exc, ReadyError))
            raise
        except KeyboardInterrupt:
            if not run.started:
                raise
            _failed(run, "interrupted", seed_anyway=False)
            msg = "interrupted; the environment is left incomplete: re-run the command or `virtualenv-ready sync`"
            raise ReadyInterrupted(msg) from None


def _fresh_from_record(previous: Record, config: ReadyConfig, target: Target, mode: Mode) -> bool:
    """The answer before plugins load or a plan is made (a no-op sync's and a re-run's case)."""
    if mode.exact or config.dry_run:
        return False
    if not previous.seeded_as(mode.seed.options if mode.seed else None):
        return False
    return record.unchanged(previous, record.Today.of(previous, config, target))


def _conduct(run: _Run) -> Outcome:
    from .plan import make_plan

    config, mode, target, previous = run.config, run.mode, run.target, run.previous
    if not mode.check:
        origin = config.origin.get("ready_project", "--ready-project")
        LOGGER.info("virtualenv-ready project %s (%s)", config.project, origin)
    if mode.creating or previous is None:
        _start(run)
    if mode.seed is not None:
        from .seeding import seeded_before

        run.seeded = seeded_before(mode.seed, previous, target.installed())
    plan = make_plan(config, target)
    planned = time.perf_counter()
    if mode.check:
        return _check(plan, previous, target, mode)
    differences = _differences(previous, plan, target)
    seed_options = mode.seed.options if mode.seed else None
    if previous is not None and not differences and not mode.exact and previous.seeded_as(seed_options):
        if run.started and not config.dry_run:
            record.write(target.venv, previous)  # created over a finished env: its record stays as it was
        return Outcome(FRESH, plan.summary)
    if previous is not None and mode.accept_drift and previous.complete and previous.fingerprint == plan.fingerprint():
        # only the installed versions moved, and only tox's installs ran since the last check: tox's keys win
        record.write(target.venv, replace(previous, installed=target.installed()))
        return Outcome(ACCEPTED, plan.summary, tuple(differences))
    if not mode.install:
        return Outcome(LEFT, plan.summary, tuple(differences))
    _announce(run, differences)
    _start(run)
    if config.dry_run:
        return _dry_run(run, plan)
    return _make_ready(run, plan, planned)


def _differences(previous: Record | None, plan: InstallPlan, target: Target) -> list[str]:
    if previous is None:
        return []
    return record.differences(previous, plan.input_hashes(), plan.fingerprint(), target.installed())


def _check(plan: InstallPlan, previous: Record | None, target: Target, mode: Mode) -> Outcome:
    """``--check``: what differs, as lines; an env without a record lists what the plan misses."""
    from .exact import extras, wanted

    if previous is None:
        if plan.empty:
            return Outcome(NOTHING, plan.summary)
        missing = sorted(wanted(plan, target) - set(target.installed()))
        return Outcome(DIFFERS, plan.summary, tuple(f"{name} is not installed" for name in missing))
    found = _differences(previous, plan, target)
    if mode.exact:
        found += [f"not in the plan: {name}" for name in extras(plan, target)]
    return Outcome(DIFFERS if found else FRESH, plan.summary, tuple(found))


def _announce(run: _Run, differences: list[str]) -> None:
    """Say why this sync installs: tox as a warning naming its env, `virtualenv-ready sync` at info level."""
    mode, venv = run.mode, run.target.venv
    if mode.creating:
        return
    if mode.env_name is not None and run.previous is None:
        LOGGER.warning("virtualenv-ready: make %s ready (no %s yet)", mode.env_name, record.NAME)
    elif mode.env_name is not None:
        LOGGER.warning("virtualenv-ready: re-sync %s: %s", mode.env_name, "; ".join(differences))
    elif run.previous is None:
        LOGGER.info("%s: no %s yet; installing the plan of %s into it", venv, record.NAME, run.config.project)
    else:
        for line in differences:
            LOGGER.info("%s: %s", venv, line)


def _start(run: _Run) -> None:
    """From here on the env may change: hold the lock, and let the record say incomplete until the end."""
    if run.started or run.mode.check:
        return
    run.started = True
    if run.mode.lock:
        from .lock import dest_lock

        run.stack.enter_context(dest_lock(run.target.venv))
    if not run.config.dry_run:
        record.update(run.target.venv, status=record.INCOMPLETE, **_base(run.target, run.config))


def _dry_run(run: _Run, plan: InstallPlan) -> Outcome:
    """``--ready-dry-run``: the env gets app-data's seed packages as usual, the plan is only shown."""
    from .installers.choose import prepare
    from .installers.steps import dry_run_lines

    if run.mode.seed is not None:
        from .seeding import with_app_data

        run.seeded = with_app_data(run.mode.seed, run.app_data)
    if plan.empty and not run.mode.exact:
        _nothing_to_install(run.config)
        return Outcome(NOTHING, plan.summary)
    installer, located, index = prepare(plan, run.config, run.target)
    LOGGER.warning(
        "virtualenv-ready dry run: would install %s with %s %s", plan.summary, installer.name, located.version
    )
    for line in dry_run_lines(plan, installer, located, run.target, index, run.mode.verbosity):
        LOGGER.warning("  %s", line)
    return Outcome(SHOWN, plan.summary)


def _make_ready(run: _Run, plan: InstallPlan, planned: float) -> Outcome:
    from .installers.choose import prepare
    from .trust import consented

    config, mode, target = run.config, run.mode, run.target
    if plan.empty and not mode.exact:
        _nothing_to_install(config)
        _seed_alone(run)
        _finish(run, plan, None, None, {"plan": planned - run.start})
        return Outcome(NOTHING, plan.summary)
    if mode.consent and not consented(plan, config, target):
        _seed_alone(run)
        record.mark_incomplete(target.venv, "not trusted: nothing installed")
        return Outcome(UNTRUSTED, plan.summary)
    if mode.seed is not None and run.seeded is None:
        from .seeding import via_installer, with_app_data

        if not via_installer(mode.seed):  # before the installer is looked up: the pip installer is the seeded pip
            run.seeded = with_app_data(mode.seed, run.app_data)
    installer, located, index = prepare(plan, config, target)
    result = _install(run, plan, installer, located, index)
    result.seconds = time.perf_counter() - planned
    from . import plugins

    plugins.call("ready_after_install", plan=plan, target=target, result=result)
    _finish(run, plan, result, installer, {"plan": planned - run.start, "install": result.seconds})
    count = len(result.changed)
    LOGGER.log(
        logging.WARNING if count else PROBLEM,  # nothing installed is worth a line even with -q
        "installed %d package%s from %s with %s in %.1fs",
        count,
        "" if count == 1 else "s",
        plan.summary,
        installer.name,
        time.perf_counter() - run.start,
    )
    return Outcome(INSTALLED, plan.summary, result=result)


def _install(
    run: _Run, plan: InstallPlan, installer: Installer, located: Located, index: IndexOptions
) -> InstallResult:
    """The seed packages (where the installer takes them), each step of the plan, then ``--exact``'s removals."""
    import tempfile
    from pathlib import Path

    from . import plugins
    from .installers.base import InstallResult
    from .installers.steps import handed_files, join_no_deps, run_step

    target, verbosity = run.target, run.mode.verbosity
    if run.previous is not None and not run.previous.complete:
        _quarantine(target)
    result = InstallResult(installer.name, located.version, before=target.installed())
    plugins.call("ready_before_install", plan=plan, target=target)
    with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as tmp:
        steps = join_no_deps(plan.steps(), index, installer)
        if run.mode.seed is not None and run.seeded is None:
            from .seeding import seed_first

            args = (plan, installer, located, target, index)
            run.seeded, steps = seed_first(
                run.mode.seed, run.app_data, steps, *args, verbosity=verbosity, tmp=Path(tmp)
            )
            if run.seeded.with_project:
                result.commands.append(list(run.seeded.with_project))
                result.before.update(run.seeded.versions)
            else:
                result.before = target.installed()  # what the project's runs change, not the seeding
        what = f"installing {plan.summary} with {installer.name}"
        for number, step in enumerate(steps, start=len(result.commands)):
            argv = run_step(
                installer,
                located,
                target,
                step,
                index,
                file=Path(tmp) / f"step{number}.txt",
                project=plan.project,
                handed=handed_files(plan),
                verbosity=verbosity,
                what=what,
            )
            result.commands.append(argv)
    if run.mode.exact:
        from .exact import remove_extras

        remove_extras(plan, installer, located, target, verbosity)
    result.after = target.installed()
    return result


def _quarantine(target: Target) -> None:
    from .target import quarantine_broken

    for aside in quarantine_broken(target):
        LOGGER.log(
            PROBLEM, "virtualenv-ready: %s was half-written by the failed run; set aside as %s", aside.stem, aside
        )


def _seed_alone(run: _Run) -> None:
    if run.mode.seed is not None and run.seeded is None:
        from .seeding import seed_alone

        run.seeded = seed_alone(run.mode.seed, run.app_data, run.config, run.target, run.mode.verbosity)


def _nothing_to_install(config: ReadyConfig) -> None:
    from .plan import nothing_found

    LOGGER.log(PROBLEM, "virtualenv-ready: nothing to install in %s: %s", config.project, nothing_found(config))


def _finish(
    run: _Run,
    plan: InstallPlan,
    result: InstallResult | None,
    installer: Installer | None,
    durations: dict[str, float],
) -> None:
    """Write the pip config and the complete record: the env is ready."""
    from .envconfig import write_pip_config

    target, config = run.target, run.config
    write_pip_config(target.venv, config)
    done = record.Record(
        status=record.COMPLETE,
        **_base(target, config),
        summary=plan.summary,
        fingerprint=plan.fingerprint(),
        inputs=plan.input_hashes(),
        candidates=record.candidate_inputs(config.project),
        installer={"name": installer.name, "version": result.version} if installer and result else None,
        commands=tuple(tuple(argv) for argv in result.commands) if result else (),
        installed=target.installed(),
        durations={key: round(value, 3) for key, value in durations.items()},
        **_seed_fields(run),
    )
    record.write(target.venv, done)


def _seed_fields(run: _Run) -> dict[str, Any]:
    """The record's seed keys: what was asked, how it was seeded, the runs of its own that took."""
    if run.mode.seed is None:
        return {}
    seeded = run.seeded
    via = seeded.via if seeded is not None else run.mode.seed.app_data_via
    return {"seed": run.mode.seed.options, "seed_via": via, "seed_commands": seeded.commands if seeded else ()}


def _failed(run: _Run, why: str, *, seed_anyway: bool) -> None:
    """The record says incomplete and why (with the seeding that did happen); a failed creation still gets what
    app-data gives, so the env is at least what plain virtualenv would have made."""
    if run.started and not run.config.dry_run:
        seeded = {"seed": run.mode.seed.options, "seed_via": run.seeded.via} if run.mode.seed and run.seeded else {}
        record.mark_incomplete(run.target.venv, why, **seeded)
    if seed_anyway and run.mode.seed is not None and run.seeded is None:
        run.app_data()


def _base(target: Target, config: ReadyConfig) -> dict[str, Any]:
    """What the record always holds, so `sync` can rebuild the plan from it alone."""
    return {
        "project": str(config.project),
        "python": _relative(target.python, target.venv),
        "bin_dir": _relative(target.bin_dir, target.venv),
        "options": config.decisive(),
    }


def _relative(path: object, base: object) -> str:
    from pathlib import Path

    try:
        return str(Path(str(path)).absolute().relative_to(Path(str(base)).absolute()))
    except ValueError:
        return str(path)


__all__ = [
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
    "sync",
]
