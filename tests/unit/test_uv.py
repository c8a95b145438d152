"""uv's cache folder and the offline first try of an exact run (pure logic: no uv is run)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from virtualenv_ready.installers.uv import UvInstaller, uv_cache_dir


def test_the_cache_dir_follows_uv_cache_dir(tmp_path: Path) -> None:
    assert uv_cache_dir({"UV_CACHE_DIR": str(tmp_path / "c"), "UV_NO_CACHE": "1"}) == tmp_path / "c"


def test_no_cache_means_unknown() -> None:
    assert uv_cache_dir({"UV_NO_CACHE": "1"}) is None


@pytest.mark.skipif(sys.platform == "win32", reason="the XDG rule is uv's on Linux and macOS")
def test_the_cache_dir_follows_xdg_then_home(tmp_path: Path) -> None:
    assert uv_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "uv"
    assert uv_cache_dir({"HOME": str(tmp_path)}) == tmp_path / ".cache" / "uv"


def test_offline_is_tried_only_where_the_cache_holds_wheels(tmp_path: Path) -> None:
    argv = ["uv", "pip", "install", "-r", "step0.txt"]
    missing = {"UV_CACHE_DIR": str(tmp_path / "absent")}
    assert UvInstaller().offline_argv(argv, missing) is None
    (tmp_path / "present").mkdir()
    assert UvInstaller().offline_argv(argv, {"UV_CACHE_DIR": str(tmp_path / "present")}) is None  # no wheel yet
    (tmp_path / "present" / "archive-v0").mkdir()
    found = UvInstaller().offline_argv(argv, {"UV_CACHE_DIR": str(tmp_path / "present")})
    assert found == [*argv, "--offline"]
    assert argv == ["uv", "pip", "install", "-r", "step0.txt"]  # the online command is left as it was


def test_an_unknown_cache_is_tried() -> None:
    assert UvInstaller().offline_argv(["uv"], {"UV_NO_CACHE": "1"}) == ["uv", "--offline"]
