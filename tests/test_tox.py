"""The tox plugin end to end: the real `tox` on projects written here, offline through the test wheelhouse."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import ROOT, bin_path, installed
from tox_helpers import record_of, run_tox, tox_cache
from wheels import write_project

NO_SEEDER_LEAK = (
    """python -c 'import os; assert "VIRTUALENV_SEEDER" not in os.environ, os.environ["VIRTUALENV_SEEDER"]'"""
)


def make_project(root: Path, tox_ini: str, **kwargs: object) -> Path:
    """`proj` (depends on alpha; extra `fast` -> delta; groups dev -> zeta, test -> epsilon) with this tox.ini."""
    defaults: dict[str, object] = {
        "dependencies": ["alpha"],
        "optional": {"fast": ["delta"]},
        "groups": {"dev": ["zeta"], "test": ["epsilon"]},
    }
    defaults.update(kwargs)
    write_project(root, "proj", **defaults)  # type: ignore[arg-type]
    (root / ".git").mkdir(exist_ok=True)
    (root / "tox.ini").write_text(textwrap.dedent(tox_ini).lstrip(), encoding="utf-8")
    return root


def ok(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_a_failed_creation_is_one_line_not_an_internal_error(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        skip_install = true
        ready_requirements = requirements.txt
        commands = python -c pass
        """,
    )
    (project / "requirements.txt").write_text("no-such-package-anywhere\n", encoding="utf-8")

    result = run_tox(project, tox_env, "run", "-e", "a")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "virtualenv-ready: " in output and "no-such-package-anywhere" in output, output
    assert "internal error" not in output and "Traceback" not in output, output


def test_ready_installs_groups_extras_and_requirements(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        f"""
        [testenv:a]
        ready = true
        skip_install = true
        ready_groups = test
        ready_extras = fast
        ready_requirements = requirements/extra.txt
        commands =
            python -c 'import alpha, delta, epsilon, beta, proj'
            {NO_SEEDER_LEAK}
        """,
    )
    (project / "requirements").mkdir()
    (project / "requirements" / "extra.txt").write_text("beta\n", encoding="utf-8")

    output = ok(run_tox(project, tox_env, "run", "-e", "a"))

    venv = project / ".tox" / "a"
    have = installed(venv)
    assert {"alpha", "delta", "epsilon", "beta", "proj"} <= set(have), output
    assert "virtualenv-ready: make" not in output  # the seeder did it at creation, not the fallback
    assert "re-sync" not in output
    assert "zeta" not in have  # only the group asked for, not the default `dev`
    assert any(p.name.endswith("_editable.pth") for p in venv.rglob("_proj_editable.pth"))  # ready's editable
    data = record_of(venv)
    assert data["status"] == "complete"
    options = data["options"]
    assert isinstance(options, dict)
    assert options["groups"] == ["test"]
    assert options["extras"] == ["fast"]
    assert options["requirements"] == [str(project / "requirements" / "extra.txt")]
    assert options["no_index"] is True
    assert data["project"] == str(project)
    assert (
        bin_path(venv, "activate-ci.cmd" if sys.platform == "win32" else "activate-ci")
    ).is_file()  # our activators come with virtualenv
    assert tox_cache(venv)["Python"]["virtualenv-ready"] is True  # type: ignore[index]


def test_ready_false_leaves_tox_untouched(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        f"""
        [testenv:plain]
        skip_install = true
        commands = {NO_SEEDER_LEAK}

        [testenv:off]
        ready = false
        skip_install = true
        commands = python -c 'print("off")'
        """,
    )
    output = ok(run_tox(project, tox_env, "run", "-e", "plain,off"))

    for name in ("plain", "off"):
        venv = project / ".tox" / name
        assert not (venv / "virtualenv-ready.json").exists()
        assert set(installed(venv)) <= {"pip", "setuptools", "wheel"}, output
        cache = tox_cache(venv)
        assert "virtualenv-ready" not in cache["Python"]  # type: ignore[operator]
        assert cache["ToxEnv"]["type"] == "VirtualEnvRunner"  # type: ignore[index]
    assert "virtualenv-ready: re-sync" not in output
    assert "virtualenv-ready: make" not in output

    # turning ready on recreates the env through the seeder
    (project / "tox.ini").write_text((project / "tox.ini").read_text().replace("ready = false", "ready = true"))
    switched = ok(run_tox(project, tox_env, "run", "-e", "off"))
    assert "virtualenv-ready" in switched and "recreate" in switched, switched
    assert record_of(project / ".tox" / "off")["status"] == "complete"
    assert {"zeta", "alpha", "proj"} <= set(installed(project / ".tox" / "off"))


