"""Hash-pinned installs served by the org's devpi: hashes in requirements (``--ready-require-hashes``), a uv.lock and
a pylock.toml written by the real uv against devpi; a hash that does not match devpi's file fails the run."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from devpi_helpers import Devpi, create, write_policy
from helpers import installed

INSTALLERS = ["uv", "pip"]
# meant to keep the layer on one xdist worker (one devpi per session); xdist 3.8 under pytest 9 ignores groups
pytestmark = pytest.mark.xdist_group("devpi")
ZEROS = "0" * 64


@pytest.fixture
def policy(devpi: Devpi, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The org's policy: devpi's ``acme/prod`` is the index."""
    return write_policy(tmp_path / "policy.toml", monkeypatch, f'index-url = "{devpi.index_url}"\n')


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wheel(wheels: list[Path], name: str, version: str) -> Path:
    return next(w for w in wheels if w.name == f"{name}-{version}-py3-none-any.whl")


@pytest.mark.parametrize("installer", INSTALLERS)
@pytest.mark.parametrize("tampered", [False, True], ids=["matching", "tampered"])
def test_hash_pinned_requirements(
    installer: str, tampered: bool, policy: Path, index_wheels: list[Path], project: Path, tmp_path: Path
) -> None:
    alpha, beta = _wheel(index_wheels, "alpha", "1.0"), _wheel(index_wheels, "beta", "1.0")
    (project / "requirements.txt").write_text(
        f"alpha==1.0 --hash=sha256:{ZEROS if tampered else _sha(alpha)}\nbeta==1.0 --hash=sha256:{_sha(beta)}\n",
        encoding="utf-8",
    )
    venv = tmp_path / "venv"
    out = create(project, venv, installer, "--ready-require-hashes")
    if tampered:
        assert out.returncode != 0
        assert "alpha" not in installed(venv)
        assert re.search(r"(?i)hash", out.stdout + out.stderr)
        return
    assert out.returncode == 0, out.stdout + out.stderr
    assert installed(venv).items() >= {"alpha": "1.0", "beta": "1.0"}.items()


def _uv() -> str:
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    return uv.argv[0]


def _locked_project(project: Path, devpi: Devpi) -> None:
    """A project whose uv.lock the real uv wrote against devpi (alpha held at 1.0 by the project's own pin)."""
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["beta", "alpha<2"]\n\n[tool.uv]\npackage = false\n',
        encoding="utf-8",
    )
    subprocess.run(
        [_uv(), "lock", "--no-config", "--index-url", devpi.index_url, "--python", sys.executable],
        cwd=project,
        check=True,
        capture_output=True,
    )


def _tamper(path: Path, wheel: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _sha(wheel) in text
    path.write_text(text.replace(_sha(wheel), ZEROS), encoding="utf-8")


@pytest.mark.parametrize("installer", INSTALLERS)
@pytest.mark.parametrize("lock", ["uv.lock", "pylock.toml"])
@pytest.mark.parametrize("tampered", [False, True], ids=["matching", "tampered"])
def test_a_lock_written_against_devpi_installs_from_it(
    installer: str,
    lock: str,
    tampered: bool,
    policy: Path,
    devpi: Devpi,
    index_wheels: list[Path],
    project: Path,
    tmp_path: Path,
) -> None:
    _locked_project(project, devpi)
    if lock == "pylock.toml":
        subprocess.run(
            [_uv(), "export", "--no-config", "--format", "pylock.toml", "-o", "pylock.toml", "--frozen"],
            cwd=project,
            check=True,
            capture_output=True,
        )
        (project / "uv.lock").unlink()
        (project / "pyproject.toml").unlink()
    assert devpi.url in (project / lock).read_text(encoding="utf-8")
    if tampered:
        _tamper(project / lock, _wheel(index_wheels, "alpha", "1.0"))
    venv = tmp_path / "venv"
    out = create(project, venv, installer)
    if tampered:
        assert out.returncode != 0, out.stdout + out.stderr
        assert "alpha" not in installed(venv)
        return
    assert out.returncode == 0, out.stdout + out.stderr
    assert installed(venv).items() >= {"alpha": "1.0", "beta": "1.0"}.items()
