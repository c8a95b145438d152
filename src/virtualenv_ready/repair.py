"""What a fresh creation writes besides the project's packages, put back where an env lacks it.

virtualenv seeds before the project installs and writes the activation scripts after the seeder: a creation cut short
(Ctrl-C, a failed install) or an env made elsewhere lacks some of them. `virtualenv-ready sync` restores them with
virtualenv's own seeder and activator classes, built for the env's own paths
(:func:`virtualenv_ready.compat.session_for`); `sync --check` names what is missing. Nothing there is replaced, except
scripts this package's own creation wrote and never confirmed (a Ctrl-C may have cut one short).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .mode import activation_of
from .valuetypes import dataclass, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from .record import Record
    from .target import Target

#: the seed options that are settings, not distributions
SETTINGS = frozenset({"download", "extra_search_dir", "symlink"})
_PLAIN_PATH = r"[A-Za-z0-9/._+-]+"  # compiled on first use (re caches it), not at import
_LARGEST_SCRIPT = 1 << 20


@dataclass(frozen=True)
class Wanted:
    """What a fresh creation of this env writes besides the project: from its record, else virtualenv's defaults."""

    #: the seed options (distribution: version, and the settings); ``None``: virtualenv's defaults
    seed: Mapping[str, Any] | None
    #: virtualenv's activation options (``activators``, ``prompt``); ``None``: virtualenv's defaults
    activation: Mapping[str, Any] | None
    #: the scripts a sync confirmed (relative to the env); ``None``: never confirmed
    scripts: tuple[str, ...] | None
    #: this package's creation wrote the scripts there: they may be written again
    rewrite: bool

    @classmethod
    def of(cls, previous: Record | None) -> Wanted:
        if previous is None:
            return cls(None, None, None, rewrite=False)
        rewrite = previous.activation is not None and previous.scripts is None
        return cls(previous.seed or {}, previous.activation, previous.scripts, rewrite=rewrite)

    @property
    def no_scripts(self) -> bool:
        return self.activation is not None and not self.activation.get("activators")


@dataclass(frozen=True)
class Restored:
    """What a repair put back: seed distributions and scripts (relative paths), and the scripts now known there."""

    seeded: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    scripts: tuple[str, ...] | None = None
    activation: Mapping[str, Any] | None = None
    #: virtualenv was asked (the record learns the scripts); ``False``: the record alone said nothing is missing
    looked: bool = True


def seed_names(seed: Mapping[str, Any]) -> tuple[str, ...]:
    """The distributions recorded seed options seed."""
    return tuple(name for name in seed if name not in SETTINGS)


def missing_seeds(wanted: Wanted, installed: Mapping[str, str]) -> tuple[str, ...]:
    """The recorded seed distributions the env lacks (an adopted env: asked of virtualenv, see :func:`restore`)."""
    return tuple(name for name in seed_names(wanted.seed or {}) if name not in installed)


def seed_args(seed: Mapping[str, Any] | None, missing: Iterable[str], known: Iterable[str]) -> list[str]:
    """virtualenv's app-data options that seed exactly ``missing``, at the recorded versions and with the recorded
    settings (``None``: virtualenv's defaults for the versions and settings, and for which, when none is named)."""
    args = ["--seeder", "app-data", "--no-periodic-update"]
    wanted = set(missing)
    if seed is None and not wanted:
        return args  # an adopted env: virtualenv's defaults say what a creation seeds
    for name in known:
        if name not in wanted:
            args.append(f"--no-{name}")
        elif seed and seed.get(name):
            args += [f"--{name}", str(seed[name])]
    if seed:
        args.append("--download" if seed.get("download") else "--no-download")
        for folder in seed.get("extra_search_dir") or ():
            args += ["--extra-search-dir", str(folder)]
        if seed.get("symlink"):
            args.append("--symlink-app-data")
    return args


def activation_args(activation: Mapping[str, Any] | None, available: Iterable[str]) -> list[str]:
    """virtualenv's activation options for the recorded ones (``None``: its defaults); activators no longer
    installed are left out."""
    if activation is None:
        return []
    known = set(available)
    names = [name for name in activation.get("activators") or () if name in known]
    args = ["--activators", ",".join(names)]
    if activation.get("prompt") is not None:
        args += ["--prompt", str(activation["prompt"])]
    return args


