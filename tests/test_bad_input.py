"""Bad input: one line naming the file/option and the fix, non-zero exit, record incomplete, a re-run repairs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import bin_path, installed, offline, virtualenv_cmd
from safety_helpers import ctrl_c_reaches_it
from test_layouts import POETRY, poetry_project, uv_project
from wheels import make_sdist, write_project


def fails(project: Path, wheelhouse: Path, *args: str) -> tuple[str, Path]:
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), *args, cwd=project)
    assert out.returncode != 0, out.stdout
    return out.stdout + out.stderr, project / ".venv"


def alive(pid: int) -> bool:
    """Running (a zombie whose parent is gone only waits for init to reap it, so it does not count)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in {"Z", "X"}:
            return False
        time.sleep(0.1)
    return True


def status(venv: Path) -> str:
    return json.loads((venv / "virtualenv-ready.json").read_text())["status"]


def test_invalid_toml_names_file_and_line(project: Path, wheelhouse: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nversion = \n')
    text, venv = fails(project, wheelhouse)
    assert f"{project / 'pyproject.toml'}:3:" in text
    assert "invalid TOML" in text
    assert "Traceback" not in text
    assert status(venv) == "incomplete"


def test_unknown_group_lists_the_available_ones(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", groups={"dev": ["alpha"], "docs": ["delta"]})
    text, venv = fails(project, wheelhouse, "--ready-groups", "tests")
    assert "unknown dependency group tests; available: dev, docs" in text
    assert status(venv) == "incomplete"


def test_unknown_extra_lists_the_available_ones(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", optional={"fast": ["alpha"]})
    text, _ = fails(project, wheelhouse, "--ready-extras", "slow")
    assert "unknown extra slow; available: fast" in text


def test_include_group_cycle(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", groups={"dev": [{"include-group": "test"}], "test": [{"include-group": "dev"}]})
    text, _ = fails(project, wheelhouse)
    assert "include-group cycle" in text
    assert "Traceback" not in text


def test_missing_requirements_file(project: Path, wheelhouse: Path) -> None:
    text, _ = fails(project, wheelhouse, "--ready-requirement", "nope.txt")
    assert f"requirements file {project / 'nope.txt'} not found (from cli)" in text


def test_project_file_cannot_choose_the_index(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", extra_toml='\n[tool.virtualenv-ready]\nindex-url = "https://evil.invalid/simple"\n')
    text, _ = fails(project, wheelhouse)
    assert "a project file cannot choose where packages come from" in text


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_package_not_found_shows_the_installer_explanation(project: Path, wheelhouse: Path, installer: str) -> None:
    (project / "requirements.txt").write_text("does-not-exist-anywhere\n")
    text, venv = fails(project, wheelhouse, "--ready-installer", installer)
    assert "does-not-exist-anywhere" in text  # the installer's own words
    # uv's one run also seeds (it is run once: no second try can help a missing package)
    seeding = " and seeding" if installer == "uv" else ""
    assert (
        f"virtualenv-ready: error: installing requirements.txt{seeding} with {installer} failed with exit code" in text
    )
    assert text.count("does-not-exist-anywhere was not found") <= 1, text
    assert status(venv) == "incomplete"


def test_conflicting_versions(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("needs-old-alpha\nneeds-new-alpha\n")
    text, _ = fails(project, wheelhouse)
    assert "alpha" in text
    assert "unsatisfiable" in text.lower() or "conflict" in text.lower()


def test_index_unreachable(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    out = virtualenv_cmd(
        "--seeder",
        "ready",
        ".venv",
        "--ready-index-url",
        "http://127.0.0.1:9/simple",
        cwd=project,
        env={**os.environ, "UV_HTTP_RETRIES": "0"},
    )
    assert out.returncode != 0
    assert "127.0.0.1:9" in out.stdout + out.stderr


def test_failing_sdist_build(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("brokenpkg\n")
    text, venv = fails(project, wheelhouse)
    assert "fails to build on purpose" in text
    assert status(venv) == "incomplete"


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_hash_mismatch(project: Path, wheelhouse: Path, installer: str) -> None:
    (project / "requirements.txt").write_text("alpha==1.0 --hash=sha256:" + "0" * 64 + "\n")
    text, venv = fails(project, wheelhouse, "--ready-installer", installer)
    assert "hash" in text.lower()
    assert status(venv) == "incomplete"


def test_requested_installer_not_installed(project: Path, ready, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from virtualenv_ready.errors import ReadyError
    from virtualenv_ready.installers import uv

    (project / "requirements.txt").write_text("alpha\n")
    monkeypatch.setattr(uv, "find_uv", lambda: None)
    with pytest.raises(ReadyError, match=r"--ready-installer uv: uv is not installed; install it with"):
        ready(installer="uv")


def test_uv_that_fails_to_run_is_named_and_auto_falls_back(
    project: Path, ready, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    import uv as uv_package

    from virtualenv_ready import uvbin
    from virtualenv_ready.errors import ReadyError
    from virtualenv_ready.installers import uv

    broken = tmp_path / "broken-uv"
    broken.write_text("#!/bin/sh\necho 'uv: cannot start' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    (project / "requirements.txt").write_text("alpha\n")
    monkeypatch.setattr(uv_package, "find_uv_bin", lambda: str(broken))
    uvbin.probe_uv_binary.cache_clear()
    uv.find_uv.cache_clear()
    try:
        with pytest.raises(ReadyError) as info:
            ready(installer="uv")
        assert str(info.value) == (
            f"--ready-installer uv: uv at {broken} (from the uv package) failed to run: `uv --version` exited with "
            "code 3: uv: cannot start; reinstall it, or use --ready-installer pip"
        )
        venv = ready(installer="auto", dest=tmp_path / "auto")
        assert "trying the next installer" in caplog.text
        assert json.loads((venv / "virtualenv-ready.json").read_text())["installer"]["name"] == "pip"
    finally:
        uvbin.probe_uv_binary.cache_clear()
        uv.find_uv.cache_clear()


def test_uv_version_is_asked_once_per_uv_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uv as uv_package

    from virtualenv_ready import uvbin

    calls = tmp_path / "calls"
    fake = tmp_path / "uv"
    fake.write_text(f"#!/bin/sh\necho run >> '{calls}'\necho 'uv 0.99.1'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(uv_package, "find_uv_bin", lambda: str(fake))
    monkeypatch.setenv("VIRTUALENV_READY_CACHE_DIR", str(tmp_path / "cache"))

    def probe() -> tuple[str, str, str] | None:
        uvbin.probe_uv_binary.cache_clear()
        return uvbin.find_uv_binary()

    try:
        assert probe() == (str(fake), "0.99.1", "the uv package")
        assert probe() == (str(fake), "0.99.1", "the uv package")
        assert calls.read_text().count("run") == 1  # the second process would read the version from the cache
        fake.write_text(fake.read_text().replace("0.99.1", "0.99.10"), encoding="utf-8")  # an upgrade: asked again
        assert probe() == (str(fake), "0.99.10", "the uv package")
        assert calls.read_text().count("run") == 2
        fake.write_text("#!/bin/sh\necho 'uv: cannot start' >&2\nexit 3\n", encoding="utf-8")  # now broken
        assert uvbin.probe_uv_binary.__wrapped__()[1] == (
            f"uv at {fake} (from the uv package) failed to run: `uv --version` exited with code 3: uv: cannot start"
        )
        assert probe() is None  # a failure is never cached: every run asks again
    finally:
        uvbin.probe_uv_binary.cache_clear()


def test_rerun_repairs_an_incomplete_env(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("does-not-exist-anywhere\n")
    _, venv = fails(project, wheelhouse)
    (project / "requirements.txt").write_text("alpha\n")
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr
    assert status(venv) == "complete"
    assert "alpha" in installed(venv)


@pytest.mark.skipif(sys.platform != "linux", reason="reads process states from /proc")
def test_ctrl_c_ends_the_whole_installer_group(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    house = tmp_path / "slowhouse"
    house.mkdir()
    pidfile = tmp_path / "backend.pid"
    make_sdist(house, "slowpkg", "1.0", sleep=120, pidfile=str(pidfile))
    (project / "requirements.txt").write_text("slowpkg\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "virtualenv",
            "--seeder",
            "ready",
            ".venv",
            "--ready-no-index",
            "--ready-find-links",
            str(house),
            "--ready-installer",
            "pip",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_reaches_it,  # noqa: PLW1509 - one signal call, before exec
    )
    try:
        # ready: the installer runs the build backend, which wrote its pid before sleeping
        deadline = time.monotonic() + 120
        while not pidfile.exists() or not pidfile.read_text():
            assert time.monotonic() < deadline, "the build never started"
            assert proc.poll() is None, proc.communicate()[0]
            time.sleep(0.1)
        backend = int(pidfile.read_text())
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
        output, _ = proc.communicate(timeout=60)
    finally:
        _end_group(proc)
    assert proc.returncode == 130, output
    assert "interrupted" in output
    assert not alive(backend)
    assert status(project / ".venv") == "incomplete"


def _end_group(proc: subprocess.Popen[str]) -> None:
    """A failed test leaves no build sleeping behind it (the group is the child's own session)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ('thing = { git = "https://example.invalid/thing.git", rev = "main" }', "a git dependency"),
        ('thing = { path = "../thing", develop = true }', "a path dependency"),
        ('thing = { url = "https://example.invalid/thing-1.0.tar.gz" }', "a URL dependency"),
        ('thing = "^1.0 || ^3.0"', "the constraint '^1.0 || ^3.0' (ranges with a gap between them)"),
        ('thing = { version = "^1.0", source = "private" }', "a dependency pinned to a named Poetry source (index)"),
    ],
)
def test_untranslatable_poetry_entry(project: Path, wheelhouse: Path, entry: str, why: str) -> None:
    poetry_project(project, POETRY + f"\n[tool.poetry.group.extra.dependencies]\n{entry}\n")
    text, venv = fails(project, wheelhouse)
    where = f"{project / 'pyproject.toml'} [tool.poetry.group.extra.dependencies] thing: {why} cannot be translated"
    assert where in text
    assert "Traceback" not in text
    assert status(venv) == "incomplete"
    assert "poetryapp" not in installed(venv)


def test_corrupted_uv_lock(project: Path, wheelhouse: Path) -> None:
    lock = uv_project(project, wheelhouse)
    lock.write_text(lock.read_text().replace('version = "1.0"', "version = [", 1))
    text, venv = fails(project, wheelhouse)
    assert f"{lock}:" in text
    assert "invalid TOML" in text
    lock.write_text('version = 1\nrequires-python = ">=3.8"\n\n[[package]]\nname = "alpha"\n')
    text, venv = fails(project, wheelhouse)
    assert f"{lock}: uv cannot read it (" in text
    assert "--ready-no-lock" in text
    assert status(venv) == "incomplete"
    assert "beta" not in installed(venv)


def test_uv_lock_for_another_platform_only(project: Path, wheelhouse: Path) -> None:
    lock = uv_project(project, wheelhouse, extra="environments = [\"sys_platform == 'nonexistent'\"]\n")
    text, venv = fails(project, wheelhouse)
    assert f"{lock}: locked only for sys_platform == 'nonexistent', not this environment ({sys.platform} " in text
    assert "--ready-no-lock" in text
    assert status(venv) == "incomplete"


def test_requires_python_not_satisfied(project: Path, wheelhouse: Path) -> None:
    minor = sys.version_info[1]
    write_project(project, "app", extra_toml="")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[project]\n", f'[project]\nrequires-python = "<3.{minor}"\n'))
    text, venv = fails(project, wheelhouse)
    line = next(x for x in text.splitlines() if "requires-python" in x)
    assert f"{pyproject} requires-python <3.{minor} is not satisfied: " in line
    assert f"is CPython {sys.version_info[0]}.{minor}." in line or "PyPy" in line
    assert f"`virtualenv -p 3.{minor - 1} --seeder ready {venv}`" in line
    assert status(venv) == "incomplete"
    assert bin_path(venv, "python").exists()  # the env is kept
    assert "app" not in installed(venv)


def test_python_version_file_mismatch_warns(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    (project / ".python-version").write_text("3.4\n")
    (project / "requirements.txt").write_text("alpha\n")
    venv = ready()
    assert f"{project / '.python-version'} asks for Python 3.4" in caplog.text
    assert f"`virtualenv -p 3.4 --seeder ready {venv}`" in caplog.text
    assert "alpha" in installed(venv)


def test_uv_refuses_editable_vcs_lines_naming_pip(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n-e git+https://example.invalid/thing.git#egg=thing\n")
    # a direct VCS reference is a source the project chose: allowed here, so uv's own limit is what refuses it
    text, venv = fails(project, wheelhouse, "--ready-installer", "uv", "--ready-allow-project-sources")
    assert ": -e git+https://example.invalid/thing.git#egg=thing: uv cannot" in text
    assert "--ready-installer pip" in text
    assert status(venv) == "incomplete"


def test_nothing_to_install_says_what_was_found(project: Path, wheelhouse: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr
    assert (
        "nothing to install in "
        f"{project}: found pyproject.toml; pyproject.toml has no [project], [build-system] or [tool.poetry] table"
    ) in out.stdout + out.stderr
