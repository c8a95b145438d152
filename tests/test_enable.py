"""`virtualenv-ready enable` breaks no other virtualenv: the choice lives where only a virtualenv with the package
reads it, and virtualenv's own order (--seeder > VIRTUALENV_SEEDER > virtualenv.ini > enable > app-data) stands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import bin_path, installed, ready_cli, trust, uv_pip
from wheels import closure, repack


@pytest.fixture(scope="module")
def other_virtualenv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second virtualenv installation without virtualenv-ready, in its own venv (as Poetry's or pipx's is): the
    same virtualenv, installed offline from wheels repacked from this environment."""
    house = tmp_path_factory.mktemp("other-house")
    for dist in closure(["virtualenv"]):
        repack(house, dist)
    venv = tmp_path_factory.mktemp("other") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = bin_path(venv, "python")
    uv_pip(python, "install", "--no-index", "--find-links", str(house), "virtualenv")
    probe = subprocess.run(
        [str(python), "-c", "import virtualenv, importlib.util as u; print(u.find_spec('virtualenv_ready'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "None"  # honest: the package is not there
    return python


@pytest.fixture
def user_dirs(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    """The default config locations of a user (no VIRTUALENV_CONFIG_FILE, no VIRTUALENV_READY_CONFIG_FILE)."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUALENV_CONFIG_FILE", "VIRTUALENV_READY_CONFIG_FILE"}}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def create(python: Path | str, dest: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "virtualenv", str(dest), "--activators", "bash", *args],
        cwd=dest.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME moves the user config dir on Linux only")
def test_enable_breaks_no_other_virtualenv(
    other_virtualenv: Path, user_dirs: dict[str, str], project: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    config = Path(user_dirs["XDG_CONFIG_HOME"])
    ini = config / "virtualenv" / "virtualenv.ini"
    ini.parent.mkdir(parents=True)
    # what 0.1.0's enable left, beside ready_* keys (which a virtualenv without the package ignores)
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    broken = create(other_virtualenv, project / "before", user_dirs)
    assert broken.returncode != 0  # the hazard this test is about, so it can fail
    assert "ready" in broken.stdout + broken.stderr

    out = ready_cli("enable", env=user_dirs)
    assert out.returncode == 0, out.stderr
    assert f"{ini}: removed `seeder = ready`" in out.stdout
    assert "seeder" not in ini.read_text()
    assert (config / "virtualenv-ready" / "config.toml").read_text().endswith("enabled = true\n")

    # the other installation behaves as if enable was never run: app-data seeding, nothing of ready
    (project / "requirements.txt").write_text("alpha\n")
    other = create(other_virtualenv, project / "other-env", user_dirs)
    assert other.returncode == 0, other.stdout + other.stderr
    assert "ready" not in other.stdout + other.stderr
    assert "pip" in installed(project / "other-env")
    assert "alpha" not in installed(project / "other-env")
    assert not (project / "other-env" / "virtualenv-ready.json").exists()
    assert not bin_path(project / "other-env", "venv-run").exists()

    # this installation, through plain `virtualenv venv`, uses ready (after consent, as with the ini default)
    trust(project, user_dirs)
    ours = create(sys.executable, project / "venv", user_dirs)
    assert ours.returncode == 0, ours.stdout + ours.stderr
    assert "alpha" in installed(project / "venv")
    assert (project / "venv" / "virtualenv-ready.json").exists()

    # disable: both installations plain again, and nothing of enable left behind
    assert ready_cli("disable", env=user_dirs).returncode == 0
    assert not (config / "virtualenv-ready" / "config.toml").exists()
    plain = create(sys.executable, project / "plain", user_dirs)
    assert plain.returncode == 0, plain.stderr
    assert not (project / "plain" / "virtualenv-ready.json").exists()


def test_enabled_is_a_default_that_asks_for_consent(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    """ready chosen only by enable counts as chosen only by virtualenv.ini: an untrusted project is not installed."""
    env = _enabled_env(tmp_path, wheelhouse)
    (project / "requirements.txt").write_text("alpha\n")
    out = create(sys.executable, project / ".venv", env)
    assert out.returncode == 0, out.stderr
    assert f"Trust it with `virtualenv-ready trust {project}`" in out.stdout + out.stderr
    assert "alpha" not in installed(project / ".venv")
    explicit = create(sys.executable, project / "env2", env, "--seeder", "ready")
    assert explicit.returncode == 0, explicit.stderr
    assert "alpha" in installed(project / "env2")  # asking for ready in the command is the consent


def test_a_tool_keeps_plain_seeding_under_enable(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    """hatch and poetry call virtualenv inside their own process; enable's default is not a request from them."""
    env = _enabled_env(tmp_path, wheelhouse)
    (project / "requirements.txt").write_text("alpha\n")
    tool = project / "hatch"  # sys.argv[0] names the calling tool
    tool.write_text("from virtualenv import cli_run; cli_run(['env', '--activators', ''])")
    trust(project, env)  # after the tool file is written: consent covers every file of the project
    out = subprocess.run([sys.executable, str(tool)], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert "hatch creates this env and ready is the seeder only through" in text
    assert str(tmp_path / "ready.toml") in text
    assert "pip" in installed(project / "env")
    assert "alpha" not in installed(project / "env")
    opted = subprocess.run(
        [sys.executable, str(tool)],
        cwd=project,
        env={**env, "VIRTUALENV_READY_IN_TOOLS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert opted.returncode == 0, opted.stderr
    assert "alpha" in installed(project / "env")


def _enabled_env(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    env = {
        **os.environ,
        "VIRTUALENV_CONFIG_FILE": str(ini),
        "VIRTUALENV_READY_CONFIG_FILE": str(tmp_path / "ready.toml"),
    }
    assert ready_cli("enable", env=env).returncode == 0
    return env


@pytest.mark.parametrize(
    ("enabled", "ini", "env_var", "cli", "expected"),
    [
        (False, None, None, None, "app-data"),
        (True, None, None, None, "ready"),  # enable over app-data
        (True, "app-data", None, None, "app-data"),  # virtualenv.ini over enable
        (True, None, "app-data", None, "app-data"),  # VIRTUALENV_SEEDER over enable
        (False, "app-data", "ready", None, "ready"),  # VIRTUALENV_SEEDER over virtualenv.ini
        (True, "ready", "app-data", None, "app-data"),
        (True, "app-data", "app-data", "ready", "ready"),  # the command line over everything
        (True, None, None, "app-data", "app-data"),
        (False, None, None, "ready", "ready"),
    ],
)
def test_order_of_precedence(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    enabled: bool,
    ini: str | None,
    env_var: str | None,
    cli: str | None,
    expected: str,
) -> None:
    from virtualenv.run import session_via_cli

    from virtualenv_ready.settings import write_enabled

    settings = tmp_path / "ready.toml"
    monkeypatch.setenv("VIRTUALENV_READY_CONFIG_FILE", str(settings))
    write_enabled(settings, enabled)
    ini_file = tmp_path / "virtualenv.ini"
    ini_file.write_text(f"[virtualenv]\nseeder = {ini}\n" if ini else "")
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini_file)}
    if env_var:
        env["VIRTUALENV_SEEDER"] = env_var
    args = [str(tmp_path / "venv"), *(["--seeder", cli] if cli else [])]
    options = session_via_cli(args, setup_logging=False, env=env)
    assert type(options.seeder).__name__ == ("ReadySeeder" if expected == "ready" else "FromAppData")


def doctor(env: dict[str, str], project: Path) -> subprocess.CompletedProcess[str]:
    return ready_cli("doctor", env=env, cwd=project)


def test_doctor_warns_about_the_ready_line_and_its_fix_works(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(tmp_path / "virtualenv.ini")}
    env["VIRTUALENV_READY_CONFIG_FILE"] = str(tmp_path / "ready.toml")
    (tmp_path / "virtualenv.ini").write_text("[virtualenv]\nseeder = ready\n")
    out = doctor(env, project)
    assert out.returncode == 0, out.stdout
    warning = f"warning: {tmp_path / 'virtualenv.ini'} sets seeder = ready, which breaks every virtualenv without"
    assert warning in out.stdout
    assert "run `virtualenv-ready enable` to move the choice" in out.stdout
    assert ready_cli("enable", env=env).returncode == 0  # the fix the warning names
    out = doctor(env, project)
    assert "warning:" not in out.stdout
    assert f"default seeder: ready (from {tmp_path / 'ready.toml'}, written by `virtualenv-ready enable`)" in out.stdout


def test_doctor_warns_about_a_seeder_that_wins_over_enable(project: Path, tmp_path: Path) -> None:
    env = _enabled_env(tmp_path, tmp_path)
    ini = tmp_path / "virtualenv.ini"
    kept = ini.read_text()
    ini.write_text(kept + "seeder = app-data\n")
    out = doctor(env, project)
    assert out.returncode == 0, out.stdout
    assert f"default seeder: app-data (from {ini})" in out.stdout
    assert f"warning: {ini} sets seeder = app-data, which wins over `virtualenv-ready enable`; remove that line" in (
        out.stdout
    )
    ini.write_text(kept)  # the fix: remove that line
    out = doctor(env, project)
    assert "warning:" not in out.stdout
    assert "default seeder: ready" in out.stdout
    out = doctor({**env, "VIRTUALENV_SEEDER": "app-data"}, project)
    assert "warning: VIRTUALENV_SEEDER=app-data in this environment wins over `virtualenv-ready enable`" in out.stdout


def test_doctor_says_when_enable_is_not_effective(project: Path, tmp_path: Path) -> None:
    """A virtualenv that no longer has the hooked name: enable does nothing, virtualenv keeps app-data, doctor says
    so and fails."""
    env = _enabled_env(tmp_path, tmp_path)
    script = (
        "from virtualenv.run.plugin.seeders import SeederSelector\n"
        "SeederSelector._get_default = lambda self: 'app-data'  # as if virtualenv made it a method\n"
        "from virtualenv_ready.cli import main\n"
        "raise SystemExit(main(['doctor']))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "`virtualenv-ready enable`" in out.stdout
    assert "is not effective: virtualenv's SeederSelector has no _get_default staticmethod any more" in out.stdout


def test_doctor_reports_a_broken_settings_file(project: Path, tmp_path: Path) -> None:
    settings = tmp_path / "ready.toml"
    settings.write_text("enabled = 'yes'\n")
    env = {**os.environ, "VIRTUALENV_READY_CONFIG_FILE": str(settings)}
    out = doctor(env, project)
    assert out.returncode == 1
    assert f"problem: {settings}: enabled must be true or false" in out.stdout
    # and virtualenv goes on with app-data, saying why
    created = create(sys.executable, project / "venv", env)
    assert created.returncode == 0, created.stderr
    assert "ready is not the default seeder of this run" in created.stdout + created.stderr
    assert not (project / "venv" / "virtualenv-ready.json").exists()
