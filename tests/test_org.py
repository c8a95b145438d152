"""The example org plugin, installed for real into a test environment, and each of its effects end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, bin_path, installed, offline, uv_pip
from wheels import closure, repack, write_project

VENV_RUN = "venv-run.cmd" if sys.platform == "win32" else "venv-run"


@pytest.fixture(scope="session")
def org_host(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Path:
    """A Python environment with virtualenv, virtualenv-ready and examples/org-plugin installed from wheels."""
    house = tmp_path_factory.mktemp("org-house")
    for dist in closure(["virtualenv", "pluggy", "packaging", "dependency-groups", "platformdirs"]):
        repack(house, dist)
    for source in (ROOT, ROOT / "examples" / "org-plugin"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "-q",
                "-w",
                str(house),
                str(source),
            ],
            check=True,
            capture_output=True,
        )
    host = tmp_path_factory.mktemp("org") / "host"
    subprocess.run(
        [sys.executable, "-m", "virtualenv", "--no-seed", "--activators", "", str(host)],
        check=True,
        capture_output=True,
    )
    uv_pip(bin_path(host, "python"), "install", "--no-index", "--find-links", str(house), "acme-ready")
    return host


def host_env(**extra: str) -> dict[str, str]:
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None
    env = {**os.environ, "PATH": f"{Path(uv.argv[0]).parent}{os.pathsep}{os.environ['PATH']}", "ACME_MANDATORY": "zeta"}
    env.update(extra)
    return env


def make(org_host: Path, project: Path, wheelhouse: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [bin_path(org_host, "virtualenv"), "--seeder", "ready", ".venv", *offline(wheelhouse)],
        cwd=project,
        env=host_env(**extra),
        capture_output=True,
        text=True,
        check=False,
    )


def test_org_plugin_effects(org_host: Path, project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", dependencies=["alpha"])
    out = make(org_host, project, wheelhouse)
    assert out.returncode == 0, out.stdout + out.stderr
    venv = project / ".venv"
    found = installed(venv)
    assert {"app", "alpha", "zeta"} <= set(found)  # mandatory tool in the same run
    assert "acme tools" in json.loads((venv / "virtualenv-ready.json").read_text())["summary"]
    stamp = json.loads((venv / "acme-setup.json").read_text())  # the post-create step ran
    assert "zeta" in stamp["installed"]
    script = (
        ["cmd", "/c", "echo %ACME_ENVIRONMENT%"]
        if sys.platform == "win32"
        else ["sh", "-c", 'printf %s "$ACME_ENVIRONMENT"']
    )
    run = subprocess.run(
        [bin_path(venv, VENV_RUN), *script],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "development"  # the activation variable
    assert "ACME_ENVIRONMENT" in bin_path(venv, "activate-policy.ps1").read_text(encoding="utf-8-sig")


def test_org_plugin_refuses_a_banned_package(org_host: Path, project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("delta\n")
    out = make(org_host, project, wheelhouse, ACME_BANNED="delta")
    assert out.returncode == 1
    assert "delta is banned at ACME" in out.stdout + out.stderr
    assert "delta" not in installed(project / ".venv")


def test_disable_plugins_blocks_it(org_host: Path, project: Path, wheelhouse: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    out = make(org_host, project, wheelhouse, VIRTUALENV_READY_DISABLE_PLUGINS="acme")
    assert out.returncode == 0, out.stderr
    venv = project / ".venv"
    assert "zeta" not in installed(venv)
    assert not (venv / "acme-setup.json").exists()
    assert "ACME_ENVIRONMENT" not in bin_path(venv, VENV_RUN).read_text()


def test_doctor_lists_the_plugin(org_host: Path, project: Path) -> None:
    out = subprocess.run(
        [bin_path(org_host, "virtualenv-ready"), "doctor"],
        cwd=project,
        env=host_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "plugins: acme" in out.stdout


def test_a_plugin_that_fails_to_import_is_named(org_host: Path, project: Path, wheelhouse: Path) -> None:
    site = next((org_host / "lib").glob("python*/site-packages"))
    (site / "acme_ready" / "__init__.py").rename(site / "acme_ready" / "__init__.py.bak")
    (site / "acme_ready" / "__init__.py").write_text("raise ImportError('acme is broken')\n")
    try:
        (project / "requirements.txt").write_text("alpha\n")
        out = make(org_host, project, wheelhouse)
        text = out.stdout + out.stderr
        assert out.returncode == 1
        assert "plugin 'acme' (acme_ready) failed to load: ImportError: acme is broken" in text
        assert "VIRTUALENV_READY_DISABLE_PLUGINS=acme" in text
        assert "Traceback" not in text
        assert make(org_host, project, wheelhouse, VIRTUALENV_READY_DISABLE_PLUGINS="acme").returncode == 0
    finally:
        (site / "acme_ready" / "__init__.py.bak").replace(site / "acme_ready" / "__init__.py")
