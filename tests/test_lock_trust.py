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

from helpers import installed, offline, offline_env, ready_cli, virtualenv_cmd
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
def test_a_stale_pylock_beside_a_current_uv_lock_is_passed_over_and_named(
    project: Path, wheelhouse: Path, installer: str
) -> None:
    write_project(project, "app", dependencies=["alpha>=2", "beta"])
    assert uv_lock(project, wheelhouse).returncode == 0
    lock = pylock(project, wheelhouse, [("alpha", "1.0")])  # older than the project: alpha below its minimum, no beta
    out = run(project, wheelhouse, installer=installer)
    said = out.stdout + out.stderr
    assert out.returncode == 0, said
    assert f"{lock} is not used" in said, said
    assert installed(project / ".venv")["alpha"] == "2.0"
    assert status(project / ".venv") == "complete"


@INSTALLERS
def test_a_lock_that_satisfies_the_project_but_not_its_closure_fails_naming_the_unmet_requirement(
    project: Path, wheelhouse: Path, installer: str
) -> None:
    write_project(project, "app", dependencies=["beta"])
    lock = pylock(project, wheelhouse, [("beta", "1.0")])  # beta needs alpha, which this lock forgot
    out = run(project, wheelhouse, installer=installer)
    said = out.stdout + out.stderr
    assert out.returncode != 0, said
    assert f"{lock} does not satisfy the project: beta 1.0 requires alpha, but it is not installed" in said, said
    assert "--ready-no-lock" in said
    assert status(project / ".venv") == "incomplete"
    # the fix the message names works: the lock regenerated with what it forgot
    pylock(project, wheelhouse, [("alpha", "2.0"), ("beta", "1.0")])
    out = run(project, wheelhouse, installer=installer)
    assert out.returncode == 0, out.stdout + out.stderr
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
    out = run(project, wheelhouse, "--ready-extras", "dev")
    said = out.stdout + out.stderr
    assert (
        f"{lock} was exported without extra dev (it has: none), which {project / 'pyproject.toml'} declares; export "
        "the lock again with it (e.g. `uv export --format pylock.toml --all-extras --output pylock.toml`), or pass "
        "--ready-no-lock" in said
    ), said
    out = run(project, wheelhouse, "--ready-groups", "docs")
    said = out.stdout + out.stderr
    assert f"{lock} was exported without dependency group docs (it has: none)" in said, said
    assert "--all-groups" in said
    # what neither the lock nor the project has stays the plain unknown-name error
    out = run(project, wheelhouse, "--ready-extras", "nope")
    assert "unknown extra nope; available: dev" in out.stdout + out.stderr


