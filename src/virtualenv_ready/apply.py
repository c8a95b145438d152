"""The conductor: :func:`sync` is the one path of the `ready` seeder, `virtualenv-ready sync` and the tox plugin.

It decides once whether the env is up to date (from the record alone, else from the plan, made at most once), then
seeds, installs and writes the record; each caller only translates its own arguments into a :class:`Mode`.
"""

from __future__ import annotations

import time

from . import record
from .errors import ReadyError, ReadyInterrupted
from .freshness import check, decide, differences, fresh_from_record, settle
from .logs import LOGGER
from .mode import FRESH, INSTALLED, LEFT, NOTHING, SHOWN, UNTRUSTED, Mode, Outcome, announce
from .valuetypes import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import ExitStack

    from .installers.base import Installer, InstallResult, Located
    from .model import IndexOptions, InstallPlan, ReadyConfig
    from .record import Record
    from .seeding import Seeded
    from .target import Target


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
    if previous is not None and fresh_from_record(previous, config, target, mode):
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


def _conduct(run: _Run) -> Outcome:
    """Plan, then decide once: report (``--check``), leave, show (``--ready-dry-run``) or make ready."""
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
        return check(plan, previous, target, mode)
    differing = differences(previous, plan, target)
    state = decide(previous, differing, plan.fingerprint(), mode)
    if state is not None:
        settle(state, previous, target, rewrite=run.started and not config.dry_run)
        return Outcome(state, plan.summary, tuple(differing))
    announce(mode, target.venv, config.project, differing, recorded=previous is not None)
    _start(run)
    if config.dry_run:
        return _dry_run(run, plan)
    return _make_ready(run, plan, planned)


def _start(run: _Run) -> None:
    """From here on the env may change: hold the lock, and let the record say incomplete until the end."""
    if run.started or run.mode.check:
        return
    run.started = True
    if run.mode.lock:
        from .lock import dest_lock

        run.stack.enter_context(dest_lock(run.target.venv))
    if not run.config.dry_run:
        seed = record.seed_asked(run.previous, run.mode.seed.options) if run.mode.seed else {}
        seed.update(record.activation_keys(None, run.mode.activation))
        record.update(run.target.venv, status=record.INCOMPLETE, **record.base_fields(run.target, run.config), **seed)


def _dry_run(run: _Run, plan: InstallPlan) -> Outcome:
    """``--ready-dry-run``: the env gets app-data's seed packages as usual, the plan is only shown."""
    if run.mode.seed is not None:
        from .seeding import with_app_data

        run.seeded = with_app_data(run.mode.seed, run.app_data)
    if plan.empty and not run.mode.exact:
        from .plan import report_nothing_found

        report_nothing_found(run.config)
        return Outcome(NOTHING, plan.summary)
    from .installers.steps import show_plan

    show_plan(plan, run.config, run.target, run.mode.verbosity)
    return Outcome(SHOWN, plan.summary)


def _make_ready(run: _Run, plan: InstallPlan, planned: float) -> Outcome:
    """Consent, the installer, the install, ``ready_after_install``, the complete record and the summary line."""
    from .installers.choose import prepare
    from .installers.steps import report_installed
    from .plan import report_nothing_found

    config, mode, target = run.config, run.mode, run.target
    if plan.empty and not mode.exact:
        report_nothing_found(config)
        _seed_alone(run)
        _finish(run, plan, None, None, {"plan": planned - run.start})
        return Outcome(NOTHING, plan.summary)
    if mode.consent:
        from .trust import consented

        if not consented(plan, config, target):
            _seed_alone(run)
            record.mark_incomplete(target.venv, "not trusted: nothing installed")
            return Outcome(UNTRUSTED, plan.summary)
    begun = time.perf_counter()  # the seconds shown are the installer's, not the user's at the question
    if mode.seed is not None and run.seeded is None:
        from .seeding import via_installer, with_app_data

        if not via_installer(mode.seed):  # before the installer is looked up: the pip installer is the seeded pip
            run.seeded = with_app_data(mode.seed, run.app_data)
    installer, located, index = prepare(plan, config, target)
    result = _install(run, plan, installer, located, index)
    result.seconds = time.perf_counter() - begun
    from .plugins import hooks

    hooks().after_install(plan, target, result)
    _finish(run, plan, result, installer, {"plan": planned - run.start, "install": result.seconds})
    report_installed(result, plan.summary, result.seconds)
    return Outcome(INSTALLED, plan.summary, result=result)


def _install(
    run: _Run, plan: InstallPlan, installer: Installer, located: Located, index: IndexOptions
) -> InstallResult:
    """The seed packages (where the installer takes them), then each step of the plan and ``--exact``'s removals."""
    import tempfile
    from pathlib import Path

    from .installers.steps import install_steps, join_no_deps, set_aside_broken
    from .plugins import hooks

    target = run.target
    if run.previous is not None and not run.previous.complete:
        set_aside_broken(target)
    before = target.installed()
    hooks().before_install(plan, target)
    with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as tmp:
        steps, done = join_no_deps(plan.steps(), index, installer), []
        args = (plan, installer, located, target, index)
        if run.mode.seed is not None and run.seeded is None:
            from .seeding import seed_first

            run.seeded, steps = seed_first(
                run.mode.seed, run.app_data, steps, *args, verbosity=run.mode.verbosity, tmp=Path(tmp)
            )
            done = [list(run.seeded.with_project)] if run.seeded.with_project else []
            # what the project's runs change, not the seeding
            before = {**before, **run.seeded.versions} if done else target.installed()
        result = install_steps(steps, *args, tmp=Path(tmp), before=before, done=done, verbosity=run.mode.verbosity)
    if plan.exact_inputs():  # a lock is read only through an exact source: the lock check is loaded only then
        from .unmet import check_locked

        check_locked(plan, run.config, target)
    if run.mode.exact:
        from .exact import remove_extras

        remove_extras(plan, installer, located, target, run.mode.verbosity)
    result.after = target.installed()
    return result


def _seed_alone(run: _Run) -> None:
    if run.mode.seed is not None and run.seeded is None:
        from .seeding import seed_alone

        run.seeded = seed_alone(run.mode.seed, run.app_data, run.config, run.target, run.mode.verbosity)


def _finish(
    run: _Run, plan: InstallPlan, result: InstallResult | None, installer: Installer | None, durations: dict[str, float]
) -> None:
    """Write the pip config and the complete record: the env is ready."""
    from .envconfig import write_pip_config
    from .seeding import record_keys

    write_pip_config(run.target.venv, run.config)
    seed = record_keys(run.mode.seed, run.seeded)
    scripts = record.activation_keys(run.previous, run.mode.activation)
    done = record.finished(run.target, run.config, plan, installer, result, durations, seed=seed, activation=scripts)
    record.write(run.target.venv, done)


def _failed(run: _Run, why: str, *, seed_anyway: bool) -> None:
    """The record says incomplete and why (with the seeding that did happen); a failed creation still gets what
    app-data gives, so the env is at least what plain virtualenv would have made."""
    if run.started and not run.config.dry_run:
        from .seeding import record_keys

        seeded = record_keys(run.mode.seed, run.seeded, commands=False) if run.mode.seed and run.seeded else {}
        record.mark_incomplete(run.target.venv, why, **seeded)
    if seed_anyway and run.mode.seed is not None and run.seeded is None:
        run.app_data()


__all__ = ["Mode", "Outcome", "sync"]