def test_input_change_resyncs_next_run(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        skip_install = true
        commands = python -c 'import zeta, proj'
        """,
    )
    venv = project / ".tox" / "a"
    ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert {"zeta", "alpha", "proj"} <= set(installed(venv))  # the default group `dev`
    assert "epsilon" not in installed(venv)
    marker = venv / "kept-by-resync"
    marker.write_text("", encoding="utf-8")
    updated = record_of(venv)["updated"]

    second = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync" not in second
    assert record_of(venv)["updated"] == updated  # fresh: nothing written, nothing installed

    make_project(project, (project / "tox.ini").read_text(), groups={"dev": ["zeta", "epsilon"], "test": []})
    third = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync a" in third and "pyproject.toml" in third, third
    assert {"epsilon", "delta"} <= set(installed(venv))
    assert marker.exists()  # synced in place, not recreated
    assert record_of(venv)["status"] == "complete"

    # a package removed behind the record's back comes back on the next run
    subprocess.run([str(bin_path(venv, "python")), "-m", "pip", "uninstall", "-y", "-q", "zeta"], check=True)
    assert "zeta" not in installed(venv)
    fourth = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "zeta" in fourth and "was removed" in fourth
    assert "zeta" in installed(venv)


def test_changed_keys_resync_and_recreate(tmp_path: Path, tox_env: dict[str, str]) -> None:
    ini = """
        [testenv:a]
        ready = true
        skip_install = true
        ready_groups = {groups}
        commands = python -c 'import proj'
        """
    project = make_project(tmp_path / "proj", ini.format(groups="dev"))
    venv = project / ".tox" / "a"
    ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "zeta" in installed(venv)
    assert "epsilon" not in installed(venv)

    (project / "tox.ini").write_text(textwrap.dedent(ini.format(groups="test")), encoding="utf-8")
    output = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync a" in output
    assert "epsilon" in installed(venv)
    assert "zeta" in installed(venv)  # a re-sync adds; it never removes what tox or the user put there

    marker = venv / "gone-after-recreate"
    marker.write_text("", encoding="utf-8")
    recreated = ok(run_tox(project, tox_env, "run", "-e", "a", "--recreate"))
    assert not marker.exists()
    have = installed(venv)
    assert "epsilon" in have
    assert "zeta" not in have  # a fresh env holds exactly the plan
    assert record_of(venv)["status"] == "complete"
    assert "re-sync" not in recreated  # the seeder made it ready at creation


def test_run_parallel_two_envs(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv]
        ready = true
        skip_install = true

        [testenv:one]
        ready_groups = dev
        commands = python -c 'import zeta'

        [testenv:two]
        ready_groups = test
        commands = python -c 'import epsilon'
        """,
    )
    output = ok(run_tox(project, tox_env, "run-parallel", "-e", "one,two", "-p", "2"))
    one, two = installed(project / ".tox" / "one"), installed(project / ".tox" / "two")
    assert "zeta" in one and "epsilon" not in one, output
    assert "epsilon" in two and "zeta" not in two, output
    for name in ("one", "two"):
        assert record_of(project / ".tox" / name)["status"] == "complete"

    again = ok(run_tox(project, tox_env, "run-parallel", "-e", "one,two", "-p", "2"))
    assert "re-sync" not in again


