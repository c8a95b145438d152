"""poetry.lock and pdm.lock, written by the real tools (tests/fixtures), installed exactly with uv and with pip.

Each fixture holds what `poetry install` / `pdm install` put in an env (installed.txt, captured once): the env
made here must hold the same packages at the same versions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import installed, offline, virtualenv_cmd
from lockfixtures import FIXTURES, build_wheels
from wheels import write_project

INSTALLERS = pytest.mark.parametrize("installer", ["uv", "pip"])


@pytest.fixture(scope="session")
def lock_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheels the fixture locks were made from, byte for byte."""
    folder = tmp_path_factory.mktemp("lock-wheels")
    build_wheels(folder)
    return folder


def fixture_project(project: Path, name: str) -> Path:
    """A copy of one fixture project as the test's project."""
    shutil.copytree(FIXTURES / name, project, dirs_exist_ok=True)
    (project / "installed.txt").unlink(missing_ok=True)
    return project


def captured(name: str) -> dict[str, str]:
    """What the tool's own install put in an env, as name -> version."""
    text = (FIXTURES / name / "installed.txt").read_text()
    rows = [line.split("==") for line in text.splitlines() if line and not line.startswith("#")]
    return {row[0]: row[1] for row in rows}


def ours(venv: Path) -> dict[str, str]:
    """The fixture's packages in an env made here (the seed and build tools left out)."""
    return {name.lower(): v for name, v in installed(venv).items() if name.lower().startswith(("lk-", "lockapp"))}


@INSTALLERS
@pytest.mark.parametrize("name", ["poetry12", "poetry18", "poetry2", "poetry2-nopackage", "pdm", "pdm-cross"])
def test_lock_installs_what_the_tool_installs(  # type: ignore[no-untyped-def]
    project: Path, ready, lock_wheels: Path, name: str, installer: str, caplog: pytest.LogCaptureFixture
) -> None:
    fixture_project(project, name)
    venv = ready("--ready-find-links", str(lock_wheels), installer=installer)
    assert ours(venv) == captured(name)
    assert "out of date" not in caplog.text


@pytest.mark.parametrize(
    ("name", "groups", "wanted", "unwanted"),
    [
        ("poetry18", "docs", {"lk-theta"}, {"lk-epsilon", "lk-delta"}),
        ("poetry2", "dev,docs", {"lk-theta", "lk-epsilon"}, set()),
        ("pdm", "dev", {"lk-epsilon"}, {"lk-theta"}),
    ],
)
def test_groups_override_the_tools_default(  # type: ignore[no-untyped-def]
    project: Path, ready, lock_wheels: Path, name: str, groups: str, wanted: set[str], unwanted: set[str]
) -> None:
    fixture_project(project, name)
    found = ours(ready("--ready-find-links", str(lock_wheels), "--ready-groups", groups))
    assert wanted <= set(found)
    assert not unwanted & set(found)
    assert found["lk-alpha"] == "1.0"  # the locked version, not the newest


