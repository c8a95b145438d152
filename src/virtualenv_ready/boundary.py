"""The project's boundary: a cloned project chooses what to install, never where from, nor which files it reads.

Files inside the project's root (the VCS checkout it sits in, else the project folder) are the project's and are
not trusted: the paths they name must stay inside the root, and the sources they name (index lines, direct URL and
path references) need the user's or the org's allowance. Files outside the root that the user named are the user's.

The sources parse the files and hand over what they found as :class:`Named` values; this module judges values and
opens no project file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import ReadyError
from .redact import redact
from .valuetypes import dataclass

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
ENV_EXPANSION = re.compile(r"\$\{[A-Z0-9_]+\}")
_URL_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NAMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*(?P<ref>\S+)")
_EXTRAS = re.compile(r"\[[^\]]*\]$")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
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


def reference_name(requirement: str) -> str:
    """The distribution name of a ``name @ reference`` requirement ("" for any other spelling)."""
    if not _NAMED.match(requirement):
        return ""
    return requirement.split("@", maxsplit=1)[0].split("[", maxsplit=1)[0].strip()


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


def _via_links(path: Path) -> str:
    """`` (resolves to TARGET)`` when symlinks take ``path`` somewhere its spelling does not say."""
    spelled = Path(os.path.normpath(path.absolute()))
    linked = any(part.is_symlink() for part in (spelled, *spelled.parents))
    return f" (resolves to {path.resolve()})" if linked else ""


#: what a :class:`Named` value is: a file the project names to be read, an -r/-c include of a project file, a
#: requirement or direct reference, a source option of a requirements file, an environment variable in one
Kind = Literal["file", "include", "reference", "option", "variable"]


@dataclass(frozen=True)
class Named:
    """One value a project's file names, as its source parsed it, with where it stands (``file:line: table``).

    ``bases``: the folders a relative path in a reference may be read from; ``option``: the long spelling of an
    option or include; ``origin``: the file that names the value, when it may be a file of the user (outside the
    project), whose values only an org policy judges.
    """

    value: str
    where: str
    kind: Kind = "reference"
    bases: tuple[Path, ...] = ()
    option: str = ""
    origin: Path | None = None


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

    def check(self, values: Iterable[Named]) -> None:
        """Judge what the sources found, in order; the first value the project may not name stops the run."""
        owned: dict[Path, bool] = {}
        policy = self._policy
        for named in values:
            origin = named.origin
            mine = True
            if origin is not None:
                if origin not in owned:
                    owned[origin] = self.owns(origin)
                mine = owned[origin]
            if named.kind == "file":
                self._check_file(Path(named.value), named.where)
            elif named.kind == "include":
                if mine:
                    self._check_include(named)
            elif not mine and policy is None:
                continue  # a file of the user's, and no policy about sources: the user's choice
            elif named.kind == "reference":
                self._check_reference(named.value, named.where, named.bases)
            elif named.kind == "option":
                self._check_option(named.option, named.value, named.where, mine)
            elif mine and not project_sources_allowed(self.config):  # "variable"
                msg = (
                    f"{named.where}: {named.value} would put an environment variable into the install; "
                    f"write the value, or {ALLOW_HINT}"
                )
                raise ReadyError(msg)

    def guard(self, path: Path, number: int, option: str, value: str) -> None:
        """The include guard (a :data:`~virtualenv_ready.files.IncludeGuard`): an -r/-c line of a project file may
        not reach a file outside the root; called before the included file is opened."""
        where = f"{path}:{number}: {option} {value}"
        self.check([Named(value, where, "include", option=option, origin=path)])

    def _check_file(self, path: Path, where: str, option: str = "") -> None:
        """A file the project names to be read (a requirements or constraints file) must be inside the root."""
        if within(path, self.root):
            return
        msg = f"{where}{_via_links(path)} is outside the project ({self.root}); a project file may only name files "
        raise ReadyError(msg + f"inside it: {_outside_fix(path, option)}")

    def _check_include(self, named: Named) -> None:
        value = named.value
        if "://" in value or named.origin is None:
            return
        if ENV_EXPANSION.search(value):
            msg = f"{named.where}: an environment variable in an included path could name any file; write the path"
            raise ReadyError(msg)
        self._check_file(named.origin.parent / value, named.where, named.option)
        if value.startswith("~"):
            self._check_file(Path(value).expanduser(), named.where, named.option)

    def _check_reference(self, reference: str, where: str, bases: Sequence[Path]) -> None:
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
        msg = f"{where}: {shown}{via} is outside the project ({self.root}); copy it into the project and name the "
        msg += f"copy instead, or {ALLOW_HINT}"
        raise ReadyError(msg)

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


def _outside_fix(path: Path, option: str) -> str:
    """The fixes that work for a file named from outside the project: a copy inside, named on the line; or the line
    gone and the file named by the user (``--ready-requirement`` replaces finding requirements.txt, so the project's
    own file is named too)."""
    import shlex

    target = shlex.quote(str(path.resolve()))
    fix = f"copy {target} into the project and name the copy instead"
    if option == "--constraint":
        return f"{fix}, or delete that line and pass --ready-constraint {target}"
    if option == "--requirement":
        return (
            f"{fix}, or delete that line and pass --ready-requirement {target} together with --ready-requirement "
            "for each of the project's own requirements files (naming one replaces finding requirements.txt)"
        )
    return fix


__all__ = [
    "ALLOW_HINT",
    "ENV_EXPANSION",
    "SOURCE_OPTIONS",
    "Boundary",
    "Kind",
    "Named",
    "direct_reference",
    "project_root",
    "project_sources_allowed",
    "reference_name",
    "within",
]
