"""The project's boundary: a cloned project chooses what to install, never where from, nor which files it reads.

Files inside the project's root (the VCS checkout it sits in, else the project folder) are the project's and are
not trusted: the paths they name must stay inside the root, and the sources they name (index lines, direct URL and
path references) need the user's or the org's allowance. Files outside the root that the user named are the user's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import TOOL_TABLE
from .errors import ReadyError
from .files import INCLUDE_OPTIONS, logical_lines, split_line
from .redact import redact

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .model import Policy, ReadyConfig

VCS_MARKERS = (".git", ".hg", ".svn", ".bzr")
ALLOW_HINT = (
    "allow it with --ready-allow-project-sources (VIRTUALENV_READY_ALLOW_PROJECT_SOURCES, or "
    "ready_allow_project_sources in virtualenv.ini) or allow-project-sources in the org policy"
)
# requirements-file options that choose where packages come from
SOURCE_OPTIONS = ("--index-url", "--extra-index-url", "--find-links", "--trusted-host")
_ENV_EXPANSION = re.compile(r"\$\{[A-Z0-9_]+\}")
_URL_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NAMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*(?P<ref>\S+)")
_EXTRAS = re.compile(r"\[[^\]]*\]$")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_SELF_EXTRAS = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]")
ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".tar.lz", ".tlz")


def project_sources_allowed(config: ReadyConfig) -> bool:
    """User config or the org policy may let project files choose sources; a project file never can."""
    return config.allow_project_sources or bool(config.policy is not None and config.policy.allow_project_sources)


def project_root(project: Path) -> Path:
    """The VCS root when the project sits in a checkout (monorepo siblings are inside), else the project folder.

    Symlinks are resolved first. The home directory never counts as a checkout (a dotfiles repository would make
    every file of the user part of every project).
    """
    project = project.resolve()
    home = Path.home().resolve()
    current = project
    while True:
        if current != home and any((current / marker).exists() for marker in VCS_MARKERS):
            return current
        if current in (home, current.parent):
            return project
        current = current.parent


def within(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, is ``root`` or below it."""
    resolved = os.path.normcase(str(path.resolve()))
    base = os.path.normcase(str(root))
    try:
        return os.path.commonpath([resolved, base]) == base
    except ValueError:  # another drive on Windows
        return False


def direct_reference(requirement: str) -> tuple[str, str] | None:
    """What a requirement installs from, when it names it: ``("url", URL)``, ``("path", PATH)`` or ``None``.

    Covers ``name @ URL``, bare URLs (``git+``/``hg+``/``svn+``/``bzr+`` VCS URLs too), ``file:`` URLs and local
    paths or archives, in the spellings pip and uv accept in requirements files and PEP 508 strings.
    """
    text = requirement.strip()
    if not text:
        return None
    named = _NAMED.match(text)
    if named:
        text = named.group("ref")
    first = text.split()[0].rstrip(";")
    if _URL_START.match(first) or first.startswith("file:"):
        from urllib.parse import urlsplit
        from urllib.request import url2pathname

        parts = urlsplit(first)
        if parts.scheme.split("+")[-1] == "file":
            return "path", url2pathname(parts.path)
        return "url", first
    candidate = _EXTRAS.sub("", first.split(";")[0])
    looks_like_path = (
        candidate.startswith((".", "/", "~", "\\"))
        or "/" in candidate
        or "\\" in candidate
        or bool(_DRIVE.match(candidate))
        or candidate.lower().endswith(ARCHIVES)
    )
    if named or looks_like_path:
        return "path", candidate
    return None


def _extra_entries(meta: dict[str, Any], extras: Sequence[str]) -> list[tuple[str, str]]:
    """The chosen extras' requirements, following ``name[other]`` requirements of the project itself."""
    from packaging.utils import canonicalize_name

    optional = meta.get("optional-dependencies") or {}
    own = canonicalize_name(str(meta.get("name", "")))
    entries: list[tuple[str, str]] = []
    pending, seen = list(extras), set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for requirement in optional.get(extra) or []:
            entries.append((f"[project.optional-dependencies] {extra}", str(requirement)))
            itself = _SELF_EXTRAS.match(str(requirement))
            if itself and canonicalize_name(itself.group(1)) == own:
                pending += [e.strip() for e in itself.group(2).split(",") if e.strip()]
    return entries


