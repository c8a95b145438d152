"""A plan's steps as installer runs: joined where the installer allows, written to private files, run, shown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..logs import LOGGER, WARNING
from ..redact import redact
from ..valuetypes import replace

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import IndexOptions, InstallPlan, ReadyConfig, Step
    from ..target import Target
    from .base import Installer, InstallResult, Located
    from .screen import QuoteScreen


def join_no_deps(steps: list[Step], index: IndexOptions, installer: Installer) -> list[Step]:
    """The plan's no-deps runs (locked and loose) as one, where the installer checks hashes line by line.

    pip turns hash checking on for a whole run once one line has a hash, so it keeps them apart; uv verifies each
    hashed line and installs unhashed ones, so one run keeps every guarantee the lock file gives. Not with
    ``--require-hashes``, where every line must carry a hash.
    """
    from ..model import Step

    no_deps = [step for step in steps if step.no_deps]
    if len(no_deps) < 2 or index.require_hashes or not installer.hashes_per_line:
        return steps
    joined = Step(
        lines=tuple(dict.fromkeys(line for step in no_deps for line in step.lines)),
        editables=tuple(dict.fromkeys(e for step in no_deps for e in step.editables)),
        no_deps=True,
        options=tuple(word for step in no_deps for word in step.options),
    )
    return [step for step in steps if not step.no_deps] + [joined]


def lines_file(step: Step, path: Path, *, write: bool = True, editables: bool = False) -> Step:
    """The step with its lines and constraint lines in private files (``path``, and ``-constraints`` beside it):
    every line validated, written 0600 in the run's private folder; hash options only work in a file anyway.

    With ``editables`` (an installer that caches editable builds only for those its file names), each editable that
    is one plain word goes into the file as an ``-e`` line too, and leaves the step's command-line editables.
    """
    from ..lines import check_line, fileable, write_private

    for line in (*step.lines, *step.constraints, *step.editables, *step.constraint_urls):
        check_line(line)
    filed = tuple(value for value in step.editables if fileable(value)) if editables else ()
    if step.lines or filed:
        if write:
            write_private(path, step.lines, filed)
        kept = tuple(value for value in step.editables if value not in filed)
        step = replace(step, requirements_file=path, editables=kept)
    if step.constraints:
        constraints = path.with_name(f"{path.stem}-constraints{path.suffix}")
        if write:
            write_private(constraints, step.constraints)
        step = replace(step, constraints_file=constraints)
    return step


def child_env(target: Target, proxy: str | None = None) -> dict[str, str]:
    """The installer's environment: the target's, pointing at the target, not an env activated in the shell, and
    at the org policy's ``proxy`` when one runs."""
    from .process import Purpose
    from .process import child_env as rule

    return rule(target.env, Purpose.INSTALL, target.venv, proxy)


def run_step(
    installer: Installer,
    located: Located,
    target: Target,
    step: Step,
    index: IndexOptions,
    *,
    file: Path,
    project: Path,
    handed: Sequence[Path] | None,
    verbosity: int,
    what: str,
    attempt: bool = False,
) -> list[str]:
    """Run one step in ``project``; its output is screened for the project's files (``handed``) unless ``None``.

    Under an org policy that names sources, the run goes through the policy's proxy (:mod:`.proxy_server`), so
    nothing reaches another host whatever a file or a dependency names. An exact step (a lock: every version pinned,
    no resolver) first runs from the installer's cache alone where it can (:meth:`Installer.offline_argv`), as
    `uv sync` installs a lock: the same lines and hashes, no index asked; only when that fails does the network run
    follow. Returns the command as the record keeps it (credentials masked).
    """
    from ..errors import ReadyError
    from .base import run_installer
    from .proxy_server import guarded, name_refused
    from .unauthorized import name_unauthorized

    step = lines_file(step, file, editables=installer.editables_in_file)
    argv = installer.install_argv(located, target, step, index, verbosity)
    with guarded(target.env) as proxy:
        # the offline try runs under the policy's proxy too: what it builds (a backend's own code) sees the same rules
        env = child_env(target, proxy.url if proxy is not None else None)
        cached = installer.offline_argv(argv, env) if step.no_deps else None
        if cached is not None:
            try:
                screen = _screen(step, project, handed)
                run_installer(cached, cwd=project, env=env, verbosity=verbosity, what=what, screen=screen, attempt=True)
            except ReadyError:
                LOGGER.info("virtualenv-ready: the installer's cache lacks part of the exact plan; asking the network")
            else:
                return [redact(a) for a in cached]
        screen = _screen(step, project, handed)
        try:
            run_installer(argv, cwd=project, env=env, verbosity=verbosity, what=what, screen=screen, attempt=attempt)
        except ReadyError as exc:
            name_refused(proxy, what, exc)
            name_unauthorized(index, target.env, what, exc)
            raise
    return [redact(a) for a in argv]


