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