def _poetry_entries(pyproject: Path, data: dict[str, Any]) -> list[tuple[str, str]]:
    """``[tool.poetry.dependencies]`` entries that Poetry's backend turns into direct references of the project."""
    poetry = (data.get("tool") or {}).get("poetry")
    table = poetry.get("dependencies") if isinstance(poetry, dict) else None
    entries: list[tuple[str, str]] = []
    for name, given in (table or {}).items() if isinstance(table, dict) else ():
        for spec in given if isinstance(given, list) else [given]:
            if not isinstance(spec, dict):
                continue
            key = f"[tool.poetry.dependencies] {name}"
            entries += [(key, f"{name} @ {spec['url']}")] if spec.get("url") else []
            entries += [(key, f"{name} @ git+{spec['git']}")] if spec.get("git") else []
            entries += [(key, str((pyproject.parent / str(spec["path"])).absolute()))] if spec.get("path") else []
    return entries


def _table_of(data: dict[str, Any], requirement: str) -> str:
    """Which pyproject.toml table a requirement line was read from, for the message."""
    groups = data.get("dependency-groups") or {}
    if any(requirement in (items or []) for items in groups.values() if isinstance(items, list)):
        return "[dependency-groups]"
    meta = data.get("project") or {}
    if requirement in (meta.get("dependencies") or []):
        return "[project] dependencies"
    return "requirement"


def _via_links(path: Path) -> str:
    """`` (resolves to TARGET)`` when symlinks take ``path`` somewhere its spelling does not say."""
    spelled = Path(os.path.normpath(path.absolute()))
    linked = any(part.is_symlink() for part in (spelled, *spelled.parents))
    return f" (resolves to {path.resolve()})" if linked else ""