def test_alongside_tox_deps_extras_and_dependency_groups(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        ready_groups = dev
        package = wheel
        extras = fast
        deps = beta
        dependency_groups = test
        commands = python -c 'import alpha, beta, delta, epsilon, zeta, proj'
        """,
    )
    venv = project / ".tox" / "a"
    output = ok(run_tox(project, tox_env, "run", "-e", "a"))
    have = installed(venv)
    assert {"alpha", "beta", "delta", "epsilon", "zeta", "proj"} <= set(have), output
    # tox owns the project here: ready left it out, tox installed its wheel (not an editable)
    options = record_of(venv)["options"]
    assert isinstance(options, dict)
    assert options["no_project"] is True
    assert not list(venv.rglob("_proj_editable.pth"))
    assert ".pkg" in output  # built by tox's packaging env

    again = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync" not in again


def test_tox_deps_win_over_ready_and_stay(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        skip_install = true
        deps = alpha==1.0
        commands = python -c 'import beta'
        """,
        dependencies=[],
        groups={"dev": ["beta"]},
    )
    venv = project / ".tox" / "a"
    ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert installed(venv)["alpha"] == "1.0"  # ready put alpha 2.0 (for beta), then tox's deps pinned 1.0
    assert record_of(venv)["installed"]["alpha"] == "1.0"  # type: ignore[index]

    again = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync" not in again  # tox's pin is accepted, not fought over on every run
    assert installed(venv)["alpha"] == "1.0"


def test_tox_deps_win_after_notest_too(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        skip_install = true
        deps = alpha==1.0
        commands = python -c 'import beta'
        """,
        dependencies=[],
        groups={"dev": ["beta"]},
    )
    venv = project / ".tox" / "a"
    ok(run_tox(project, tox_env, "run", "-e", "a", "--notest"))  # CI: set up first, test later
    assert installed(venv)["alpha"] == "1.0"
    assert record_of(venv)["installed"]["alpha"] == "1.0"  # type: ignore[index]
    later = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync" not in later
    assert installed(venv)["alpha"] == "1.0"


def test_ready_extras_when_tox_installs_the_project_is_one_line_error(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        package = wheel
        ready_extras = fast
        commands = python -c 'print(1)'
        """,
    )
    result = run_tox(project, tox_env, "run", "-e", "a")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ready_extras = fast: tox installs the project here (package = wheel)" in output
    assert "skip_install = true" in output
    assert "Traceback" not in output


