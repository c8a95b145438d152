"""A seed wheel is hashed once; the memo answers only for the very file it hashed, and only this user's memo."""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING

import pytest

from virtualenv_ready import filedigests, signedmemo, userkey

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files actually read and hashed (a memo answer is not in it)."""
    seen: list[Path] = []
    real = filedigests.sha256_file

    def counting(path: Path) -> str:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(filedigests, "sha256_file", counting)
    return seen


@pytest.fixture
def wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "data" / "record-key"))
    userkey.sign(b"")  # this user has a key
    path = tmp_path / "pip-26.3-py3-none-any.whl"
    path.write_bytes(b"first bytes")
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_file_is_hashed_once(wheel: Path, hashed: list[Path]) -> None:
    assert filedigests.sha256_files([wheel]) == {wheel: _sha(b"first bytes")}
    assert filedigests.sha256_files([wheel]) == {wheel: _sha(b"first bytes")}
    assert hashed == [wheel]


def test_a_rewritten_file_is_hashed_again(wheel: Path, hashed: list[Path]) -> None:
    filedigests.sha256_files([wheel])
    info = wheel.stat()
    wheel.write_bytes(b"other bytes")  # same size, and the old times put back: the inode's change time still moves
    os.utime(wheel, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert filedigests.sha256_files([wheel]) == {wheel: _sha(b"other bytes")}
    replaced = wheel.with_name("new.whl")
    replaced.write_bytes(b"third bytes")
    replaced.replace(wheel)  # another file at the same path
    assert filedigests.sha256_files([wheel]) == {wheel: _sha(b"third bytes")}
    assert hashed == [wheel, wheel, wheel]


def test_a_missing_file_is_never_remembered(wheel: Path, hashed: list[Path]) -> None:
    gone = wheel.with_name("gone.whl")
    assert filedigests.sha256_files([gone]) == {gone: "missing"}
    gone.write_bytes(b"now here")
    assert filedigests.sha256_files([gone]) == {gone: _sha(b"now here")}
    assert hashed == [gone, gone]


def test_a_memo_not_signed_by_the_user_is_ignored(wheel: Path, hashed: list[Path]) -> None:
    filedigests.sha256_files([wheel])
    path = signedmemo.memo_path(filedigests.NAME)
    memo = json.loads(path.read_text(encoding="utf-8"))
    memo["entries"] = dict.fromkeys(memo["entries"], "0" * 64)
    path.write_text(json.dumps(memo), encoding="utf-8")
    assert filedigests.sha256_files([wheel]) == {wheel: _sha(b"first bytes")}
    assert hashed == [wheel, wheel]


def test_no_key_no_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hashed: list[Path]) -> None:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "nobody" / "record-key"))
    wheel = tmp_path / "setuptools-1-py3-none-any.whl"
    wheel.write_bytes(b"bytes")
    assert filedigests.sha256_files([wheel]) == filedigests.sha256_files([wheel]) == {wheel: _sha(b"bytes")}
    assert hashed == [wheel, wheel]
    assert not (tmp_path / "nobody").exists()  # a memo never makes the user's key


def test_the_memo_keeps_the_newest(wheel: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filedigests, "KEPT", 2)
    files = []
    for n in range(3):
        files.append(wheel.with_name(f"w{n}.whl"))
        files[-1].write_bytes(bytes([n]))
        filedigests.sha256_files([files[-1]])
    entries = signedmemo.read(filedigests.NAME, filedigests.FORMAT)
    assert sorted(entries.values()) == sorted([_sha(bytes([1])), _sha(bytes([2]))])
