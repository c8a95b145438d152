"""plan -> install -> record: the one path both the `ready` seeder and `virtualenv-ready sync` take."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import record
from .errors import PROBLEM, ReadyError, ReadyInterrupted
from .record import CANDIDATES, candidate_inputs, unchanged
from .redact import redact

if TYPE_CHECKING:
    from .installers.base import Installer, InstallResult, Located
    from .model import IndexOptions, InstallPlan, ReadyConfig, Step
    from .seeding import Seed
    from .target import Target

LOGGER = logging.getLogger("virtualenv_ready")
KEEP = frozenset({"pip", "setuptools", "wheel"})


def choose_installer(requested: str, target: Target) -> tuple[Installer, Located]:
    """The installer asked for, or with ``auto`` the available one with the highest priority."""
    from . import plugins

    registered: dict[str, Installer] = {}
    for batch in plugins.call("ready_register_installers"):
        for installer in batch or ():
            registered.setdefault(installer.name, installer)
    from .installers.base import InstallerUnusable

    if requested != "auto":
        if requested not in registered:
            msg = f"--ready-installer {requested}: no such installer; registered: {', '.join(sorted(registered))}"
            raise ReadyError(msg)
        others = ", ".join(f"--ready-installer {name}" for name in sorted(registered) if name != requested)
        try:
            located = registered[requested].locate(target)
        except InstallerUnusable as exc:
            msg = f"--ready-installer {requested}: {exc}; reinstall it, or use {others or 'another installer'}"
            raise ReadyError(msg) from None
        if located is None:
            msg = f"--ready-installer {requested}: {requested} is not installed; {registered[requested].missing_hint()}"
            raise ReadyError(msg)
        return registered[requested], located
    for installer in sorted(registered.values(), key=lambda i: -i.auto_priority):
        try:
            located = installer.locate(target)
        except InstallerUnusable as exc:
            LOGGER.warning("virtualenv-ready: %s; trying the next installer", exc)
            continue
        if located is not None:
            return installer, located
    tried = ", ".join(registered)
    msg = f"no installer found (tried {tried}); install uv (`pip install virtualenv-ready[uv]`) or seed pip"
    raise ReadyError(msg)


def base_record(target: Target, config: ReadyConfig) -> dict[str, Any]:
    """What the record always holds, so `sync` can rebuild the plan from it alone."""
    return {
        "project": str(config.project),
        "python": _relative(target.python, target.venv),
        "bin_dir": _relative(target.bin_dir, target.venv),
        "options": config.decisive(),
    }


def make_ready(
    target: Target,
    config: ReadyConfig,
    *,
    verbosity: int,
    exact: bool = False,
    ask_consent: bool = False,
    seed: Seed | None = None,
) -> InstallResult | None:
    """Plan and install the project into the target; the record says ``incomplete`` until every step succeeded.

    ``ask_consent`` is set when nothing in this run chose `ready` (only a default did): then the project's
    inputs must be trusted first (see :mod:`virtualenv_ready.trust`). ``seed`` (from the seeder) is skipped when
    the env is already up to date, else installed first: by uv from the wheel files, or by app-data.
    """
    start = time.perf_counter()
    LOGGER.info(
        "virtualenv-ready project %s (%s)", config.project, config.origin.get("ready_project", "--ready-project")
    )
    previous = _previous_record(target.venv) if not config.dry_run else None
    if (
        previous
        and not exact
        and (seed is None or previous.get("seed") == seed.request)
        and unchanged(previous, config, target)
    ):
        # creating into an existing, finished env: nothing to seed or install, the record stays as it is
        if seed is not None:
            seed.done = True
        LOGGER.warning("virtualenv-ready: %s is already up to date with %s", target.venv, previous.get("summary"))
        return None
    from . import plugins
    from .installers.base import InstallResult, run_installer
    from .plan import make_plan

    if seed is not None and _seeded_before(previous, seed, target):
        # an earlier run seeded these very packages (and maybe failed later): seeding again could only rewrite them
        seed.done, seed.via = True, str(previous.get("seed_via")) if previous else seed.via
    if not config.dry_run:
        record.update(target.venv, status=record.INCOMPLETE, **base_record(target, config))
    try:
        plan = make_plan(config, target)
        planned = time.perf_counter()
        if (
            previous
            and previous.get("fingerprint")
            and not exact
            and (seed is None or previous.get("seed") == seed.request)
            and not differences_from_record(previous, plan, target)
        ):
            # creating into an existing, finished env: nothing to seed or install, and the record stays as it was
            if seed is not None:
                seed.done = True
            LOGGER.warning("virtualenv-ready: %s is already up to date with %s", target.venv, plan.summary)
            record.write(target.venv, {k: v for k, v in previous.items() if k not in {"schema", "tool"}})
            return None
        if config.dry_run and seed is not None:
            seed.seed_with_app_data()
        if plan.empty and not exact:
            LOGGER.log(PROBLEM, "virtualenv-ready: nothing to install in %s: %s", config.project, nothing_found(config))
            if not config.dry_run:
                _seed_alone(seed, target, config, verbosity)
                _finish(target, config, plan, None, None, {"plan": planned - start}, seed)
            return None
        if ask_consent and not config.dry_run and not _consented(plan, config, target):
            _seed_alone(seed, target, config, verbosity)
            record.mark_incomplete(target.venv, "not trusted: nothing installed")
            return None
        if seed is not None and not seed.done and not seed.via_installer:
            seed.seed_with_app_data()  # before the installer is looked up: the pip installer is the seeded pip
        installer, located = choose_installer(config.installer, target)
        from .boundary import project_sources_allowed

        installer.check_project(config.project, project_sources_allowed(config))
        _installer_settings(plan, installer.name)
        for planned_step in plan.steps():
            installer.check_step(planned_step)
        index = replace(plan.index, find_links=plan.find_links())
        what = f"installing {plan.summary} with {installer.name}"
        if config.dry_run:
            _show_plan(plan, installer, located, target, index, verbosity)
            return None
        if previous is not None and previous.get("status") != record.COMPLETE:
            from .target import quarantine_broken

            for aside in quarantine_broken(target):
                LOGGER.log(
                    PROBLEM,
                    "virtualenv-ready: %s was half-written by the failed run; set aside as %s",
                    aside.stem,
                    aside,
                )
        import tempfile

        result = InstallResult(installer.name, located.version, before=target.installed())
        plugins.call("ready_before_install", plan=plan, target=target)
        from .boundary import QuoteScreen, project_root

        handed = [path for source in plan.sources for path in source.inputs]
        with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as tmp:
            steps = join_no_deps(plan.steps(), index, installer)
            if seed is not None and not seed.done:
                steps = _seed_first(seed, steps, plan, installer, located, target, index, verbosity, Path(tmp), result)
            for number, planned_step in enumerate(steps, start=len(result.commands)):
                step = _lines_file(planned_step, Path(tmp) / f"step{number}.txt")
                argv = installer.install_argv(located, target, step, index, verbosity)
                result.commands.append([redact(a) for a in argv])
                written = [step.requirements_file] if step.requirements_file else []
                screen = QuoteScreen(project_root(config.project), config.project, [*handed, *written])
                env = _child_env(target)
                run_installer(argv, cwd=config.project, env=env, verbosity=verbosity, what=what, screen=screen)
        if exact:
            _remove_extras(plan, installer, located, target, verbosity)
        result.after = target.installed()
        result.seconds = time.perf_counter() - planned
        plugins.call("ready_after_install", plan=plan, target=target, result=result)
        _finish(target, config, plan, result, installer, {"plan": planned - start, "install": result.seconds}, seed)
    except (ReadyError, ReadyInterrupted) as exc:
        if not config.dry_run:
            _record_seed(target, seed)
            record.mark_incomplete(target.venv, str(exc))
        raise
    except KeyboardInterrupt:
        if not config.dry_run:
            _record_seed(target, seed)
            record.mark_incomplete(target.venv, "interrupted")
        msg = "interrupted; the environment is left incomplete: re-run the command or `virtualenv-ready sync`"
        raise ReadyInterrupted(msg) from None
    count = len(result.changed)
    LOGGER.log(
        logging.WARNING if count else PROBLEM,  # nothing installed is worth a line even with -q
        "installed %d package%s from %s with %s in %.1fs",
        count,
        "" if count == 1 else "s",
        plan.summary,
        installer.name,
        time.perf_counter() - start,
    )
    return result


def _consented(plan: InstallPlan, config: ReadyConfig, target: Target) -> bool:
    """The consent rule: the policy's `trust` (always, ask, never), else ask once per project and inputs."""
    from . import trust

    rule = config.policy.trust if config.policy is not None and config.policy.trust else "ask"
    later = f"`virtualenv-ready sync {target.venv}`"
    if rule == "always":
        return True
    if rule == "never":
        where = config.policy.where("trust") if config.policy else "policy"
        LOGGER.log(
            PROBLEM,
            "virtualenv-ready: %s was not installed: the %s allows installs only when asked for explicitly; run %s",
            plan.summary,
            where,
            later,
        )
        return False
    digest = trust.digest(plan)
    known = trust.lookup(plan.project, digest)
    if known is None and trust.interactive():
        known = trust.ask(plan.project, plan.summary)
        trust.remember(plan.project, digest, known)
    if known:
        return True
    why = "you answered no for these inputs" if known is False else "this project is not trusted yet"
    LOGGER.log(
        PROBLEM,
        "virtualenv-ready: env created, but %s of %s was not installed: `ready` is only the default seeder (from "
        "`virtualenv-ready enable` or virtualenv.ini) and %s. Trust it with `virtualenv-ready trust %s`, then run %s",
        plan.summary,
        plan.project,
        why,
        plan.project,
        later,
    )
    return False