def test_bad_ready_input_fails_the_env_with_one_line(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        skip_install = true
        ready_groups = nosuch
        commands = python -c 'print(1)'
        """,
    )
    result = run_tox(project, tox_env, "run", "-e", "a")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "unknown dependency group nosuch" in output
    assert "available: dev, test" in output


def test_plugin_is_declared_and_cheap_to_import() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'entry-points.tox.virtualenv-ready = "virtualenv_ready.tox_plugin"' in text
    code = (
        "import sys, tox.plugin.manager; before = set(sys.modules); import virtualenv_ready.tox_plugin; "
        "new = sorted(set(sys.modules) - before); print(new)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # the package itself (version, lazy hook marker) and its two log filters (escaping; stdout kept for virtualenv's
    # report), which import only logging and sys
    expected = ["virtualenv_ready", "virtualenv_ready.pipes", "virtualenv_ready.safe", "virtualenv_ready.tox_plugin"]
    assert out.strip() == str(expected)


def need_tox_uv() -> None:
    import importlib.util

    if importlib.util.find_spec("tox_uv") is None:
        if os.environ.get("CI"):
            pytest.fail("tox-uv is not installed but CI is set: the test extra installs it")
        pytest.skip("tox-uv is not installed")


@pytest.mark.parametrize(
    ("runner", "installer"),
    [("uv-venv-runner", "auto"), ("uv-venv-lock-runner", "auto"), ("uv-venv-runner", "pip")],
)
def test_tox_uv_runners_get_the_plan_and_resync(
    tmp_path: Path, tox_env: dict[str, str], runner: str, installer: str
) -> None:
    """With tox-uv, its runner creates the env (no seeder runs): ready installs the plan before the commands."""
    need_tox_uv()
    tox_env = {k: v for k, v in tox_env.items() if k != "TOX_DISABLED_EXTERNAL_PLUGINS"}
    # uv venv makes envs without pip: the pip installer runs virtualenv's embedded pip wheel from outside
    tox_env["VIRTUALENV_READY_INSTALLER"] = installer
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        package = wheel
        ready_requirements = requirements.txt
        commands = python -c 'import alpha, beta, proj'
        """,
    )
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    if runner == "uv-venv-lock-runner":
        from virtualenv_ready.installers.uv import find_uv

        uv = find_uv()
        assert uv is not None, "the test extra installs uv"
        locked = subprocess.run(
            [uv.argv[0], "lock"], cwd=project, env=tox_env, capture_output=True, text=True, check=False
        )
        assert locked.returncode == 0, locked.stderr
        # tox-uv's default for this runner; uv sync's own default: the env is exactly the lock on every run
        (project / "tox.ini").write_text((project / "tox.ini").read_text() + f"runner = {runner}\n")
    else:
        # the default runner once tox-uv is installed: no `runner` key at all
        assert "runner" not in (project / "tox.ini").read_text()

    output = ok(run_tox(project, tox_env, "run", "-e", "a"))
    venv = project / ".tox" / "a"
    assert tox_cache(venv)["ToxEnv"]["type"] == ("UvVenvLockRunner" if "lock" in runner else "UvVenvRunner"), output  # type: ignore[index]
    assert "virtualenv-ready: make a ready" in output
    assert f"with {'pip' if installer == 'pip' else 'uv'} in" in output
    assert {"alpha", "beta", "proj"} <= set(installed(venv))
    data = record_of(venv)
    assert data["status"] == "complete"
    assert data["options"]["no_index"] is True  # type: ignore[index]  # the user's VIRTUALENV_READY_* reached it

    (project / "requirements.txt").write_text("beta\ndelta\n", encoding="utf-8")
    again = ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "virtualenv-ready: re-sync a:" in again
    assert "delta" in installed(venv)
    assert record_of(venv)["status"] == "complete"

    third = ok(run_tox(project, tox_env, "run", "-e", "a"))
    if runner == "uv-venv-runner":
        assert "re-sync" not in third  # fresh: nothing installed
        return
    # uv sync makes the env exactly the lock on every run: the plan's packages beyond it come back after it
    assert "virtualenv-ready: re-sync a: beta 1.0 was removed; delta 1.0 was removed" in third
    (project / "tox.ini").write_text((project / "tox.ini").read_text() + "uv_sync_flags = --inexact\n")
    ok(run_tox(project, tox_env, "run", "-e", "a"))
    assert "re-sync" not in ok(run_tox(project, tox_env, "run", "-e", "a"))  # --inexact keeps them


OURS = ("venv-run", "activate-ci", "activate-policy.ps1", "activate.elv")


def own_scripts(venv: Path) -> list[str]:
    """Our activators' files in an env (virtualenv's own are not counted)."""
    return [name for name in OURS if (venv / ("Scripts" if sys.platform == "win32" else "bin") / name).exists()]


def default_ready(tmp_path: Path, tox_env: dict[str, str], extra: str = "") -> dict[str, str]:
    """`ready` as virtualenv.ini's default seeder (as 0.1.0's enable wrote it), read by every virtualenv run."""
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\n{extra}", encoding="utf-8")
    return {**tox_env, "VIRTUALENV_CONFIG_FILE": str(ini)}