POETRY = """\
[tool.poetry]
name = "poetryapp"
version = "0.1.0"
description = ""
authors = ["A <a@example.invalid>"]
packages = [{ include = "poetryapp", from = "src" }]

[tool.poetry.dependencies]
python = ">=3.8"
alpha = "^1.0"

[tool.poetry.group.dev.dependencies]
delta = ">=1"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def test_an_empty_uv_lock_in_a_poetry_project_is_not_used(project: Path, wheelhouse: Path) -> None:
    (project / "pyproject.toml").write_text(POETRY)
    (project / "src" / "poetryapp").mkdir(parents=True)
    (project / "src" / "poetryapp" / "__init__.py").write_text("")
    assert uv_lock(project, wheelhouse).returncode == 0
    assert "[[package]]" not in (project / "uv.lock").read_text()  # what uv writes without a [project] table
    out = run(project, wheelhouse)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{project / 'uv.lock'} not used: it locks no package" in out.stdout + out.stderr
    found = installed(project / ".venv")
    # as `poetry install`: the project with its dependencies and the non-optional groups, not the project alone
    assert found["poetryapp"] == "0.1.0"
    assert found["alpha"] == "1.0"
    assert "delta" in found


def test_sync_exact_keeps_a_poetry_projects_own_dependencies(project: Path, wheelhouse: Path) -> None:
    (project / "pyproject.toml").write_text(POETRY)
    (project / "src" / "poetryapp").mkdir(parents=True)
    (project / "src" / "poetryapp" / "__init__.py").write_text("")
    assert run(project, wheelhouse).returncode == 0
    out = ready_cli("sync", "--exact", cwd=project, env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "alpha" in installed(project / ".venv")  # needed by the project itself, named in [tool.poetry] only


@pytest.mark.parametrize(
    "dependencies",
    [
        'dependencies = ["beta"]\n\n[tool.poetry]\npackage-mode = false\n',
        # the shape of Poetry's own website: [project] leaves them dynamic, [tool.poetry.dependencies] holds them
        'dynamic = ["dependencies"]\n\n[tool.poetry]\npackage-mode = false\n\n'
        '[tool.poetry.dependencies]\nbeta = "^1.0"\n',
    ],
    ids=["static", "dynamic"],
)
def test_poetry_non_package_mode_beside_a_project_table_installs_the_dependencies(
    project: Path, wheelhouse: Path, dependencies: str
) -> None:
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "site"\nversion = "0.1.0"\nrequires-python = ">=3.8"\n{dependencies}\n'
        '[tool.poetry.group.dev.dependencies]\ndelta = ">=1"\n\n'
        '[build-system]\nrequires = ["poetry-core>=2.0"]\nbuild-backend = "poetry.core.masonry.api"\n'
    )
    out = run(project, wheelhouse)
    assert out.returncode == 0, out.stdout + out.stderr
    found = installed(project / ".venv")
    assert "site" not in found  # never built: Poetry would refuse to
    assert {"beta", "alpha", "delta"} <= set(found)


def test_a_workspace_members_requires_python_is_the_interpreters_problem(project: Path, wheelhouse: Path) -> None:
    write_project(
        project,
        "app",
        dependencies=["member"],
        extra_toml=(
            '\n[tool.uv.sources]\nmember = { workspace = true }\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'
        ),
    )
    member = write_project(project / "packages" / "member", "member")
    assert uv_lock(project, wheelhouse).returncode == 0
    text = (member / "pyproject.toml").read_text()
    (member / "pyproject.toml").write_text(text.replace("[project]\n", '[project]\nrequires-python = ">=3.99"\n'))
    out = run(project, wheelhouse)
    said = out.stdout + out.stderr
    assert out.returncode != 0
    assert f"{member / 'pyproject.toml'} requires-python (workspace member member) >=3.99 is not satisfied: " in said, (
        said
    )
    assert "create the env with a Python that satisfies >=3.99: `virtualenv -p <python>" in said
    assert "uv cannot read" not in said


def test_a_lock_uv_cannot_confirm_offline_is_installed_as_locked_then_checked(
    project: Path, wheelhouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dynamic dependencies and a cold uv cache: uv cannot build the project's metadata offline, which is not
    staleness; the lock installs, and the check after it holds the lock to the project's real metadata."""
    (project / "pyproject.toml").write_text(
        '[project]\nname = "dyn"\nversion = "1.0"\nrequires-python = ">=3.8"\ndynamic = ["dependencies"]\n\n'
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[tool.setuptools.dynamic]\ndependencies = { file = ["requirements.in"] }\n'
    )
    (project / "requirements.in").write_text("alpha>=2\n")
    (project / "src" / "dyn").mkdir(parents=True)
    (project / "src" / "dyn" / "__init__.py").write_text("")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "lock-cache"))
    locked = uv_lock(project, wheelhouse)
    assert locked.returncode == 0, locked.stderr
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "cold-cache"))
    out = run(project, wheelhouse)
    said = out.stdout + out.stderr
    assert out.returncode == 0, said
    assert f"{project / 'uv.lock'} not confirmed against pyproject.toml: uv cannot build the project's metadata" in said
    assert "out of date" not in said
    assert "run `uv lock`" not in said
    assert installed(project / ".venv")["alpha"] == "2.0"
    # the dynamic dependencies change; the lock does not: the check after the install says so
    (project / "requirements.in").write_text("alpha>=2\nzeta\n")
    shutil.rmtree(project / ".venv")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "colder-cache"))
    out = run(project, wheelhouse)
    assert out.returncode != 0
    assert (
        "uv.lock does not satisfy the project: dyn 1.0 requires zeta, but it is not installed; update it with "
        "`uv lock`" in out.stdout + out.stderr
    )


