"""The per-env record `<venv>/virtualenv-ready.json`: what was asked, what was installed, whether it finished.

:class:`Record` is the one typed view of that file (schema 1: its keys and shapes are fixed, so envs made by
earlier versions keep working), and :func:`unchanged` / :func:`differences` are the one answer to "is this env up
to date": pure functions of a record and of what is there today.

Every record carries a MAC under this user's key (:mod:`virtualenv_ready.userkey`) over the canonical JSON of its other
keys: a record without a valid one (committed, copied from another machine or user, edited, or written by 0.1.0) is
no record, and nothing in it is used.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import ReadyError
from .valuetypes import dataclass, field, fields, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .installers.base import Installer, InstallResult
    from .model import InstallPlan, ReadyConfig
    from .target import Target

NAME = "virtualenv-ready.json"
SCHEMA = 1
MAC = "mac"
COMPLETE = "complete"
INCOMPLETE = "incomplete"
CANDIDATES = ("pylock.toml", "uv.lock", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt")
# keys written only when set, in this order; `installer` is written (null or not) whenever `summary` is
_WHEN_SET = (
    "status",
    "project",
    "python",
    "bin_dir",
    "options",
    "summary",
    "fingerprint",
    "inputs",
    "candidates",
    "installer",
    "commands",
    "installed",
    "durations",
    "seed",
    "seed_via",
    "seed_commands",
    "activation",
    "scripts",
    "updated",
    "error",
)


@dataclass(frozen=True)
class Record:
    """One env's record; ``None`` fields are absent from the file."""

    status: str | None = None
    project: str | None = None
    python: str | None = None
    bin_dir: str | None = None
    #: the options that decided the plan (``ReadyConfig.decisive()``), credentials masked
    options: Mapping[str, Any] | None = None
    summary: str | None = None
    fingerprint: str | None = None
    #: {input file: sha256} of the plan's inputs
    inputs: Mapping[str, str] | None = None
    #: the default input files present in the project (one appearing or vanishing changes the plan)
    candidates: tuple[str, ...] | None = None
    #: {"name": ..., "version": ...} of the installer, ``None`` when none ran
    installer: Mapping[str, Any] | None = None
    commands: tuple[tuple[str, ...], ...] | None = None
    #: {distribution: version} once the install finished
    installed: Mapping[str, str] | None = None
    durations: Mapping[str, float] | None = None
    #: the seed options as given, how the env was seeded and the runs that seeded it
    seed: Mapping[str, Any] | None = None
    seed_via: str | None = None
    seed_commands: tuple[tuple[str, ...], ...] | None = None
    #: virtualenv's activation options of the creation (``activators``: the names, ``prompt``), for `sync` to write
    #: the same scripts again; ``None``: not known (an adopted env, or one made before this was recorded)
    activation: Mapping[str, Any] | None = None
    #: the activation scripts known to be there (paths relative to the env), once `sync` confirmed or wrote them
    scripts: tuple[str, ...] | None = None
    error: str | None = None
    tool: str | None = None
    updated: str | None = None
    #: keys this version does not know, kept as they are
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE

    def seeded_as(self, request: Mapping[str, Any] | None) -> bool:
        """Whether this record's seed options are the ones asked for (always, when nothing is seeded now)."""
        return request is None or self.seed == request

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        known = {f.name for f in fields(cls)} - {"extra"}
        values: dict[str, Any] = {key: data[key] for key in known if key in data}
        for key in ("commands", "seed_commands"):
            if isinstance(values.get(key), list):
                values[key] = tuple(tuple(str(arg) for arg in argv) for argv in values[key])
        for key in ("candidates", "scripts"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        extra = {key: value for key, value in data.items() if key not in known and key not in {"schema", MAC}}
        return cls(**values, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        """The file's content: schema and tool first, then the keys that are set, as schema 1 has them."""
        from . import __version__

        data: dict[str, Any] = {"schema": SCHEMA, "tool": f"virtualenv-ready {__version__}"}
        for key in _WHEN_SET:
            value = getattr(self, key)
            if value is not None or (key == "installer" and self.summary is not None):
                data[key] = value
        data.update(self.extra)
        return data


def path_of(venv: Path) -> Path:
    return venv / NAME


def read(venv: Path) -> Record | None:
    """The record, or ``None`` when the env has none or this user did not write it; a corrupt one is an error naming
    the fix."""
    return examine(venv)[0]


def examine(venv: Path) -> tuple[Record | None, str | None]:
    """The record this user wrote (or ``None``), and when the file is there but is not one, why (one line)."""
    path = path_of(venv)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        msg = f"{path}: unreadable record ({exc}); delete it and run `virtualenv-ready sync {venv}`"
        raise ReadyError(msg) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        msg = f"{path}: record schema {data.get('schema') if isinstance(data, dict) else '?'} is not {SCHEMA}; run sync"
        raise ReadyError(msg)
    if MAC not in data:
        return None, "its record is not signed by you: treated as an env made elsewhere"
    from .userkey import verify

    if not verify(canonical(data), data[MAC]):
        return None, "its record was not written by you (or was changed): treated as an env made elsewhere"
    return Record.from_dict(data), None


def read_or_none(venv: Path) -> Record | None:
    """The record, or ``None`` when there is none, it is unreadable or not this user's (a new run replaces it)."""
    try:
        return read(venv)
    except ReadyError:
        return None


def canonical(data: Mapping[str, Any]) -> bytes:
    """What the MAC covers: every key but the MAC itself, as sorted compact JSON."""
    body = {key: value for key, value in data.items() if key != MAC}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write(venv: Path, record: Record) -> None:
    """Replace the record atomically, signed: readers see the old or the new one, never half of it."""
    from datetime import datetime, timezone

    from .files import replace_file
    from .userkey import sign

    updated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    data = json.loads(json.dumps(replace(record, updated=updated).to_dict(), default=str))  # as it will be read
    data[MAC] = sign(canonical(data))
    text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    # no fsync: it would flush the file system's journal, with every file the installer just wrote (15 ms after 300
    # packages); the rename alone keeps the record whole for readers, and a record lost to a power cut only makes the
    # next run say so and rebuild it, as the env's other files would need to be
    replace_file(path_of(venv), text, prefix=".virtualenv-ready.")


def update(venv: Path, **changes: Any) -> Record:
    """Merge changes into the existing record (or a new one) and write it."""
    current = replace(read_or_none(venv) or Record(), **changes)
    write(venv, current)
    return current


def mark_incomplete(venv: Path, why: str, **changes: Any) -> None:
    """Say the env is not ready and why (credentials masked), keeping what the record already knows."""
    from .redact import redact

    update(venv, status=INCOMPLETE, error=redact(why), **changes)


def seed_asked(previous: Record | None, options: Mapping[str, Any]) -> dict[str, Any]:
    """The seed keys of a run that starts: what it is to seed, from the start, so a sync after a Ctrl-C finishes the
    seeding; how an earlier run seeded stays only when it seeded these very options."""
    if previous is not None and previous.seed == options:
        return {"seed": options}
    return {"seed": options, "seed_via": None, "seed_commands": None}


def activation_keys(previous: Record | None, activation: Mapping[str, Any] | None) -> dict[str, Any]:
    """The record's activation keys: a creation states its own (virtualenv writes the scripts after the seeder, so
    none is confirmed yet); a sync keeps what the record knew."""
    if activation is not None:
        return {"activation": activation, "scripts": None}
    if previous is None:
        return {}
    return {"activation": previous.activation, "scripts": previous.scripts}


def base_fields(target: Target, config: ReadyConfig) -> dict[str, Any]:
    """What the record always holds, so `sync` can rebuild the plan from it alone."""
    return {
        "project": str(config.project),
        "python": _relative(target.python, target.venv),
        "bin_dir": _relative(target.bin_dir, target.venv),
        "options": config.decisive(),
    }


def finished(
    target: Target,
    config: ReadyConfig,
    plan: InstallPlan,
    installer: Installer | None,
    result: InstallResult | None,
    durations: Mapping[str, float],
    *,
    seed: Mapping[str, Any],
    activation: Mapping[str, Any] | None = None,
) -> Record:
    """The record of an env made ready with this plan by this installer run (``seed``: the seed keys, empty when
    nothing was seeded; ``activation``: :func:`activation_keys`)."""
    used = {"name": installer.name, "version": result.version} if installer and result else None
    commands = result.commands if result else []
    return Record(
        status=COMPLETE,
        **base_fields(target, config),
        summary=plan.summary,
        fingerprint=plan.fingerprint(),
        inputs=plan.input_hashes(),
        candidates=candidate_inputs(config.project),
        installer=used,
        commands=tuple(tuple(argv) for argv in commands),
        installed=target.installed(),
        durations={key: round(value, 3) for key, value in durations.items()},
        **seed,
        **(activation or {}),
    )


def _relative(path: Path, base: Path) -> str:
    try:
        return str(Path(path).absolute().relative_to(Path(base).absolute()))
    except ValueError:
        return str(path)


def candidate_inputs(project: Path) -> tuple[str, ...]:
    """The default input files present in the project: one appearing or vanishing changes the plan."""
    return tuple(name for name in CANDIDATES if (project / name).is_file())


@dataclass(frozen=True)
class Today:
    """What the env and its project look like now, in the record's terms."""

    options: Mapping[str, Any]
    candidates: tuple[str, ...]
    #: sha256 now of each input file the record lists (``missing`` when gone)
    digests: Mapping[str, str]
    installed: Mapping[str, str]

    @classmethod
    def of(cls, record: Record, config: ReadyConfig, target: Target) -> Today:
        """Look: hash the recorded inputs, list the project's default files and the env's distributions."""
        from .files import sha256_file

        digests = {path: sha256_file(Path(path)) for path in record.inputs or {}}
        return cls(config.decisive(), candidate_inputs(config.project), digests, target.installed())


def unchanged(record: Record, today: Today) -> bool:
    """The no-op answer from the record alone, before plugins load or a plan is made.

    Same options, the same input files with the same content, the same default input files present, and the
    same distributions installed. Anything else takes the full path, which compares the plan itself.
    """
    if not record.complete or not record.fingerprint:
        return False
    if dict(today.options) != record.options or today.candidates != record.candidates:
        return False
    if any(today.digests.get(path) != digest for path, digest in (record.inputs or {}).items()):
        return False
    return dict(today.installed) == record.installed


def differences(record: Record, inputs: Mapping[str, str], fingerprint: str, installed: Mapping[str, str]) -> list[str]:
    """What makes the env differ from its plan (the plan's input hashes and fingerprint): an unfinished install,
    changed inputs or options, drifted packages."""
    found: list[str] = []
    if not record.complete:
        found.append(f"the last install did not finish ({record.error or record.status})")
    old_inputs = record.inputs or {}
    for path, digest in inputs.items():
        if path not in old_inputs:
            found.append(f"new input {path}")
        elif old_inputs[path] != digest:
            found.append(f"changed {path}")
    found += [f"input gone: {path}" for path in old_inputs if path not in inputs]
    if not found and record.fingerprint != fingerprint:
        found.append("the options or sources changed")
    for name, version in (record.installed or {}).items():
        if name not in installed:
            found.append(f"{name} {version} was removed")
        elif installed[name] != version:
            found.append(f"{name} is {installed[name]}, the record says {version}")
    return found


__all__ = [
    "CANDIDATES",
    "COMPLETE",
    "INCOMPLETE",
    "MAC",
    "NAME",
    "Record",
    "Today",
    "activation_keys",
    "base_fields",
    "candidate_inputs",
    "canonical",
    "differences",
    "examine",
    "finished",
    "mark_incomplete",
    "path_of",
    "seed_asked",
    "read",
    "read_or_none",
    "unchanged",
    "update",
    "write",
]