def _previous_record(venv: Path) -> dict[str, Any] | None:
    try:
        return record.read(venv)
    except ReadyError:
        return None


def differences_from_record(data: dict[str, Any], plan: InstallPlan, target: Target) -> list[str]:
    """What makes the env differ from its plan: an unfinished install, changed inputs or options, drifted packages."""
    found: list[str] = []
    if data.get("status") != "complete":
        found.append(f"the last install did not finish ({data.get('error') or data.get('status')})")
    old_inputs: dict[str, str] = data.get("inputs", {})
    for path, digest in plan.input_hashes().items():
        if path not in old_inputs:
            found.append(f"new input {path}")
        elif old_inputs[path] != digest:
            found.append(f"changed {path}")
    found += [f"input gone: {path}" for path in old_inputs if path not in plan.input_hashes()]
    if not found and data.get("fingerprint") != plan.fingerprint():
        found.append("the options or sources changed")
    installed = target.installed()
    for name, version in (data.get("installed") or {}).items():
        if name not in installed:
            found.append(f"{name} {version} was removed")
        elif installed[name] != version:
            found.append(f"{name} is {installed[name]}, the record says {version}")
    return found


def _finish(
    target: Target,
    config: ReadyConfig,
    plan: InstallPlan,
    result: InstallResult | None,
    installer: Installer | None,
    durations: dict[str, float],
    seed: Seed | None = None,
) -> None:
    from .envconfig import write_pip_config

    write_pip_config(target.venv, config)
    record.write(
        target.venv,
        {
            "status": record.COMPLETE,
            **base_record(target, config),
            "summary": plan.summary,
            "fingerprint": plan.fingerprint(),
            "inputs": plan.input_hashes(),
            "candidates": candidate_inputs(config.project),
            "installer": {"name": installer.name, "version": result.version} if installer and result else None,
            "commands": result.commands if result else [],
            "installed": target.installed(),
            "durations": {key: round(value, 3) for key, value in durations.items()},
            **({"seed": seed.request, "seed_via": seed.via, "seed_commands": seed.commands} if seed else {}),
        },
    )