@pytest.mark.parametrize(
    ("said", "needs_a_build"),
    [
        (
            "error: Failed to generate package metadata for `dyn==1.0 @\n       editable+.`\n  cause: Failed to resolve",
            True,
        ),
        ("error: Failed to\n build `dyn @ file:///p`", True),
        ("error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.", False),
        ("error: No solution found when resolving dependencies\n  cause: idna was not found in the cache", False),
    ],
)
def test_what_uv_could_not_build_is_told_apart_from_staleness(said: str, needs_a_build: bool) -> None:
    from virtualenv_ready.sources.uv import _needs_a_build

    assert _needs_a_build(said) is needs_a_build


# Public projects whose files taught these rules, at the commit checked; opt in with -m network (see conftest.py).
TEXTUAL = ("Textualize/textual", "1d99508b928a771b51e1a527319c6b87dcff9e05")
POETRY_WEBSITE = ("python-poetry/website", "39b7d0d465585673da5cd827fa5b2a74c3b04300")
COMFY_CLI = ("Comfy-Org/comfy-cli", "e805d26b599773022e7e9594127acdfdf3017d8f")


def checkout(project: Path, repo: tuple[str, str]) -> Path:
    """The repository's files at the pinned commit, unpacked into the project folder (skip when it cannot be read)."""
    import io
    import tarfile
    import urllib.error
    import urllib.request

    name, commit = repo
    url = f"https://codeload.github.com/{name}/tar.gz/{commit}"
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            data = answer.read()
    except (OSError, urllib.error.URLError) as exc:
        pytest.skip(f"{name} at {commit} cannot be downloaded: {exc}")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = []
        for member in archive.getmembers():
            member.name = member.name.partition("/")[2]
            if member.name:
                members.append(member)
        archive.extractall(project, members=members, filter="data")
    return project


def ready_public(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return virtualenv_cmd("--seeder", "ready", ".venv", "--activators", "", *args, cwd=project)


def uv_pip_check(venv: Path) -> subprocess.CompletedProcess[str]:
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    return subprocess.run([uv(), "pip", "check", "--python", str(python)], capture_output=True, text=True, check=False)


@pytest.mark.network
def test_public_poetry_project_with_an_empty_uv_lock(project: Path) -> None:
    checkout(project, TEXTUAL)
    out = ready_public(project)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{project / 'uv.lock'} not used: it locks no package" in out.stdout + out.stderr
    python = project / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    imported = subprocess.run([str(python), "-c", "import textual.app"], capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr
    assert "pytest" in installed(project / ".venv")  # the dev group, as `poetry install`
    assert uv_pip_check(project / ".venv").returncode == 0


@pytest.mark.network
def test_public_poetry_non_package_project_with_a_project_table(project: Path) -> None:
    checkout(project, POETRY_WEBSITE)
    out = ready_public(project)
    assert out.returncode == 0, out.stdout + out.stderr
    found = installed(project / ".venv")
    assert {"cleo", "httpx", "pyyaml", "pre-commit"} <= set(found)
    assert "website" not in found


@pytest.mark.network
def test_public_stale_pylock_beside_a_uv_lock_is_never_trusted(project: Path) -> None:
    checkout(project, COMFY_CLI)
    out = ready_public(project)
    if out.returncode == 0:  # a choice of the fresh lock: then the env it made must hold together
        assert uv_pip_check(project / ".venv").returncode == 0
    else:
        assert "does not satisfy the project: " in out.stdout + out.stderr, out.stdout + out.stderr


@pytest.mark.network
def test_public_pylock_exported_without_the_extra_asked(project: Path) -> None:
    checkout(project, COMFY_CLI)
    (project / "uv.lock").unlink()  # the pylock alone, as the one lock
    out = ready_public(project, "--ready-extras", "dev")
    assert out.returncode != 0
    assert f"{project / 'pylock.toml'} was exported without extra dev (it has: none)" in out.stdout + out.stderr
