"""The environment being made ready, described the same way whether virtualenv just created it or `sync` found it."""

from __future__ import annotations

import json
import os
import re
import sys
from functools import cached_property
from pathlib import Path

from .errors import ReadyError
from .valuetypes import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from virtualenv.create.creator import Creator

# Evaluated by the environment's own interpreter: markers must describe the target, not the Python running virtualenv.
_MARKER_ENV_SCRIPT = """
import json, os, platform, sys
impl = sys.implementation
iv = impl.version
ver = f"{iv.major}.{iv.minor}.{iv.micro}"
if iv.releaselevel != "final":
    ver += iv.releaselevel[0] + str(iv.serial)
print(json.dumps({
    "implementation_name": impl.name,
    "implementation_version": ver,
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}))
"""


@dataclass(frozen=True)
class Target:
    """Paths of one environment; `python` is the interpreter inside it."""

    venv: Path
    python: Path
    bin_dir: Path
    site_packages: tuple[Path, ...]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ), compare=False, repr=False)
    #: PEP 508 marker values known without running the env's interpreter (virtualenv's own interpreter info)
    markers: dict[str, str] | None = field(default=None, compare=False, repr=False)
    #: the interpreter the env was made from (virtualenv ran it already): what a tool may run before consent, where
    #: the env's own interpreter would load whatever ``.pth`` files a found destination holds
    base_python: Path | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_creator(cls, creator: Creator) -> Target:
        """Describe a just-created env through virtualenv's own notion of its paths (bin/ or Scripts\\)."""
        libs = dict.fromkeys([Path(creator.purelib), Path(creator.platlib)])
        env = dict(getattr(creator, "env", None) or os.environ)
        markers = getattr(getattr(creator, "interpreter", None), "marker_environment", None)
        markers = dict(markers) if isinstance(markers, dict) and markers else None
        base = getattr(getattr(creator, "interpreter", None), "system_executable", None)
        base_python = Path(base) if isinstance(base, str) and base else None
        return cls(Path(creator.dest), Path(creator.exe), Path(creator.bin_dir), tuple(libs), env, markers, base_python)

    @classmethod
    def from_venv(cls, venv: Path, python: str | None = None, bin_dir: str | None = None) -> Target:
        """Describe an existing env, from the relative paths its record holds or the usual layout."""
        venv = venv.absolute()
        if bin_dir is None:
            bin_dir = "Scripts" if sys.platform == "win32" else "bin"
        if python is None:
            python = str(Path(bin_dir) / ("python.exe" if sys.platform == "win32" else "python"))
        exe = venv / python
        if not exe.exists():
            msg = f"{venv}: not a virtual environment (no {exe}); create it with `virtualenv --seeder ready {venv}`"
            raise ReadyError(msg)
        return cls(venv, exe, venv / bin_dir, tuple(_site_packages(venv)))

    @cached_property
    def marker_environment(self) -> dict[str, str]:
        """PEP 508 marker values of the target interpreter: what virtualenv found out about the interpreter it made the
        env from (python-discovery collects them), else one subprocess, only when a plan needs it.

        ``-S``: no ``site``, so no ``.pth`` or ``sitecustomize`` of the env runs for this question.
        """
        if self.markers is not None:
            return dict(self.markers)
        from .installers.process import ChildNotRun, Purpose, child_env, run

        argv = [str(self.python), "-I", "-S", "-c", _MARKER_ENV_SCRIPT]
        try:
            out = run(argv, purpose=Purpose.PROBE, env=child_env(self.env, Purpose.PROBE))
        except ChildNotRun as exc:
            msg = f"{self.python}: cannot run the environment's interpreter: {exc.reason}; recreate the environment"
            raise ReadyError(msg) from None
        if out.returncode != 0:
            msg = f"{self.python}: cannot run the environment's interpreter: {out.stderr.strip().splitlines()[-1:]}"
            raise ReadyError(msg)
        result: dict[str, str] = json.loads(out.stdout)
        return result

    def installed(self) -> dict[str, str]:
        """Distributions in the env as {canonical name: version}, read from dist-info folders without a subprocess."""
        found: dict[str, str] = {}
        for site in self.site_packages:
            try:
                entries = os.listdir(site)  # noqa: PTH208 - names, not Path objects: this runs twice on every no-op sync
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                if not entry.endswith(".dist-info"):
                    continue
                stem = entry[: -len(".dist-info")]
                # installers name the folder `{normalized name}-{version}`: no file read needed for the usual case
                name, sep, version = stem.partition("-")
                if not sep or "-" in version:
                    name, version = _name_version(site / entry)
                if name:
                    found[canonical(name)] = version
        return dict(sorted(found.items()))


def canonical(name: str) -> str:
    """A distribution name normalised as PEP 503 says (what `packaging.utils.canonicalize_name` returns).

    Written out because `packaging.utils` imports `packaging.tags`, and with it `platform` and `sysconfig`: a cost
    paid by every no-op sync and re-run, which only compare names.
    """
    return _SEPARATORS.sub("-", name).lower()


_SEPARATORS = re.compile(r"[-_.]+")


def quarantine_broken(target: Target) -> list[Path]:
    """Set aside dist-info folders without METADATA, left by an install that died (disk full, killed).

    Installers refuse to work in an env holding one. They are renamed, never deleted, so nothing is lost; the
    reinstall that follows writes the package again.
    """
    moved: list[Path] = []
    for site in target.site_packages:
        if not site.is_dir():
            continue
        for entry in site.glob("*.dist-info"):
            if entry.is_dir() and not (entry / "METADATA").exists():
                aside = entry.with_name(f"{entry.name}.virtualenv-ready-broken")
                entry.rename(aside)
                moved.append(aside)
    return moved


def _name_version(dist_info: Path) -> tuple[str, str]:
    metadata = dist_info / "METADATA"
    name = version = ""
    try:
        with metadata.open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                if key == "Name":
                    name = value.strip()
                elif key == "Version":
                    version = value.strip()
    except OSError:
        stem = dist_info.name[: -len(".dist-info")]
        name, _, version = stem.partition("-")
    return name, version


def _site_packages(venv: Path) -> list[Path]:
    if (venv / "Lib" / "site-packages").is_dir():
        return [venv / "Lib" / "site-packages"]
    found: list[Path] = []
    for lib in ("lib", "lib64"):
        base = venv / lib
        if base.is_dir():
            found.extend(p / "site-packages" for p in sorted(base.iterdir()) if (p / "site-packages").is_dir())
    return list(dict.fromkeys(p.resolve() for p in found))


__all__ = ["Target", "canonical", "quarantine_broken"]
