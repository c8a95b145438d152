"""pdm.lock (lock_version 4.x), read as PDM reads it, with PDM not installed.

A lock with inherited metadata (PDM's default since 2.11) names each package's groups and marker: the packages
of the chosen groups whose marker holds are installed. An older cross-platform lock does not: the dependency graph
is walked from the project's requirements (``lockgraph``), as PDM does. `pdm install` installs every group by
default (the project's dependencies and all dev groups); ``--ready-groups`` names others. The lock is used only
when its ``content_hash`` matches pyproject.toml, as PDM computes it.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from ..errors import ReadyError
from .lockgraph import Chosen, Locked, canonical, evaluate, requirement_of, sha256s, walk

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ..model import ReadyConfig

FIX = "`pdm lock`"
_PLATFORMS = {"linux": ("linux", "manylinux", "musllinux"), "win32": ("windows",), "darwin": ("macos",)}
_MACHINES = {"x86_64": ("x86_64", "amd64"), "amd64": ("x86_64", "amd64"), "aarch64": ("aarch64", "arm64")}


def normalize_group(name: str) -> str:
    """PDM's group name spelling: runs of anything but letters, digits and dots become ``-``, lower case."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", name).lower()


def dev_groups(pyproject: dict[str, Any]) -> dict[str, list[Any]]:
    """PDM's dev groups: [dependency-groups] and [tool.pdm.dev-dependencies], merged by normalized name."""
    groups: dict[str, list[Any]] = {}
    for name, items in (pyproject.get("dependency-groups") or {}).items():
        groups[normalize_group(name)] = list(items)
    pdm = (pyproject.get("tool") or {}).get("pdm") or {}
    for name, items in (pdm.get("dev-dependencies") or {}).items():
        groups.setdefault(normalize_group(name), []).extend(items)
    return groups


def content_hash(pyproject: dict[str, Any]) -> str:
    """PDM's ``[metadata] content_hash`` (without ``sha256:``): the hash of what decides the lock."""
    project = pyproject.get("project") or {}
    pdm = (pyproject.get("tool") or {}).get("pdm") or {}
    dump = {
        "sources": pdm.get("source", []),
        "dependencies": project.get("dependencies", []),
        "dev-dependencies": dev_groups(pyproject),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python", ""),
        "resolution": pdm.get("resolution", {}),
    }
    return hashlib.sha256(json.dumps(dump, sort_keys=True).encode()).hexdigest()


def is_fresh(lock: dict[str, Any], pyproject: dict[str, Any]) -> bool:
    """The lock's content hash matches pyproject.toml (a hash of another algorithm counts as not fresh)."""
    written = str((lock.get("metadata") or {}).get("content_hash", ""))
    return written == f"sha256:{content_hash(pyproject)}"


