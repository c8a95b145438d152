"""Consent's fingerprint: the project's files as its VCS sees them (else a bounded walk), the archives the plan
names, and what a changed answer says. Only files are made here; nothing is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from virtualenv_ready import tree, trust
from virtualenv_ready.lines import flattened
from virtualenv_ready.model import IndexOptions, InstallPlan, Source


def files(folder: Path, names: dict[str, str]) -> None:
    for name, text in names.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def plan_of(project: Path, *sources: Source) -> InstallPlan:
    return InstallPlan(project, sources, IndexOptions(), "auto")


def test_the_walk_lists_what_a_build_reads_and_skips_envs(tmp_path: Path) -> None:
    files(tmp_path, {"setup.py": "import helper", "helper.py": "", "pkg/mod.py": "", "uv.toml": ""})
    files(tmp_path, {".venv/pyvenv.cfg": "", ".venv/lib/x.py": "", "env2/pyvenv.cfg": "", "env2/bin/python": ""})
    files(tmp_path, {".tox/py/x": "", ".nox/x": "", "node_modules/x.js": "", "pkg/__pycache__/mod.pyc": ""})
    files(tmp_path, {".git/config": "", "pkg.egg-info/PKG-INFO": ""})
    listed, complete = tree.walk(tmp_path)
    assert listed == ["helper.py", "setup.py", "uv.toml", "pkg/mod.py"]
    assert complete


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_links_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    files(outside, {"secret.txt": "x"})
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "dir-link").symlink_to(outside)
    (proj / "file-link").symlink_to(outside / "secret.txt")
    snap = tree.snapshot(proj)
    assert set(snap.files) == {"dir-link", "file-link"}
    assert snap.files["file-link"].startswith("link ")
    (proj / "file-link").unlink()
    (proj / "file-link").symlink_to(outside / "other.txt")
    assert tree.snapshot(proj).files["file-link"] != snap.files["file-link"]


def test_caps_bound_the_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files(tmp_path, {f"f{i}.py": str(i) for i in range(5)})
    monkeypatch.setattr(tree, "MAX_FILES", 3)
    listed, complete = tree.walk(tmp_path)
    assert (len(listed), complete) == (3, False)
    monkeypatch.setattr(tree, "BIG_FILE", 1)
    files(tmp_path, {"big.bin": "12345"})
    assert tree.file_hash(tmp_path / "big.bin", tree.Tree()).startswith("size 5 modified ")
    assert tree.file_hash(tmp_path / "f1.py", tree.Tree()) != tree.file_hash(tmp_path / "f2.py", tree.Tree())


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_lists_tracked_and_untracked_files_not_ignored(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    files(repo, {".gitignore": "dist/\n*.log\n", "setup.py": "", "tracked/mod.py": "", "dist/x.whl": "", "a.log": ""})
    subprocess.run(["git", "-C", str(repo), "add", "setup.py", "tracked/mod.py"], check=True, env=env)
    files(repo, {"backend/build.py": "", "unignored-env/pyvenv.cfg": "", "unignored-env/lib/x.py": ""})
    assert tree.git_files(repo) == [
        ".gitignore",
        "backend/build.py",
        "setup.py",
        "tracked/mod.py",
        "unignored-env/lib/x.py",
        "unignored-env/pyvenv.cfg",
    ]
    snap = tree.snapshot(repo)
    assert snap.listed_by == "git"
    assert set(snap.files) == {".gitignore", "backend/build.py", "setup.py", "tracked/mod.py"}
    assert tree.git_files(repo / "tracked") == ["mod.py"]  # a project in a monorepo: its own folder


def test_the_fingerprint_names_what_changed(tmp_path: Path) -> None:
    files(tmp_path, {"requirements.txt": "alpha\n", "setup.py": "import helper", "helper.py": "x = 1"})
    source = Source(
        "requirements.txt", requirement_files=(tmp_path / "requirements.txt",), inputs=(tmp_path / "requirements.txt",)
    )
    plan = plan_of(tmp_path, source)
    before = trust.inputs(plan)
    assert set(before.files) == {"requirements.txt", "setup.py", "helper.py"}
    assert trust.inputs(plan).digest == before.digest
    files(tmp_path, {"helper.py": "x = 2", "uv.toml": "", "backend/b.py": ""})
    (tmp_path / "setup.py").unlink()
    after = trust.inputs(plan)
    assert after.digest != before.digest
    assert str(trust.changes(before.files, after.files)) == (
        "1 file changed (helper.py); 2 files added (backend/b.py, uv.toml); 1 file removed (setup.py)"
    )


def test_many_changes_are_counted_and_a_few_named() -> None:
    after = {f"m{i}.py": "1" for i in range(5)}
    assert str(trust.changes({}, after)) == "5 files added (m0.py, m1.py, m2.py, and 2 more)"
    assert str(trust.changes(after, after)) == "no file changed"


def test_archives_the_plan_names_are_covered_even_when_ignored_or_outside(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    files(
        proj,
        {"wheels/alpha-1.0-py3-none-any.whl": "v1", "sub/requirements.txt": "../wheels/alpha-1.0-py3-none-any.whl\n"},
    )
    files(tmp_path, {"lib/setup.py": "", "lib/lib.py": "", "beta-1.0.tar.gz": "b"})
    # a plugin's requirement file is read into lines when the plan is made, as make_plan does
    source = flattened(
        Source(
            "requirements.txt",
            lines=("zeta>=1", f"beta @ file://{tmp_path / 'beta-1.0.tar.gz'}"),
            requirement_files=(proj / "sub" / "requirements.txt",),
            editables=(f"{tmp_path / 'lib'}[dev]", f"{proj}"),
        )
    )
    plan = plan_of(proj, source)
    assert sorted(trust.named_paths(plan)) == sorted(
        [
            tmp_path / "beta-1.0.tar.gz",
            tmp_path / "lib",
            proj,
            proj / "wheels" / "alpha-1.0-py3-none-any.whl",
        ]
    )
    found = trust.inputs(plan).files
    assert {"../beta-1.0.tar.gz", "../lib/lib.py", "../lib/setup.py", "wheels/alpha-1.0-py3-none-any.whl"} <= set(found)
    old = found["wheels/alpha-1.0-py3-none-any.whl"]
    files(proj, {"wheels/alpha-1.0-py3-none-any.whl": "another wheel, same name"})
    assert trust.inputs(plan).files["wheels/alpha-1.0-py3-none-any.whl"] != old
    assert trust.packages(plan) == ["zeta", "beta", "alpha", "lib", "proj"]


def test_answers_remembered_and_the_previous_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(trust.STORE_ENV, str(tmp_path / "trust.json"))
    proj = tmp_path / "proj"
    now = trust.Inputs({"setup.py": "1"})
    assert trust.was(trust.previous(proj), now) == "was not trusted"
    trust.remember(proj, now, trusted=False)
    answer = trust.previous(proj)
    assert answer is not None
    assert trust.was(answer, now).startswith("was refused for these inputs (on ")
    assert trust.lookup(proj, now.digest) is False
    later = trust.Inputs({"setup.py": "2"})
    assert trust.was(answer, later).startswith("was refused for other inputs")
    assert trust.since(answer, later) == f"since you said no on {trust.when(answer)}: 1 file changed (setup.py)"
    trust.remember(proj, later, trusted=True)
    assert trust.forget(proj) is not None
    assert trust.forget(proj) is None


def test_an_older_store_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first format kept a hash of the plan's input files only: still read, never a match, and said so."""
    store = tmp_path / "trust.json"
    monkeypatch.setenv(trust.STORE_ENV, str(store))
    proj = tmp_path / "proj"
    store.write_text(
        json.dumps({str(proj): {"inputs": "ab" * 32, "trusted": True, "when": "2024-05-01T14:02:09+00:00"}})
    )
    answer = trust.previous(proj)
    assert answer == trust.Answer(True, "2024-05-01T14:02:09+00:00", "ab" * 32, None)
    now = trust.Inputs({"setup.py": "1"})
    assert trust.was(answer, now) == "was trusted for other inputs (on 2024-05-01 14:02 UTC)"
    assert "an earlier release, which covered only the requirement files" in str(trust.since(answer, now))
    trust.remember(tmp_path / "other", now, trusted=True)
    assert trust.previous(proj) == answer  # other entries stay as they were
