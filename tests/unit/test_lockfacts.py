"""A uv.lock's facts are read once per content and marker environment; a lock for other platforms is always said."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest

from virtualenv_ready import userkey
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.sources import lockfacts

if TYPE_CHECKING:
    from pathlib import Path

    from virtualenv_ready.target import Target

HERE = {
    "sys_platform": sys.platform,
    "platform_machine": "x86_64",
    "python_full_version": "3.11.7",
    "python_version": "3.11",
}
LOCK = """version = 1
requires-python = ">=3.9"
supported-markers = [{markers}]

[[package]]
name = "app"
version = "1.0"
source = {{ editable = "." }}

[[package]]
name = "lib"
version = "1.0"
source = {{ directory = "packages/lib" }}
"""


def _target(**markers: str) -> Target:
    return cast("Target", SimpleNamespace(marker_environment={**HERE, **markers}))


@pytest.fixture
def parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "data" / "record-key"))
    userkey.sign(b"")  # this user has a key
    seen: list[Path] = []
    real = lockfacts._read

    def counting(path: Path) -> dict[str, Any]:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(lockfacts, "_read", counting)
    return seen


def _lock(tmp_path: Path, markers: str = f"\"sys_platform == '{sys.platform}'\"") -> Path:
    path = tmp_path / "uv.lock"
    path.write_text(LOCK.format(markers=markers), encoding="utf-8")
    return path


def test_the_same_lock_is_read_once(tmp_path: Path, parses: list[Path]) -> None:
    lock = _lock(tmp_path)
    expected = lockfacts.LockFacts(packages=True, folders=(".", "packages/lib"))
    assert lockfacts.lock_facts(lock, _target()) == expected
    assert lockfacts.lock_facts(lock, _target()) == expected
    assert parses == [lock]
    lock.write_text(LOCK.format(markers="") + '\n[[package]]\nname = "z"\nsource = { path = "z.tar.gz" }\n')
    assert lockfacts.lock_facts(lock, _target()) == lockfacts.LockFacts(packages=True, folders=None)
    assert parses == [lock, lock]


def test_another_platforms_lock_is_refused_every_time(tmp_path: Path, parses: list[Path]) -> None:
    lock = _lock(tmp_path, "\"sys_platform == 'nonexistent'\"")
    for _ in range(2):
        with pytest.raises(ReadyError, match=r"locked only for sys_platform == 'nonexistent', not this environment"):
            lockfacts.lock_facts(lock, _target())
    assert parses == [lock, lock]


def test_each_environment_is_checked_once(tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    lock = _lock(tmp_path, "\"platform_machine == 'x86_64'\"")
    checked: list[str] = []
    real = lockfacts._check_platform

    def counting(path: Path, supported: list[str], env: dict[str, str]) -> None:
        checked.append(env["platform_machine"])
        real(path, supported, env)

    monkeypatch.setattr(lockfacts, "_check_platform", counting)
    lockfacts.lock_facts(lock, _target())
    lockfacts.lock_facts(lock, _target())
    with pytest.raises(ReadyError, match="not this environment"):
        lockfacts.lock_facts(lock, _target(platform_machine="aarch64"))
    lockfacts.lock_facts(lock, _target())
    assert checked == ["x86_64", "aarch64"]
    assert parses == [lock]


def test_a_lock_of_no_package_and_a_bad_marker(tmp_path: Path, parses: list[Path]) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text('version = 1\nrequires-python = ">=3.9"\n', encoding="utf-8")
    assert lockfacts.lock_facts(lock, _target()) == lockfacts.LockFacts(packages=False, folders=())
    bad = _lock(tmp_path, '"sys_platform === "')
    with pytest.raises(
        ReadyError, match=r"supported-markers: Expected a marker variable .* \^; regenerate it with `uv lock`$"
    ):
        lockfacts.lock_facts(bad, _target())


def test_a_planted_memo_is_no_memo(tmp_path: Path, parses: list[Path]) -> None:
    import json

    from virtualenv_ready import signedmemo

    lock = _lock(tmp_path, "\"sys_platform == 'nonexistent'\"")
    path = signedmemo.memo_path(lockfacts.NAME)
    path.parent.mkdir(parents=True, exist_ok=True)
    from virtualenv_ready.files import sha256

    digest = sha256(lock.read_bytes()).hexdigest()
    entry = {"packages": True, "folders": [], "supported": [], "here": []}
    path.write_text(json.dumps({"mac": "0" * 64, "entries": {digest: entry}}), encoding="utf-8")
    with pytest.raises(ReadyError, match="not this environment"):
        lockfacts.lock_facts(lock, _target())
