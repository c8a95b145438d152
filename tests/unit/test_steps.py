"""A step's private files: editables in the file where the installer reuses their builds that way."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.installers.steps import lines_file
from virtualenv_ready.lines import fileable, write_private
from virtualenv_ready.model import Step

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    return private


def test_plain_editables_go_into_the_file(folder: Path) -> None:
    step = Step(lines=("alpha==1 --hash=sha256:00ff",), editables=("/src/app", "/src/with space"), no_deps=True)
    done = lines_file(step, folder / "step0.txt", editables=True)
    assert done.requirements_file == folder / "step0.txt"
    assert done.editables == ("/src/with space",)  # one word only: the rest stays on the command line
    assert (folder / "step0.txt").read_text().splitlines() == ["alpha==1 --hash=sha256:00ff", "-e /src/app"]


def test_an_editable_alone_still_gets_a_file(folder: Path) -> None:
    done = lines_file(Step(editables=("/src/app",), no_deps=True), folder / "step0.txt", editables=True)
    assert done.requirements_file is not None
    assert done.editables == ()


def test_without_the_switch_editables_stay_on_the_command_line(folder: Path) -> None:
    done = lines_file(Step(lines=("alpha",), editables=("/src/app",)), folder / "step0.txt")
    assert done.editables == ("/src/app",)
    assert (folder / "step0.txt").read_text() == "alpha\n"


@pytest.mark.parametrize("value", ["/a b", '/a"b', "/a'b", "C:\\proj", "/a\tb"])
def test_what_a_file_reader_would_split_or_unquote_is_not_fileable(value: str) -> None:
    assert not fileable(value)


@pytest.mark.skipif(os.name == "nt", reason="the private-folder check is POSIX permissions")
def test_write_private_refuses_an_editable_that_is_not_one_word(folder: Path) -> None:
    with pytest.raises(ReadyError, match="not one plain word"):
        write_private(folder / "x.txt", [], ["/a b"])
    with pytest.raises(ReadyError):
        write_private(folder / "y.txt", [], ["/a\n-i http://evil.invalid"])
