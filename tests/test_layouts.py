"""Real project layouts, as their own tools lay them out: setuptools with setup.cfg, Poetry 1.x with groups, a uv
project with default-groups, dev-dependencies and a uv.lock written by the real uv; each with uv and with pip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import bin_path, installed, offline, offline_env, ready_cli, virtualenv_cmd
from virtualenv_ready.errors import ReadyError
from wheels import simple_index, write_project

INSTALLERS = pytest.mark.parametrize("installer", ["uv", "pip"])


def record(venv: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((venv / "virtualenv-ready.json").read_text())


def imported_from(venv: Path, module: str) -> Path:
    out = subprocess.run(
        [str(bin_path(venv, "python")), "-c", f"import {module}; print({module}.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def setuptools_project(root: Path, pyproject: bool) -> Path:
    """setup.cfg holds the metadata, setup.py is the usual shim; optionally a pyproject.toml with [build-system] only."""
    (root / "setup.cfg").write_text(
        "[metadata]\nname = legacyapp\nversion = 1.0\n\n"
        "[options]\npackage_dir =\n    = src\npackages = find:\npython_requires = >=3.8\ninstall_requires =\n    alpha<2\n\n"
        "[options.packages.find]\nwhere = src\n\n[options.extras_require]\nfast = zeta\n"
    )
    (root / "setup.py").write_text("from setuptools import setup\n\nsetup()\n")
    (root / "src" / "legacyapp").mkdir(parents=True)
    (root / "src" / "legacyapp" / "__init__.py").write_text("VERSION = '1.0'\n")
    if pyproject:
        (root / "pyproject.toml").write_text(
            '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
            "[tool.black]\nline-length = 100\n"
        )
    return root


POETRY = """\
[tool.poetry]
name = "poetryapp"
version = "0.1.0"
description = "A Poetry 1.x project"
authors = ["Someone <someone@example.invalid>"]
packages = [{ include = "poetryapp", from = "src" }]

[tool.poetry.dependencies]
python = "^3.8"
alpha = "^1.0"
beta = { version = "*", optional = true }

[tool.poetry.extras]
b = ["beta"]

[tool.poetry.dev-dependencies]
delta = "*"

[tool.poetry.group.test.dependencies]
epsilon = { version = "~1.0", python = ">=3.8" }
zeta = [{ version = ">=1.0", markers = "sys_platform != 'nonexistent'" }]
needs-new-alpha = { version = "1.0", platform = "nonexistent" }

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
gamma = "^1.0"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def poetry_project(root: Path, text: str = POETRY) -> Path:
    (root / "pyproject.toml").write_text(text)
    (root / "src" / "poetryapp").mkdir(parents=True)
    (root / "src" / "poetryapp" / "__init__.py").write_text("VERSION = '0.1.0'\n")
    return root


UV_PROJECT = """\
[project]
name = "uvapp"
version = "1.0"
requires-python = ">=3.8"
dependencies = ["beta"]

[dependency-groups]
dev = ["delta"]
test = ["epsilon"]
typing = ["needs-old-alpha"]

[tool.uv]
default-groups = ["dev", "test"]
dev-dependencies = ["zeta"]
"""


