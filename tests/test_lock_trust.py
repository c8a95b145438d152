"""No lock trusted blindly: an env installed from a lock is checked against what the project declares, and a lock
that does not apply (empty, or unconfirmable offline) is said to be so, through real uv and real environments."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import installed, offline, virtualenv_cmd
from wheels import simple_index, write_project

INSTALLERS = pytest.mark.parametrize("installer", ["uv", "pip"])


def uv() -> str:
    from virtualenv_ready.installers.uv import find_uv

    found = find_uv()
    assert found is not None, "the test extra installs uv"
    return found.argv[0]


def uv_lock(project: Path, wheelhouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Lock with the real uv against an index of the test wheels."""
    index = simple_index(wheelhouse.parent / "simple", sorted(wheelhouse.glob("*.whl")))
    argv = [uv(), "lock", "--offline", "--index-url", index.as_uri(), "--python", sys.executable, *args]
    return subprocess.run(argv, cwd=project, capture_output=True, text=True, check=False)


def pylock(project: Path, wheelhouse: Path, entries: list[tuple[str, str]], groups: list[str] | None = None) -> Path:
    """A PEP 751 lock of wheelhouse files copied into the project (``groups``: the groups it declares, none default)."""
    lines = ['lock-version = "1.0"', 'created-by = "tests"', f"dependency-groups = {json.dumps(groups or [])}", ""]
    (project / "wheels").mkdir(exist_ok=True)
    for name, version in entries:
        wheel = wheelhouse / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        shutil.copy2(wheel, project / "wheels")
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        lines += ["[[packages]]", f'name = "{name}"', f'version = "{version}"']
        lines += [f'wheels = [{{ path = "wheels/{wheel.name}", hashes = {{ sha256 = "{digest}" }} }}]', ""]
    path = project / "pylock.toml"
    path.write_text("\n".join(lines))
    return path


def run(project: Path, wheelhouse: Path, *args: str, installer: str = "uv") -> subprocess.CompletedProcess[str]:
    return virtualenv_cmd(
        "--seeder",
        "ready",
        ".venv",
        "--activators",
        "",
        "--ready-installer",
        installer,
        *offline(wheelhouse),
        *args,
        cwd=project,
    )


def status(venv: Path) -> str:
    return str(json.loads((venv / "virtualenv-ready.json").read_text())["status"])


@INSTALLERS
def test_a_stale_pylock_beside_a_current_uv_lock_fails_naming_the_unmet_requirement(
    project: Path, wheelhouse: Path, installer: str
) -> None:
    write_project(project, "app", dependencies=["alpha>=2", "beta"])
    assert uv_lock(project, wheelhouse).returncode == 0
    lock = pylock(project, wheelhouse, [("alpha", "1.0")])  # older than the project: alpha below its minimum, no beta
    out = run(project, wheelhouse, installer=installer)
    assert out.returncode != 0
    said = out.stdout + out.stderr
    assert (
        f"{lock} does not satisfy the project: app 1.0 requires alpha>=2, but alpha 1.0 is installed (and 1 more: "
        "app 1.0 requires beta, but it is not installed); regenerate it from the project" in said
    ), said
    assert "--ready-no-lock" in said
    assert status(project / ".venv") == "incomplete"
    # the current uv.lock alone satisfies the project: the same check passes
    lock.unlink()
    out = run(project, wheelhouse, installer=installer)
    assert out.returncode == 0, out.stdout + out.stderr
    assert installed(project / ".venv")["alpha"] == "2.0"
    assert status(project / ".venv") == "complete"


def test_a_lock_missing_a_chosen_groups_requirement_fails(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", dependencies=["alpha"], groups={"dev": ["delta"], "test": ["epsilon"]})
    pylock(project, wheelhouse, [("alpha", "2.0"), ("delta", "1.0")], groups=["dev", "test"])
    assert run(project, wheelhouse).returncode == 0  # the pylock's own default groups (none) are checked
    out = run(project, wheelhouse, "--ready-groups", "dev,test")
    assert "[dependency-groups] test requires epsilon, but it is not installed" in out.stdout + out.stderr
    assert out.returncode != 0


def test_an_extra_the_project_declares_but_the_pylock_lacks_names_the_lock_and_the_fix(
    project: Path, wheelhouse: Path
) -> None:
    write_project(project, "app", dependencies=["alpha"], optional={"dev": ["delta"]}, groups={"docs": ["zeta"]})
    lock = pylock(project, wheelhouse, [("alpha", "2.0")])
    said = run(project, wheelhouse, "--ready-extras", "dev").stdout
    assert (
        f"{lock} was exported without extra dev (it has: none), which {project / 'pyproject.toml'} declares; export "
        "the lock again with it (e.g. `uv export --format pylock.toml --all-extras --output pylock.toml`), or pass "
        "--ready-no-lock" in said
    ), said
    said = run(project, wheelhouse, "--ready-groups", "docs").stdout
    assert f"{lock} was exported without dependency group docs (it has: none)" in said, said
    assert "--all-groups" in said
    # what neither the lock nor the project has stays the plain unknown-name error
    assert "unknown extra nope; available: dev" in run(project, wheelhouse, "--ready-extras", "nope").stdout