def test_optional_poetry_group_left_out_is_named(  # type: ignore[no-untyped-def]
    project: Path, ready, lock_wheels: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fixture_project(project, "poetry18")
    ready("--ready-find-links", str(lock_wheels))
    assert "left out poetry groups: docs" in caplog.text


def test_static_urls_lock_installs_from_the_index_by_hash(project: Path, ready, lock_wheels: Path) -> None:  # type: ignore[no-untyped-def]
    fixture_project(project, "pdm-static")
    assert ours(ready("--ready-find-links", str(lock_wheels))) == captured("pdm")


@INSTALLERS
@pytest.mark.parametrize("name", ["poetry18", "pdm"])
def test_a_tampered_hash_fails(project: Path, wheelhouse: Path, lock_wheels: Path, name: str, installer: str) -> None:
    fixture_project(project, name)
    lock = project / ("poetry.lock" if name.startswith("poetry") else "pdm.lock")
    text = lock.read_text()
    digest = text.split("lk_alpha-1.0-py3-none-any.whl")[1].split("sha256:")[1][:64]
    lock.write_text(text.replace(digest, "0" * 64))
    argv = ["--seeder", "ready", ".venv", *offline(wheelhouse), "--ready-find-links", str(lock_wheels)]
    out = virtualenv_cmd(*argv, "--ready-installer", installer, cwd=project)
    assert out.returncode != 0
    assert "hash" in (out.stdout + out.stderr).lower()
    assert "out of date" not in out.stdout + out.stderr  # the lock was used, its file hash refused


@pytest.mark.parametrize(("name", "fix"), [("poetry2", "`poetry lock`"), ("pdm", "`pdm lock`")])
def test_a_stale_lock_is_named_and_pyproject_resolves(  # type: ignore[no-untyped-def]
    project: Path, ready, lock_wheels: Path, name: str, fix: str, caplog: pytest.LogCaptureFixture
) -> None:
    fixture_project(project, name)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"lk-alpha<2",', '"lk-alpha",'))
    found = ours(ready("--ready-find-links", str(lock_wheels)))
    assert "out of date with pyproject.toml" in caplog.text
    assert fix in caplog.text
    assert found["lk-alpha"] == "2.0"  # resolved, not locked


def test_a_lock_for_another_platform_fails_naming_it(project: Path, wheelhouse: Path, lock_wheels: Path) -> None:
    fixture_project(project, "pdm-windows")
    argv = ["--seeder", "ready", ".venv", *offline(wheelhouse), "--ready-find-links", str(lock_wheels)]
    out = virtualenv_cmd(*argv, cwd=project)
    assert out.returncode != 0
    assert "pdm.lock: locked only for windows_amd64" in out.stdout + out.stderr


def test_a_corrupt_lock_fails_naming_it(project: Path, wheelhouse: Path) -> None:
    fixture_project(project, "poetry18")
    (project / "poetry.lock").write_text("[[package]\nname = 1\n")
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert out.returncode != 0
    assert "poetry.lock" in out.stdout + out.stderr


def test_the_current_lock_wins_and_the_choice_is_said(  # type: ignore[no-untyped-def]
    project: Path, ready, lock_wheels: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fixture_project(project, "poetry2")
    shutil.copy(FIXTURES / "pdm" / "pdm.lock", project / "pdm.lock")  # another project's lock: out of date here
    found = ours(ready("--ready-find-links", str(lock_wheels)))
    assert found == captured("poetry2")
    assert "installing from" in caplog.text
    assert "poetry.lock (the project's own tool's lock" in caplog.text


def test_a_pylock_that_no_longer_matches_is_passed_over(  # type: ignore[no-untyped-def]
    project: Path, ready, lock_wheels: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fixture_project(project, "poetry2")
    wheel = "lk_alpha-2.0-py3-none-any.whl"
    (project / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "tests"\n\n[[packages]]\nname = "lk-alpha"\nversion = "2.0"\n'
        f'wheels = [{{ name = "{wheel}", hashes = {{ sha256 = "{"0" * 64}" }} }}]\n'
    )
    found = ours(ready("--ready-find-links", str(lock_wheels)))
    assert found == captured("poetry2")
    assert "pylock.toml is not used: it has no package lk-beta" in caplog.text
    assert "installing from" in caplog.text


def test_what_is_left_out_is_named_in_one_line(  # type: ignore[no-untyped-def]
    project: Path, ready, caplog: pytest.LogCaptureFixture
) -> None:
    write_project(project, "app", groups={"dev": ["delta"], "docs": ["zeta"]})
    (project / "requirements.txt").write_text("alpha\n")
    (project / "requirements-dev.txt").write_text("gamma\n")
    found = installed(ready())
    assert "delta" in found
    assert "zeta" not in found
    assert "gamma" not in found
    assert "left out dependency groups: docs (add them with --ready-groups)" in caplog.text
    assert "left out requirements-dev.txt beside requirements.txt" in caplog.text