def _screen(step: Step, project: Path, handed: Sequence[Path] | None) -> QuoteScreen | None:
    """A fresh screen for one installer run: quotes of files other than the project's and ours are held back."""
    if handed is None:
        return None
    from ..boundary import project_root
    from .screen import QuoteScreen

    written = [path for path in (step.requirements_file, step.constraints_file) if path is not None]
    return QuoteScreen(project_root(project), project, [*handed, *written])


def handed_files(plan: InstallPlan) -> list[Path]:
    """The project's own files the plan hands to the installer (what its output may quote)."""
    return [path for source in plan.sources for path in source.inputs]


def run_steps(
    steps: list[Step],
    plan: InstallPlan,
    installer: Installer,
    located: Located,
    target: Target,
    index: IndexOptions,
    *,
    tmp: Path,
    first: int,
    verbosity: int,
) -> list[list[str]]:
    """Run the plan's steps in order (files ``step<first>.txt`` on); the commands, as the record keeps them."""
    what = f"installing {plan.summary} with {installer.name}"
    handed = handed_files(plan)
    return [
        run_step(
            installer,
            located,
            target,
            step,
            index,
            file=tmp / f"step{number}.txt",
            project=plan.project,
            handed=handed,
            verbosity=verbosity,
            what=what,
        )
        for number, step in enumerate(steps, start=first)
    ]


def install_steps(
    steps: list[Step],
    plan: InstallPlan,
    installer: Installer,
    located: Located,
    target: Target,
    index: IndexOptions,
    *,
    tmp: Path,
    before: dict[str, str],
    done: list[list[str]],
    verbosity: int,
) -> InstallResult:
    """Run the steps after those ``done`` already; the result's ``after`` is for the caller to fill in."""
    from .base import InstallResult

    result = InstallResult(installer.name, located.version, before=before, commands=list(done))
    result.commands += run_steps(
        steps, plan, installer, located, target, index, tmp=tmp, first=len(done), verbosity=verbosity
    )
    return result


def set_aside_broken(target: Target) -> None:
    """Before re-running over a failed install: move what it half-wrote out of the way, saying so."""
    from ..errors import PROBLEM
    from ..target import quarantine_broken

    for aside in quarantine_broken(target):
        LOGGER.log(
            PROBLEM, "virtualenv-ready: %s was half-written by the failed run; set aside as %s", aside.stem, aside
        )


def report_installed(result: InstallResult, summary: str, seconds: float) -> None:
    """The one line every install ends with; nothing installed is worth it even with -q."""
    from ..errors import PROBLEM

    count = len(result.changed)
    LOGGER.log(
        WARNING if count else PROBLEM,
        "installed %d package%s from %s with %s in %.1fs",
        count,
        "" if count == 1 else "s",
        summary,
        result.installer,
        seconds,
    )


def show_plan(plan: InstallPlan, config: ReadyConfig, target: Target, verbosity: int) -> None:
    """``--ready-dry-run``: the installer that would run, the plan's sources and each command, on the log."""
    import tempfile

    from .choose import prepare

    installer, located, index = prepare(plan, config, target)
    log = LOGGER
    log.warning("virtualenv-ready dry run: would install %s with %s %s", plan.summary, installer.name, located.version)
    for line in plan.describe():
        log.warning("  %s", redact(line))
    for number, step in enumerate(plan.steps()):
        placeholder = Path(tempfile.gettempdir()) / f"virtualenv-ready-step{number}.txt"
        argv = installer.install_argv(located, target, lines_file(step, placeholder, write=False), index, verbosity)
        log.warning("  command: %s", redact(" ".join(argv)))


__all__ = [
    "child_env",
    "handed_files",
    "install_steps",
    "join_no_deps",
    "lines_file",
    "report_installed",
    "run_step",
    "run_steps",
    "set_aside_broken",
    "show_plan",
]
