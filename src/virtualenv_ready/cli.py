"""`virtualenv-ready`: enable/disable the seeder, sync any env with today's plan, print its activation, doctor."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ini_path, read_ini
from .errors import ReadyError, ReadyInterrupted

if TYPE_CHECKING:
    from collections.abc import Sequence

WHAT_KEYS = ("requirements", "constraints", "extras", "groups", "no_project", "no_lock", "installer")
WHERE_KEYS = ("index_url", "extra_index_urls", "find_links", "no_index", "only_binary", "require_hashes")
_DEST = {
    "requirements": "ready_requirement",
    "constraints": "ready_constraint",
    "extras": "ready_extras",
    "groups": "ready_groups",
    "no_project": "ready_no_project",
    "no_lock": "ready_no_lock",
    "installer": "ready_installer",
    "index_url": "ready_index_url",
    "extra_index_urls": "ready_extra_index_url",
    "find_links": "ready_find_links",
    "no_index": "ready_no_index",
    "only_binary": "ready_only_binary",
    "require_hashes": "ready_require_hashes",
}


def _section_bounds(lines: list[str]) -> tuple[int, int] | None:
    start = None
    for number, line in enumerate(lines):
        stripped = line.strip().lstrip("\ufeff")
        if stripped.startswith("[") and stripped.endswith("]"):
            if start is not None:
                return start, number
            if stripped[1:-1].strip().lower() == "virtualenv":
                start = number
    return (start, len(lines)) if start is not None else None


def _seeder_line(line: str) -> str | None:
    key, sep, value = line.partition("=")
    if not sep or line.lstrip().startswith(("#", ";")):
        return None
    return value.strip() if key.strip().lower() == "seeder" else None


def set_seeder(path: Path, enable: bool) -> bool:
    """Add or remove only `seeder = ready`, keeping every other line; True when the file changed."""
    text = path.read_bytes().decode("utf-8") if path.exists() else ""  # bytes: keep CRLF and a BOM as they are
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    bounds = _section_bounds(lines)
    current = None
    if bounds:
        for number in range(bounds[0] + 1, bounds[1]):
            value = _seeder_line(lines[number])
            if value is not None:
                current = (number, value)
    if enable:
        if current and current[1] == "ready":
            return False
        if current:
            msg = f"{path}: already sets seeder = {current[1]}; remove that line first, then run enable again"
            raise ReadyError(msg)
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        if bounds:
            insert = bounds[0] + 1
            lines.insert(insert, f"seeder = ready{newline}")
        else:
            lines += [f"[virtualenv]{newline}", f"seeder = ready{newline}"]
    else:
        if not current or current[1] != "ready":
            return False
        del lines[current[0]]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(lines), encoding="utf-8", newline="")
    os.replace(tmp, path)
    return True


def _cmd_enable(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else ini_path()
    changed = set_seeder(path, enable=args.command == "enable")
    state = "now" if changed else "already"
    verb = "uses" if args.command == "enable" else "does not use"
    print(f"{path}: virtualenv {state} {verb} the ready seeder by default")
    return 0


def _venv_arg(value: str | None) -> Path:
    if value:
        return Path(value).absolute()
    if os.environ.get("VIRTUAL_ENV"):
        return Path(os.environ["VIRTUAL_ENV"])
    return Path(".venv").absolute()


def sync_config(venv: Path, data: dict[str, Any], overrides: dict[str, Any]) -> Any:
    """Today's config for an env: its recorded choices of what to install, today's sources of packages."""
    from .config import from_environment, options_namespace, resolve
    from .redact import MASK

    values: dict[str, Any] = {"ready_project": data.get("project")}
    recorded = data.get("options", {})
    for key in WHAT_KEYS:
        if recorded.get(key) not in (None, [], False):
            values[_DEST[key]] = recorded[key]
    today = from_environment(ini=read_ini(ini_path()))
    for key in WHERE_KEYS:
        dest = _DEST[key]
        if dest in today:
            values[dest] = today[dest]
        elif recorded.get(key) not in (None, [], False):
            if MASK in str(recorded[key]):
                msg = (
                    f"{venv}: the recorded {key} had credentials, which are never stored; "
                    f"set VIRTUALENV_{dest.upper()} to sync"
                )
                raise ReadyError(msg)
            values[dest] = recorded[key]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return resolve(options_namespace(values))


def _cmd_sync(args: argparse.Namespace) -> int:
    from . import record
    from .record import unchanged
    from .target import Target

    venv = _venv_arg(args.venv)
    data = record.read(venv)
    if data is None:
        return _adopt(venv, args)
    target = Target.from_venv(venv, data.get("python"), data.get("bin_dir"))
    config = sync_config(venv, data, {"ready_dry_run": args.dry_run or None})
    if not args.exact and not args.dry_run and unchanged(data, config, target):
        print(f"{venv}: up to date" if args.check else f"{venv}: up to date, nothing to do")
        return 0
    log_to_stderr(args.verbosity)
    from .apply import differences_from_record, make_ready
    from .plan import make_plan

    plan = make_plan(config, target)
    differences = differences_from_record(data, plan, target)
    if args.check:
        if args.exact:
            from .apply import KEEP
            from .exact import unwanted

            differences += [f"not in the plan: {name}" for name in sorted(unwanted(plan, target) - KEEP)]
        if differences:
            for line in differences:
                print(f"{venv}: {line}")
            print(f"run `virtualenv-ready sync {venv}` to bring it up to date")
            return 1
        print(f"{venv}: up to date")
        return 0
    if not differences and not args.exact:
        print(f"{venv}: up to date, nothing to do")
        return 0
    import logging

    for line in differences:
        logging.getLogger("virtualenv_ready").info("%s: %s", venv, line)
    from .lock import dest_lock

    with dest_lock(venv):
        make_ready(target, config, verbosity=args.verbosity, exact=args.exact)
    return 0


def _adopt(venv: Path, args: argparse.Namespace) -> int:
    """An env made without the ready seeder (plain virtualenv, ``python -m venv``, ``uv venv``): running sync on it is
    the consent to install today's plan into it, which writes its record."""
    from . import record
    from .apply import make_ready
    from .config import from_environment, options_namespace, resolve
    from .plan import make_plan
    from .target import Target

    log_to_stderr(args.verbosity)
    target = Target.from_venv(venv)
    values = from_environment(ini=read_ini(ini_path()))
    values["ready_dry_run"] = args.dry_run or None
    config = resolve(options_namespace(values))
    if args.check:
        from .exact import wanted

        plan = make_plan(config, target)
        if plan.empty:
            print(f"{venv}: nothing to install ({config.project} has no requirements)")
            return 0
        print(f"{venv}: made without virtualenv-ready (no {record.NAME})")
        missing = sorted(wanted(plan, target) - set(target.installed()))
        for name in missing:
            print(f"{venv}: {name} is not installed")
        print(f"run `virtualenv-ready sync {venv}` to install {plan.summary}")
        return 1
    import logging

    logging.getLogger("virtualenv_ready").info(
        "%s: no %s yet; installing the plan of %s into it", venv, record.NAME, config.project
    )
    from .lock import dest_lock

    with dest_lock(venv):
        make_ready(target, config, verbosity=args.verbosity, exact=args.exact)
    return 0


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
    if args.list:
        for line in activation_lines(bin_dir, None, windows=windows):
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