def _seed_through(
    seed: Seed, installer: Installer, located: Located, target: Target, project: Path, verbosity: int, tmp: Path
) -> None:
    """The seed wheels in one offline run of the installer, before the project's runs so the project's pins win."""
    from .installers.base import run_installer
    from .seeding import UV, seed_step

    if not seed.via_installer or seed.wheels is None or installer.name != UV:
        seed.seed_with_app_data()
        return
    wheels = seed.wheels()
    seed.via = UV
    if wheels:
        step, index = seed_step(wheels)
        argv = installer.install_argv(located, target, _lines_file(step, tmp / "seed.txt"), index, verbosity)
        seed.commands.append([redact(a) for a in argv])
        what = f"seeding {', '.join(sorted(wheels))} with {installer.name}"
        run_installer(argv, cwd=project, env=_child_env(target), verbosity=verbosity, what=what)
    seed.done = True


def _seed_first(
    seed: Seed,
    steps: list[Step],
    plan: InstallPlan,
    installer: Installer,
    located: Located,
    target: Target,
    index: IndexOptions,
    verbosity: int,
    tmp: Path,
    result: InstallResult,
) -> list[Step]:
    """Seed, and return the runs still to do: the seed wheels go into the project's first uv run (one run, as the
    floor does by hand); where the project names a seed package, or the two do not resolve together, seeding is a
    run of its own before the project's, so the project's versions win exactly as after app-data seeding."""
    from .installers.base import run_installer
    from .seeding import UV, named, wheel_version, with_seed

    if steps and seed.via_installer and seed.wheels is not None and installer.name == UV:
        wheels = seed.wheels()
        if not named(plan.requirement_lines(), wheels):
            merged, merged_index = with_seed(steps[0], index, wheels)
            step = _lines_file(merged, tmp / "step0.txt")
            argv = installer.install_argv(located, target, step, merged_index, verbosity)
            from .boundary import QuoteScreen, project_root

            handed = [path for source in plan.sources for path in source.inputs]
            written = [step.requirements_file] if step.requirements_file else []
            screen = QuoteScreen(project_root(plan.project), plan.project, [*handed, *written])
            try:
                what = f"installing {plan.summary} and seeding with {installer.name}"
                env = _child_env(target)
                run_installer(
                    argv, cwd=plan.project, env=env, verbosity=verbosity, what=what, screen=screen, attempt=True
                )
            except ReadyError:
                LOGGER.info("virtualenv-ready: the seed packages and %s do not resolve together", plan.summary)
            else:
                result.commands.append([redact(a) for a in argv])
                result.before.update({name: wheel_version(path) for name, path in wheels.items()})
                seed.done, seed.via = True, UV
                return steps[1:]
    _seed_through(seed, installer, located, target, plan.project, verbosity, tmp)
    result.before = target.installed()  # what the project's runs change, not the seeding
    return steps


