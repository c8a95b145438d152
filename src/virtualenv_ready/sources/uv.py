"""uv's project settings ([tool.uv]: default-groups, dev-dependencies, package) and its lock, uv.lock.

A uv.lock is read by uv itself: `uv export --locked` turns it into hashed requirement lines, which install exactly
(no resolver, hashes checked) with uv or pip, like a pylock.toml. ``--locked`` makes uv refuse, rather than
rewrite, a lock that no longer matches pyproject.toml; the project's files are never changed. uv runs offline and
builds nothing: a lock it finds out of date is reported with `uv lock` as the fix; one it cannot compare without a build
(dynamic metadata, a cold cache) is installed as locked, and the env is then checked against the project's metadata.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReadyError
from ..logs import LOGGER
from ..model import Source
from ..valuetypes import dataclass

if TYPE_CHECKING:
    from ..boundary import Named
    from ..installers.process import Finished
    from ..model import ReadyConfig
    from ..target import Target


# the first version whose `uv export` has --no-default-groups (older ones only know --no-dev)
_NO_DEFAULT_GROUPS = (0, 6)
_STALE = ("needs to be updated", "No solution found", "network was disabled")
# what uv says when the offline, build-free export cannot get the project's own (dynamic) metadata
_NEEDS_BUILD = ("Failed to generate package metadata", "Failed to build", "build-system.requires")


def tool_uv(data: dict[str, Any], pyproject: Path) -> dict[str, Any]:
    """The [tool.uv] table ({} when absent)."""
    table = (data.get("tool") or {}).get("uv") or {}
    if not isinstance(table, dict):
        msg = f"{pyproject}: [tool.uv] must be a table"
        raise ReadyError(msg)
    return table


def is_uv_project(project: Path, data: dict[str, Any]) -> bool:
    """uv manages the project: it has a uv.lock or a [tool.uv] table."""
    return (project / "uv.lock").is_file() or "uv" in (data.get("tool") or {})


def is_virtual(project: Path, data: dict[str, Any], pyproject: Path) -> bool:
    """uv does not install the project itself: `package = false`, or a uv project without [build-system]."""
    package = tool_uv(data, pyproject).get("package")
    if package is not None:
        return not bool(package)
    return is_uv_project(project, data) and "build-system" not in data


def group_table(data: dict[str, Any], pyproject: Path) -> dict[str, Any]:
    """[dependency-groups], with [tool.uv] dev-dependencies (the older spelling of group dev) merged into dev."""
    table = data.get("dependency-groups", {})
    if not isinstance(table, dict):
        msg = f"{pyproject}: [dependency-groups] must be a table of lists"
        raise ReadyError(msg)
    dev = tool_uv(data, pyproject).get("dev-dependencies")
    if dev is None:
        return table
    if not isinstance(dev, list):
        msg = f"{pyproject}: [tool.uv] dev-dependencies must be a list of requirements"
        raise ReadyError(msg)
    merged = dict(table)
    merged["dev"] = [*table.get("dev", []), *dev]
    return merged


def default_groups(data: dict[str, Any], pyproject: Path, available: list[str]) -> list[str]:
    """The groups `uv sync` installs: [tool.uv] default-groups (a list or "all"), else dev when it exists."""
    chosen = tool_uv(data, pyproject).get("default-groups")
    if chosen is None:
        return ["dev"] if "dev" in available else []
    if chosen == "all":
        return list(available)
    if not isinstance(chosen, list) or not all(isinstance(g, str) for g in chosen):
        msg = f'{pyproject}: [tool.uv] default-groups must be a list of group names or "all"'
        raise ReadyError(msg)
    from ..config import check_names

    check_names("dependency group", chosen, available, f"{pyproject} [tool.uv] default-groups")
    return list(chosen)


@dataclass(frozen=True)
class UvLock:
    """What `uv export` made of a uv.lock for the chosen groups and extras."""

    path: Path
    groups: tuple[str, ...]
    hashed: tuple[str, ...]
    loose: tuple[str, ...]
    editables: tuple[str, ...]


def uv_lock(project: Path, config: ReadyConfig, target: Target, groups: list[str]) -> UvLock | None:
    """The uv.lock in use, exported for ``groups``; ``None`` when there is none, it is not used, or it is stale."""
    path = project / "uv.lock"
    if config.no_lock or config.requirements is not None or not path.is_file():
        return None
    from .pylock import lock_file

    if lock_file(project, config) is not None:
        return None
    from ..boundary import Boundary, Named

    Boundary.of(config).check([Named(str(path), f"{path} (the project's lock file)", "file")])
    return _export(path, config, target, groups)


def _export(path: Path, config: ReadyConfig, target: Target, groups: list[str]) -> UvLock | None:
    from ..uvbin import find_uv_binary
    from .lockfacts import lock_facts

    facts = lock_facts(path, target)  # a TOML syntax error, or a lock for other platforms, before uv is asked
    if not facts.packages:
        LOGGER.warning(
            "virtualenv-ready: %s not used: it locks no package (what `uv lock` writes for a project without a "
            "[project] table); installing what pyproject.toml declares instead",
            path,
        )
        return None
    found = find_uv_binary()
    if found is None:
        LOGGER.warning(
            'virtualenv-ready: %s not used: reading it needs uv (`pip install "virtualenv-ready[uv]"`); resolving from '
            "pyproject.toml instead",
            path,
        )
        return None
    binary, version, _ = found
    argv = _export_argv(binary, version, path, config, target, groups)
    out = _export_once(argv, version, path, target, facts.folders)
    if out.returncode != 0 and _needs_a_build(out.stderr):
        LOGGER.warning(
            "virtualenv-ready: %s not confirmed against pyproject.toml: uv cannot build the project's metadata offline "
            "(%s); installing the lock as it is, then checking the env against the project's requirements",
            path,
            _first_error(out.stderr),
        )
        out = _run_export([("--frozen" if arg == "--locked" else arg) for arg in argv], path, target)
    if out.returncode != 0:
        error = out.stderr
        _python_mismatch(path, error, target)
        if any(marker in " ".join(error.split()) for marker in _STALE):
            LOGGER.warning(
                "virtualenv-ready: %s is out of date with pyproject.toml (uv says so); resolving from pyproject.toml "
                "instead: run `uv lock` to update the lock",
                path,
            )
            return None
        from ..boundary import project_root
        from ..installers.screen import QuoteScreen

        handed = [path, path.parent / "pyproject.toml"]
        reason = _first_error(QuoteScreen(project_root(path.parent), path.parent, handed).screen(error))
        msg = f"{path}: uv cannot read it ({reason}); regenerate it with `uv lock`, or pass --ready-no-lock"
        raise ReadyError(msg)
    hashed, loose, editables = _split(out.stdout, path.parent)
    return UvLock(path, tuple(groups), tuple(hashed), tuple(loose), tuple(editables))


def _export_argv(
    binary: str, version: str, path: Path, config: ReadyConfig, target: Target, groups: list[str]
) -> list[str]:
    """`uv export` of the chosen groups and extras, offline, building nothing, reading no configuration of its own."""
    from ..uvbin import version_tuple

    argv = [binary, "export", "--locked", "--format", "requirements-txt", "--no-header", "--no-emit-project"]
    # uv starts the interpreter it is given: the base one where known, so a found env's .pth files stay unread
    argv += ["--python", str(target.base_python or target.python)]
    argv += ["--no-default-groups"] if version_tuple(version) >= _NO_DEFAULT_GROUPS else ["--no-dev"]
    for group in groups:
        argv += ["--group", group]
    for extra in config.extras:
        argv += ["--extra", extra]
    # this runs while the plan is made, before the user trusted the project and before the project's uv settings
    # are checked: uv must run none of its code (no build) and contact no index, so it only compares files
    argv += ["--offline", "--no-build"]
    # uv reads no uv.toml or [tool.uv] settings itself (a parent folder's neither); the lock's resolver settings are
    # passed as flags, so `--locked` compares the lock with what the project says
    from .uvconfig import export_flags

    return [*argv, "--no-config", *export_flags(path.parent)]


def _export_once(
    argv: list[str], version: str, path: Path, target: Target, folders: tuple[str, ...] | None
) -> Finished:
    """`uv export`'s answer: the one kept from an earlier run when every input is as it was, else uv's own (kept
    when it succeeded; a failure's warnings must be seen each time)."""
    from ..installers.process import Finished
    from .exportcache import load, store

    key = _cache_key(argv, version, path, target, folders)
    if key is not None:
        cached = load(key)
        if cached is not None:
            LOGGER.info("read %s: as `uv export` answered before for these same inputs (entry %s)", path, key[:16])
            return Finished(0, cached, "")
    out = _run_export(argv, path, target)
    # an input that changed while uv ran leaves its answer unkept: it may be for either state
    if key is not None and out.returncode == 0 and _cache_key(argv, version, path, target, folders) == key:
        store(key, out.stdout)
    return out


def _cache_key(
    argv: list[str], version: str, path: Path, target: Target, folders: tuple[str, ...] | None
) -> str | None:
    """The cache key of this export (see :mod:`.exportcache`), ``None`` when its answer may not be kept."""
    import json

    from ..installers.process import Purpose, child_env
    from .exportcache import binary_stamp, digests, export_key, input_files

    files = input_files(path.parent, folders)
    found = digests(files) if files is not None else None
    if found is None:
        return None
    python = str(target.base_python or target.python)
    interpreter = [python, *binary_stamp(python), json.dumps(target.markers, sort_keys=True)]
    tool = [version, *binary_stamp(argv[0])]
    env = child_env(target.env, Purpose.READ)
    return export_key(argv, tool, path.parent.absolute(), found, interpreter, env)


def _run_export(argv: list[str], path: Path, target: Target) -> Finished:
    """Run `uv export` in the project, pointed at a project env that cannot exist (it would inspect `.venv`)."""
    import tempfile

    from ..installers.process import ChildNotRun, Purpose, child_env, run

    LOGGER.info("read %s: %s", path, " ".join(argv))
    env = child_env(target.env, Purpose.READ)
    try:
        with tempfile.TemporaryDirectory(prefix="virtualenv-ready-") as private:
            env["UV_PROJECT_ENVIRONMENT"] = str(Path(private) / "no-env")
            return run(argv, purpose=Purpose.READ, env=env, cwd=path.parent)
    except ChildNotRun as exc:
        msg = f"{path}: cannot run `uv export` ({exc.reason}); pass --ready-no-lock to resolve from pyproject.toml"
        raise ReadyError(msg) from None


def _needs_a_build(error: str) -> bool:
    """uv could not compare the lock with the project because the project's metadata (dynamic) needs a build it may
    not run offline (a cold cache): that says nothing about the lock being out of date."""
    flat = " ".join(error.split())  # uv wraps its messages to the terminal's width
    return any(marker in flat for marker in _NEEDS_BUILD)


_REQUIRES_PYTHON = re.compile(
    r"incompatible with the \S+ Python requirement: `([^`]+)`(?: \(from workspace member `([^`]+)`)?"
)


def _python_mismatch(path: Path, error: str, target: Target) -> None:
    """uv refused the interpreter (a workspace member's requires-python): the lock is fine, the env's Python is not."""
    found = _REQUIRES_PYTHON.search(" ".join(error.split()))  # uv wraps its message to the terminal width
    if found is None:
        return
    from .python import not_satisfied

    spec, member = found.group(1), found.group(2)
    where = f"{path.parent / 'pyproject.toml'} requires-python"
    if member:
        from ..files import load_toml

        folder = _member_folder(path, load_toml(path), member)
        where = f"{folder / 'pyproject.toml'} requires-python (workspace member {member})"
    msg = not_satisfied(where, spec, target)
    raise ReadyError(msg)


def _member_folder(path: Path, data: dict[str, Any], member: str) -> Path:
    """Where the lock says a workspace member lives (its package's editable or virtual source), else the root."""
    for package in data.get("package") or []:
        source = package.get("source") if isinstance(package, dict) else None
        if package.get("name") != member or not isinstance(source, dict):
            continue
        folder = source.get("editable") or source.get("virtual")
        if isinstance(folder, str):
            return path.parent / folder
    return path.parent


def _first_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    picked = [line for line in lines if line.startswith(("error:", "cause:", "Caused by:"))] or lines[-1:]
    return " ".join(picked).replace("error: ", "", 1) or "no message"


_COMMENT = re.compile(r"\s+#.*$")


def _split(text: str, project: Path) -> tuple[list[str], list[str], list[str]]:
    """Exported lines: hashed (installed exactly), without hashes (VCS, paths) and editables (workspace members)."""
    hashed: list[str] = []
    loose: list[str] = []
    editables: list[str] = []
    for raw in text.replace("\\\n", " ").splitlines():
        line = _COMMENT.sub("", raw).strip()
        if not line or line.startswith("#"):
            continue
        line = " ".join(line.split())
        if line.startswith(("-e ", "--editable ")):
            where = line.split(" ", 1)[1]
            editables.append(where if "://" in where else str((project / where).absolute()))
        elif "--hash=" in line:
            hashed.append(line)
        else:
            loose.append(line)
    return hashed, loose, editables


def lock_sources(lock: UvLock | None, pyproject: Path, config: ReadyConfig) -> list[Source]:
    """The sources of an exported uv.lock: its hashed lines, then its unhashed lines and editables (none without one).

    The pyproject source asks for them: it exported the lock already, to know whether its own dependencies are
    locked, so uv runs once per plan.
    """
    if lock is None:
        return []
    from ..boundary import Boundary

    boundary = Boundary.of(config)
    if boundary.owns(lock.path):
        boundary.check(lock_values(lock.path, [*lock.hashed, *lock.loose, *lock.editables]))
    label = lock.path.name + (f" [{', '.join(lock.groups)}]" if lock.groups else "")
    sources = [Source(label, lines=lock.hashed, inputs=(lock.path, pyproject), no_deps=True)]
    if lock.loose or lock.editables:
        sources.append(Source(label, lines=lock.loose, editables=lock.editables, no_deps=True))
    return sources


def lock_values(lock: Path, lines: list[str]) -> list[Named]:
    """Requirement lines a project's lock was turned into (``uv export``): those that install from a URL, a checkout
    or a path, not from the configured index, are sources; each named by the lock's line for its package."""
    from ..boundary import Named, reference_name
    from ..files import line_of
    from ..reqfile import break_args_options

    values: list[Named] = []
    for line in lines:
        requirement = break_args_options(line)[0] or line
        name = reference_name(requirement)
        number = line_of(lock, f'name = "{name}"') if name else None
        where = f"{lock}:{number}" if number else str(lock)
        values.append(Named(requirement, f"{where}: package {name}" if name else where, "reference", (lock.parent,)))
    return values


def source_values(pyproject: Path, table: dict[str, Any]) -> list[Named]:
    """``[tool.uv.sources]``: uv installs the project's dependencies from these URLs, checkouts, paths and named
    indexes instead of the configured index; ``[tool.uv.workspace]`` members are read and installed."""
    from ..boundary import Named
    from ..files import line_of

    values: list[Named] = []
    workspace = table.get("workspace")
    members = workspace.get("members") if isinstance(workspace, dict) else None
    for member in members if isinstance(members, list) else []:
        number = line_of(pyproject, str(member))
        where = f"{pyproject}:{number}" if number else str(pyproject)
        member_path = str((pyproject.parent / str(member)).absolute())
        values.append(Named(member_path, f"{where}: [tool.uv.workspace] members", "reference", (pyproject.parent,)))
    sources = table.get("sources")
    if not isinstance(sources, dict):
        return values
    indexes = {
        str(item.get("name")): str(item.get("url"))
        for item in table.get("index") or []
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
            where = (
                f"{pyproject}:{number}: [tool.uv.sources] {name}"
                if number
                else f"{pyproject}: [tool.uv.sources] {name}"
            )
            values += [Named(reference, where, "reference", (pyproject.parent,)) for reference in references]
    return values


def selected_groups(data: dict[str, Any], pyproject: Path, config: ReadyConfig) -> list[str]:
    """The PEP 735 groups (dev-dependencies included) this run installs: the ones asked for, else uv's defaults."""
    available = list(group_table(data, pyproject))
    if config.groups is None:
        return default_groups(data, pyproject, available)
    from packaging.utils import canonicalize_name

    wanted = {canonicalize_name(g) for g in config.groups}
    return [g for g in available if canonicalize_name(g) in wanted]


__all__ = [
    "UvLock",
    "default_groups",
    "group_table",
    "is_uv_project",
    "is_virtual",
    "lock_sources",
    "lock_values",
    "selected_groups",
    "source_values",
    "tool_uv",
    "uv_lock",
]