def uv_lock(project: Path, wheelhouse: Path) -> Path:
    """Lock with the real uv against an index of the test wheels, so the lock records their hashes."""
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    index = simple_index(wheelhouse.parent / "simple", sorted(wheelhouse.glob("*.whl")))
    subprocess.run(
        [uv.argv[0], "lock", "--offline", "--index-url", index.as_uri(), "--python", sys.executable],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return project / "uv.lock"


def uv_project(root: Path, wheelhouse: Path, extra: str = "") -> Path:
    # the typing group needs alpha<2 and a lock is solved for every group: the lock holds alpha 1.0, while
    # resolving the default groups alone picks alpha 2.0
    (root / "pyproject.toml").write_text(UV_PROJECT + extra)
    return uv_lock(root, wheelhouse)


@INSTALLERS
@pytest.mark.parametrize("pyproject", [False, True], ids=["setup.cfg", "build-system"])
def test_setuptools_project_is_installed_editable(project: Path, ready, installer: str, pyproject: bool) -> None:  # type: ignore[no-untyped-def]
    setuptools_project(project, pyproject)
    venv = ready(installer=installer)
    found = installed(venv)
    assert found["legacyapp"] == "1.0"
    assert found["alpha"] == "1.0"
    assert imported_from(venv, "legacyapp") == project / "src" / "legacyapp" / "__init__.py"
    assert record(venv)["summary"] == ("pyproject.toml" if pyproject else "setup.py")


def test_setuptools_project_with_a_dev_requirements_file(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    setuptools_project(project, pyproject=False)
    (project / "requirements-dev.txt").write_text("delta\n")
    venv = ready("--ready-requirement", "requirements-dev.txt", "--ready-extras", "fast")
    assert {"legacyapp", "alpha", "delta", "zeta"} <= set(installed(venv))
    assert record(venv)["summary"] == "requirements-dev.txt + setup.py [fast]"


@INSTALLERS
def test_poetry_project_with_groups(project: Path, ready, installer: str) -> None:  # type: ignore[no-untyped-def]
    poetry_project(project)
    venv = ready(installer=installer)
    found = installed(venv)
    # the project through poetry-core (its ^1.0 keeps alpha below 2), dev-dependencies as group dev, every
    # non-optional group; markers and platform keep needs-new-alpha out, the optional docs group stays out
    assert found["poetryapp"] == "0.1.0"
    assert found["alpha"] == "1.0"
    assert {"delta", "epsilon", "zeta"} <= set(found)
    assert not {"gamma", "beta", "needs-new-alpha"} & set(found)
    assert imported_from(venv, "poetryapp") == project / "src" / "poetryapp" / "__init__.py"
    assert record(venv)["summary"] == "pyproject.toml (poetry) [dev, test]"


def test_poetry_groups_are_named_like_pep735_groups(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    poetry_project(project)
    venv = ready("--ready-groups", "docs", "--ready-extras", "b")
    found = installed(venv)
    assert {"poetryapp", "gamma", "beta", "alpha"} <= set(found)
    assert not {"delta", "epsilon"} & set(found)
    assert record(venv)["summary"] == "pyproject.toml (poetry) [b] [docs]"


def test_poetry_non_package_mode_installs_the_dependencies(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    text = POETRY.replace('packages = [{ include = "poetryapp", from = "src" }]', "package-mode = false")
    poetry_project(project, text)
    found = installed(ready("--ready-groups", ""))
    assert "poetryapp" not in found
    assert found["alpha"] == "1.0"


def test_poetry_groups_next_to_a_project_table(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", extra_toml='\n[tool.poetry.group.dev.dependencies]\ndelta = ">=1"\n')
    venv = ready()
    assert {"app", "delta"} <= set(installed(venv))
    assert record(venv)["summary"] == "pyproject.toml [dev]"


def test_poetry_lock_is_named_not_used(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    poetry_project(project)
    (project / "poetry.lock").write_text("# a Poetry lock\n")
    ready("--ready-groups", "")
    assert "poetry.lock is not used" in caplog.text
    assert "`poetry lock`" in caplog.text  # read natively now: an unreadable lock counts as out of date


@INSTALLERS
def test_uv_project_installs_its_lock(project: Path, ready, wheelhouse: Path, installer: str) -> None:  # type: ignore[no-untyped-def]
    lock = uv_project(project, wheelhouse)
    before = lock.read_bytes()
    venv = ready(installer=installer)
    found = installed(venv)
    # locked versions (alpha 1.0), default-groups dev and test, dev-dependencies in dev, no typing group;
    # the project has no [build-system]: uv treats it as virtual, so it is not installed and no egg-info appears
    assert found["alpha"] == "1.0"
    assert {"beta", "delta", "epsilon", "zeta"} <= set(found)
    assert not {"needs-old-alpha", "uvapp"} & set(found)
    assert not list(project.glob("*.egg-info"))
    assert lock.read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == [".git", "pyproject.toml", "uv.lock"]
    assert record(venv)["summary"] == "uv.lock [dev, test]"
    assert str(lock) in record(venv)["inputs"]


def test_uv_lock_hashes_are_checked(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    lock = uv_project(project, wheelhouse)
    text = lock.read_text()
    start = text.index('name = "delta"')
    digest = text.index("sha256:", start) + len("sha256:")
    lock.write_text(text[:digest] + "0" * 64 + text[digest + 64 :])
    with pytest.raises(ReadyError, match="failed"):
        ready(installer="pip")
    assert record(project.parent / "venv")["status"] == "incomplete"


def test_uv_groups_and_no_lock(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    uv_project(project, wheelhouse)
    venv = ready("--ready-no-lock", "--ready-groups", "dev")
    found = installed(venv)
    # resolved from pyproject.toml: the newest alpha; group dev is [dependency-groups] dev plus dev-dependencies
    assert found["alpha"] == "2.0"
    assert {"beta", "delta", "zeta"} <= set(found)
    assert "epsilon" not in found
    assert record(venv)["summary"] == "pyproject.toml (virtual) [dev]"


def test_uv_dev_dependencies_alone_make_group_dev(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", extra_toml='\n[tool.uv]\ndev-dependencies = ["delta"]\npackage = true\n')
    venv = ready("--ready-groups", "dev")
    assert {"app", "delta"} <= set(installed(venv))


@INSTALLERS
def test_stale_uv_lock_is_not_used(project: Path, ready, wheelhouse: Path, caplog, installer: str) -> None:  # type: ignore[no-untyped-def]
    lock = uv_project(project, wheelhouse)
    before = lock.read_bytes()
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('dependencies = ["beta"]', 'dependencies = ["beta", "gamma"]'))
    venv = ready(installer=installer)
    assert "out of date with pyproject.toml" in caplog.text
    assert "`uv lock`" in caplog.text
    found = installed(venv)
    assert found["alpha"] == "2.0"
    assert "gamma" in found
    assert lock.read_bytes() == before
    assert record(venv)["summary"] == "pyproject.toml (virtual) [dev, test]"


@INSTALLERS
def test_uv_project_with_build_system_installs_itself_from_the_lock(
    project: Path, ready, wheelhouse: Path, installer: str
) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", dependencies=["beta"], groups={"dev": ["delta"], "typing": ["needs-old-alpha"]})
    uv_lock(project, wheelhouse)
    venv = ready(installer=installer)
    found = installed(venv)
    assert found["alpha"] == "1.0"
    assert {"app", "beta", "delta"} <= set(found)
    assert record(venv)["summary"] == "pyproject.toml + uv.lock [dev]"


def test_dry_run_names_every_default(project: Path, wheelhouse: Path) -> None:
    uv_project(project, wheelhouse)
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), "--ready-dry-run", cwd=project)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert "would install uv.lock [dev, test]" in text
    assert "--hash=sha256:" in text


def test_pip_says_which_uv_settings_it_does_not_apply(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    extra = (
        '\n[tool.uv]\nexclude-newer = "2030-01-01T00:00:00Z"\n\n[tool.uv.sources]\nalpha = { path = "wheels/alpha" }\n'
    )
    write_project(project, "app", dependencies=["delta"], extra_toml=extra)
    ready(installer="pip")
    assert "pip does not apply the uv settings exclude-newer, sources (alpha)" in caplog.text


def test_sync_installs_the_lock_once_it_is_renewed(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    lock = uv_project(project, wheelhouse)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('dependencies = ["beta"]', 'dependencies = ["beta", "delta"]'))
    venv = ready()
    assert installed(venv)["alpha"] == "2.0"  # the stale lock was not used
    uv_lock(project, wheelhouse)
    check = ready_cli("sync", str(venv), "--check", env=offline_env(wheelhouse))
    assert check.returncode == 1
    assert f"changed {lock}" in check.stdout + check.stderr
    out = ready_cli("sync", str(venv), env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stderr
    assert installed(venv)["alpha"] == "1.0"
    assert record(venv)["summary"] == "uv.lock [dev, test]"


@INSTALLERS
def test_uv_package_false_installs_dependencies_not_the_project(project: Path, ready, installer: str) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", dependencies=["beta"], extra_toml="\n[tool.uv]\npackage = false\n")
    venv = ready(installer=installer)
    found = installed(venv)
    assert {"beta", "alpha"} <= set(found)
    assert "app" not in found
    assert record(venv)["summary"] == "pyproject.toml (virtual)"


def test_uv_names_the_settings_it_applies_at_verbose(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.INFO, logger="virtualenv_ready")
    write_project(project, "app", extra_toml='\n[tool.uv]\nexclude-newer = "2030-01-01T00:00:00Z"\n')
    assert "app" in installed(ready())
    assert f"uv applies these settings of {project / 'pyproject.toml'} [tool.uv]: exclude-newer" in caplog.text
    assert "does not apply" not in caplog.text