def _project_plan(directory: str | None) -> Any:
    """Today's plan for a project directory, as a creation from here would make it."""
    from .config import from_environment, options_namespace, resolve
    from .plan import make_plan
    from .target import Target

    values = from_environment(ini=read_ini(ini_path()))
    if directory:
        values["ready_project"] = directory
    config = resolve(options_namespace(values))
    here = Target(Path(sys.prefix), Path(sys.executable), Path(sys.executable).parent, ())
    return make_plan(config, here)


def _cmd_trust(args: argparse.Namespace) -> int:
    from . import trust

    plan = _project_plan(args.dir)
    if args.command == "trust":
        trust.remember(plan.project, trust.digest(plan), trusted=True)
        files = ", ".join(Path(p).name for p in plan.input_hashes()) or "no input files"
        print(f"trusted {plan.project} ({plan.summary}; {files}) until these inputs change")
    else:
        gone = trust.forget(plan.project)
        print(f"{plan.project}: {'no longer trusted' if gone else 'was not trusted'}")
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import run_doctor

    return run_doctor()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="virtualenv-ready", description="Make `virtualenv venv` come out ready.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("enable", "make `ready` virtualenv's default seeder"), ("disable", "undo enable")):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("--config", metavar="FILE", help="virtualenv.ini to edit (default: the one virtualenv reads)")
        cmd.set_defaults(func=_cmd_enable)
    for name, text in (
        ("trust", "allow auto-installs for a project (when ready is only the ini default) until its inputs change"),
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
    """The package's log lines on stderr at the level -v/-q ask for."""
    import logging

    levels = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO}
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("virtualenv_ready")
    logger.addHandler(handler)
    logger.setLevel(levels.get(verbosity, logging.DEBUG))


def plain_sync(argv: Sequence[str]) -> argparse.Namespace | None:
    """``sync`` or ``sync VENV`` (what a shell hook runs on every prompt): the namespace :func:`build_parser` would
    make, without building its eight sub-parsers (a tenth of a no-op sync's own time); ``None`` otherwise."""
    if not argv or argv[0] != "sync" or len(argv) > 2 or any(arg.startswith("-") for arg in argv[1:]):
        return None
    venv = argv[1] if len(argv) == 2 else None
    return argparse.Namespace(
        command="sync", venv=venv, check=False, exact=False, dry_run=False, verbose=0, quiet=0, func=_cmd_sync
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = plain_sync(argv) or build_parser().parse_args(argv)
    args.verbosity = max(2 + getattr(args, "verbose", 0) - getattr(args, "quiet", 0), 0)
    if args.func is not _cmd_sync:
        log_to_stderr(args.verbosity)  # sync sets it up after its no-op check, which logs nothing
    try:
        code: int = args.func(args)
    except ReadyError as exc:
        from .redact import redact

        print(f"virtualenv-ready: error: {redact(str(exc))}", file=sys.stderr)
        return 1
    except ReadyInterrupted as exc:
        print(f"virtualenv-ready: {exc}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("virtualenv-ready: interrupted", file=sys.stderr)
        return 130
    return code


__all__ = ["main", "plain_sync", "set_seeder"]