def _seeded_before(previous: dict[str, Any] | None, seed: Seed, target: Target) -> bool:
    """The record says this seed request was installed, and its packages are all still there."""
    if not previous or previous.get("seed") != seed.request or not previous.get("seed_via"):
        return False
    installed = target.installed()
    return all(name in installed for name in seed.names)


def _record_seed(target: Target, seed: Seed | None) -> None:
    """A run that fails after seeding notes it, so the re-run does not seed again over it."""
    if seed is not None and seed.done:
        record.update(target.venv, seed=seed.request, seed_via=seed.via)


def _seed_alone(seed: Seed | None, target: Target, config: ReadyConfig, verbosity: int) -> None:
    """Seed an env that gets nothing else (no project, or not trusted): still pip and setuptools, as app-data."""
    if seed is None or seed.done:
        return
    if not seed.via_installer:
        seed.seed_with_app_data()
        return
    import tempfile

    installer, located = choose_installer(config.installer, target)
    with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as tmp:
        _seed_through(seed, installer, located, target, config.project, verbosity, Path(tmp))


def join_no_deps(steps: list[Step], index: IndexOptions, installer: Installer) -> list[Step]:
    """The plan's no-deps runs (locked and loose) as one, where the installer checks hashes line by line.

    pip turns hash checking on for a whole run once one line has a hash, so it keeps them apart; uv verifies each
    hashed line and installs unhashed ones, so one run keeps every guarantee the lock file gives. Not with
    ``--require-hashes``, where every line must carry a hash.
    """
    from .model import Step

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


