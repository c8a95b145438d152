"""The key of a kept `uv export` answer, which files go into it, and how entries are read back (no uv is run)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from virtualenv_ready.sources import exportcache
from virtualenv_ready.sources.exportcache import digests, export_key, input_files, load, store

BASE = {
    "argv": ["/bin/uv", "export", "--locked", "--group", "dev"],
    "tool": ["0.9.0", "100", "5", "7"],
    "cwd": "/p",
    "files": {"/p/uv.lock": "aa", "/p/pyproject.toml": "bb", "/p/uv.toml": None},
    "interpreter": ["/usr/bin/python3", "3.12.1"],
    "env": {"UV_INDEX_URL": "https://example.invalid/simple", "HOME": "/home/u"},
}


def _key(**changed: object) -> str:
    given = {**BASE, **changed}
    return export_key(
        given["argv"],  # type: ignore[arg-type]
        given["tool"],  # type: ignore[arg-type]
        Path(str(given["cwd"])),
        given["files"],  # type: ignore[arg-type]
        given["interpreter"],  # type: ignore[arg-type]
        given["env"],  # type: ignore[arg-type]
    )


def test_the_key_is_stable() -> None:
    assert _key() == _key()
    assert len(_key()) == 64


@pytest.mark.parametrize(
    "changed",
    [
        {"argv": ["/bin/uv", "export", "--locked", "--group", "docs"]},
        {"argv": ["/other/uv", "export", "--locked", "--group", "dev"]},
        {"tool": ["0.9.1", "100", "5", "7"]},
        {"tool": ["0.9.0", "101", "5", "7"]},
        {"cwd": "/q"},
        {"files": {**BASE["files"], "/p/uv.lock": "ab"}},  # type: ignore[dict-item]
        {"files": {**BASE["files"], "/p/uv.toml": "cc"}},  # type: ignore[dict-item]
        {"files": {**BASE["files"], "/p/m/pyproject.toml": None}},  # type: ignore[dict-item]
        {"interpreter": ["/usr/bin/python3", "3.12.2"]},
        {"env": {**BASE["env"], "UV_INDEX_URL": "https://other.invalid/simple"}},  # type: ignore[dict-item]
        {"env": {**BASE["env"], "UV_PRERELEASE": "allow"}},  # type: ignore[dict-item]
    ],
    ids=lambda changed: next(iter(changed)),
)
def test_every_input_changes_the_key(changed: dict[str, object]) -> None:
    assert _key(**changed) != _key()


def test_variables_that_are_not_uvs_or_a_fresh_project_env_leave_the_key() -> None:
    env = {**BASE["env"], "HOME": "/elsewhere", "UV_PROJECT_ENVIRONMENT": "/tmp/xyz/no-env"}  # type: ignore[dict-item]
    assert _key(env=env) == _key()


LOCK = """\
version = 1
[[package]]
name = "app"
version = "1.0"
source = { editable = "." }
[[package]]
name = "lib"
version = "1.0"
source = { editable = "packages/lib" }
[[package]]
name = "beta"
version = "1.0"
source = { registry = "https://example.invalid/simple" }
"""
STATIC = '[project]\nname = "{name}"\nversion = "1.0"\n'


def _inputs(project: Path) -> list[Path] | None:
    """The inputs as a creation finds them: the lock's local folders from its facts, then the files."""
    from virtualenv_ready.files import load_toml
    from virtualenv_ready.sources.lockfacts import local_folders

    return input_files(project, local_folders(load_toml(project / "uv.lock")))


def _project(root: Path, extra: str = "", lock: str = LOCK) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text(STATIC.format(name="app") + extra)
    (root / "uv.lock").write_text(lock)
    (root / "packages" / "lib").mkdir(parents=True)
    (root / "packages" / "lib" / "pyproject.toml").write_text(STATIC.format(name="lib"))
    return root


def test_the_inputs_are_the_lock_settings_and_every_local_pyproject(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", '[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    (project / "packages" / "README").write_text("")
    found = _inputs(project)
    assert found is not None
    for name in (
        "uv.lock",
        "uv.toml",
        "pyproject.toml",
        "packages/lib/pyproject.toml",
        "packages/README/pyproject.toml",
    ):
        assert project / name in found
    assert tmp_path / "pyproject.toml" in found  # where uv looks for a workspace above the project
    assert len(found) == len(set(found))


def test_a_member_folder_that_appears_changes_the_digests(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", '[tool.uv.workspace]\nmembers = ["more/*"]\n')
    before = digests(_inputs(project) or [])
    (project / "more" / "new").mkdir(parents=True)
    (project / "more" / "new" / "pyproject.toml").write_text(STATIC.format(name="new"))
    after = digests(_inputs(project) or [])
    assert before is not None
    assert after is not None
    assert before != after


@pytest.mark.parametrize(
    ("extra", "member"),
    [
        pytest.param("", '[project]\nname = "lib"\ndynamic = ["version"]\n', id="dynamic-member"),
        pytest.param("", '[build-system]\nrequires = ["setuptools"]\n', id="no-project-table"),
        pytest.param('[tool.uv.workspace]\nmembers = ["*/lib"]\n', None, id="glob-not-last"),
        pytest.param('[tool.uv.workspace]\nmembers = ["../*"]\n', None, id="outside"),
    ],
)
def test_what_files_alone_do_not_decide_is_not_cached(tmp_path: Path, extra: str, member: str | None) -> None:
    project = _project(tmp_path / "p", extra)
    if member is not None:
        (project / "packages" / "lib" / "pyproject.toml").write_text(member)
    assert _inputs(project) is None


