"""The `virtualenv-ready` command: enable/disable, sync (--check, --exact), doctor."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers import bin_path, installed, offline_env, ready_cli, uv_pip
from virtualenv_ready import record
from wheels import write_project

INI = """\
; managed by hand
[virtualenv]
# keep this comment
no_periodic_update = true
activators = bash,fish

[other]
seeder = app-data
"""


def enable_env(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    """virtualenv's ini and virtualenv-ready's settings file, both named by their env vars."""
    ini, settings = tmp_path / "virtualenv.ini", tmp_path / "conf" / "config.toml"
    env = {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini), "VIRTUALENV_READY_CONFIG_FILE": str(settings)}
    return env, ini, settings


def test_enable_disable_migrate_and_keep_everything_else(tmp_path: Path) -> None:
    """0.1.0's enable wrote `seeder = ready` into virtualenv.ini: enable moves it out, touching no other line."""
    env, ini, settings = enable_env(tmp_path)
    ini.write_text(INI.replace("[virtualenv]\n", "[virtualenv]\nseeder = ready\n", 1))
    out = ready_cli("enable", env=env)
    assert out.returncode == 0, out.stderr
    assert f"{ini}: removed `seeder = ready`" in out.stdout
    assert f"{settings}: virtualenv now uses the ready seeder by default" in out.stdout
    assert ini.read_text() == INI
    text = settings.read_text()
    assert text.endswith("enabled = true\n")
    again = ready_cli("enable", env=env)  # idempotent
    assert again.returncode == 0
    assert "already" in again.stdout
    assert settings.read_text() == text
    assert ini.read_text() == INI
    out = ready_cli("disable", env=env)
    assert out.returncode == 0
    assert "now does not use" in out.stdout
    assert not settings.exists()
    assert ini.read_text() == INI
    assert "already" in ready_cli("disable", env=env).stdout


def test_disable_removes_both(tmp_path: Path) -> None:
    env, ini, settings = enable_env(tmp_path)
    assert ready_cli("enable", env=env).returncode == 0
    ini.write_text("[virtualenv]\nseeder = ready\n")  # and a 0.1.0 line beside it
    out = ready_cli("disable", env=env)
    assert out.returncode == 0, out.stderr
    assert not settings.exists()
    assert ini.read_text() == "[virtualenv]\n"


def test_enable_uses_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, ini, settings = enable_env(tmp_path)
    out = ready_cli("enable", env=env)
    assert out.returncode == 0, out.stderr
    assert settings.is_file()
    assert not ini.exists()  # virtualenv's file, read by every virtualenv, is left alone
    # and a virtualenv with the package reads it: the seeder is now ready by default
    from virtualenv.run import session_via_cli

    monkeypatch.setenv("VIRTUALENV_READY_CONFIG_FILE", str(settings))
    session = session_via_cli([str(tmp_path / "v")], setup_logging=False, env=env)
    assert type(session.seeder).__name__ == "ReadySeeder"


def test_enable_config_names_the_settings_file(tmp_path: Path) -> None:
    env, _, settings = enable_env(tmp_path)
    other = tmp_path / "elsewhere.toml"
    out = ready_cli("enable", "--config", str(other), env=env)
    assert out.returncode == 0, out.stderr
    assert other.read_text().endswith("enabled = true\n")
    assert not settings.exists()
    assert f"set VIRTUALENV_READY_CONFIG_FILE={other} for it to read this file" in out.stderr
    assert ready_cli("disable", "--config", str(other), env=env).returncode == 0
    assert not other.exists()


def test_enable_refuses_when_another_seeder_wins(tmp_path: Path) -> None:
    env, ini, settings = enable_env(tmp_path)
    ini.write_text("[virtualenv]\nseeder = pip\n")
    out = ready_cli("enable", env=env)
    assert out.returncode == 1
    assert f"{ini}: sets seeder = pip, which wins over enable; remove that line" in out.stderr
    assert ini.read_text() == "[virtualenv]\nseeder = pip\n"
    assert not settings.exists()


def test_enable_migration_keeps_crlf(tmp_path: Path) -> None:
    env, ini, _ = enable_env(tmp_path)
    ini.write_bytes(b"[virtualenv]\r\nseeder = ready\r\nactivators = bash\r\n")
    assert ready_cli("enable", env=env).returncode == 0
    assert ini.read_bytes() == b"[virtualenv]\r\nactivators = bash\r\n"


