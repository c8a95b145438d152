"""Seeding through uv puts exactly what app-data seeding puts in the env, for every seed option, and pip works."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import bin_path, installed, offline, virtualenv_cmd
from wheels import make_wheel, repack


def _embedded() -> dict[str, list[str]]:
    """Versions of each seed wheel virtualenv ships, oldest first."""
    from virtualenv.seed.wheels.embed import BUNDLE_FOLDER

    found: dict[str, list[str]] = {}
    for wheel in sorted(Path(BUNDLE_FOLDER).glob("*.whl")):
        name, version = wheel.name.split("-")[:2]
        found.setdefault(name, []).append(version)
    for versions in found.values():
        versions.sort(key=lambda v: tuple(int(p) for p in v.split(".") if p.isdigit()))
    return found


@pytest.fixture(scope="module")
def seed_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A search dir with a pip no virtualenv bundles (this test env's own, repacked), and a folder holding only the
    oldest embedded pip and setuptools, which an offline ``--download`` finds as the newest there are."""
    search = tmp_path_factory.mktemp("extra-search")
    repack(search, "pip")
    downloads = tmp_path_factory.mktemp("downloads")
    from virtualenv.seed.wheels.embed import BUNDLE_FOLDER

    for name, versions in _embedded().items():
        shutil.copy(Path(BUNDLE_FOLDER) / f"{name}-{versions[0]}-py3-none-any.whl", downloads)
    return {"search": search, "downloads": downloads}


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """alpha 1.0 and 2.0 only. The suite's wheelhouse repacks this env's setuptools, which may be a second build of
    the seed version: that sends the seed wheels to a run of their own (tested below), not into the project's."""
    house = tmp_path_factory.mktemp("alpha-house")
    make_wheel(house, "alpha", "1.0")
    make_wheel(house, "alpha", "2.0")
    return house


