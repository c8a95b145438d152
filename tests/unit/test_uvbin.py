"""The uv version cache: kept for the next run, written exclusively, never through a planted link."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from virtualenv_ready import uvbin


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("VIRTUALENV_READY_CACHE_DIR", str(folder))
    return folder


def test_the_version_is_kept_for_the_same_file(cache: Path) -> None:
    stamp: list[str | int] = ["/x/uv", 1, 2, 3]
    uvbin._remember_version(stamp, "0.9.1")
    assert uvbin._cached_version(stamp) == "0.9.1"
    assert uvbin._cached_version(["/x/uv", 1, 2, 4]) is None
    assert [p.name for p in cache.iterdir()] == ["uv-version.json"]  # no temporary file left


def test_several_uv_files_are_remembered_each(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uvbin, "_KEPT", 3)
    for n in range(4):
        uvbin._remember_version([f"/env{n}/bin/uv", 1, 2, 3], f"0.9.{n}")
    assert [uvbin._cached_version([f"/env{n}/bin/uv", 1, 2, 3]) for n in range(4)] == [None, "0.9.1", "0.9.2", "0.9.3"]
    uvbin._remember_version(["/env1/bin/uv", 1, 2, 9], "0.10.0")  # that file replaced: its new stamp is the newest
    assert uvbin._cached_version(["/env1/bin/uv", 1, 2, 9]) == "0.10.0"
    assert uvbin._cached_version(["/env2/bin/uv", 1, 2, 3]) == "0.9.2"
    assert uvbin._cached_version(["/env1/bin/uv", 1, 2, 3]) is None


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_a_planted_symlink_is_never_written_through(cache: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    # the names an earlier release wrote through (a predictable temporary name) and the cache file itself
    (cache / f"uv-version.json.{os.getpid()}.tmp").symlink_to(victim)
    (cache / "uv-version.json").symlink_to(victim)
    uvbin._remember_version(["/x/uv", 1, 2, 3], "0.9.1")
    assert victim.read_text(encoding="utf-8") == "precious"
    written = cache / "uv-version.json"
    assert not written.is_symlink()
    assert uvbin._cached_version(["/x/uv", 1, 2, 3]) == "0.9.1"