def test_package_env_stays_plain_and_the_project_is_installed_once(tmp_path: Path, tox_env: dict[str, str]) -> None:
    """Opted in for tools: run envs get ready's groups, tox's package env nothing, and the project comes from tox."""
    from helpers import trust

    env = default_ready(tmp_path, tox_env, "ready_in_tools = true\n")
    project = make_project(
        tmp_path / "proj",
        """
        [testenv]
        package = wheel

        [testenv:plain]
        commands = python -c 'import proj, zeta'

        [testenv:r]
        ready = true
        commands = python -c 'import proj, zeta'
        """,
    )
    trust(project, env)
    output = ok(run_tox(project, env, "run", "-e", "plain,r"))

    pkg = project / ".tox" / ".pkg"
    assert pkg.is_dir(), output
    assert not (pkg / "virtualenv-ready.json").exists()
    assert not {"alpha", "zeta", "proj"} & set(installed(pkg)), output  # the build env got no requirements
    assert own_scripts(pkg) == []
    for name in ("plain", "r"):
        venv = project / ".tox" / name
        have = installed(venv)
        assert {"proj", "alpha", "zeta"} <= set(have), output
        # the project once, by tox (its wheel), never ready's editable install before it
        assert not list(venv.rglob("_proj_editable.pth")), name
        assert not list(venv.rglob("__editable__*proj*")), name
    assert own_scripts(project / ".tox" / "plain") == []  # only envs with ready = true get our activators
    assert own_scripts(project / ".tox" / "r") == list(OURS)
    assert tox_cache(pkg)["ToxEnv"]["type"] == "Pep517VirtualEnvPackager"  # type: ignore[index]


@pytest.mark.parametrize("config", ["tox.ini", "tox.toml"])
def test_ready_only_as_default_says_how_to_turn_it_on(tmp_path: Path, tox_env: dict[str, str], config: str) -> None:
    """A default seeder alone leaves tox envs plain, once said with the override form of the config, which works."""
    env = default_ready(tmp_path, tox_env)
    project = make_project(tmp_path / "proj", "[testenv:a]\nskip_install = true\ncommands = python -c 'print(1)'\n")
    if config == "tox.toml":
        (project / "tox.ini").unlink()
        (project / "tox.toml").write_text(
            '[env.a]\nskip_install = true\ncommands = [["python", "-c", "print(1)"]]\n', encoding="utf-8"
        )
    output = ok(run_tox(project, env, "run", "-e", "a"))
    venv = project / ".tox" / "a"
    assert not (venv / "virtualenv-ready.json").exists()
    assert own_scripts(venv) == []
    assert "zeta" not in installed(venv)
    hint = "-x env_run_base.ready=true" if config == "tox.toml" else "-x testenv.ready=true"
    assert output.count("virtualenv-ready: ready is the default seeder") == 1, output
    assert hint in output, output
    assert "ready_in_tools" not in output  # the seeder's generic notice is not the way in tox

    turned_on = ok(run_tox(project, env, "run", "-e", "a", *hint.split()))
    assert record_of(venv)["status"] == "complete", turned_on
    assert {"zeta", "proj"} <= set(installed(venv))