def group_choice(
    pyproject: dict[str, Any], config: ReadyConfig, locked: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """(chosen, left out) groups: the named ones; else, as `pdm install`, the groups the lock was made for (dev
    groups and optional-dependency groups alike), or every dev group when the lock names none."""
    available = list(dev_groups(pyproject))
    if config.groups is None:
        if not locked:
            return available, []
        optional = [
            normalize_group(name) for name in (pyproject.get("project") or {}).get("optional-dependencies") or {}
        ]
        names = {normalize_group(group) for group in locked}
        chosen = [group for group in dict.fromkeys([*available, *optional]) if group in names]
        return chosen, [group for group in available if group not in chosen]
    wanted = {normalize_group(g) for g in config.groups}
    chosen = [g for g in available if g in wanted]
    return chosen, [g for g in available if g not in chosen]


def read(
    path: Path, pyproject_path: Path, pyproject: dict[str, Any], config: ReadyConfig, env: dict[str, Any]
) -> Chosen:
    """The packages pdm.lock installs for the chosen groups and extras on this interpreter."""
    from ..files import load_toml

    lock = load_toml(path)
    metadata = lock.get("metadata") or {}
    version = str(metadata.get("lock_version", ""))
    if not version.startswith("4."):
        msg = f"{path}: lock_version {version or '(missing)'} is not supported; this reads PDM locks 4.x ({FIX})"
        raise ReadyError(msg)
    _check_targets(path, metadata, env)
    chosen, left_out = group_choice(pyproject, config, [str(g) for g in metadata.get("groups") or []])
    packages = [_package(path, index, item) for index, item in enumerate(lock.get("package") or [])]
    if "inherit_metadata" in (metadata.get("strategy") or []):
        wanted = {"default", *(normalize_group(e) for e in config.extras), *chosen}
        picked = [
            p
            for p in packages
            if wanted & {normalize_group(g) for g in p.raw.get("groups") or []} and evaluate(path, p.marker, env)
        ]
        picked = [p for p in picked if _python_fits(p, env)]
    else:
        picked = walk(path, _roots(pyproject, pyproject_path, config, chosen), packages, env)
    return Chosen(path, "pdm", tuple(picked), tuple(chosen), tuple(left_out))


def files_of(path: Path) -> Any:
    """How one chosen package installs: hashed from the index, or from its checkout, folder or URL."""

    def of(package: Locked) -> tuple[str, Any]:
        raw = package.raw
        if raw.get("git"):
            sub = f"#subdirectory={raw['subdirectory']}" if raw.get("subdirectory") else ""
            return "reference", f"{package.name} @ git+{raw['git']}@{raw.get('revision', '')}{sub}"
        if raw.get("path"):
            local = (path.parent / str(raw["path"])).absolute()
            return (
                ("editable", str(local)) if raw.get("editable") else ("reference", f"{package.name} @ {local.as_uri()}")
            )
        if raw.get("url"):
            return "reference", f"{package.name} @ {raw['url']}"
        # a static-urls lock names each file's URL: the file is still taken from the configured index, by hash
        hashes = [str(item.get("hash", "")) for item in raw.get("files") or []]
        return "hashed", sha256s(path, package.name, hashes)

    return of


def _python_fits(package: Locked, env: dict[str, Any]) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return not package.python or SpecifierSet(package.python).contains(env["python_full_version"], True)
    except InvalidSpecifier:
        return True


def _check_targets(path: Path, metadata: dict[str, Any], env: dict[str, Any]) -> None:
    """A lock made for other platforms or Pythons ([[metadata.targets]]) would install the wrong files: refuse it."""
    targets = metadata.get("targets") or []
    if not targets or any(_target_fits(path, target, env) for target in targets):
        return
    wanted = " or ".join(
        " ".join(str(t.get(k)) for k in ("platform", "implementation", "requires_python") if t.get(k)) for t in targets
    )
    here = f"{env['sys_platform']} {env['platform_machine']} Python {env['python_full_version']}"
    msg = f"{path}: locked only for {wanted}, not this environment ({here}); run {FIX} here, or pass --ready-no-lock"
    raise ReadyError(msg)


def _target_fits(path: Path, target: dict[str, Any], env: dict[str, Any]) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    requires = str(target.get("requires_python") or "")
    try:
        if requires and not SpecifierSet(requires).contains(env["python_full_version"], True):
            return False
    except InvalidSpecifier as exc:
        msg = f"{path}: [[metadata.targets]] requires_python {requires!r}: {exc}; regenerate it with {FIX}"
        raise ReadyError(msg) from None
    implementation = str(target.get("implementation") or "")
    if implementation and implementation.lower() != str(env.get("implementation_name", "")).lower():
        return False
    platform = str(target.get("platform") or "")
    if not platform:
        return True
    system, _, machine = platform.partition("_")
    if not system.startswith(_PLATFORMS.get(str(env["sys_platform"]), (str(env["sys_platform"]),))):
        return False
    here = str(env.get("platform_machine", "")).lower()
    return not machine or machine.lower() in _MACHINES.get(here, (here,))


def _package(path: Path, index: int, item: dict[str, Any]) -> Locked:
    name, version = item.get("name"), item.get("version")
    if not name or (not version and not (item.get("git") or item.get("path") or item.get("url"))):
        msg = f"{path}: package[{index}] has no name or version; regenerate the lock with {FIX}"
        raise ReadyError(msg)
    edges = [edge for text in item.get("dependencies") or [] if (edge := requirement_of(path, str(text))) is not None]
    python = str(item.get("requires_python") or "")
    return Locked(str(name), str(version or ""), python, str(item.get("marker") or ""), tuple(edges), raw=dict(item))


def _roots(pyproject: dict[str, Any], pyproject_path: Path, config: ReadyConfig, chosen: list[str]) -> list[Any]:
    """The project's dependencies, its chosen extras and the chosen groups (include-group followed)."""
    project = pyproject.get("project") or {}
    texts = [str(d) for d in project.get("dependencies") or []]
    optional = project.get("optional-dependencies") or {}
    extras = {normalize_group(name) for name in [*config.extras, *chosen]}
    texts += [str(d) for name, items in optional.items() if normalize_group(name) in extras for d in items]
    groups = dev_groups(pyproject)
    pending, seen = list(chosen), set()
    while pending:
        group = normalize_group(pending.pop())
        if group in seen:
            continue
        seen.add(group)
        for item in groups.get(group, []):
            if isinstance(item, dict) and "include-group" in item:
                pending.append(str(item["include-group"]))
            elif isinstance(item, str):
                texts.append(item)
    return [edge for text in texts if (edge := requirement_of(pyproject_path, text)) is not None]


__all__ = ["FIX", "canonical", "content_hash", "dev_groups", "files_of", "group_choice", "is_fresh", "read"]
