"""The policy's allow-list proxy with a real index: the org's devpi gets through; a second devpi on another port, the
attacker's, is refused whatever names it (a requirement, a requirements option, ``[tool.uv]``, a lock), and gets
no request at all."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from devpi_helpers import Devpi, create, write_policy
from helpers import installed

INSTALLERS = ["uv", "pip"]
# meant to keep the layer on one xdist worker (one devpi per session); xdist 3.8 under pytest 9 ignores groups
pytestmark = pytest.mark.xdist_group("devpi")


@pytest.fixture(scope="session")
def kappa_url(attacker_devpi: Devpi) -> str:
    """Where the attacker's devpi serves its wheel (read once, before any test counts its requests)."""
    page = urllib.request.urlopen(attacker_devpi.index_url + "kappa/", timeout=30).read().decode()  # noqa: S310
    href = re.search(r'href="([^"]+\.whl)#', page)
    assert href is not None, page
    return urllib.request.urljoin(attacker_devpi.index_url + "kappa/", href.group(1))


@pytest.fixture
def policy(devpi: Devpi, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return write_policy(tmp_path / "policy.toml", monkeypatch, f'index-url = "{devpi.index_url}"\n')


def _uv() -> str:
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    return uv.argv[0]


def _name_the_attacker(how: str, project: Path, attacker: Devpi, kappa: str) -> None:
    if how == "direct reference":
        (project / "requirements.txt").write_text(f"beta\nkappa @ {kappa}\n", encoding="utf-8")
    elif how == "requirements option":
        (project / "requirements.txt").write_text(f"--extra-index-url {attacker.index_url}\nkappa\n", encoding="utf-8")
    elif how == "tool.uv":
        (project / "pyproject.toml").write_text(
            '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["kappa"]\n\n'
            f'[tool.uv]\npackage = false\nextra-index-url = ["{attacker.index_url}"]\n\n'
            f'[[tool.uv.index]]\nname = "evil"\nurl = "{attacker.index_url}"\n',
            encoding="utf-8",
        )
    else:  # a lock the real uv wrote against the attacker's index
        (project / "pyproject.toml").write_text(
            '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["kappa"]\n\n[tool.uv]\npackage = false\n',
            encoding="utf-8",
        )
        subprocess.run(
            [_uv(), "lock", "--no-config", "--index-url", attacker.index_url, "--python", sys.executable],
            cwd=project,
            check=True,
            capture_output=True,
        )


@pytest.mark.parametrize("installer", INSTALLERS)
def test_the_org_devpi_gets_through(installer: str, policy: Path, devpi: Devpi, project: Path, tmp_path: Path) -> None:
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    before = len(devpi.requests())
    out = create(project, tmp_path / "venv", installer)
    assert out.returncode == 0, out.stdout + out.stderr
    assert installed(tmp_path / "venv").items() >= {"alpha": "2.0", "beta": "1.0"}.items()
    assert any("/+simple/beta" in line for line in devpi.requests()[before:])


@pytest.mark.parametrize("installer", INSTALLERS)
@pytest.mark.parametrize("how", ["direct reference", "requirements option", "tool.uv", "uv.lock"])
def test_a_second_devpi_is_refused_whatever_names_it(
    installer: str,
    how: str,
    policy: Path,
    attacker_devpi: Devpi,
    kappa_url: str,
    project: Path,
    tmp_path: Path,
) -> None:
    _name_the_attacker(how, project, attacker_devpi, kappa_url)
    before = len(attacker_devpi.requests())
    out = create(project, tmp_path / "venv", installer)
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    assert "kappa" not in installed(tmp_path / "venv")
    assert "Traceback" not in text
    # a project's [tool.uv] is never read, and a lock's registry is not where its pins are fetched from: there kappa
    # is simply not on the org's index
    if how in {"direct reference", "requirements option"}:
        # the checks compare hosts, the proxy host and port: another port on the same host is the proxy's to refuse
        said = [line for line in text.splitlines() if str(policy) in line]
        assert said, text
        assert "refused by the org policy" in said[0] or f"network refused {attacker_devpi.authority} " in said[0]
    assert attacker_devpi.requests()[before:] == []


@pytest.mark.parametrize("installer", INSTALLERS)
def test_the_proxy_refuses_the_second_devpi_even_past_the_checks(
    installer: str, policy: Path, devpi: Devpi, attacker_devpi: Devpi, kappa_url: str, project: Path, tmp_path: Path
) -> None:
    """The step goes straight to the proxied run, as if every check before it had been fooled."""
    from virtualenv import cli_run

    from virtualenv_ready.errors import ReadyError
    from virtualenv_ready.installers.choose import choose_installer
    from virtualenv_ready.installers.steps import run_step
    from virtualenv_ready.model import IndexOptions, Step
    from virtualenv_ready.target import Target

    venv = tmp_path / "plain"
    cli_run([str(venv), "--activators", ""], setup_logging=False)
    target = Target.from_venv(venv)
    chosen, located = choose_installer(installer, target)
    before = len(attacker_devpi.requests())
    with pytest.raises(ReadyError, match=rf"network refused {attacker_devpi.authority} "):
        run_step(
            chosen,
            located,
            target,
            Step(lines=("beta", f"kappa @ {kappa_url}")),
            IndexOptions(index_url=devpi.index_url),
            file=tmp_path / "step.txt",
            project=project,
            handed=[],
            verbosity=0,
            what="installing kappa",
        )
    assert attacker_devpi.requests()[before:] == []
    assert "kappa" not in installed(venv)