def test_ready_groups_empty_selects_no_group(tmp_path: Path, tox_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:none]
        ready = true
        skip_install = true
        ready_groups =
        commands = python -c 'import proj'

        [testenv:unset]
        ready = true
        skip_install = true
        commands = python -c 'import proj, zeta'
        """,
    )
    output = ok(run_tox(project, tox_env, "run", "-e", "none,unset"))
    assert "zeta" not in installed(project / ".tox" / "none"), output
    assert record_of(project / ".tox" / "none")["options"]["groups"] == []  # type: ignore[index]
    assert "zeta" in installed(project / ".tox" / "unset")  # unset: ready's default group `dev`
    assert "re-sync" not in ok(run_tox(project, tox_env, "run", "-e", "none"))  # and it stays fresh


@pytest.mark.parametrize("names_us", [False, True])
def test_provisioning_without_the_plugin_is_warned(tmp_path: Path, tox_env: dict[str, str], names_us: bool) -> None:
    requires = "tox>=999" + (", virtualenv-ready" if names_us else "")
    project = make_project(
        tmp_path / "proj", f"[tox]\nrequires = {requires}\n\n[testenv:a]\nready = true\nskip_install = true\n"
    )
    result = run_tox(project, tox_env, "run", "-e", "a", "--no-provision")
    output = result.stdout + result.stderr
    assert result.returncode != 0  # tox 999 does not exist: tox refuses to provision, as asked
    assert "provisioning explicitly disabled" in output, output
    warned = "add virtualenv-ready to requires in the [tox] config" in output
    assert warned is not names_us, output
    if warned:
        assert "ready = true of a is ignored there" in output


def test_notes_of_the_plan_only_when_something_is_installed(tmp_path: Path, tox_env: dict[str, str]) -> None:
    """Without uv, `uv.lock not used` is said when ready installs, once; a run that installs nothing is quiet."""
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    project = make_project(
        tmp_path / "proj",
        """
        [testenv:a]
        ready = true
        package = wheel
        commands = python -c 'import proj, zeta'

        [testenv:b]
        ready = true
        package = wheel
        commands = python -c 'import proj, zeta'
        """,
    )
    locked = subprocess.run([uv.argv[0], "lock"], cwd=project, env=tox_env, capture_output=True, text=True, check=False)
    assert locked.returncode == 0, locked.stderr
    # no uv for ready: no uv package (a stand-in whose lookup fails, as uv's does without its binary), none on PATH
    stand_in = tmp_path / "no-uv" / "uv"
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text("def find_uv_bin():\n    raise FileNotFoundError('uv')\n", encoding="utf-8")
    path = os.pathsep.join(p for p in tox_env["PATH"].split(os.pathsep) if p and not (Path(p) / "uv").exists())
    env = {**tox_env, "PATH": path, "VIRTUALENV_READY_INSTALLER": "pip"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(stand_in.parent), tox_env.get("PYTHONPATH", "")]))
    note = "uv.lock not used: reading it needs uv"

    first = ok(run_tox(project, env, "run", "-e", "a,b"))
    assert first.count(note) == 2, first  # each env's seeder installs from pyproject.toml instead
    assert {"proj", "zeta"} <= set(installed(project / ".tox" / "a"))
    again = ok(run_tox(project, env, "run", "-e", "a,b"))
    assert note not in again, again  # nothing installed: nothing to say
    assert "re-sync" not in again

    make_project(project, (project / "tox.ini").read_text(), groups={"dev": ["zeta", "epsilon"], "test": []})
    resynced = ok(run_tox(project, env, "run", "-e", "a,b"))
    assert "re-sync a" in resynced and "re-sync b" in resynced, resynced
    assert resynced.count(note) == 1, resynced  # said once for the run, before the first install
    assert "epsilon" in installed(project / ".tox" / "b")


def test_pep723_script_env_is_plain_unless_ready(tmp_path: Path, tox_env: dict[str, str]) -> None:
    """tox's PEP 723 runner creates through virtualenv too: plain without `ready = true`, made ready with it."""
    import importlib.util

    if importlib.util.find_spec("tox.tox_env.python.virtual_env.pep723_runner") is None:
        pytest.skip("this tox has no PEP 723 runner")
    env = default_ready(tmp_path, tox_env)
    project = make_project(
        tmp_path / "proj", "[testenv:script]\nrunner = virtualenv-pep-723\nscript = check.py\nready = false\n"
    )
    (project / "check.py").write_text("# /// script\n# dependencies = []\n# ///\nprint('script ran')\n")
    output = ok(run_tox(project, env, "run", "-e", "script"))
    venv = project / ".tox" / "script"
    assert "script ran" in output
    assert own_scripts(venv) == []
    assert not (venv / "virtualenv-ready.json").exists()
    assert "-x testenv.ready=true" in output

    (project / "tox.ini").write_text((project / "tox.ini").read_text().replace("ready = false", "ready = true"))
    made = ok(run_tox(project, env, "run", "-e", "script"))
    assert "virtualenv-ready: make script ready" in made
    assert "zeta" in installed(venv)
