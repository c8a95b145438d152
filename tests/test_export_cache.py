"""A uv.lock's `uv export` is kept for the next creation while its inputs are the same, and run again on any change.

Every run of uv goes through a wrapper that writes its arguments to a log: the count of `export` lines is the proof.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from helpers import installed
from wheels import simple_index, write_project

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

UV_PROJECT = """\
[project]
name = "cached"
version = "1.0"
requires-python = ">=3.8"
dependencies = ["beta"]

[project.optional-dependencies]
more = ["zeta"]

[dependency-groups]
dev = ["delta"]
typing = ["needs-old-alpha"]
"""


@pytest.fixture
def uv_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """uv behind a wrapper that logs each call; its own cache folder; returns the `uv export` calls so far."""
    from virtualenv_ready import uvbin

    found = uvbin.find_uv_binary()
    assert found is not None, "the test extra installs uv"
    log = tmp_path / "uv-calls.log"
    wrapper = tmp_path / "uv-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{found[0]}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setattr(uvbin, "find_uv_binary", lambda: (str(wrapper), found[1], "a test wrapper"))
    monkeypatch.setenv("VIRTUALENV_READY_CACHE_DIR", str(tmp_path / "ready-cache"))

    def exports() -> list[str]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return [line for line in lines if line.startswith("export ")]

    return exports


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the wrapper is a POSIX shell script")


def lock(project: Path, wheelhouse: Path) -> Path:
    """Lock with the real uv against an index of the test wheels."""
    from virtualenv_ready.uvbin import probe_uv_binary

    found = probe_uv_binary()[0]
    assert found is not None
    index = simple_index(wheelhouse.parent / "simple", sorted(wheelhouse.glob("*.whl")))
    argv = [found[0], "lock", "--offline", "--index-url", index.as_uri(), "--python", sys.executable]
    subprocess.run(argv, cwd=project, check=True, capture_output=True)
    return project / "uv.lock"


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "ready-cache" / "uv-export").glob("*.json"))


def test_the_second_creation_runs_no_export(project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls) -> None:  # type: ignore[no-untyped-def]
    (project / "pyproject.toml").write_text(UV_PROJECT)
    lock(project, wheelhouse)
    first = installed(ready(dest=tmp_path / "one"))
    assert len(uv_calls()) == 1
    second = installed(ready(dest=tmp_path / "two"))
    assert len(uv_calls()) == 1  # answered from the cache
    assert first == second
    assert second["alpha"] == "1.0"  # the locked version
    assert {"beta", "delta"} <= set(second)
    (entry,) = entries(tmp_path)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def _append(path: Path) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\n# changed\n")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p, m: _append(p / "uv.lock"), id="uv.lock"),
        pytest.param(lambda p, m: _append(p / "pyproject.toml"), id="pyproject"),
        pytest.param(lambda p, m: (p / "uv.toml").write_text('resolution = "highest"\n'), id="uv.toml"),
        pytest.param(lambda p, m: m.setenv("UV_CONCURRENT_DOWNLOADS", "3"), id="uv-variable"),
    ],
)
def test_a_changed_input_exports_again(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls, monkeypatch: pytest.MonkeyPatch, change
) -> None:
    (project / "pyproject.toml").write_text(UV_PROJECT)
    lock(project, wheelhouse)
    ready(dest=tmp_path / "one")
    change(project, monkeypatch)
    ready(dest=tmp_path / "two")
    assert len(uv_calls()) == 2
    ready(dest=tmp_path / "three")
    assert len(uv_calls()) == 2  # the new state is kept in its turn


@pytest.mark.parametrize("args", [("--ready-groups", "typing"), ("--ready-extras", "more")], ids=["groups", "extras"])
def test_other_groups_or_extras_export_again(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls, args: tuple[str, str]
) -> None:
    (project / "pyproject.toml").write_text(UV_PROJECT)
    lock(project, wheelhouse)
    ready(dest=tmp_path / "one")
    found = installed(ready(*args, dest=tmp_path / "two"))
    assert len(uv_calls()) == 2
    assert ("needs-old-alpha" if "typing" in args else "zeta") in found


def test_another_uv_version_exports_again(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    from virtualenv_ready import uvbin

    (project / "pyproject.toml").write_text(UV_PROJECT)
    lock(project, wheelhouse)
    ready(dest=tmp_path / "one")
    binary, version, where = uvbin.find_uv_binary()  # type: ignore[misc]
    monkeypatch.setattr(uvbin, "find_uv_binary", lambda: (binary, f"{version}.1", where))
    ready(dest=tmp_path / "two")
    assert len(uv_calls()) == 2
    # the same version from a replaced file (another size and time) is another uv as well
    assert binary == str(tmp_path / "uv-wrapper")
    with (tmp_path / "uv-wrapper").open("a", encoding="utf-8") as stream:
        stream.write("# replaced\n")
    ready(dest=tmp_path / "three")
    assert len(uv_calls()) == 3


def test_a_workspace_members_pyproject_is_an_input(
    project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls
) -> None:  # type: ignore[no-untyped-def]
    member = project / "packages" / "lib"
    write_project(member, "lib", dependencies=["delta"])
    workspace = '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n\n[tool.uv.sources]\nlib = { workspace = true }\n'
    write_project(project, "cached", dependencies=["beta", "lib"], extra_toml=workspace)
    lock(project, wheelhouse)
    assert "lib" in installed(ready(dest=tmp_path / "one"))
    ready(dest=tmp_path / "two")
    assert len(uv_calls()) == 1
    _append(member / "pyproject.toml")
    ready(dest=tmp_path / "three")
    assert len(uv_calls()) == 2
    # a new folder under the members' glob is a new member: uv must say the lock is out of date
    write_project(project / "packages" / "other", "other")
    ready(dest=tmp_path / "four")
    assert len(uv_calls()) == 3


@pytest.mark.parametrize("how", ["output", "signature", "garbage"])
def test_a_tampered_entry_is_ignored(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls, how: str
) -> None:
    (project / "pyproject.toml").write_text(UV_PROJECT)
    lock(project, wheelhouse)
    ready(dest=tmp_path / "one")
    (entry,) = entries(tmp_path)
    data = json.loads(entry.read_text(encoding="utf-8"))
    if how == "output":  # another package in place of a locked one, the MAC left as it was
        data["stdout"] = data["stdout"].replace("delta==1.0", "gamma==1.0")
    elif how == "signature":
        data["mac"] = "0" * 64
    entry.write_text("{not json" if how == "garbage" else json.dumps(data), encoding="utf-8")
    found = installed(ready(dest=tmp_path / "two"))
    assert len(uv_calls()) == 2  # uv ran again
    assert "gamma" not in found
    assert found["delta"] == "1.0"
    ready(dest=tmp_path / "three")
    assert len(uv_calls()) == 2  # and its answer replaced the bad entry


def test_a_stale_lock_warns_every_time(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "pyproject.toml").write_text(UV_PROJECT)
    lock(project, wheelhouse)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('dependencies = ["beta"]', 'dependencies = ["beta", "zeta"]'))
    for number, dest in enumerate(["one", "two"], start=1):
        caplog.clear()
        ready(dest=tmp_path / dest)
        assert "out of date with pyproject.toml" in caplog.text
        assert len(uv_calls()) == number
    assert not entries(tmp_path)


def test_dynamic_metadata_is_never_cached(project: Path, ready, wheelhouse: Path, tmp_path: Path, uv_calls) -> None:  # type: ignore[no-untyped-def]
    # uv answers for a dynamic project from the metadata its own cache holds (or a build): not from these files
    write_project(project, "dyn", dependencies=["beta"])
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(text.replace('version = "1.0"', 'dynamic = ["version"]'))
    lock(project, wheelhouse)
    ready(dest=tmp_path / "one")
    ready(dest=tmp_path / "two")
    assert len(uv_calls()) == 2
    assert not entries(tmp_path)
