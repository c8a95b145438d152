"""The installer sees only lines we wrote: what pip's reading hides stays hidden, what it shows is judged, and a
line break in a TOML string never becomes an option line; the recording server's empty log proves nothing was
fetched. The bounded-work cases end in one line and an incomplete record."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

import test_boundary
from helpers import installed
from safety_helpers import record_of
from virtualenv_ready.errors import ReadyError

if TYPE_CHECKING:
    from pathlib import Path

    from test_boundary import Served

served = test_boundary.served  # the recording server on 127.0.0.1
INSTALLERS = ["uv", "pip"]


@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_comment_line_ending_in_a_backslash_hides_nothing(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, tmp_path: Path, installer: str
) -> None:
    (project / "requirements.txt").write_text(f"alpha\n# a note \\\n--find-links {served.url}/\n")
    with pytest.raises(ReadyError, match=r"requirements\.txt:3: --find-links http://\S+ in a project"):
        ready(installer=installer)
    assert served.requests == []
    assert record_of(tmp_path / "venv")["status"] == "incomplete"


@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_line_joined_into_a_comment_never_reaches_the_installer(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, installer: str
) -> None:
    (project / "requirements.txt").write_text(f"alpha # a note \\\n--find-links {served.url}/\n")
    venv = ready(installer=installer)
    assert "alpha" in installed(venv)
    assert served.requests == []


@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_line_break_in_a_lock_version_is_refused_naming_the_lock(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, tmp_path: Path, installer: str
) -> None:
    (project / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "test"\n[[packages]]\nname = "alpha"\n'
        f'version = "1.0\\n--find-links {served.url}/"\n'
        'wheels = [{ name = "alpha-1.0-py3-none-any.whl", hashes = { sha256 = "00" } }]\n'
    )
    with pytest.raises(ReadyError, match=r"pylock\.toml: packages\[0\]: .* a line break") as info:
        ready("--ready-allow-project-sources", installer=installer)
    assert "\n" not in str(info.value)
    assert served.requests == []
    assert record_of(tmp_path / "venv")["status"] == "incomplete"


@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_line_break_in_a_project_dependency_is_refused_naming_the_file(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, tmp_path: Path, installer: str
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\n'
        f'dependencies = ["alpha\\n--index-url {served.url}/simple"]\n[tool.uv]\npackage = false\n'
    )
    with pytest.raises(ReadyError, match=r"pyproject\.toml: \[project\] dependencies: .* a line break"):
        ready("--ready-allow-project-sources", installer=installer)
    assert served.requests == []
    assert record_of(tmp_path / "venv")["status"] == "incomplete"


def test_an_include_fan_out_ends_in_one_line(project: Path, ready, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "d").mkdir()
    (project / "requirements.txt").write_text("alpha\n-r d/../requirements.txt\n")
    with pytest.raises(ReadyError, match=r"requirements\.txt:2: --requirement d/\.\./requirements\.txt: includes"):
        ready()
    assert record_of(tmp_path / "venv")["status"] == "incomplete"


@pytest.mark.skipif(sys.platform == "win32", reason="needs /dev/zero")
def test_a_python_version_file_linked_to_dev_zero_ends_in_one_line(project: Path, ready, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    (project / ".python-version").symlink_to("/dev/zero")
    with pytest.raises(ReadyError, match=r"\.python-version: not a plain file"):
        ready()
    assert record_of(tmp_path / "venv")["status"] == "incomplete"


def test_deeply_nested_toml_ends_in_one_line(project: Path, ready, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "pyproject.toml").write_text("[project]\nname = 'app'\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ReadyError, match=r"pyproject\.toml: invalid TOML: values nested too deeply"):
        ready()
    assert record_of(tmp_path / "venv")["status"] == "incomplete"
