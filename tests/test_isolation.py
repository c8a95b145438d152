"""The installers read only what we hand them: no configuration file of theirs, no source variable under a policy,
no project setting that weakens a guarantee; and nothing a project controls reaches the terminal raw.

Sources are served by the recording server on 127.0.0.1 (test_boundary): an empty log proves nothing was fetched.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import test_boundary
from helpers import installed, offline, virtualenv_cmd
from test_boundary import Served, write_policy
from virtualenv_ready.errors import ReadyError
from wheels import write_project

served = test_boundary.served  # the recording server fixture, shared
INSTALLERS = pytest.mark.parametrize("installer", ["uv", "pip"])
OSC52 = "\x1b]52;c;ZXZpbA==\x07"


@pytest.fixture
def configs_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The machine as a user has it: the installers' configuration discovery on, a user config folder of its own."""
    monkeypatch.delenv("UV_NO_CONFIG", raising=False)
    monkeypatch.delenv("PIP_CONFIG_FILE", raising=False)
    home = tmp_path / "config-home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


@INSTALLERS
def test_no_installer_configuration_file_is_read(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, configs_on: Path, installer: str
) -> None:
    links = f'find-links = ["{served.url}/"]\nextra-index-url = ["{served.url}/simple"]\n'
    (project.parent / "uv.toml").write_text(links)  # a parent folder's
    (configs_on / "uv").mkdir(parents=True)
    (configs_on / "uv" / "uv.toml").write_text(links)  # the user's
    (configs_on / "pip").mkdir()
    (configs_on / "pip" / "pip.conf").write_text(f"[global]\nfind-links = {served.url}/\n")
    (project / "requirements.txt").write_text("alpha\n")
    assert "alpha" in installed(ready(installer=installer))
    assert served.requests == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[tool.uv]\noverride-dependencies = ["kappa @ {url}/kappa-1.0-py3-none-any.whl"]\n', "override-dependencies"),
        (
            '[tool.uv]\nconstraint-dependencies = ["kappa @ {url}/kappa-1.0-py3-none-any.whl"]\n',
            "constraint-dependencies",
        ),
        ('[[tool.uv.dependency-metadata]]\nname = "alpha"\nrequires-dist = ["kappa"]\n', "dependency-metadata"),
        ('[tool.uv.extra-build-dependencies]\nalpha = ["kappa @ {url}/k.whl"]\n', "extra-build-dependencies"),
        ('[tool.uv.pip]\ntarget = "{outside}"\n', "target"),
    ],
)
def test_uv_settings_that_change_sources_or_targets_are_refused(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, configs_on: Path, tmp_path: Path, text: str, key: str
) -> None:
    outside = tmp_path / "outside"
    write_project(
        project, "app", dependencies=["alpha"], extra_toml="\n" + text.format(url=served.url, outside=outside)
    )
    with pytest.raises(ReadyError, match=rf"pyproject.toml \[tool\.uv(\.pip)?\]: {key} "):
        ready()
    assert served.requests == []
    assert not outside.exists()


def test_supported_uv_settings_are_passed_as_flags(project: Path, ready, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.INFO, logger="virtualenv_ready")
    write_project(project, "app", dependencies=["alpha"], extra_toml='\n[tool.uv]\nresolution = "lowest"\n')
    assert installed(ready())["alpha"] == "1.0"
    assert "--resolution=lowest" in caplog.text


@pytest.mark.parametrize("variable", ["PIP_FIND_LINKS", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_FIND_LINKS"])
@INSTALLERS
def test_source_variables_are_refused_under_a_policy(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, wheelhouse: Path, tmp_path: Path, monkeypatch, variable: str, installer: str
) -> None:
    write_policy(tmp_path, "", wheelhouse, monkeypatch)
    monkeypatch.setenv(variable, f"{served.url}/")
    (project / "requirements.txt").write_text("alpha\n")
    with pytest.raises(
        ReadyError, match=rf"^env var {variable} chooses where the installer gets packages from, which the org policy"
    ):
        ready(installer=installer)
    assert served.requests == []


def test_source_variables_work_without_a_policy(project: Path, ready, served: Served, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """pip's variables add to what we pass (uv's flags replace its variables: our offline flags win there)."""
    monkeypatch.setenv("PIP_FIND_LINKS", f"{served.url}/")
    installer = "pip"
    (project / "requirements.txt").write_text("kappa\n")
    assert installed(ready(installer=installer)).get("kappa") == "1.0"
    assert served.requests


def test_a_project_cannot_choose_the_installer(project: Path, wheelhouse: Path, caplog) -> None:
    from virtualenv import cli_run

    write_project(project, "app", dependencies=["alpha"], extra_toml='\n[tool.virtualenv-ready]\ninstaller = "pip"\n')
    venv = project.parent / "venv"
    cli_run([str(venv), "--seeder", "ready", "--activators", "", *offline(wheelhouse)], setup_logging=False)
    assert "[tool.virtualenv-ready] installer is ignored" in caplog.text
    assert json.loads((venv / "virtualenv-ready.json").read_text())["installer"]["name"] == "uv"


@pytest.mark.parametrize("verbosity", ["-q", None, "-vvv"])
@INSTALLERS
def test_no_raw_control_character_is_printed(
    project: Path, wheelhouse: Path, installer: str, verbosity: str | None
) -> None:
    group = f"dev{OSC52}\r"
    toml = f'\n[dependency-groups]\n{json.dumps(group)} = ["alpha"]\n[tool.uv]\ndefault-groups = "all"\n'
    write_project(project, "app", extra_toml=toml)
    (project / "requirements.txt").write_text("alpha\nbe\x1b[31mta\n")
    args = ["--seeder", "ready", "--activators", "", "--ready-installer", installer, *offline(wheelhouse)]
    out = virtualenv_cmd(*args, *([verbosity] if verbosity else []), ".venv", cwd=project, env=dict(os.environ))
    text = out.stdout + out.stderr
    assert not [c for c in text if ord(c) < 0x20 and c not in "\n\t"], repr(text[-2000:])
    assert "\\x1b" in text, text  # the names were printed, escaped (the check above can fail)


def test_installer_output_is_escaped(tmp_path: Path, capsys) -> None:
    from virtualenv_ready.errors import ReadyError as Error
    from virtualenv_ready.installers.base import run_installer

    code = f"import sys; print('ERROR: no such package beta{OSC52}\\r'); sys.exit(1)"
    with pytest.raises(Error):
        run_installer([sys.executable, "-c", code], cwd=tmp_path, env=dict(os.environ), verbosity=2, what="installing")
    err = capsys.readouterr().err
    assert "beta\\x1b]52;c;ZXZpbA==\\x07" in err
    assert "\x1b" not in err and "\r" not in err
