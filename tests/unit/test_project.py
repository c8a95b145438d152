"""Project discovery walks up like git's own: it stops at the checkout's root and never enters a folder another user
owns or anyone may write to. Folders are made here with the modes and owners that matter; nothing is installed."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from virtualenv_ready.project import discover, find_project, locate, nowhere, unsafe

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and owners")


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def planted(folder: Path) -> Path:
    """A project someone else left in ``folder``: a pyproject.toml whose setup.py would run."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text('[project]\nname = "planted"\nversion = "1"\n')
    (folder / "setup.py").write_text("open('marker', 'w')\n")
    return folder


def test_a_project_above_is_found_and_named_relative(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    proj = planted(tmp_path / "proj")
    deep = proj / "src" / "pkg"
    deep.mkdir(parents=True)
    with caplog.at_level(logging.INFO, logger="virtualenv_ready"):
        found, why = discover(deep)
    assert (found, why) == (proj, f"nearest parent with pyproject.toml of {deep}")
    assert [r.getMessage() for r in caplog.records] == ["virtualenv-ready: project: ../.. (pyproject.toml)"]
    assert caplog.records[0].levelno == logging.WARNING  # shown at virtualenv's default verbosity


def test_the_current_directory_is_not_announced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    proj = planted(tmp_path / "proj")
    with caplog.at_level(logging.INFO, logger="virtualenv_ready"):
        assert discover(proj) == (proj, "current directory")
    assert caplog.records == []


@pytest.mark.parametrize("marker", [".git", ".git-file", ".hg", ".svn"])
def test_the_walk_stops_at_the_checkout_root(tmp_path: Path, marker: str) -> None:
    planted(tmp_path / "outer")
    repo = tmp_path / "outer" / "repo"
    repo.mkdir()
    if marker == ".git-file":  # a worktree or submodule: .git is a file
        (repo / ".git").write_text("gitdir: elsewhere\n")
    else:
        (repo / marker).mkdir()
    work = repo / "sub"
    work.mkdir()
    assert find_project(work) == (work, "current directory")
    assert find_project(repo) == (repo, "current directory")


@POSIX_ONLY
@pytest.mark.parametrize("mode", [0o1777, 0o777], ids=["sticky", "plain"])
def test_a_world_writable_parent_is_never_entered(tmp_path: Path, mode: int, caplog: pytest.LogCaptureFixture) -> None:
    shared = planted(tmp_path / "shared")
    shared.chmod(mode)
    job = shared / "job1"
    job.mkdir(mode=0o755)
    job.chmod(0o755)
    with caplog.at_level(logging.INFO, logger="virtualenv_ready"):
        assert discover(job) == (job, "current directory")
    sticky = "sticky, " if mode & 0o1000 else ""
    expected = f"no project looked for in {shared} or above: it is writable by every user ({sticky}mode {mode:o})"
    assert [r.getMessage() for r in caplog.records] == [f"virtualenv-ready: {expected}"]
    assert caplog.records[0].levelno == logging.INFO  # said at -v


def _as_root_or_skip() -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run this as root: another user's folder is made with os.chown")
    pytest.skip("another user's folder needs root (os.chown to a different uid)")


@POSIX_ONLY
def test_another_users_parent_is_never_entered(tmp_path: Path) -> None:
    _as_root_or_skip()
    theirs = planted(tmp_path / "theirs")
    theirs.chmod(0o755)
    os.chown(theirs, 4242, 4242)
    mine = theirs / "mine"
    mine.mkdir()
    assert unsafe(theirs) == "it is owned by another user (uid 4242)"
    assert unsafe(mine) is None
    found, why, refused = locate(mine)
    assert (found, why) == (mine, "current directory")
    assert refused == f"no project looked for in {theirs} or above: it is owned by another user (uid 4242)"


@POSIX_ONLY
def test_an_unsafe_working_directory_is_no_project(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    shared = planted(tmp_path / "shared")
    shared.chmod(0o1777)
    with caplog.at_level(logging.INFO, logger="virtualenv_ready"):
        found, why = discover(shared)
    assert found == nowhere() == tmp_path / "data" / "virtualenv-ready" / "no-project"
    assert list(found.iterdir()) == []  # nothing of the shared folder is read
    assert why == f"no project: {shared} is not taken as one"
    assert "it is writable by every user (sticky, mode 1777)" in caplog.text


@POSIX_ONLY
def test_own_folders_are_safe(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o755)
    assert unsafe(folder) is None
    folder.chmod(0o775)  # group-writable is the user's choice, as for git
    assert unsafe(folder) is None


def test_without_owners_only_the_vcs_stop_guards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no os.getuid and made-up modes: the owner and mode checks step aside, the VCS stop stays."""
    shared = planted(tmp_path / "shared")
    shared.chmod(0o777)
    monkeypatch.delattr(os, "getuid", raising=False)
    assert unsafe(shared) is None
    (shared / "job1").mkdir()
    assert find_project(shared / "job1")[0] == shared
    (shared / "job1" / ".git").mkdir()
    assert find_project(shared / "job1")[0] == shared / "job1"