def script_lines(missing: Iterable[str], differing: Iterable[str], seeds: Iterable[str]) -> list[str]:
    """``sync --check``'s lines for what a fresh creation has and the env lacks."""
    lines = [f"+ {name} (a seed package)" for name in sorted(seeds)]
    lines += [f"activation script missing: {path}" for path in sorted(missing)]
    lines += [f"activation script differs from a fresh one: {path}" for path in sorted(differing)]
    return lines


def quick_missing(target: Target, wanted: Wanted) -> bool | None:
    """Whether something is missing, when that is known without asking virtualenv (``None``: only it can tell)."""
    if wanted.seed is None:
        return None
    if missing_seeds(wanted, target.installed()):
        return True
    if wanted.no_scripts:
        return False
    if wanted.scripts is None:
        return None
    return any(not (target.venv / path).is_file() for path in wanted.scripts)


def inspect(target: Target, previous: Record | None) -> list[str]:
    """``sync --check``: what a fresh creation has and this env lacks, as lines (none: nothing)."""
    wanted = Wanted.of(previous)
    if quick_missing(target, wanted) is False:
        return []
    seeds = list(missing_seeds(wanted, target.installed()))
    if wanted.no_scripts:
        return script_lines((), (), seeds)
    if wanted.scripts is not None:
        gone = [path for path in wanted.scripts if not (target.venv / path).is_file()]
        return script_lines(gone, (), seeds)
    import tempfile

    venv = Path(os.path.abspath(target.venv))  # noqa: PTH100 - normalised as virtualenv names it, links kept
    with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as tmp:
        scratch = scratch_dest(Path(tmp), venv)
        session, _ = _session(target, wanted, scratch, missing=())
        if wanted.seed is None:
            seeds = [name for name in session.seeder.distribution_to_versions() if name not in target.installed()]
        rendered = _render(session, scratch)
    gone = [path for path in rendered if not (venv / path).is_file()]
    comparable = wanted.rewrite and len(str(scratch)) == len(str(venv)) and re.fullmatch(_PLAIN_PATH, str(venv))
    differing = [path for path, size in rendered.items() if path not in gone and (venv / path).stat().st_size != size]
    return script_lines(gone, differing if comparable else (), seeds)


def scratch_dest(tmp: Path, venv: Path) -> Path:
    """Where to render the scripts a fresh creation of ``venv`` writes: a folder of the same name and, where it fits,
    of a path as long, so that each script comes out as long as the env's own (they hold its path, quoted)."""
    room = len(str(venv)) - len(str(tmp)) - len(venv.name) - 2
    return tmp / ("p" * room) / venv.name if room > 0 else tmp / venv.name


def restore(target: Target, previous: Record | None) -> Restored:
    """Put back the seed packages and activation scripts a fresh creation would have made; say what was done."""
    wanted = Wanted.of(previous)
    if quick_missing(target, wanted) is False:
        return Restored(scripts=wanted.scripts, activation=wanted.activation, looked=False)
    missing = missing_seeds(wanted, target.installed())
    session, options = _session(target, wanted, target.venv, missing=missing)
    if wanted.seed is None:
        missing = tuple(name for name in session.seeder.distribution_to_versions() if name not in target.installed())
        if missing:
            session, options = _session(target, wanted, target.venv, missing=missing)
    if missing:
        session.seeder.run(session.creator)
    before = _snapshot(Path(session.creator.bin_dir))
    written = _generate(session)
    _write_prompt(session, wanted.activation)
    fresh = [path for path in written if path.name not in before] + _keep_found(before, written, rewrite=wanted.rewrite)
    activation = wanted.activation or activation_of(options.activators, options.prompt)
    scripts = tuple(sorted(_relative(path, target.venv) for path in written))
    return Restored(missing, tuple(sorted(_relative(path, target.venv) for path in fresh)), scripts, activation)


def repair(target: Target, previous: Record | None) -> list[str]:
    """`sync`'s last step: restore what a fresh creation has and the env lacks, record the scripts now known there
    (``previous``: the record to go by, ``None`` for an adopted env), and say what was put back, as lines."""
    from . import record

    done = restore(target, previous)
    if not done.looked:
        return []
    now = record.read_or_none(target.venv)
    if now is not None:
        changes: dict[str, Any] = {}
        if done.scripts is not None and (done.scripts != now.scripts or done.activation != now.activation):
            changes.update(scripts=done.scripts, activation=done.activation)
        if done.seeded and now.seed is not None and not now.seed_via:
            changes["seed_via"] = "app-data"
        if changes:
            record.write(target.venv, replace(now, **changes))
    lines = [f"restored the seed package{'s' if len(done.seeded) > 1 else ''} {', '.join(done.seeded)}"]
    lines += [f"restored {len(done.written)} activation script{'s' if len(done.written) > 1 else ''}"]
    return [line for line, wrote in zip(lines, (done.seeded, done.written), strict=True) if wrote]