@pytest.fixture
def synced(project: Path, ready, wheelhouse: Path) -> Path:  # type: ignore[no-untyped-def]
    write_project(project, "app", dependencies=["alpha<2"], groups={"dev": ["delta"]})
    (project / "requirements.txt").write_text("beta\n")
    return ready()  # type: ignore[no-any-return]


def test_sync_is_a_noop_when_nothing_changed(synced: Path, wheelhouse: Path, project: Path) -> None:
    before = (synced / "virtualenv-ready.json").read_text()
    out = ready_cli("sync", str(synced), env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stderr
    assert "up to date, nothing to do" in out.stdout
    assert (synced / "virtualenv-ready.json").read_text() == before
    check = ready_cli("sync", str(synced), "--check", env=offline_env(wheelhouse))
    assert check.returncode == 0
    assert "up to date" in check.stdout


#: what a no-op `sync` has no use for: argument parsing, TOML, OpenSSL, platformdirs, file and process helpers,
#: logging (nothing is logged), dataclasses (and the inspect it loads), the plan, the installers, the plugins and
#: virtualenv itself
HEAVY = (
    "argparse",
    "logging",
    "dataclasses",
    "inspect",
    "typing",
    "tomllib",
    "tomli",
    "hashlib",
    "_hashlib",
    "hmac",
    "platformdirs",
    "tempfile",
    "shutil",
    "configparser",
    "datetime",
    "subprocess",
    "importlib.metadata",
    "packaging",
    "pluggy",
    "virtualenv",
    "virtualenv_ready.plan",
    "virtualenv_ready.plugins",
    "virtualenv_ready.installers",
    "virtualenv_ready.sources",
    "virtualenv_ready.seeding",
    "virtualenv_ready.endpoints",
)


@pytest.mark.parametrize("check", [False, True], ids=["sync", "sync --check"])
def test_a_noop_sync_loads_nothing_heavy(synced: Path, wheelhouse: Path, check: bool) -> None:
    import subprocess
    import sys

    argv = ["sync", *(["--check"] if check else []), str(synced)]
    env = offline_env(wheelhouse)
    assert ready_cli(*argv, env=env).returncode == 0
    code = (
        "import sys\nfrom virtualenv_ready.cli import main\n"
        f"code = main({argv!r})\nprint(sorted(name for name in {HEAVY!r} if name in sys.modules))\nsys.exit(code)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "up to date" in out.stdout
    assert out.stdout.splitlines()[-1] == "[]", out.stdout


def test_sync_check_then_sync_after_a_change(synced: Path, wheelhouse: Path, project: Path) -> None:
    (project / "requirements.txt").write_text("beta\nzeta\n")
    check = ready_cli("sync", str(synced), "--check", env=offline_env(wheelhouse))
    assert check.returncode == 1
    assert f"{synced}: + zeta\n" in check.stdout  # the package, as `uv sync --check` names it
    assert "zeta" not in installed(synced)
    out = ready_cli("sync", str(synced), env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stderr
    assert "zeta" in installed(synced)
    assert ready_cli("sync", str(synced), "--check", env=offline_env(wheelhouse)).returncode == 0


def test_sync_default_venv_is_virtual_env_then_dot_venv(synced: Path, wheelhouse: Path, project: Path) -> None:
    env = {**offline_env(wheelhouse), "VIRTUAL_ENV": str(synced)}
    out = ready_cli("sync", "--check", env=env, cwd=project)
    assert out.returncode == 0, out.stderr
    assert str(synced) in out.stdout


def test_sync_notices_a_removed_package(synced: Path, wheelhouse: Path) -> None:
    uv_pip(bin_path(synced, "python"), "uninstall", "delta")
    check = ready_cli("sync", str(synced), "--check", env=offline_env(wheelhouse))
    assert check.returncode == 1
    assert f"{synced}: + delta==1.0\n" in check.stdout
    assert ready_cli("sync", str(synced), env=offline_env(wheelhouse)).returncode == 0
    assert "delta" in installed(synced)


def test_sync_exact_removes_what_the_plan_dropped(synced: Path, wheelhouse: Path, project: Path) -> None:
    uv_pip(bin_path(synced, "python"), "install", "--no-index", "--find-links", str(wheelhouse), "zeta")
    check = ready_cli("sync", str(synced), "--check", "--exact", env=offline_env(wheelhouse))
    assert check.returncode == 1
    assert f"{synced}: - zeta==1.0\n" in check.stdout
    out = ready_cli("sync", str(synced), "--exact", env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stderr
    found = installed(synced)
    assert "zeta" not in found
    assert {"app", "alpha", "beta", "delta", "pip"} <= set(found)


def test_sync_repairs_an_incomplete_env(synced: Path, wheelhouse: Path) -> None:
    record.update(synced, status="incomplete")  # signed, as a run that stopped halfway leaves it
    check = ready_cli("sync", str(synced), "--check", env=offline_env(wheelhouse))
    assert check.returncode == 1
    assert "did not finish" in check.stdout
    assert ready_cli("sync", str(synced), env=offline_env(wheelhouse)).returncode == 0
    assert json.loads((synced / "virtualenv-ready.json").read_text())["status"] == "complete"


def test_sync_on_a_folder_that_is_no_env(tmp_path: Path) -> None:
    out = ready_cli("sync", str(tmp_path))
    assert out.returncode == 1
    assert f"{tmp_path}: not a virtual environment" in out.stderr
    assert "Traceback" not in out.stderr


def _plain_env(maker: str, dest: Path) -> None:
    """An env made without the ready seeder, the way each tool's users make one."""
    import subprocess
    import sys

    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    argv = {
        "virtualenv": [sys.executable, "-m", "virtualenv", "--no-download", "--activators", "bash", str(dest)],
        "venv": [sys.executable, "-m", "venv", "--without-pip", str(dest)],
        "uv": [uv.argv[0], "venv", "--python", sys.executable, str(dest)],
    }[maker]
    subprocess.run(argv, check=True, capture_output=True)


@pytest.mark.parametrize("maker", ["virtualenv", "venv", "uv"])
def test_sync_adopts_an_env_made_without_the_seeder(
    maker: str, project: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    write_project(project, "app", dependencies=["alpha<2"], groups={"dev": ["delta"]})
    (project / "requirements.txt").write_text("beta\n")
    venv = tmp_path / "plain"
    _plain_env(maker, venv)
    env = offline_env(wheelhouse)
    check = ready_cli("sync", str(venv), "--check", env=env, cwd=project)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"{venv}: made without virtualenv-ready (no virtualenv-ready.json)" in check.stdout
    for name in ("app", "beta", "delta"):  # what the plan names (alpha comes with app, known once it is installed)
        assert f"{venv}: + {name}\n" in check.stdout
    assert f"run `virtualenv-ready sync {venv}`" in check.stdout
    assert not (venv / "virtualenv-ready.json").exists()
    out = ready_cli("sync", str(venv), env=env, cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "installed 4 packages from requirements.txt + pyproject.toml [dev]" in out.stderr
    assert {"alpha", "app", "beta", "delta"} <= set(installed(venv))
    data = json.loads((venv / "virtualenv-ready.json").read_text())
    assert data["status"] == "complete"
    again = ready_cli("sync", str(venv), "--check", env=env, cwd=project)
    assert again.returncode == 0, again.stdout


def test_doctor_reports_and_exits_zero(tmp_path: Path, project: Path) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text("[virtualenv]\nseeder = ready\nready_groups = docs\n")
    env = {
        **os.environ,
        "VIRTUALENV_CONFIG_FILE": str(ini),
        "VIRTUALENV_READY_INDEX_URL": "https://u:pw123@idx.invalid/simple",
    }
    out = ready_cli("doctor", env=env, cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "virtualenv.seed: ready = virtualenv_ready.seeder:ReadySeeder [ok]" in text
    assert f"default seeder: ready (from {ini})" in text
    assert "installer for auto: uv" in text
    assert f"--ready-groups = docs [{ini}]" in text
    assert "--ready-index-url = https://****@idx.invalid/simple [env var VIRTUALENV_READY_INDEX_URL]" in text
    assert "pw123" not in text


def test_doctor_fails_on_a_broken_project_file(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.virtualenv-ready]\nbogus = 1\n")
    out = ready_cli("doctor", cwd=project)
    assert out.returncode == 1
    assert "unknown key 'bogus'" in out.stdout


def test_sync_notices_a_new_default_input_file(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", groups={"dev": ["delta"]})
    venv = ready()
    assert ready_cli("sync", str(venv), "--check", env=offline_env(wheelhouse)).returncode == 0
    (project / "requirements.txt").write_text("zeta\n")  # the record never saw this file
    check = ready_cli("sync", str(venv), "--check", env=offline_env(wheelhouse))
    assert check.returncode == 1
    assert f"{venv}: + zeta\n" in check.stdout
    assert ready_cli("sync", str(venv), env=offline_env(wheelhouse)).returncode == 0
    assert "zeta" in installed(venv)


def test_sync_notices_changed_options(synced: Path, wheelhouse: Path) -> None:
    env = {**offline_env(wheelhouse), "VIRTUALENV_READY_ONLY_BINARY": ":all:"}
    check = ready_cli("sync", str(synced), "--check", env=env)
    assert check.returncode == 1
    assert "the options or sources changed" in check.stdout


def test_ini_values_are_literal_like_virtualenvs(tmp_path: Path, project: Path) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text("[virtualenv]\nprompt = 100%\nready_groups = docs\n")
    out = ready_cli("doctor", env={**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)}, cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"--ready-groups = docs [{ini}]" in out.stdout


def test_sync_sets_aside_a_half_written_package(synced: Path, wheelhouse: Path) -> None:
    """What a disk-full or killed install leaves: a dist-info without METADATA, which installers refuse to read."""
    record.update(synced, status="incomplete")  # signed, as a run that stopped halfway leaves it
    broken = next(synced.glob("lib/python*/site-packages/delta-1.0.dist-info"))
    (broken / "METADATA").unlink()
    out = ready_cli("sync", str(synced), env=offline_env(wheelhouse))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "delta-1.0.dist-info was half-written by the failed run; set aside as" in out.stderr
    aside = broken.with_name("delta-1.0.dist-info.virtualenv-ready-broken")
    assert aside.is_dir()  # kept, not deleted
    assert installed(synced)["delta"] == "1.0"
    assert json.loads((synced / "virtualenv-ready.json").read_text())["status"] == "complete"


@pytest.mark.parametrize(
    "argv",
    [
        ["sync"],
        ["sync", "venv"],
        ["sync", ""],
        ["sync", "my env"],
        ["sync", "a=b"],
        ["sync", "--check"],
        ["sync", "--check", "v"],
        ["sync", "v", "--check"],
    ],
)
def test_plain_sync_reads_argv_as_the_parser_does(argv: list[str]) -> None:
    from virtualenv_ready.cli import build_parser, plain_sync

    quick = plain_sync(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["doctor"],
        ["sync", "-v"],
        ["sync", "--check", "--check"],
        ["sync", "--chec", "v"],
        ["sync", "--check", "-v", "v"],
        ["sync", "a", "b"],
        ["sync", "--check", "a", "b"],
        ["check"],
    ],
)
def test_plain_sync_leaves_everything_else_to_the_parser(argv: list[str]) -> None:
    from virtualenv_ready.cli import plain_sync

    assert plain_sync(argv) is None


def test_virtualenv_help_names_one_default_per_ready_option(tmp_path: Path) -> None:
    """Our options default to None (unset stays detectable), which virtualenv's help would print as a second default."""
    from helpers import virtualenv_cmd

    env = {**os.environ, "COLUMNS": "2000", "VIRTUALENV_CONFIG_FILE": str(tmp_path / "virtualenv.ini")}
    out = virtualenv_cmd("--seeder", "ready", "--help", cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    lines = [line.strip() for line in out.stdout.splitlines()]
    # each option's help: beside its flag, or on the next line when the flag is too long to share it
    helps = {
        re.split(r"\s{2,}", line)[0]: [*re.split(r"\s{2,}", line), lines[at + 1]][1]
        for at, line in enumerate(lines)
        if line.startswith("--ready-")
    }
    assert len(helps) > 10  # the seeder's options and the activators' signing options
    for flag, text in helps.items():
        assert "(default: None)" not in text, flag
        assert text.count("(default:") <= 1, flag
        assert out.stdout.count(text) == 1, flag
    assert helps["--ready-installer NAME"].endswith("(default: auto)")


def test_the_help_says_how_the_seeder_is_used() -> None:
    out = ready_cli("--help", env={**os.environ, "COLUMNS": "2000"})
    assert out.returncode == 0
    assert "virtualenv --seeder ready venv" in out.stdout
    assert "virtualenv-ready enable" in out.stdout


@pytest.mark.parametrize("command", ["trust", "untrust"])
def test_trust_on_a_missing_folder_names_its_argument(tmp_path: Path, command: str) -> None:
    out = ready_cli(command, "missing", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.startswith(f"virtualenv-ready: error: virtualenv-ready {command} missing: no such directory")
    assert str(tmp_path / "missing") in out.stderr
    assert "--ready-project" not in out.stderr