def line_of(path: Path, needle: str) -> int | None:
    """The first line of a project file holding ``needle`` (TOML parsers give no positions), for file:line."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


@dataclass(frozen=True)
class Boundary:
    """The rules for one run: the project's root, the policy and whether the user allowed project sources."""

    config: ReadyConfig
    root: Path

    @classmethod
    def of(cls, config: ReadyConfig) -> Boundary:
        return cls(config, project_root(config.project))

    @property
    def _policy(self) -> Policy | None:
        policy = self.config.policy
        return policy if policy is not None and policy.restricts_sources else None

    def owns(self, path: Path) -> bool:
        """A file of the project (its content is not trusted), as opposed to one the user named outside it."""
        return within(path, self.root)

    def check_named(self, path: Path, where: str) -> None:
        """A file the project names to be read (a requirements or constraints file) must be inside the root."""
        if within(path, self.root):
            return
        via = _via_links(path)
        msg = (
            f"{where}{via} is outside the project ({self.root}); a project file may only name files inside it: "
            "move the file into the project, or name it yourself with --ready-requirement or --ready-constraint"
        )
        raise ReadyError(msg)

    def check_named_by(self, path: Path, origin: str, key: str) -> None:
        """A file the project itself names, as its default file (``origin`` "default") or in its pyproject.toml's
        ``[tool.virtualenv-ready]`` (``key``: ``requirements`` or ``constraints``), stays inside it."""
        if origin == "default":
            self.check_named(path, f"{path} (the project's default {key} file)")
        elif origin.endswith(f"[{TOOL_TABLE}]"):
            pyproject = self.config.project / "pyproject.toml"
            number = line_of(pyproject, key)
            where = f"{pyproject}:{number}" if number else str(pyproject)
            self.check_named(path, f"{where}: [{TOOL_TABLE}] {key}: {path}")

    def guard(self, path: Path, number: int, option: str, value: str) -> None:
        """The include guard: an -r/-c line of a project file may not reach a file outside the root."""
        if "://" in value or not self.owns(path):
            return
        where = f"{path}:{number}: {option} {value}"
        if _ENV_EXPANSION.search(value):
            msg = f"{where}: an environment variable in an included path could name any file; write the path"
            raise ReadyError(msg)
        self.check_named(path.parent / value, where)
        if value.startswith("~"):
            self.check_named(Path(value).expanduser(), where)

    def included(self, path: Path) -> list[Path]:
        """The file and its -r/-c includes, each include checked before it is opened."""
        from .files import included_files

        return included_files(path, guard=self.guard)

    def check_reference(self, reference: str, where: str, bases: Sequence[Path]) -> None:
        """A direct reference in a file of the project: a URL needs an allowed host (policy) or the user's allowance;
        a path must be inside the root, under a folder the policy lists, or allowed by the user.

        Relative paths are tried against every base they may be read from (pip: the working directory; uv: the
        requirements file's folder), and each must pass.
        """
        found = direct_reference(reference)
        if found is None:
            return
        kind, value = found
        policy = self._policy
        if kind == "url":
            if policy is not None:
                from .policy import check_source

                check_source(policy, "direct reference", value, where)
                return
            if project_sources_allowed(self.config):
                return
            msg = (
                f"{where}: {redact(reference.strip())} in a project file chooses where packages come from (a direct "
                f"URL reference); depend on the name and install from your index, or {ALLOW_HINT}"
            )
            raise ReadyError(msg)
        targets = [(base / Path(value).expanduser()) for base in bases] or [Path(value).expanduser()]
        outside = [t for t in targets if not within(t, self.root)]
        if not outside:
            return
        shown, via = redact(reference.strip()), _via_links(outside[0])
        if policy is not None:
            listed = [Path(p).expanduser() for p in policy.find_links if "://" not in p]
            if all(any(within(t, folder.resolve()) for folder in listed) for t in outside):
                return
            msg = (
                f"{where}: {shown}{via} is outside the project and not under a folder the "
                f"{policy.where('find-links')} lists; remove it, or list its folder there"
            )
            raise ReadyError(msg)
        if project_sources_allowed(self.config):
            return
        msg = f"{where}: {shown}{via} is outside the project ({self.root}); move it into the project, or {ALLOW_HINT}"
        raise ReadyError(msg)

    def check_pyproject(
        self,
        pyproject: Path,
        data: dict[str, Any],
        extras: Sequence[str],
        installed: bool,
        lines: Sequence[str],
        *,
        locked: bool = False,
    ) -> None:
        """The direct references of pyproject.toml that this run's installer follows.

        ``installed``: the project itself is installed, so its build requirements, ``[tool.uv.sources]`` and, unless
        a lock pins everything (``locked``: installed without dependencies), its dependencies and the chosen extras
        (and the extras of the project itself they pull in) count; ``lines``: the requirements read from it
        (dependency groups, a virtual project's dependencies).
        """
        self.check_named(pyproject, f"{pyproject} (the project's own)")
        entries: list[tuple[str, str]] = []
        meta = data.get("project")
        if installed:
            if isinstance(meta, dict) and not locked:
                entries += [("[project] dependencies", str(d)) for d in meta.get("dependencies") or []]
                entries += _extra_entries(meta, extras)
            build = data.get("build-system") or {}
            entries += [("[build-system] requires", str(d)) for d in build.get("requires") or []]
            if not locked:
                entries += _poetry_entries(pyproject, data)
        entries += [(_table_of(data, line), line) for line in lines]
        for key, requirement in entries:
            # a translated entry (Poetry's tables) is found by its URL or folder name
            literal = requirement.split(" @ ")[-1].removeprefix("git+")
            number = (
                line_of(pyproject, requirement) or line_of(pyproject, literal) or line_of(pyproject, Path(literal).name)
            )
            where = f"{pyproject}:{number}: {key}" if number else f"{pyproject}: {key}"
            self.check_reference(requirement, where, (pyproject.parent,))
        tool_uv = (data.get("tool") or {}).get("uv")
        if (installed or lines) and isinstance(tool_uv, dict):
            self.check_uv_sources(pyproject, tool_uv)

    def check_uv_sources(self, pyproject: Path, tool_uv: dict[str, Any]) -> None:
        """``[tool.uv.sources]``: uv installs the project's dependencies from these URLs, checkouts, paths and
        named indexes instead of the configured index; ``[tool.uv.workspace]`` members are read and installed."""
        workspace = tool_uv.get("workspace")
        members = workspace.get("members") if isinstance(workspace, dict) else None
        for member in members if isinstance(members, list) else []:
            number = line_of(pyproject, str(member))
            where = f"{pyproject}:{number}" if number else str(pyproject)
            member_path = str((pyproject.parent / str(member)).absolute())
            self.check_reference(member_path, f"{where}: [tool.uv.workspace] members", (pyproject.parent,))
        sources = tool_uv.get("sources")
        if not isinstance(sources, dict):
            return
        indexes = {
            str(item.get("name")): str(item.get("url"))
            for item in tool_uv.get("index") or []
            if isinstance(item, dict) and item.get("name") and item.get("url")
        }
        for name, given in sources.items():
            for entry in given if isinstance(given, list) else [given]:
                if not isinstance(entry, dict):
                    continue
                references = [f"{name} @ {entry['url']}"] if entry.get("url") else []
                references += [f"{name} @ git+{entry['git']}"] if entry.get("git") else []
                if entry.get("path"):
                    references.append(str((pyproject.parent / str(entry["path"])).absolute()))
                if entry.get("index"):
                    url = indexes.get(str(entry["index"]))
                    references.append(f"{name} @ {url}" if url else f"{name} @ index://{entry['index']}")
                named = [str(entry[k]) for k in ("url", "git", "path", "index") if entry.get(k)]
                number = line_of(pyproject, named[0]) if named else None
                where = f"{pyproject}:{number}" if number else str(pyproject)
                for reference in references:
                    self.check_reference(reference, f"{where}: [tool.uv.sources] {name}", (pyproject.parent,))

    def check_lock_lines(self, lock: Path, lines: Iterable[str]) -> None:
        """Requirement lines a project's lock was turned into (``uv export``): those that install from a URL, a
        checkout or a path, not from the configured index, are sources."""
        if not self.owns(lock):
            return
        for line in lines:
            requirement = split_line(line)[0] or line
            named = _NAMED.match(requirement)
            name = requirement.split("@")[0].split("[")[0].strip() if named else ""
            number = line_of(lock, f'name = "{name}"') if name else None
            where = f"{lock}:{number}" if number else str(lock)
            self.check_reference(requirement, f"{where}: package {name}" if name else where, (lock.parent,))

    def check_requirement_files(self, files: Iterable[Path]) -> None:
        """Every line of the given requirements files that chooses a source or reads the environment.

        With an org policy about sources each such line must pass it, in any file; without one, a file of the
        project may not redirect the install (a cloned repository could point the installer at an attacker's index,
        at a URL or a path outside it, or read secrets through ${VAR}) unless the user or the policy allows it.
        """
        for path in files:
            owned = self.owns(path)
            if not owned and self._policy is None:
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            bases = (path.parent, self.config.project)
            for number, line in logical_lines(text):
                where = f"{path}:{number}"
                found = _ENV_EXPANSION.search(line)
                if owned and found and not project_sources_allowed(self.config):
                    msg = (
                        f"{where}: {found.group(0)} would put an environment variable into the install; "
                        f"write the value, or {ALLOW_HINT}"
                    )
                    raise ReadyError(msg)
                requirement, options = split_line(line)
                for option, value in options:
                    if option in SOURCE_OPTIONS:
                        self._check_option(option, value, where, owned)
                    elif option == "--editable" or (option in INCLUDE_OPTIONS and "://" in value):
                        self.check_reference(value, where, bases)
                if requirement:
                    self.check_reference(requirement, where, bases)

    def _check_option(self, option: str, value: str, where: str, owned: bool) -> None:
        policy = self._policy
        if policy is not None:
            from .policy import check_source

            check_source(policy, option, value, where)
            return
        if owned and not project_sources_allowed(self.config):
            msg = f"{where}: {option} {redact(value)} in a project file chooses where packages come from; "
            msg += f"remove it, or {ALLOW_HINT}"
            raise ReadyError(msg)


__all__ = [
    "ALLOW_HINT",
    "Boundary",
    "direct_reference",
    "line_of",
    "project_root",
    "project_sources_allowed",
    "within",
]
