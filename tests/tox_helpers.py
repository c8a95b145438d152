"""Run the real `tox` on a project the test writes, offline, with the virtualenv-ready plugin loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

PLUGIN = "virtualenv_ready.tox_plugin"


def plugin_installed() -> bool:
    return any(ep.value == PLUGIN for ep in metadata.entry_points(group="tox"))


def entry_point_shim(root: Path) -> Path:
    """A dist-info that declares our `tox` entry point, for a dev install made before pyproject.toml declared it.

    Only used when the installed metadata lacks the entry point; then tox finds it through PYTHONPATH exactly as it
    finds an installed plugin (importlib.metadata), so the plugin still loads through tox's own entry-point loading.
    """
    info = root / "virtualenv_ready_tox_shim-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: virtualenv-ready-tox-shim\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[tox]\nvirtualenv-ready = {PLUGIN}\n")
    return root


def tox_env_vars(wheelhouse: Path, shim: Path | None) -> dict[str, str]:
    """The test process's (isolated) environment, offline for ready, tox's own pip and tox-uv's uv."""
    env = dict(os.environ)
    env.update(
        {
            "VIRTUALENV_READY_NO_INDEX": "1",
            "VIRTUALENV_READY_FIND_LINKS": str(wheelhouse),
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(wheelhouse),
            "UV_NO_INDEX": "1",  # tox-uv's own installs
            "UV_FIND_LINKS": str(wheelhouse),
            "NO_COLOR": "1",
            # tox-uv (in the test extra) would make its runner the default: these tests are about tox's own
            # virtualenv runner unless they unset this
            "TOX_DISABLED_EXTERNAL_PLUGINS": "tox-uv",
        }
    )
    env.pop("TOX_WORK_DIR", None)
    env.pop("TOX_PARALLEL_ENV", None)
    if shim is not None:
        env["PYTHONPATH"] = str(shim)
    return env


def run_tox(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m tox ARGS` in the project, as a user runs it; output kept for the assertions."""
    return subprocess.run(
        [sys.executable, "-m", "tox", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def record_of(venv: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((venv / "virtualenv-ready.json").read_text(encoding="utf-8"))
    return data


def tox_cache(venv: Path) -> dict[str, object]:
    """tox's own record of how it set the env up (`.tox-info.json`)."""
    data: dict[str, object] = json.loads((venv / ".tox-info.json").read_text(encoding="utf-8"))
    return data


__all__ = ["entry_point_shim", "plugin_installed", "record_of", "run_tox", "tox_cache", "tox_env_vars"]