def nothing_found(config: ReadyConfig) -> str:
    """What the project holds and why none of it installs anything, for the "nothing to install" line."""
    from .files import load_pyproject

    found = [name for name in (*CANDIDATES, "poetry.lock", "pdm.lock") if (config.project / name).is_file()]
    if not found:
        return f"none of {', '.join(CANDIDATES)} is there"
    why = []
    data = load_pyproject(config.project / "pyproject.toml")
    if data is not None:
        if config.no_project:
            why.append("--ready-no-project leaves the project out")
        elif not any(key in data for key in ("project", "build-system")) and "poetry" not in data.get("tool", {}):
            why.append("pyproject.toml has no [project], [build-system] or [tool.poetry] table")
        why.append("no dependency group is selected" if config.groups is not None else "it has no dependency groups")
    if config.requirements is not None and "requirements.txt" in found:
        why.append("requirements.txt is replaced by --ready-requirement")
    return f"found {', '.join(found)}" + (f"; {', '.join(why)}" if why else "")


def _installer_settings(plan: InstallPlan, installer: str) -> None:
    """uv applies the project's [tool.uv] resolution settings (it runs in the project); pip applies none of them."""
    from .sources.uv import resolution_settings

    settings = resolution_settings(plan.project)
    if not settings:
        return
    where = plan.project / "pyproject.toml"
    if installer == "uv":
        LOGGER.info("uv applies these [tool.uv] settings of %s: %s", where, ", ".join(settings))
    elif not any(source.label.startswith("uv.lock") for source in plan.sources):
        LOGGER.warning(
            "virtualenv-ready: %s does not apply [tool.uv] %s of %s, so its result may differ from uv's; use "
            "--ready-installer uv, or lock the project with `uv lock`",
            installer,
            ", ".join(settings),
            where,
        )


def _lines_file(step: Step, path: Path, *, write: bool = True) -> Step:
    """The step with its inline lines moved into a requirements file (hash options only work in a file)."""
    if not step.lines:
        return step
    if write:
        path.write_text("\n".join(step.lines) + "\n", encoding="utf-8")
    return replace(step, requirements_file=path)


def _child_env(target: Target) -> dict[str, str]:
    env = dict(target.env)
    env.pop("PYTHONHOME", None)
    env.pop("PYTHONPATH", None)
    # pip/uv must see the target, not an env activated in the calling shell
    env["VIRTUAL_ENV"] = str(target.venv)
    return env


def _show_plan(
    plan: InstallPlan, installer: Installer, located: Located, target: Target, index: IndexOptions, verbosity: int
) -> None:
    LOGGER.warning(
        "virtualenv-ready dry run: would install %s with %s %s", plan.summary, installer.name, located.version
    )
    import tempfile

    for line in plan.describe():
        LOGGER.warning("  %s", redact(line))
    for number, step in enumerate(plan.steps()):
        placeholder = Path(tempfile.gettempdir()) / f"virtualenv-ready-step{number}.txt"
        argv = installer.install_argv(located, target, _lines_file(step, placeholder, write=False), index, verbosity)
        LOGGER.warning("  command: %s", redact(" ".join(argv)))


def _remove_extras(plan: InstallPlan, installer: Installer, located: Located, target: Target, verbosity: int) -> None:
    from .exact import unwanted

    extra = sorted(unwanted(plan, target) - KEEP)
    if not extra:
        return
    from .installers.base import run_installer

    LOGGER.warning("virtualenv-ready: removing %s (not in the plan)", ", ".join(extra))
    argv = installer.uninstall_argv(located, target, extra)
    run_installer(
        argv, cwd=plan.project, env=_child_env(target), verbosity=verbosity, what=f"removing {', '.join(extra)}"
    )


def _relative(path: Path, base: Path) -> str:
    try:
        return str(Path(path).absolute().relative_to(Path(base).absolute()))
    except ValueError:
        return str(path)


__all__ = ["choose_installer", "join_no_deps", "make_ready"]