def _session(target: Target, wanted: Wanted, dest: Path, *, missing: Iterable[str]) -> tuple[Any, Any]:
    from importlib.metadata import entry_points

    from virtualenv.seed.embed.via_app_data.via_app_data import FromAppData

    from .compat import session_for

    available = [point.name for point in entry_points(group="virtualenv.activate")]
    args = [
        "--python",
        str(base_python(target)),
        *seed_args(wanted.seed, missing, [name for name in FromAppData.distributions() if name != "wheel"]),
        *activation_args(wanted.activation, available),
    ]
    import contextlib
    import io

    shown = io.StringIO()
    try:
        with contextlib.redirect_stderr(shown):  # argparse's usage text: the one line below says it
            return session_for(dest, args)
    except (SystemExit, RuntimeError) as exc:
        why = (shown.getvalue().strip().splitlines() or [str(exc)])[-1]
        from .errors import ReadyError

        msg = (
            f"{target.venv}: virtualenv cannot describe the env as its creation made it ({why}); "
            f"make it again with `virtualenv --seeder ready {target.venv}`"
        )
        raise ReadyError(msg) from None


def base_python(target: Target) -> Path:
    """The interpreter the env was made from (pyvenv.cfg), else the env's own."""
    try:
        lines = (target.venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines()
    except OSError:
        return target.python
    values = {key.strip(): value.strip() for key, _, value in (line.partition("=") for line in lines)}
    for key in ("base-executable", "executable"):
        if values.get(key) and Path(values[key]).exists():
            return Path(values[key])
    return target.python


def _generate(session: Any) -> list[Path]:
    """Every selected activator's scripts, as virtualenv writes them (this package's own without its notice)."""
    from .activation._base import ReadyActivator

    written: list[Path] = []
    for activator in session.activators:
        made = (
            activator.write_scripts(session.creator)
            if isinstance(activator, ReadyActivator)
            else activator.generate(session.creator)
        )
        written += [Path(path) for path in made or ()]
    return written


def _render(session: Any, scratch: Path) -> dict[str, int]:
    """The scripts a fresh creation writes, rendered into a scratch env: {relative path: size}."""
    Path(session.creator.bin_dir).mkdir(parents=True, exist_ok=True)
    return {_relative(path, scratch): path.stat().st_size for path in _generate(session) if path.is_file()}


def _write_prompt(session: Any, activation: Mapping[str, Any] | None) -> None:
    """The recorded ``--prompt`` into pyvenv.cfg, where virtualenv writes it last and a Ctrl-C may have left it out;
    only into a pyvenv.cfg that virtualenv read whole and that names no prompt."""
    config = session.creator.pyenv_cfg
    if (activation or {}).get("prompt") is None or "home" not in config:
        return
    if "prompt" not in type(config).from_file(config.path):
        config.write()


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The files a repair may write over, by name, as they were (scripts are small; interpreters are not read)."""
    found: dict[str, bytes] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        if entry.is_file() and not entry.is_symlink() and entry.stat().st_size <= _LARGEST_SCRIPT:
            found[entry.name] = entry.read_bytes()
    return found


def _keep_found(before: Mapping[str, bytes], written: Iterable[Path], *, rewrite: bool) -> list[Path]:
    """Put back what was there and differed, unless this package's own unconfirmed creation wrote it (a script cut
    short is replaced); those replaced."""
    replaced: list[Path] = []
    for path in written:
        if path.name not in before or path.read_bytes() == before[path.name]:
            continue
        if rewrite:
            replaced.append(path)
        else:
            path.write_bytes(before[path.name])
    return replaced


def _relative(path: Path, venv: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(venv))).as_posix()  # noqa: PTH100


__all__ = [
    "SETTINGS",
    "Restored",
    "Wanted",
    "activation_args",
    "activation_of",
    "base_python",
    "inspect",
    "missing_seeds",
    "repair",
    "restore",
    "scratch_dest",
    "script_lines",
    "seed_args",
    "seed_names",
]
