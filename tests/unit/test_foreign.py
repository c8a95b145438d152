"""Refusing ``--clear`` of the project, and which destinations are found rather than made."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready import record
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.foreign import UNRECORDED, examine, had_content, refuse_clear


def test_refuse_clear_of_the_project_or_a_folder_holding_it(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    with pytest.raises(ReadyError, match="is the project folder"):
        refuse_clear(project, [project])
    with pytest.raises(ReadyError, match="holds the project"):
        refuse_clear(tmp_path, [project])
    refuse_clear(project / ".venv", [project])
    refuse_clear(tmp_path / "other", [project])


def test_a_new_or_empty_destination_is_ours(tmp_path: Path) -> None:
    assert not examine(tmp_path, existed=False).foreign
    assert not had_content(tmp_path / "missing")
    assert not had_content(tmp_path)
    (tmp_path / "x").write_text("", encoding="utf-8")
    assert had_content(tmp_path)


def test_an_existing_destination_without_a_signed_record_is_foreign(tmp_path: Path) -> None:
    assert examine(tmp_path).why == UNRECORDED
    record.write(tmp_path, record.Record(status="complete"))
    found = examine(tmp_path)
    assert not found.foreign
    assert found.record is not None
    (tmp_path / record.NAME).write_text("{broken", encoding="utf-8")
    assert "unreadable" in (examine(tmp_path).why or "")


def _git(*args: str, cwd: Path) -> None:
    import subprocess

    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git checkout with one file in its index and an env folder in it; the record key (and so the memo of envs
    git tracks nothing of) in a folder of its own."""
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "key").mkdir()
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(tmp_path / "key" / "record-key"))
    from virtualenv_ready import userkey

    userkey.sign(b"")  # this user has a key: memos are kept
    root = tmp_path / "repo"
    (root / ".venv").mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = x\n", encoding="utf-8")
    (root / "README").write_text("x\n", encoding="utf-8")
    _git("init", "-q", cwd=root)
    _git("add", "README", cwd=root)
    return root


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each env git is asked about (it is still asked)."""
    from virtualenv_ready import foreign

    calls: list[Path] = []
    real = foreign._git_tracks
    monkeypatch.setattr(foreign, "_git_tracks", lambda venv: calls.append(venv) or real(venv))
    return calls


def test_git_is_asked_once_per_state_of_the_index(checkout: Path, asked: list[Path]) -> None:
    from virtualenv_ready import foreign

    venv = checkout / ".venv"
    assert not foreign.tracked(venv)
    assert not foreign.tracked(venv)  # the index is as git answered for: not asked again
    assert len(asked) == 1
    _git("add", "-f", ".venv/pyvenv.cfg", cwd=checkout)  # the index changes: asked again, and now it tracks one
    assert foreign.tracked(venv)
    assert foreign.tracked(venv)
    assert len(asked) == 3  # a "yes" is never remembered


def test_git_is_asked_every_time_where_it_may_read_another_index(
    checkout: Path, asked: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from virtualenv_ready import foreign

    venv = checkout / ".venv"
    monkeypatch.setenv("GIT_INDEX_FILE", str(checkout / ".git" / "other-index"))
    assert not foreign.tracked(venv)
    assert not foreign.tracked(venv)
    assert len(asked) == 2
    assert not (checkout.parent / "key" / foreign.UNTRACKED_MEMO).exists()


def test_no_memo_without_the_record_keys_folder(
    checkout: Path, asked: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from virtualenv_ready import foreign

    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(checkout.parent / "nowhere" / "record-key"))
    assert not foreign.tracked(checkout / ".venv")
    assert not foreign.tracked(checkout / ".venv")
    assert len(asked) == 2
    assert not (checkout.parent / "nowhere").exists()


def test_a_memo_not_signed_by_the_user_is_no_memo(checkout: Path, asked: list[Path]) -> None:
    import json

    from virtualenv_ready import foreign, signedmemo

    venv = checkout / ".venv"
    assert not foreign.tracked(venv)
    path = signedmemo.memo_path(foreign.UNTRACKED_MEMO)
    memo = json.loads(path.read_text(encoding="utf-8"))
    _git("add", "-f", ".venv/pyvenv.cfg", cwd=checkout)
    stamp = foreign._index_stamp(checkout)
    path.write_text(json.dumps({**memo, "entries": {str(venv.absolute()): stamp}}), encoding="utf-8")  # old MAC
    assert foreign.tracked(venv)  # git is asked: the planted "nothing" is not believed
    assert len(asked) == 2
