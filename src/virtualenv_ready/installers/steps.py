"""A plan's steps as installer runs: joined where the installer allows, written to private files, run, shown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..redact import redact

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import IndexOptions, InstallPlan, Step
    from ..target import Target
    from .base import Installer, Located


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
        requirement_files=tuple(dict.fromkeys(f for step in no_deps for f in step.requirement_files)),
        editables=tuple(dict.fromkeys(e for step in no_deps for e in step.editables)),
        no_deps=True,
    )
    return [step for step in steps if not step.no_deps] + [joined]


def lines_file(step: Step, path: Path, *, write: bool = True) -> Step:
    """The step with its inline lines moved into a requirements file (hash options only work in a file)."""
    if not step.lines:
        return step
    if write:
        path.write_text("\n".join(step.lines) + "\n", encoding="utf-8")
    return replace(step, requirements_file=path)


def child_env(target: Target) -> dict[str, str]:
    """The installer's environment: the target's, pointing at the target, not an env activated in the shell."""
    env = dict(target.env)
    env.pop("PYTHONHOME", None)
    env.pop("PYTHONPATH", None)
    env["VIRTUAL_ENV"] = str(target.venv)
    return env


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

    Returns the command as the record keeps it (credentials masked).
    """
    from .base import run_installer

    step = lines_file(step, file)
    argv = installer.install_argv(located, target, step, index, verbosity)
    screen = None
    if handed is not None:
        from ..boundary import QuoteScreen, project_root

        written = [step.requirements_file] if step.requirements_file else []
        screen = QuoteScreen(project_root(project), project, [*handed, *written])
    env = child_env(target)
    run_installer(argv, cwd=project, env=env, verbosity=verbosity, what=what, screen=screen, attempt=attempt)
    return [redact(a) for a in argv]


def handed_files(plan: InstallPlan) -> list[Path]:
    """The project's own files the plan hands to the installer (what its output may quote)."""
    return [path for source in plan.sources for path in source.inputs]


def dry_run_lines(
    plan: InstallPlan, installer: Installer, located: Located, target: Target, index: IndexOptions, verbosity: int
) -> list[str]:
    """What ``--ready-dry-run`` prints: the plan's sources, then each installer command it would run."""
    import tempfile

    lines = [redact(line) for line in plan.describe()]
    for number, step in enumerate(plan.steps()):
        placeholder = Path(tempfile.gettempdir()) / f"virtualenv-ready-step{number}.txt"
        argv = installer.install_argv(located, target, lines_file(step, placeholder, write=False), index, verbosity)
        lines.append(f"command: {redact(' '.join(argv))}")
    return lines


__all__ = ["child_env", "dry_run_lines", "handed_files", "join_no_deps", "lines_file", "run_step"]
