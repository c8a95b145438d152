"""Plain data types of one run: the resolved options, the sources found, the installer runs, the plan.

The floor that config, policy, sources, plan, installers and the hook specs import: nothing here imports them.
"""

from __future__ import annotations

from pathlib import Path

from .files import sha256_file
from .valuetypes import dataclass, field, fields

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from .options import Origin


# policy keys that name a source: a policy setting any one restricts every source from other layers
SOURCE_KEYS = ("index-url", "extra-index-urls", "allowed-index-hosts", "find-links")


@dataclass(frozen=True)
class Policy:
    """The parsed policy; ``None`` fields were not set by the admin and leave the user free."""

    path: Path
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    allowed_index_hosts: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    require_hashes: bool | None = None
    only_binary: tuple[str, ...] = ()
    installer: str | None = None
    mandatory: tuple[str, ...] = ()
    allow_sdists: bool | None = None
    allow_project_sources: bool | None = None
    trust: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> str:
        return f"org policy {self.path} ({key})"

    @property
    def source_key(self) -> str | None:
        """The first source key the policy sets; any one of them means "only these sources"."""
        return next((key for key in SOURCE_KEYS if getattr(self, key.replace("-", "_"))), None)

    @property
    def restricts_sources(self) -> bool:
        return self.source_key is not None


@dataclass(frozen=True)
class ReadyConfig:
    """The resolved options of one run; ``origin`` says where each value came from (option dest -> origin).

    One field per entry of the option table in ``options`` (whose defaults these are), plus what only the org policy
    sets (``mandatory``, ``policy``).
    """

    project: Path
    requirements: tuple[str, ...] | None = None
    constraints: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    groups: tuple[str, ...] | None = None
    no_project: bool = False
    no_lock: bool = False
    installer: str = "auto"
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    only_binary: tuple[str, ...] = ()
    require_hashes: bool = False
    dry_run: bool = False
    allow_project_sources: bool = False
    mandatory: tuple[str, ...] = ()
    policy: Policy | None = field(default=None, compare=False)
    origin: Mapping[str, Origin] = field(default_factory=dict, compare=False)

    def decisive(self) -> dict[str, Any]:
        """The options that decide what gets installed (the record's ``options``, compared for freshness)."""
        from .options import OPTIONS
        from .redact import redact

        keep = {opt.field for opt in OPTIONS if opt.in_record} | {"mandatory"}
        # credentials never reach the record, not even hashed into its fingerprint
        return {f.name: _redacted(getattr(self, f.name), redact) for f in fields(self) if f.name in keep}


