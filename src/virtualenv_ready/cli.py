"""`virtualenv-ready`: enable/disable the seeder, sync any env with today's plan, print its activation, doctor."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import ReadyError, ReadyInterrupted, error_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a cost on every no-op sync
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any


def _cmd_enable(args: argparse.Namespace) -> int:
    """Write the choice into virtualenv-ready's own file (only a virtualenv with the package reads it) and move a
    ``seeder = ready`` line of virtualenv.ini, which breaks every virtualenv without the package, out of the way."""
    from .config import ini_path, read_ini
    from .settings import ENV_VAR, drop_ini_ready, settings_path, write_enabled

    enable = args.command == "enable"
    default_path = settings_path()[0]
    path = Path(args.config).absolute() if args.config else default_path
    ini = ini_path()
    if enable:
        try:
            seeder = read_ini(ini).get("seeder", "").strip()
        except ReadyError:
            seeder = ""  # virtualenv skips a file it cannot parse: it cannot override the default either
        if seeder not in ("", "ready"):
            msg = f"{ini}: sets seeder = {seeder}, which wins over enable; remove that line, then run enable again"
            raise ReadyError(msg)
    migrated = drop_ini_ready(ini)
    if migrated:
        print(f"{ini}: removed `seeder = ready` (it breaks every virtualenv that does not have virtualenv-ready)")
    changed = write_enabled(path, enable) or (migrated and not enable)
    state = "now" if changed else "already"
    verb = "uses" if enable else "does not use"
    print(f"{path}: virtualenv {state} {verb} the ready seeder by default where virtualenv-ready is installed")
    if path != default_path:
        print(f"note: virtualenv reads {default_path}; set {ENV_VAR}={path} for it to read this file", file=sys.stderr)
    seeder_env = os.environ.get("VIRTUALENV_SEEDER", "").strip()
    if enable and seeder_env and seeder_env != "ready":
        print(f"note: VIRTUALENV_SEEDER={seeder_env} in this environment wins over enable", file=sys.stderr)
    return 0


def _venv_arg(value: str | None) -> Path:
    if value:
        return Path(value).absolute()
    if os.environ.get("VIRTUAL_ENV"):
        return Path(os.environ["VIRTUAL_ENV"])
    return Path(".venv").absolute()


def sync_config(venv: Path, data: dict[str, Any], overrides: dict[str, Any]) -> Any:
    """Today's config for an env: its recorded choices of what to install, today's sources of packages."""
    from .config import from_record

    return from_record(venv, data.get("project"), data.get("options", {}), overrides)


def _say(text: str) -> None:
    """One line on stdout, its control characters escaped (it names the project's groups, files and packages)."""
    from .safe import shown

    print(shown(text))


def _cmd_sync(args: argparse.Namespace) -> int:
    from .apply import sync
    from .foreign import examine
    from .mode import DIFFERS, FRESH, Mode
    from .target import Target

    venv = _venv_arg(args.venv)
    found = examine(venv)
    previous = found.record
    if previous is None:
        return _adopt(venv, args, found)
    target = Target.from_venv(venv, previous.python, previous.bin_dir)
    recorded = {"project": previous.project, "options": dict(previous.options or {})}
    config = sync_config(venv, recorded, {"ready_dry_run": args.dry_run or None})
    log_to_stderr(args.verbosity)
    seed = None if args.check else _resumed(previous, target)
    mode = Mode(verbosity=args.verbosity, exact=args.exact, check=args.check, lock=True, seed=seed)
    outcome = sync(target, config, mode, previous=previous)
    if args.check:
        from .repair import inspect

        differing = [*(outcome.differences if outcome.state == DIFFERS else ()), *inspect(target, previous)]
        for line in differing:
            _say(f"{venv}: {line}")
        _say(f"run `virtualenv-ready sync {venv}` to bring it up to date" if differing else f"{venv}: up to date")
        return 1 if differing else 0
    restored = [] if args.dry_run else _repair(target, previous)
    if outcome.state == FRESH and not restored:
        _say(f"{venv}: up to date, nothing to do")
    return 0


def _resumed(previous: Any, target: Any) -> Any:
    """A first run cut short: seed what it was to seed (nothing, for a finished one: the seeding is not loaded)."""
    if previous.complete:
        return None
    from .seeding import resumed

    return resumed(previous, target)


def _repair(target: Any, previous: Any) -> list[str]:
    """What a fresh creation has and the env lacked, put back (seed packages, activation scripts), said on stderr."""
    from .repair import repair

    restored = repair(target, previous)
    for line in restored:
        print(f"{target.venv}: {line}", file=sys.stderr)
    return restored


def _adopt(venv: Path, args: argparse.Namespace, found: Any) -> int:
    """An env made without the ready seeder (plain virtualenv, ``python -m venv``, ``uv venv``), or whose record this
    user did not sign: running sync on it is the consent to install today's plan into it, which writes its record;
    nothing the env brought (record, pip config) is used."""
    from . import record
    from .apply import sync
    from .config import resolve_environment
    from .foreign import UNRECORDED, adopt
    from .mode import NOTHING, Mode
    from .target import Target

    log_to_stderr(args.verbosity)
    target = Target.from_venv(venv)
    if not args.check:
        adopt(venv, found)
    config = resolve_environment({"ready_dry_run": args.dry_run or None})
    mode = Mode(verbosity=args.verbosity, exact=args.exact, check=args.check, lock=True)
    outcome = sync(target, config, mode, previous=None)
    if not args.check:
        if not args.dry_run:
            _repair(target, None)
        return 0
    why = found.why if found.why not in (None, UNRECORDED) else f"made without virtualenv-ready (no {record.NAME})"
    _say(f"{venv}: {why}")
    if outcome.state == NOTHING:
        _say(f"{venv}: nothing to install ({config.project} has no requirements)")
    from .repair import inspect

    for line in [*outcome.differences, *inspect(target, None)]:
        _say(f"{venv}: {line}")
    what = "make it what a creation makes" if outcome.state == NOTHING else f"install {outcome.summary}"
    _say(f"run `virtualenv-ready sync {venv}` to {what}")
    return 1


def _cmd_activate(args: argparse.Namespace) -> int:
    from .activation import ci, elvish, powershell, venv_run  # noqa: F401 - importing one registers its lines
    from .activation.detect import detect
    from .activation.hints import SHELLS, Place, canonical, shell_lines
    from .activation.notices import activation_lines

    venv = _venv_arg(args.venv)
    bin_dir = next((venv / name for name in ("bin", "Scripts") if (venv / name).is_dir()), None)
    if bin_dir is None:
        msg = f"{venv}: not a virtual environment (no bin/ or Scripts\\); pass the env's folder, or create it first"
        raise ReadyError(msg)
    windows = bin_dir.name == "Scripts"
    every = activation_lines(bin_dir, None, windows=windows)
    if not every:
        raise ReadyError(_no_scripts(venv, windows=windows))
    if args.list:
        for line in every:
            print(line.removeprefix("activate with "))
        return 0
    shell = canonical(args.shell) if args.shell else detect(windows=windows) or ("powershell" if windows else "bash")
    if shell not in SHELLS:
        msg = f"--shell {args.shell}: not a shell virtualenv-ready knows; use one of {', '.join(SHELLS)}"
        raise ReadyError(msg)
    hints = shell_lines(Place(bin_dir, windows=windows, shell=shell))
    if not hints:
        msg = (
            f"{venv}: has no activation script for {shell}; `virtualenv-ready activate --list {venv}` shows the others"
        )
        raise ReadyError(msg)
    print(hints[0].command)
    return 0


def _no_scripts(venv: Path, *, windows: bool) -> str:
    """Why an env has no activation script, and the fix: `sync` writes what a creation writes, unless the creation
    asked for none."""
    from . import record
    from .activation.notices import command_word

    found = record.read_or_none(venv)
    if found is not None and found.activation is not None and not found.activation.get("activators"):
        python = venv / ("Scripts" if windows else "bin") / ("python.exe" if windows else "python")
        return f"{venv}: was created with no activators (--activators ''); run its interpreter directly: {python}"
    word = command_word(str(venv), shell=None, windows=windows)
    return f"{venv}: has no activation scripts; `virtualenv-ready sync {word}` writes what a creation writes"


def _project_plan(directory: str | None) -> Any:
    """Today's plan for a project directory, as a creation from here would make it."""
    from .config import resolve_environment
    from .plan import make_plan
    from .target import Target

    config = resolve_environment({"ready_project": directory or None})
    here = Target(Path(sys.prefix), Path(sys.executable), Path(sys.executable).parent, ())
    return make_plan(config, here)


def _cmd_trust(args: argparse.Namespace) -> int:
    from . import trust

    if args.dir and not Path(args.dir).expanduser().is_dir():
        where = Path(args.dir).expanduser().absolute()
        msg = f"virtualenv-ready {args.command} {args.dir}: no such directory ({where}); pass a project directory"
        raise ReadyError(msg)
    plan = _project_plan(args.dir)
    now = trust.inputs(plan)
    if args.command == "trust":
        before = trust.was(trust.previous(plan.project), now)
        trust.remember(plan.project, now, trusted=True)
        files = f"{len(now.files)} file{'s' if len(now.files) != 1 else ''}"
        _say(
            f"trusted {plan.project} ({plan.summary}; {files}; {trust.installs(plan)}) until its files change; "
            f"it {before}"
        )
    else:
        gone = trust.forget(plan.project)
        if gone is None:
            _say(f"{plan.project}: was not trusted")
        else:
            done = "no longer trusted" if gone.trusted else "your no is forgotten, the next run asks again"
            _say(f"{plan.project}: {done}; it {trust.was(gone, now)}")
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import run_doctor

    return run_doctor()


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="virtualenv-ready",
        description="Make `virtualenv venv` come out ready: `virtualenv --seeder ready venv` creates an env with the "
        "project's packages installed; `virtualenv-ready enable` makes the ready seeder the default, so plain "
        "`virtualenv venv` does it.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("enable", "make `ready` the default seeder of every virtualenv that has virtualenv-ready installed"),
        ("disable", "undo enable"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument(
            "--config",
            metavar="FILE",
            help="virtualenv-ready's settings file to edit "
            "(default: $VIRTUALENV_READY_CONFIG_FILE, else config.toml in your user config dir for virtualenv-ready)",
        )
        cmd.set_defaults(func=_cmd_enable)
    for name, text in (
        ("trust", "allow auto-installs for a project (when ready is only the default seeder) until its inputs change"),
        ("untrust", "forget the trust given to a project"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("dir", nargs="?", help="the project (default: found from the current directory)")
        cmd.set_defaults(func=_cmd_trust)
    sync = sub.add_parser("sync", help="bring an existing env up to date with today's plan")
    sync.add_argument("venv", nargs="?", help="the environment (default: $VIRTUAL_ENV, else ./.venv)")
    sync.add_argument("--check", action="store_true", help="exit 1 and say what differs; change nothing")
    sync.add_argument("--exact", action="store_true", help="also remove what the plan no longer asks for")
    sync.add_argument("--dry-run", action="store_true", help="print the plan, install nothing")
    sync.add_argument("-v", "--verbose", action="count", default=0)
    sync.add_argument("-q", "--quiet", action="count", default=0)
    sync.set_defaults(func=_cmd_sync)
    text = 'print the command that activates an env in your shell: eval "$(virtualenv-ready activate)"'
    activate = sub.add_parser("activate", help=text, description=text)
    activate.add_argument("venv", nargs="?", help="the environment (default: $VIRTUAL_ENV, else ./.venv)")
    activate.add_argument(
        "--shell", metavar="NAME", help="bash, zsh, sh, fish, pwsh, powershell, cmd, ... (default: yours)"
    )
    activate.add_argument("--list", action="store_true", help="print the line for every shell the env has a script for")
    activate.set_defaults(func=_cmd_activate)
    doctor = sub.add_parser("doctor", help="check the installation and show the effective configuration")
    doctor.set_defaults(func=_cmd_doctor)
    return parser


def log_to_stderr(verbosity: int) -> None:
    """The package's log lines on stderr at the level -v/-q ask for, their control characters escaped; set up when
    the first line at that level comes (a run that logs nothing, such as a no-op sync, never imports logging)."""
    from .logs import CRITICAL, DEBUG, ERROR, INFO, WARNING, defer

    level = {0: CRITICAL, 1: ERROR, 2: WARNING, 3: INFO}.get(verbosity, DEBUG)
    defer(level, lambda: _stderr_handler(level))


def _stderr_handler(level: int) -> None:
    import logging

    from .safe import guard_loggers

    guard_loggers()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("virtualenv_ready")
    logger.addHandler(handler)
    logger.setLevel(level)


def plain_sync(argv: Sequence[str]) -> Any:
    """``sync [VENV]`` or ``sync --check [VENV]`` (what a shell hook runs on every prompt): the namespace
    :func:`build_parser` would make, without importing argparse or building its sub-parsers; ``None`` otherwise."""
    from types import SimpleNamespace

    rest = list(argv[1:])
    check = rest.count("--check") == 1
    if check:
        rest.remove("--check")
    if not argv or argv[0] != "sync" or len(rest) > 1 or any(arg.startswith("-") for arg in rest):
        return None
    venv = rest[0] if rest else None
    return SimpleNamespace(
        command="sync", venv=venv, check=check, exact=False, dry_run=False, verbose=0, quiet=0, func=_cmd_sync
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = plain_sync(argv) or build_parser().parse_args(argv)
    args.verbosity = max(2 + getattr(args, "verbose", 0) - getattr(args, "quiet", 0), 0)
    if args.func is not _cmd_sync:
        log_to_stderr(args.verbosity)  # sync sets it up once the env's record is read
    try:
        code: int = args.func(args)
    except (ReadyError, ReadyInterrupted) as exc:
        print(error_line(exc), file=sys.stderr)
        return 130 if isinstance(exc, ReadyInterrupted) else 1
    except KeyboardInterrupt:
        print("virtualenv-ready: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_gone()
    return code


def _reader_gone() -> int:
    """stdout's reader closed the pipe (``| head -1``): stop quietly with the shell's SIGPIPE status, and point
    stdout at the null device so the interpreter's final flush does not fail again."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):  # no real stdout: nothing left to flush into it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 141


__all__ = ["main", "plain_sync"]
