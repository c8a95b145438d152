"""examples/demo created the way README.md says, offline, and its own tests run in the result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from helpers import ROOT, bin_path, installed, offline, virtualenv_cmd


def test_readme_command_makes_the_demo_ready(tmp_path: Path, wheelhouse: Path) -> None:
    # where README has it: below this repository's pyproject.toml, whose pytest settings must not reach the demo
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    demo = tmp_path / "examples" / "demo"
    shutil.copytree(ROOT / "examples" / "demo", demo, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    (demo / ".git").mkdir()
    # README: `cd examples/demo && virtualenv --seeder ready .venv`; here the wheelhouse stands in for PyPI
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=demo)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "from pyproject.toml [dev] with uv" in out.stdout + out.stderr
    found = installed(demo / ".venv")
    assert {"demo", "packaging", "pytest"} <= set(found)
    run = subprocess.run(
        [bin_path(demo / ".venv", "pytest"), "-q", "-p", "no:cacheprovider"],
        cwd=demo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    cli = subprocess.run(
        [bin_path(demo / ".venv", "demo"), "name>=1.2", "1.3"], capture_output=True, text=True, check=False
    )
    assert cli.stdout.strip() == "yes"