def _create(dest: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    out = virtualenv_cmd(str(dest), "--activators", "", *args, cwd=dest.parent, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def _matrix() -> list[pytest.param]:  # type: ignore[valid-type]
    from importlib.metadata import version

    embedded = _embedded()
    older_pip = embedded["pip"][0]
    older_setuptools = embedded.get("setuptools", [""])[0]
    return [
        pytest.param([], id="default"),
        pytest.param(["--pip", older_pip], id="pip-version"),
        pytest.param(["--pip", "embed", "--setuptools", "embed"], id="embed"),
        pytest.param(["--pip", "bundle", "--setuptools", "bundle"], id="bundle"),
        pytest.param(["--setuptools", older_setuptools], id="setuptools-version"),
        pytest.param(["--setuptools", "none"], id="setuptools-none"),
        pytest.param(["--no-pip"], id="no-pip"),
        pytest.param(["--no-setuptools"], id="no-setuptools"),
        pytest.param(["--no-periodic-update"], id="no-periodic-update"),
        pytest.param(["--extra-search-dir", "{search}", "--pip", version("pip")], id="extra-search-dir"),
        pytest.param(["--download"], id="download"),
    ]


@pytest.mark.parametrize("seed_args", _matrix())
def test_same_distributions_as_app_data(
    tmp_path: Path, wheelhouse: Path, seed_dirs: dict[str, Path], seed_args: list[str]
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "requirements.txt").write_text("alpha==1.0\n")
    args = [a.format(**seed_dirs) for a in seed_args]
    env = {**os.environ, "VIRTUALENV_OVERRIDE_APP_DATA": str(tmp_path / "app-data")}
    if "--download" in args:
        # an offline download: pip finds only the folder's older wheels, so a bundled one would show up as a mismatch
        env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(seed_dirs["downloads"]), "PIP_INDEX_URL": "file:///none"}
    app_data = tmp_path / "app-data-env"
    _create(app_data, ["--seeder", "app-data", *args], env)
    uv_env = project / ".venv"
    _create(uv_env, ["--seeder", "ready", "--ready-installer", "uv", *offline(wheelhouse), *args], env)

    seeded = installed(app_data)
    assert installed(uv_env) == {**seeded, "alpha": "1.0"}
    data = json.loads((uv_env / "virtualenv-ready.json").read_text())
    assert data["seed_via"] == "uv"
    assert len(data["commands"]) == 1, "the seed wheels went into the project's uv run"
    assert data["seed_commands"] == []
    if "--download" in args:
        assert seeded == {name: versions[0] for name, versions in _embedded().items()}


def test_pip_works_in_a_uv_seeded_env(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha==1.0\n")
    venv = project / ".venv"
    _create(venv, ["--seeder", "ready", "--ready-installer", "uv", *offline(wheelhouse)], dict(os.environ))
    pip = str(bin_path(venv, "pip"))
    version = subprocess.run([pip, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith(f"pip {installed(venv)['pip']} from {venv}")
    subprocess.run(
        [pip, "install", "--no-index", "--find-links", str(wheelhouse), "alpha==2.0"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert installed(venv)["alpha"] == "2.0"
    gone = subprocess.run([pip, "uninstall", "--yes", "pip"], capture_output=True, text=True, check=False)
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert "pip" not in installed(venv)


def test_the_project_pin_wins_over_the_seed(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    from virtualenv.seed.wheels.embed import BUNDLE_FOLDER

    older = _embedded()["setuptools"][0]
    links = tmp_path / "links"
    links.mkdir()
    shutil.copy(Path(BUNDLE_FOLDER) / f"setuptools-{older}-py3-none-any.whl", links)
    (project / "requirements.txt").write_text(f"alpha\nsetuptools=={older}\n")
    venv = project / ".venv"
    args = ["--seeder", "ready", *offline(wheelhouse), "--ready-find-links", str(links), "--setuptools", "bundle"]
    _create(venv, args, dict(os.environ))
    found = installed(venv)
    assert found["setuptools"] == older
    assert "pip" in found
    data = json.loads((venv / "virtualenv-ready.json").read_text())
    assert len(data["seed_commands"]) == 1, "named by the project: seeded in a run of its own, before the project's"


def test_a_dependency_that_needs_another_seed_version_wins(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    """Not named by the project, so the seed wheels go into its run first; they conflict, so it seeds, then installs."""
    from virtualenv.seed.wheels.embed import BUNDLE_FOLDER

    versions = _embedded()["setuptools"]
    links = tmp_path / "links"
    links.mkdir()
    shutil.copy(Path(BUNDLE_FOLDER) / f"setuptools-{versions[0]}-py3-none-any.whl", links)
    make_wheel(links, "needs-old-setuptools", "1.0", [f"setuptools<{versions[-1]}"])
    (project / "requirements.txt").write_text("needs-old-setuptools\n")
    venv = project / ".venv"
    args = ["--seeder", "ready", *offline(wheelhouse), "--ready-find-links", str(links), "--setuptools", versions[-1]]
    out = _create(venv, args, dict(os.environ))
    assert installed(venv)["setuptools"] == versions[0]
    assert "No solution found" not in out.stdout + out.stderr, "the first attempt's failure is not shown"
    data = json.loads((venv / "virtualenv-ready.json").read_text())
    assert len(data["seed_commands"]) == 1
    assert len(data["commands"]) == 1


@pytest.mark.parametrize(
    ("args", "via"),
    [
        pytest.param(["--ready-installer", "pip"], "app-data", id="pip-installer"),
        pytest.param(["--symlink-app-data"], "symlink", id="symlink-app-data"),
    ],
)
def test_app_data_keeps_seeding(project: Path, wheelhouse: Path, args: list[str], via: str) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    venv = project / ".venv"
    _create(venv, ["--seeder", "ready", *offline(wheelhouse), *args], dict(os.environ))
    data = json.loads((venv / "virtualenv-ready.json").read_text())
    assert data["seed_via"] == via
    assert data["seed_commands"] == []
    site = next(Path(p) for p in (venv / "lib").glob("python*/site-packages")) if os.name != "nt" else None
    if via == "symlink" and site is not None:
        assert (site / "pip").is_symlink()


def test_rerun_into_an_up_to_date_env_seeds_nothing(project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    venv = project / ".venv"
    args = ["--seeder", "ready", *offline(wheelhouse)]
    first = _create(venv, ["-v", *args], dict(os.environ))
    assert _installer_runs(first) == 1, "the seed wheels and the project in one uv run"
    marker = venv / "virtualenv-ready.json"
    pip_files = {p: p.stat().st_mtime_ns for p in venv.rglob("pip/__init__.py")}
    assert pip_files
    before = json.loads(marker.read_text())
    again = _create(venv, ["-v", *args], dict(os.environ))
    assert "already up to date" in again.stdout + again.stderr
    assert _installer_runs(again) == 0
    assert {p: p.stat().st_mtime_ns for p in pip_files} == pip_files, "pip was not copied again"
    assert json.loads(marker.read_text())["seed_commands"] == before["seed_commands"]
    # asking for other seed packages is a change: it seeds again
    older = _embedded()["pip"][0]
    _create(venv, [*args, "--pip", older], dict(os.environ))
    assert installed(venv)["pip"] == older


def _installer_runs(out: subprocess.CompletedProcess[str]) -> int:
    """Installer processes started, from the `run ...` lines -v prints."""
    return sum(line.startswith("run ") for line in (out.stdout + out.stderr).splitlines())


def test_another_build_of_the_seed_version_does_not_replace_virtualenvs(
    project: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    """A find-links folder with a different file of the same seed version: the hash pin lets only virtualenv's in
    (when uv picks the other file, the joint run fails and the seed wheels get a run of their own, from
    virtualenv's folder alone)."""
    import zipfile

    from virtualenv.seed.wheels.embed import BUNDLE_FOLDER

    version = _embedded()["setuptools"][-1]
    links = tmp_path / "links"
    links.mkdir()
    rebuilt = links / f"setuptools-{version}-py3-none-any.whl"
    shutil.copy(Path(BUNDLE_FOLDER) / rebuilt.name, rebuilt)
    with zipfile.ZipFile(rebuilt, "a") as archive:
        archive.writestr("rebuilt_marker.py", "")
    (project / "requirements.txt").write_text("alpha\n")
    venv = project / ".venv"
    args = ["--seeder", "ready", *offline(wheelhouse), "--ready-find-links", str(links), "--setuptools", version]
    _create(venv, args, dict(os.environ))
    assert installed(venv)["setuptools"] == version
    assert not list(venv.rglob("rebuilt_marker.py")), "virtualenv's own wheel, not the other build"


def test_a_plain_creation_loads_only_what_it_uses(wheelhouse: Path, tmp_path: Path) -> None:
    """Every module a creation imports is paid on each `virtualenv` run: a pinned requirements file, no consent asked
    (ready named on the command line), no lock and no options in the file load neither the consent store, nor the
    lock check, nor pip's option parser."""
    import sys

    project = tmp_path / "pinned"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "requirements.txt").write_text("alpha==2.0\n", encoding="utf-8")
    unused = ("optparse", "virtualenv_ready.trust", "virtualenv_ready.unmet")
    argv = [str(tmp_path / "venv"), "--seeder", "ready", "--activators", "", "--ready-installer", "uv"]
    argv += ["--ready-no-index", "--ready-find-links", str(wheelhouse), "--ready-project", str(project)]
    code = (
        "import sys\nfrom virtualenv import cli_run\n"
        f"cli_run({argv!r}, setup_logging=False)\nprint(sorted(name for name in {unused!r} if name in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "alpha" in installed(tmp_path / "venv")
    assert out.stdout.splitlines()[-1] == "[]", out.stdout
