"""Every fix a message suggests works: each test provokes the message, takes the fix from its text (the command in
backticks, the option it names) and runs it as the user would."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import installed, offline, virtualenv_cmd
from wheels import write_project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the commands are run as a POSIX shell would")


def error_of(out: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a failed run, in the one style."""
    assert out.returncode != 0, out.stdout + out.stderr
    (line,) = [line for line in out.stderr.splitlines() if line.startswith("virtualenv-ready: error: ")]
    assert "Error:" not in out.stdout + out.stderr, out.stdout + out.stderr  # no Python class name
    return line


def commands(text: str) -> list[list[str]]:
    """The commands in backticks, split as a shell would."""
    return [shlex.split(found) for found in re.findall(r"`([^`]+)`", text)]


def run_command(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A suggested command, with this interpreter's modules for the package's and virtualenv's own commands."""
    modules = {"virtualenv-ready": "virtualenv_ready", "virtualenv": "virtualenv"}
    if argv[0] in modules:
        argv = [sys.executable, "-m", modules[argv[0]], *argv[1:]]
    return subprocess.run(
        argv, cwd=cwd, env=env or dict(os.environ), capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.parametrize("fix", ["copy", "option"])
def test_a_requirements_include_outside_the_project(project: Path, wheelhouse: Path, tmp_path: Path, fix: str) -> None:
    outside = project.parent / "outside.txt"
    outside.write_text("zeta\n", encoding="utf-8")
    (project / "requirements.txt").write_text("-r ../outside.txt\nbeta\n", encoding="utf-8")
    args = ["--seeder", "ready", *offline(wheelhouse)]
    line = error_of(virtualenv_cmd(*args, str(tmp_path / "refused"), cwd=project))
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")  # both fixes take the line out
    if fix == "copy":
        (source,) = re.findall(r"copy (\S+) into the project and name the copy instead", line)
        shutil.copy(shlex.split(source)[0], project / "copy.txt")
        (project / "requirements.txt").write_text("-r copy.txt\nbeta\n", encoding="utf-8")
        extra: list[str] = []
    else:
        (passed,) = re.findall(r"pass (--ready-requirement \S+) together with --ready-requirement for each", line)
        extra = [*shlex.split(passed), "--ready-requirement", "requirements.txt"]
    out = virtualenv_cmd(*args, *extra, str(tmp_path / "venv"), cwd=project)
    assert out.returncode == 0, out.stderr
    assert {"beta", "zeta"} <= set(installed(tmp_path / "venv"))


def test_a_constraints_include_outside_the_project(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    (project.parent / "pins.txt").write_text("alpha==1.0\n", encoding="utf-8")
    (project / "requirements.txt").write_text("-c ../pins.txt\nbeta\n", encoding="utf-8")
    args = ["--seeder", "ready", *offline(wheelhouse)]
    line = error_of(virtualenv_cmd(*args, str(tmp_path / "refused"), cwd=project))
    (passed,) = re.findall(r"delete that line and pass (--ready-constraint \S+)$", line)
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    out = virtualenv_cmd(*args, *shlex.split(passed), str(tmp_path / "venv"), cwd=project)
    assert out.returncode == 0, out.stderr
    assert installed(tmp_path / "venv")["alpha"] == "1.0"


def test_a_source_option_in_a_project_file(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    """The allowance names three spellings (option, variable, ini key): each works."""
    (project / "requirements.txt").write_text(f"--find-links {wheelhouse}\nbeta\n", encoding="utf-8")
    args = ["--seeder", "ready", *offline(wheelhouse)]
    line = error_of(virtualenv_cmd(*args, str(tmp_path / "refused"), cwd=project))
    found = re.search(r"allow it with (--ready-\S+) \((VIRTUALENV_READY_\w+), or (ready_\w+) in virtualenv.ini\)", line)
    assert found is not None, line
    option, variable, key = found.groups()
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\n{key} = true\n", encoding="utf-8")
    for number, (extra, env) in enumerate(
        [
            ([option], dict(os.environ)),
            ([], {**os.environ, variable: "1"}),
            ([], {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)}),
        ]
    ):
        out = virtualenv_cmd(*args, *extra, str(tmp_path / f"venv{number}"), cwd=project, env=env)
        assert out.returncode == 0, (extra, out.stderr)
        assert "beta" in installed(tmp_path / f"venv{number}")


def test_a_project_not_trusted_yet(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)}
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    out = virtualenv_cmd(str(tmp_path / "venv"), cwd=project, env=env)
    assert out.returncode == 0, out.stderr
    (line,) = [line for line in out.stderr.splitlines() if "was not installed" in line]
    suggested = commands(line.split("Trust it with", 1)[1])
    assert [argv[:2] for argv in suggested] == [["virtualenv-ready", "trust"], ["virtualenv-ready", "sync"]], line
    for argv in suggested:
        done = run_command(argv, project, env)
        assert done.returncode == 0, (argv, done.stderr)
    assert "beta" in installed(tmp_path / "venv")


def test_uv_asked_for_and_missing(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    hidden = tmp_path / "no-uv"
    (hidden / "uv").mkdir(parents=True)
    (hidden / "uv" / "__init__.py").write_text("raise ImportError('hidden by the test')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hidden), "PATH": os.pathsep.join(["/usr/bin", "/bin"])}
    if any(Path(folder, "uv").exists() for folder in env["PATH"].split(os.pathsep)):
        pytest.skip("uv is installed system-wide")
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    args = ["--seeder", "ready", *offline(wheelhouse)]
    line = error_of(virtualenv_cmd(*args, "--ready-installer", "uv", str(tmp_path / "refused"), cwd=project, env=env))
    (install,) = commands(line.split("install it with", 1)[1].split("(or put", 1)[0])
    assert install == ["pip", "install", "virtualenv-ready[uv]"], line  # one word for the shell (zsh globs [])
    (option,) = re.findall(r"or pass (--ready-installer \w+)$", line)
    out = virtualenv_cmd(*args, *shlex.split(option), str(tmp_path / "venv"), cwd=project, env=env)
    assert out.returncode == 0, out.stderr
    assert "beta" in installed(tmp_path / "venv")


def _other_python() -> tuple[str, str] | None:
    """Another CPython than the one running the tests (on PATH, or pyenv's): (its path, its X.Y)."""
    for minor in sorted(range(9, 16), key=lambda minor: abs(minor - sys.version_info.minor)):
        version = f"3.{minor}"
        if version == f"{sys.version_info.major}.{sys.version_info.minor}":
            continue
        pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
        candidates = [shutil.which(f"python{version}"), *sorted(pyenv.glob(f"{version}.*/bin/python{version}"))]
        for found in filter(None, candidates):
            if subprocess.run([found, "-c", ""], capture_output=True, check=False).returncode == 0:
                return str(found), version
    return None


def test_a_python_the_project_does_not_support(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    other = _other_python()
    if other is None:
        pytest.skip("no second Python on PATH")
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    write_project(project, "demo", dependencies=["beta"])
    with (project / "pyproject.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'requires-python = "=={here}.*"\n')  # still the [project] table
    venv = tmp_path / "venv"
    line = error_of(virtualenv_cmd("--seeder", "ready", "-p", other[0], *offline(wheelhouse), str(venv), cwd=project))
    (argv,) = commands(line)
    assert argv[:3] == ["virtualenv", "-p", here], line
    env = {**os.environ, "VIRTUALENV_READY_NO_INDEX": "1", "VIRTUALENV_READY_FIND_LINKS": str(wheelhouse)}
    done = run_command(argv, project, env)
    assert done.returncode == 0, done.stderr
    assert "beta" in installed(venv)


def test_a_stale_uv_lock(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    # the user's own uv, offline through its own variables (the package never reads them)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "UV_NO_INDEX": "1"}
    env["UV_FIND_LINKS"] = str(wheelhouse)
    write_project(project, "demo", dependencies=["beta"])
    assert run_command(["uv", "lock"], project, env).returncode == 0
    write_project(project, "demo", dependencies=["beta", "zeta"])  # the lock is now out of date
    args = ["--seeder", "ready", *offline(wheelhouse)]
    out = virtualenv_cmd(*args, str(tmp_path / "stale"), cwd=project)
    assert out.returncode == 0, out.stderr
    (line,) = [line for line in out.stderr.splitlines() if "is out of date" in line]
    (argv,) = commands(line)
    assert argv == ["uv", "lock"], line
    assert run_command(argv, project, env).returncode == 0
    out = virtualenv_cmd(*args, str(tmp_path / "venv"), cwd=project)
    assert out.returncode == 0, out.stderr
    assert "out of date" not in out.stderr and "uv.lock" in out.stderr, out.stderr
    assert {"beta", "zeta", "demo"} <= set(installed(tmp_path / "venv"))


@pytest.mark.parametrize("fix", ["copy", "allow"])
def test_a_path_reference_outside_the_project(project: Path, wheelhouse: Path, tmp_path: Path, fix: str) -> None:
    wheel = "zeta-1.0-py3-none-any.whl"
    shutil.copy(wheelhouse / wheel, project.parent / wheel)
    (project / "requirements.txt").write_text(f"../{wheel}\n", encoding="utf-8")
    args = ["--seeder", "ready", *offline(wheelhouse)]
    line = error_of(virtualenv_cmd(*args, str(tmp_path / "refused"), cwd=project))
    extra: list[str] = []
    if fix == "copy":
        assert "copy it into the project and name the copy instead" in line, line
        shutil.copy(project.parent / wheel, project / wheel)
        (project / "requirements.txt").write_text(f"./{wheel}\n", encoding="utf-8")
    else:
        (option,) = re.findall(r"allow it with (--ready-\S+) ", line)
        extra = [option]
    out = virtualenv_cmd(*args, *extra, str(tmp_path / "venv"), cwd=project)
    assert out.returncode == 0, out.stderr
    assert "zeta" in installed(tmp_path / "venv")