def test_a_path_dependency_folder_is_an_input_and_must_be_static(tmp_path: Path) -> None:
    lock = LOCK + '[[package]]\nname = "near"\nversion = "1.0"\nsource = { directory = "../near" }\n'
    project = _project(tmp_path / "p", lock=lock)
    (tmp_path / "near").mkdir()
    (tmp_path / "near" / "pyproject.toml").write_text(STATIC.format(name="near"))
    assert project / "../near/pyproject.toml" in (_inputs(project) or [])
    (tmp_path / "near" / "pyproject.toml").write_text('[project]\nname = "near"\ndynamic = ["dependencies"]\n')
    assert _inputs(project) is None


def test_an_unusable_record_key_only_skips_the_cache(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store("a" * 64, "beta==1.0\n")
    bad = tmp_path / "bad-key"
    bad.write_bytes(b"short")
    bad.chmod(0o600)
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(bad))
    assert load("a" * 64) is None
    store("b" * 64, "beta==1.0\n")
    assert not (cache / f"{'b' * 64}.json").exists()


def test_a_dynamic_root_is_not_cached(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    (project / "pyproject.toml").write_text('[project]\nname = "app"\ndynamic = ["version", "dependencies"]\n')
    assert _inputs(project) is None


def test_a_local_archive_is_not_cached(tmp_path: Path) -> None:
    lock = LOCK + '[[package]]\nname = "zeta"\nversion = "1.0"\nsource = { path = "zeta-1.0.tar.gz" }\n'
    assert _inputs(_project(tmp_path / "p", lock=lock)) is None


def test_a_workspace_above_is_not_cached(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["p"]\n')
    assert _inputs(_project(tmp_path / "p")) is None


def test_an_absent_file_is_an_input_an_unreadable_one_ends_caching(tmp_path: Path) -> None:
    (tmp_path / "there").write_text("x")
    found = digests([tmp_path / "there", tmp_path / "absent"])
    assert found is not None
    assert found[str(tmp_path / "absent")] is None
    assert found[str(tmp_path / "there")] is not None
    (tmp_path / "folder").mkdir()
    assert digests([tmp_path / "folder"]) is None


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VIRTUALENV_READY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(tmp_path / "data" / "record-key"))
    return tmp_path / "cache" / "uv-export"


def test_an_entry_reads_back(cache: Path) -> None:
    store("a" * 64, "beta==1.0 --hash=sha256:00\n")
    assert load("a" * 64) == "beta==1.0 --hash=sha256:00\n"
    assert load("b" * 64) is None
    if sys.platform != "win32":
        assert (cache / f"{'a' * 64}.json").stat().st_mode & 0o077 == 0


def test_an_answer_with_a_credential_is_not_kept(cache: Path) -> None:
    store("c" * 64, "--index-url https://acme:Zq-export-secret@index.example/simple/\nbeta==1.0\n")
    assert load("c" * 64) is None
    assert not cache.exists() or not any("Zq-export-secret" in p.read_text() for p in cache.iterdir() if p.is_file())


@pytest.mark.parametrize("how", ["output", "mac", "renamed", "other-key", "truncated"])
def test_a_changed_entry_is_not_trusted(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    key = "a" * 64
    store(key, "beta==1.0\n")
    entry = cache / f"{key}.json"
    data = json.loads(entry.read_text())
    if how == "output":
        data["stdout"] = "evil==6.6.6\n"
    elif how == "mac":
        data["mac"] = "f" * 64
    elif how == "renamed":  # an entry moved under another key's name
        entry.rename(cache / f"{'c' * 64}.json")
        key = "c" * 64
    elif how == "other-key":  # signed by another user's key
        monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(tmp_path / "other" / "record-key"))
    if how in ("output", "mac"):
        entry.write_text(json.dumps(data))
    if how == "truncated":
        entry.write_text(entry.read_text()[:20])
    assert load(key) is None


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlinked_entry_is_not_followed(cache: Path) -> None:
    store("a" * 64, "beta==1.0\n")
    (cache / f"{'d' * 64}.json").symlink_to(cache / f"{'a' * 64}.json")
    assert load("d" * 64) is None


def test_old_entries_are_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exportcache, "KEEP", 4)
    for number in range(6):
        store(f"{number:064d}", "x\n")
        os.utime(cache / f"{number:064d}.json", (number, number))
    assert len(list(cache.glob("*.json"))) <= 4
    assert load(f"{5:064d}") == "x\n"  # the newest stays
