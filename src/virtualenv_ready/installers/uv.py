"""uv backend: the `uv` package's binary, else `uv` on PATH; `uv pip install --python <env python>`."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from .. import hookimpl
from ..redact import redact
from .base import Installer, InstallerUnusable, Located, index_argv, step_argv

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from ..model import IndexOptions, Step
    from ..target import Target


_EDITABLE_VCS = re.compile(r"^(?:-e|--editable)(?:\s+|=)\S*?(?:git|hg|svn|bzr)\+", re.IGNORECASE)


@cache
def find_uv() -> Located | None:
    """The uv binary and its version, or ``None`` when uv is missing or fails to run; looked up once per process."""
    from ..uvbin import find_uv_binary

    found = find_uv_binary()
    if found is None:
        return None
    binary, version, where = found
    return Located((binary,), version, f"{binary} (from {where})")


def uv_failure() -> str | None:
    """Why the uv that is installed cannot run (its exit code and error), or ``None``."""
    from ..uvbin import probe_uv_binary

    return probe_uv_binary()[1]


class UvInstaller(Installer):
    """Installs with uv: one resolver for the whole plan, hard links from uv's cache."""

    name = "uv"
    auto_priority = 100
    hashes_per_line = True
    editables_in_file = True

    def locate(self, target: Target) -> Located | None:
        located = find_uv()
        if located is None:
            broken = uv_failure()
            if broken:
                raise InstallerUnusable(broken)
        return located

    def missing_hint(self) -> str:
        return (
            'install it with `pip install "virtualenv-ready[uv]"` (or put `uv` on PATH), or pass --ready-installer pip'
        )

    def __init__(self) -> None:
        #: the project's supported uv settings as flags (:meth:`check_project` reads them); uv reads no config itself
        self.settings: tuple[str, ...] = ()

    def install_argv(
        self, located: Located, target: Target, step: Step, index: IndexOptions, verbosity: int
    ) -> list[str]:
        # --no-config: no uv.toml or [tool.uv] of the project, a parent folder or the user is read by uv itself
        argv = [*located.argv, "pip", "install", "--no-config", "--python", str(target.python)]
        argv += _verbosity(verbosity)
        argv += index_argv(index)
        argv += [flag for flag in self.settings if flag not in argv]
        argv += step_argv(step, step.requirements_file)
        return argv

    def check_project(self, project: Path, allow_sources: bool) -> None:
        """The project's uv settings: those that choose sources refused (uv no longer reads them, the project would
        silently lose them), the supported ones read as flags for :meth:`install_argv`."""
        from ..sources.uvconfig import check_settings, uv_settings

        check_settings(project, resolving=False)
        self.settings = uv_settings(project).argv

    def check_step(self, step: Step) -> None:
        """uv installs no editable VCS requirement (`-e git+<url>`); pip does."""
        from ..errors import ReadyError

        found = [(f"-e {e}", "the plan") for e in step.editables]
        for line, where in found:
            match = _EDITABLE_VCS.match(line)
            if match:
                msg = (
                    f"{where}: {redact(line)}: uv cannot install an editable VCS requirement; pip can: pass "
                    "--ready-installer pip, or drop the -e"
                )
                raise ReadyError(msg)

    def offline_argv(self, argv: Sequence[str], env: Mapping[str, str]) -> list[str] | None:
        """With ``--offline`` uv installs from its cache alone; not tried where that cache holds no unpacked wheel
        yet (a first run would only pay for a failed attempt; reading a lock creates the folder, not its wheels)."""
        folder = uv_cache_dir(env)
        if folder is not None and not any(folder.glob("archive-v*")):
            return None
        return [*argv, "--offline"]

    def uninstall_argv(self, located: Located, target: Target, names: Sequence[str]) -> list[str]:
        return [*located.argv, "pip", "uninstall", "--no-config", "--python", str(target.python), *names]


def uv_cache_dir(env: Mapping[str, str]) -> Path | None:
    """Where uv keeps its cache under ``env`` (``UV_CACHE_DIR``, else the platform's place), ``None`` when unknown
    (``UV_NO_CACHE``: a temporary one)."""
    import sys
    from pathlib import Path

    if env.get("UV_CACHE_DIR"):
        return Path(env["UV_CACHE_DIR"])
    if env.get("UV_NO_CACHE"):
        return None
    if sys.platform == "win32":
        local = env.get("LOCALAPPDATA")
        return Path(local) / "uv" / "cache" if local else None
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path(env.get("HOME") or Path.home()) / ".cache"
    return base / "uv"


def _verbosity(verbosity: int) -> list[str]:
    if verbosity <= 1:
        return ["--quiet"]
    if verbosity >= 4:
        return ["--verbose"]
    return []


@hookimpl
def ready_register_installers() -> list[Installer]:
    return [UvInstaller()]


__all__ = ["UvInstaller", "find_uv", "uv_cache_dir", "uv_failure"]
