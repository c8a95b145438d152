"""The `ready` seeder end to end: real virtualenv, real uv and pip, the offline wheelhouse."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from helpers import installed, offline, virtualenv_cmd
from wheels import write_project

INSTALLERS = ["uv", "pip"]


def record(venv: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((venv / "virtualenv-ready.json").read_text())


@pytest.mark.parametrize("installer", INSTALLERS)
def test_requirements_txt(project: Path, ready, installer: str) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha==1.0\nbeta\n")
    venv = ready(installer=installer)
    found = installed(venv)
    assert found["alpha"] == "1.0"
    assert found["beta"] == "1.0"
    assert "pip" in found  # app-data seeding still happened
    data = record(venv)
    assert data["status"] == "complete"
    assert data["installer"]["name"] == installer
    assert data["summary"] == "requirements.txt"
    assert str(project / "requirements.txt") in data["inputs"]
    assert data["installed"]["beta"] == "1.0"


@pytest.mark.parametrize("installer", INSTALLERS)
def test_pyproject_project_extras_groups(project: Path, ready, installer: str) -> None:  # type: ignore[no-untyped-def]
    write_project(
        project,
        "demo-app",
        dependencies=["alpha<2"],
        optional={"fast": ["delta"]},
        groups={"dev": ["epsilon"], "test": [{"include-group": "dev"}, "gamma"]},
    )
    venv = ready("--ready-extras", "fast", "--ready-groups", "test", installer=installer)
    found = installed(venv)
    assert found["demo-app"] == "1.0"
    assert found["alpha"] == "1.0"
    assert found["delta"] == "1.0"  # extra
    assert found["epsilon"] == "1.0"  # included group
    assert found["gamma"] == "1.0"  # built from the sdist
    # editable: the source folder is what gets imported
    py = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    import subprocess

    out = subprocess.run(
        [py, "-c", "import demo_app; print(demo_app.__file__)"], capture_output=True, text=True, check=True
    )
    assert Path(out.stdout.strip()).resolve() == (project / "src" / "demo_app" / "__init__.py").resolve()


def test_dev_group_is_the_default(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", groups={"dev": ["epsilon"], "other": ["alpha"]})
    venv = ready()
    found = installed(venv)
    assert "epsilon" in found
    assert "alpha" not in found
    assert record(venv)["summary"] == "pyproject.toml [dev]"


def test_groups_without_project_table(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "pyproject.toml").write_text('[dependency-groups]\ndev = ["beta"]\n')
    venv = ready()
    assert {"alpha", "beta"} <= set(installed(venv))


def test_no_project_skips_the_editable(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", dependencies=["alpha"], groups={"dev": ["delta"]})
    venv = ready("--ready-no-project")
    found = installed(venv)
    assert "app" not in found
    assert "alpha" not in found
    assert "delta" in found


def test_requirements_and_pyproject_in_one_run(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", dependencies=["needs-old-alpha"], groups={"dev": ["delta"]})
    (project / "requirements.txt").write_text("alpha\n")
    venv = ready()
    found = installed(venv)
    # one resolver saw both: alpha from requirements.txt honours app's alpha<2
    assert found["alpha"] == "1.0"
    data = record(venv)
    assert data["summary"] == "requirements.txt + pyproject.toml [dev]"
    assert len(data["commands"]) == 1


def test_named_requirement_files_replace_the_defaults(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    (project / "base.txt").write_text("delta\n")
    (project / "dev.txt").write_text("-r base.txt\nepsilon\n")
    venv = ready("--ready-requirement", "dev.txt")
    found = installed(venv)
    assert {"delta", "epsilon"} <= set(found)
    assert "alpha" not in found
    # the included file is an input too: changing it must be noticed
    assert str(project / "base.txt") in record(venv)["inputs"]


def test_constraints_apply_to_everything(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("beta\n")
    (project / "constraints.txt").write_text("alpha<2\n")
    venv = ready("--ready-constraint", "constraints.txt")
    assert installed(venv)["alpha"] == "1.0"


def test_dry_run_installs_nothing_and_hides_credentials(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    caplog.set_level("INFO")
    venv = ready("--ready-dry-run", "--ready-extra-index-url", "https://user:s3cr3t@example.invalid/simple?token=t0k3n")
    assert "alpha" not in installed(venv)
    text = caplog.text
    assert "would install requirements.txt with uv" in text
    assert "--extra-index-url" in text
    assert "s3cr3t" not in text
    assert "t0k3n" not in text
    assert "****@example.invalid" in text
    assert not (venv / "virtualenv-ready.json").exists()


@pytest.mark.parametrize("installer", INSTALLERS)
def test_no_pip_still_installs(project: Path, ready, installer: str) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    venv = ready("--no-pip", "--no-setuptools", installer=installer)
    found = installed(venv)
    assert "alpha" in found
    assert "pip" not in found  # the embedded pip wheel ran from outside the env
    if installer == "pip":
        assert "embedded" not in json.dumps(record(venv)["installer"])  # only name and version are recorded
        assert record(venv)["installer"]["name"] == "pip"


def test_app_data_options_still_work(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    from virtualenv.seed.wheels.embed import BUNDLE_SUPPORT

    pips = sorted({w for v in BUNDLE_SUPPORT.values() for k, w in v.items() if k == "pip"})
    version = pips[0].split("-")[1]
    venv = ready("--pip", version, "--no-setuptools")
    found = installed(venv)
    assert found["pip"] == version
    assert "setuptools" not in found


def test_nothing_to_install(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    venv = ready()
    assert record(venv)["status"] == "complete"
    assert "nothing to install" in caplog.text


def test_project_found_in_a_parent(project: Path, ready, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", groups={"dev": ["delta"]})
    sub = project / "docs" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    venv = ready()
    assert {"app", "delta"} <= set(installed(venv))
    assert record(venv)["project"] == str(project)


def test_walk_up_stops_at_vcs_root(tmp_path: Path, ready, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    write_project(tmp_path / "outer", "outer", groups={"dev": ["delta"]})
    inner = tmp_path / "outer" / "repo"
    (inner / ".git").mkdir(parents=True)
    monkeypatch.chdir(inner)
    venv = ready()
    assert "delta" not in installed(venv)


def test_virtualenv_command_logs_the_summary(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", dependencies=["alpha"], groups={"dev": ["delta"]})
    (project / "requirements.txt").write_text("beta\n")
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr + out.stdout
    assert "installed 4 packages from requirements.txt + pyproject.toml [dev] with uv in" in out.stdout + out.stderr
    assert {"app", "alpha", "beta", "delta"} <= set(installed(project / ".venv"))


def test_verbose_shows_the_installer_output(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    out = virtualenv_cmd("-v", "--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert out.returncode == 0, out.stderr
    assert "+ alpha==2.0" in out.stdout + out.stderr  # uv's own report
    assert "run " in out.stdout + out.stderr


def test_creating_into_an_up_to_date_env_installs_nothing(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    first = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert first.returncode == 0, first.stderr
    before = record(project / ".venv")
    again = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert again.returncode == 0, again.stderr
    assert "is already up to date with requirements.txt" in again.stdout + again.stderr
    after = record(project / ".venv")
    assert after["status"] == "complete"
    assert after["commands"] == before["commands"]
    # a changed input is noticed by the next creation
    (project / "requirements.txt").write_text("alpha\nzeta\n")
    third = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), cwd=project)
    assert third.returncode == 0, third.stderr
    assert "zeta" in installed(project / ".venv")


def test_relative_find_links_is_relative_to_where_virtualenv_runs(
    project: Path, wheelhouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    write_project(project, "app", groups={"dev": ["zeta"]})
    sub = project / "work"
    shutil.copytree(wheelhouse, sub / "house")
    monkeypatch.chdir(sub)  # the project is found in the parent, the installer runs there
    from virtualenv import cli_run

    cli_run(
        ["env", "--seeder", "ready", "--activators", "", "--ready-no-index", "--ready-find-links", "house"],
        setup_logging=False,
    )
    assert "zeta" in installed(sub / "env")