def _redacted(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, tuple):
        return [redact(item) for item in value]
    return redact(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Source:
    """One contribution to a plan, from a built-in source or a plugin.

    ``lines`` are requirement lines (``name>=1``, ``name==1 --hash=sha256:…``), each one requirement: they are
    validated and written to a private file, the only requirements an installer sees. ``constraints`` are
    constraint lines alike; ``constraint_urls`` constraints files the user or the org policy named by URL;
    ``options`` command-line words a requirements file of the user carried (``--index-url``, URL). A plugin's
    ``requirement_files`` are read like the user's own files into those fields when the plan is made
    (``lines.flattened``). ``inputs`` are the files whose content decides the result, hashed into the record so a
    change is noticed.
    """

    label: str
    lines: tuple[str, ...] = ()
    requirement_files: tuple[Path, ...] = ()
    constraints: tuple[str, ...] = ()
    editables: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    inputs: tuple[Path, ...] = ()
    no_deps: bool = False
    constraint_urls: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    @property
    def hashed(self) -> bool:
        return any("--hash" in line for line in self.lines)

    @property
    def empty(self) -> bool:
        return not (self.lines or self.requirement_files or self.editables)


@dataclass(frozen=True)
class IndexOptions:
    """Where packages come from; only the user's config or the org policy set these, never a project file."""

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    only_binary: tuple[str, ...] = ()
    require_hashes: bool = False

    @classmethod
    def from_config(cls, config: ReadyConfig) -> IndexOptions:
        """The config's "where from" options (those the record keeps with the ``where`` rule)."""
        from .options import recorded

        return cls(**{str(opt.field): getattr(config, str(opt.field)) for opt in recorded("where")})


@dataclass(frozen=True)
class Step:
    """One installer run. Resolved sources share one run so one resolver sees everything.

    ``lines`` and ``constraints`` are written to private files (``requirements_file``, ``constraints_file``) when the
    step runs; ``options`` and ``constraint_urls`` go on the command line.
    """

    lines: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    editables: tuple[str, ...] = ()
    no_deps: bool = False
    requirements_file: Path | None = field(default=None, compare=False)
    constraint_urls: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    constraints_file: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class InstallPlan:
    """Everything decided before the installer starts; a pure value, hashed into the record."""

    project: Path
    sources: tuple[Source, ...]
    index: IndexOptions
    installer: str
    options: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def empty(self) -> bool:
        return all(source.empty for source in self.sources)

    @property
    def summary(self) -> str:
        """Labels of the sources that install something, as in `requirements.txt + pyproject.toml [dev]`."""
        labels = [source.label for source in self.sources if not source.empty]
        return " + ".join(dict.fromkeys(labels)) or "nothing"

    def steps(self) -> list[Step]:
        """Group the sources into installer runs: resolved together; locked (hashed, no deps); loose no-deps."""
        sources = self.sources
        constraints = tuple(dict.fromkeys(c for s in sources for c in s.constraints))
        urls = tuple(dict.fromkeys(c for s in sources for c in s.constraint_urls))
        groups: dict[str, list[Source]] = {"resolve": [], "locked": [], "loose": []}
        for source in sources:
            if source.empty:
                groups["resolve"] += [source] if source.options else []  # a constraints file's options
            elif not source.no_deps:
                groups["resolve"].append(source)
            elif source.hashed:
                groups["locked"].append(source)
            else:
                groups["loose"].append(source)
        steps = []
        for kind, members in groups.items():
            if not any(not member.empty for member in members):
                continue
            steps.append(
                Step(
                    lines=tuple(dict.fromkeys(line for s in members for line in s.lines)),
                    constraints=constraints if kind == "resolve" else (),
                    constraint_urls=urls if kind == "resolve" else (),
                    editables=tuple(dict.fromkeys(e for s in members for e in s.editables)),
                    no_deps=kind != "resolve",
                    options=tuple(word for s in members for word in s.options),
                )
            )
        return steps

    def requirement_lines(self) -> list[str]:
        """Every requirement line of the plan (requirements files were read into lines when the plan was made).

        For ``ready_validate_plan`` implementations that police names or pins.
        """
        return [line for source in self.sources for line in source.lines]

    def find_links(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.index.find_links, *(f for s in self.sources for f in s.find_links)]))

    def exact_inputs(self) -> list[Path]:
        """The first input of each exact (``no_deps``) source: where a lock it was read from names itself."""
        return [source.inputs[0] for source in self.sources if source.no_deps and source.inputs]

    def input_hashes(self) -> dict[str, str]:
        """sha256 of every input file (a missing one hashes as ``missing``)."""
        hashes: dict[str, str] = {}
        for source in self.sources:
            for path in source.inputs:
                hashes[str(path)] = sha256_file(path)
        return dict(sorted(hashes.items()))

    def fingerprint(self) -> str:
        """One hash of what decides the result: options, the sources' content and the input files."""
        payload = {
            "options": self.options,
            "index": _jsonable(self.index.__dict__),
            "sources": [_jsonable(source.__dict__) for source in self.sources],
            "inputs": self.input_hashes(),
        }
        import hashlib
        import json

        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    def describe(self) -> list[str]:
        """Human lines for --ready-dry-run (credentials are redacted by the caller)."""
        lines = [f"project: {self.project}"]
        for source in self.sources:
            if source.empty and not (source.constraints or source.constraint_urls):
                continue
            parts = [
                *source.lines,
                *(f"-r {f}" for f in source.requirement_files),
                *(f"-e {e}" for e in source.editables),
                *source.options,
            ]
            parts += [f"-c {c}" for c in source.constraint_urls]
            parts += [f"constraint {c}" for c in source.constraints]
            suffix = " (exact, no dependencies)" if source.no_deps else ""
            lines.append(f"source {source.label}{suffix}: {', '.join(parts)}")
        return lines


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [str(i) for i in v] if isinstance(v, tuple) else (str(v) if isinstance(v, Path) else v)
        for k, v in data.items()
    }


__all__ = ["SOURCE_KEYS", "IndexOptions", "InstallPlan", "Policy", "ReadyConfig", "Source", "Step"]
