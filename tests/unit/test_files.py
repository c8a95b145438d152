"""``files``: every project file read is size-capped and a plain file; TOML errors are one line; lines indexed once."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.files import line_of, load_toml, logical_lines, read_bytes, read_text

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.skipif(sys.platform == "win32", reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / ".python-version"
    link.symlink_to("/dev/zero")
    with pytest.raises(ReadyError, match=r"\.python-version: not a plain file"):
        read_text(link)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "requirements.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadyError, match="not a plain file"):
        read_bytes(fifo)


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(ReadyError, match=r"big\.txt: larger than"):
        read_bytes(path, limit=1024)
    assert len(read_bytes(path, limit=2048)) == 2048


@pytest.mark.parametrize("nesting", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 3000 + "1" + "}" * 3000])
def test_toml_nested_too_deeply_is_one_line(tmp_path: Path, nesting: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(nesting + "\n")
    with pytest.raises(ReadyError) as info:
        load_toml(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"a = '\xff'\n")
    with pytest.raises(ReadyError, match="not UTF-8"):
        load_toml(path)
    assert "\ufffd" in read_text(path, strict=False)


def test_logical_lines_follow_pips_comment_and_continuation_rules() -> None:
    text = "pkg # c \\\n--find-links http://hidden.invalid\n# c \\\n-f http://shown.invalid\nbeta\\\n>=1\na#b\n"
    assert logical_lines(text) == [(1, "pkg"), (4, "-f http://shown.invalid"), (5, "beta>=1"), (7, "a#b")]


def test_line_of_finds_string_literals_and_substrings(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\ndependencies = [\n  \"alpha>=1\",\n  'beta',\n]\n# gamma here\n")
    assert line_of(path, "alpha>=1") == 3
    assert line_of(path, "beta") == 4
    assert line_of(path, "gamma") == 6
    assert line_of(path, "two\nlines") is None
    assert line_of(path, "absent") is None
