"""pylock.toml (PEP 751): every applicable package installed at its locked version, hashes verified, no resolver."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import hookimpl
from ..boundary import Boundary, Named
from ..config import check_names
from ..errors import ReadyError
from ..model import Source
from .named import named_by

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import ReadyConfig
    from ..target import Target

_LOCK_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


def is_lock_name(name: str) -> bool:
    """PEP 751 names: ``pylock.toml`` or ``pylock.<name>.toml``."""
    return bool(_LOCK_NAME.match(name))


def lock_file(project: Path, config: ReadyConfig) -> Path | None:
    """The lock in use: one named by --ready-requirement, else pylock.toml (not with --ready-no-lock)."""
    if config.requirements is not None:
        named = [Path(item) for item in config.requirements if is_lock_name(Path(item).name)]
        return named[0] if named else None
    candidate = project / "pylock.toml"
    if not candidate.is_file() or config.no_lock:
        return None
    from .pylockfresh import pylock_mismatch

    # a pylock.toml that no longer matches pyproject.toml is not used (the next lock, or pyproject.toml, decides)
    return None if pylock_mismatch(candidate) else candidate


@hookimpl(tryfirst=True)  # built-in sources come before plugins in the summary
def ready_add_sources(project: Path, config: ReadyConfig, target: Target) -> list[Source] | None:
    path = lock_file(project, config)
    if path is None:
        return None
    from ..files import load_toml

    boundary = Boundary.of(config)
    origin = "default" if config.requirements is None else config.origin.get("ready_requirement", "")
    boundary.check(named_by(path, origin, "lock" if origin == "default" else "requirements", config.project))
    if not path.is_file():
        msg = f"lock file {path} not found (from {config.origin.get('ready_requirement', 'options')}); fix the path"
        raise ReadyError(msg)
    data = load_toml(path)
    version = str(data.get("lock-version", ""))
    if not version.startswith("1."):
        msg = f"{path}: lock-version {version or '(missing)'} is not supported; this reads PEP 751 lock-version 1.x"
        raise ReadyError(msg)
    groups = list(config.groups) if config.groups is not None else list(data.get("default-groups", []))
    _exported_without(path, config, "dependency group", groups, list(data.get("dependency-groups", [])))
    _exported_without(path, config, "extra", config.extras, list(data.get("extras", [])))
    check_names("dependency group", groups, list(data.get("dependency-groups", [])), f"{path} dependency-groups")
    check_names("extra", config.extras, list(data.get("extras", [])), f"{path} extras")
    env: dict[str, Any] = dict(target.marker_environment)
    env["extras"] = frozenset(config.extras)
    env["dependency_groups"] = frozenset(groups)

    hashed: list[str] = []
    loose: list[str] = []
    editable: list[str] = []
    find_links: list[str] = []
    owned = boundary.owns(path)
    for index, package in enumerate(data.get("packages", [])):
        if not _applies(path, index, package, env):
            continue
        if owned:
            boundary.check(_entry_values(path, package))
        _entry(path, index, package, hashed, loose, editable, find_links)
    label = path.name + (f" [{', '.join(groups)}]" if groups else "")
    sources = [Source(label, lines=tuple(hashed), find_links=tuple(find_links), inputs=(path,), no_deps=True)]
    if loose or editable:
        sources.append(Source(label, lines=tuple(loose), editables=tuple(editable), no_deps=True))
    return sources


def _exported_without(path: Path, config: ReadyConfig, kind: str, asked: Sequence[str], in_lock: list[str]) -> None:
    """An extra or group the project declares but the lock was exported without: the lock is the one to fix."""
    from packaging.utils import canonicalize_name

    have = {canonicalize_name(name) for name in in_lock}
    missing = [name for name in asked if canonicalize_name(name) not in have]
    declared = _declared_names(config.project / "pyproject.toml", kind) if missing else set()
    left_out = [name for name in missing if canonicalize_name(name) in declared]
    if not left_out:
        return
    names = ", ".join(left_out)
    flag = "--all-extras" if kind == "extra" else "--all-groups"
    msg = (
        f"{path} was exported without {kind} {names} (it has: {', '.join(in_lock) or 'none'}), which "
        f"{config.project / 'pyproject.toml'} declares; export the lock again with it (e.g. `uv export --format "
        f"pylock.toml {flag} --output {path.name}`), or pass --ready-no-lock to resolve from pyproject.toml"
    )
    raise ReadyError(msg)


def _declared_names(pyproject: Path, kind: str) -> set[str]:
    """The extras ([project.optional-dependencies], Poetry's extras) or groups (PEP 735, Poetry's) the project has."""
    from packaging.utils import canonicalize_name

    from ..files import load_pyproject

    data = load_pyproject(pyproject) or {}
    meta, poetry = _table(data.get("project")), _table(_table(data.get("tool")).get("poetry"))
    if kind == "extra":
        tables = [meta.get("optional-dependencies"), poetry.get("extras")]
    else:
        tables = [
            data.get("dependency-groups"),
            poetry.get("group"),
            {"dev": 1} if "dev-dependencies" in poetry else {},
        ]
    return {canonicalize_name(str(name)) for table in tables if isinstance(table, dict) for name in table}


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _applies(path: Path, index: int, package: dict[str, Any], env: dict[str, Any]) -> bool:
    from packaging.markers import InvalidMarker, Marker
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    name = package.get("name", f"packages[{index}]")
    try:
        if "marker" in package and not Marker(package["marker"]).evaluate(env, "lock_file"):
            return False
        if "requires-python" in package:
            return SpecifierSet(package["requires-python"]).contains(env["python_full_version"], prereleases=True)
    except (InvalidMarker, InvalidSpecifier) as exc:
        msg = f"{path}: package {name}: {exc}; regenerate the lock"
        raise ReadyError(msg) from None
    return True


def _entry(
    path: Path,
    index: int,
    package: dict[str, Any],
    hashed: list[str],
    loose: list[str],
    editable: list[str],
    links: list[str],
) -> None:
    """One applicable package as the line we write (an exact ``name==version`` with its hashes, or its archive,
    checkout or folder); a value no requirement can carry (a line break in a version) fails naming the entry."""
    from ..lines import editable_line, requirement_line

    name = package.get("name")
    if not name:
        msg = f"{path}: packages[{index}] has no name; regenerate the lock"
        raise ReadyError(msg)
    where = f"{path}: packages[{index}]"
    if "directory" in package:
        folder = (path.parent / package["directory"]["path"]).absolute()
        if package["directory"].get("editable"):
            editable.append(editable_line(str(folder), where))
        else:
            loose.append(requirement_line(f"{name} @ {folder.as_uri()}", where))
        return
    if "vcs" in package:
        vcs = package["vcs"]
        url = vcs.get("url") or (path.parent / vcs.get("path", ".")).absolute().as_uri()
        loose.append(requirement_line(f"{name} @ {vcs.get('type', 'git')}+{url}@{vcs['commit-id']}", where))
        return
    if "archive" in package:
        archive = package["archive"]
        url = archive.get("url") or (path.parent / archive["path"]).absolute().as_uri()
        hashed.append(requirement_line(f"{name} @ {url}", where, _hashes(path, name, [archive])))
        return
    files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
    if not files or "version" not in package:
        msg = f"{path}: package {name} has no version or files to install; regenerate the lock"
        raise ReadyError(msg)
    for item in files:
        if "path" in item:
            folder = str((path.parent / item["path"]).absolute().parent)
            if folder not in links:
                links.append(folder)
    hashed.append(requirement_line(f"{name}=={package['version']}", where, _hashes(path, name, files)))


def _entry_values(path: Path, package: dict[str, Any]) -> list[Named]:
    """A project lock's archives, VCS checkouts, folders and wheel paths: sources other than the index."""
    from ..files import line_of

    name = str(package.get("name", ""))
    urls: list[str] = []
    paths: list[str] = []
    for key in ("directory", "vcs", "archive"):
        table = package.get(key)
        if isinstance(table, dict):
            if table.get("url"):
                urls.append(f"{table.get('type', 'git')}+{table['url']}" if key == "vcs" else str(table["url"]))
            if table.get("path"):
                paths.append(str(table["path"]))
    for item in [*package.get("wheels", []), package.get("sdist") or {}]:
        if isinstance(item, dict) and item.get("path"):
            paths.append(str(item["path"]))
    if not urls and not paths:
        return []
    number = line_of(path, name)
    where = f"{path}:{number}: package {name}" if number else f"{path}: package {name}"
    references = [f"{name} @ {url}" for url in urls] + [str((path.parent / p).absolute()) for p in paths]
    return [Named(reference, where, "reference", (path.parent,)) for reference in references]


def _hashes(path: Path, name: str, files: list[dict[str, Any]]) -> list[str]:
    hashes = [item.get("hashes", {}).get("sha256") for item in files]
    if not all(hashes):
        msg = f"{path}: package {name} has a file without a sha256 hash; regenerate the lock with hashes"
        raise ReadyError(msg)
    return [f"sha256:{value}" for value in dict.fromkeys(hashes)]


__all__ = ["is_lock_name", "lock_file"]
