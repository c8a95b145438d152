"""pylock.toml and option precedence, through real environments."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from helpers import installed, offline, trust, virtualenv_cmd
from wheels import write_project


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_lock(
    project: Path,
    wheelhouse: Path,
    entries: list[tuple[str, str, str]],
    groups: list[str] | None = None,
    bad_hash: bool = False,
) -> Path:
    """A PEP 751 lock pointing at copies of wheelhouse files inside the project by path; entries are (name, version, marker)."""
    lines = [
        'lock-version = "1.0"',
        'created-by = "tests"',
        f"dependency-groups = {json.dumps(groups or [])}",
        f"default-groups = {json.dumps(groups[:1] if groups else [])}",
        "extras = []",
        "",
    ]
    (project / "wheels").mkdir(exist_ok=True)
    for name, version, marker in entries:
        wheel = wheelhouse / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        shutil.copy2(wheel, project / "wheels")  # a lock's paths stay inside the project
        digest = "0" * 64 if bad_hash else sha(wheel)
        lines += ["[[packages]]", f'name = "{name}"', f'version = "{version}"']
        if marker:
            lines.append(f"marker = {json.dumps(marker)}")
        lines += [
            f'wheels = [{{ name = "{wheel.name}", path = "wheels/{wheel.name}", hashes = {{ sha256 = "{digest}" }} }}]',
            "",
        ]
    path = project / "pylock.toml"
    path.write_text("\n".join(lines))
    return path


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_pylock_installs_exactly(project: Path, ready, wheelhouse: Path, installer: str) -> None:  # type: ignore[no-untyped-def]
    # beta depends on alpha, but the lock says alpha 1.0: exactly that, no resolver
    write_lock(
        project,
        wheelhouse,
        [
            ("alpha", "1.0", ""),
            ("beta", "1.0", ""),
            ("delta", "1.0", "'dev' in dependency_groups"),
            ("epsilon", "1.0", "sys_platform == 'nonexistent'"),
        ],
        groups=["dev"],
    )
    (project / "requirements.txt").write_text("gamma\n")  # ignored: the lock wins
    venv = ready(installer=installer)
    found = installed(venv)
    assert found["alpha"] == "1.0"
    assert found["beta"] == "1.0"
    assert "delta" in found  # default group of the lock
    assert "epsilon" not in found  # marker false for this platform
    assert "gamma" not in found


def test_pylock_groups_can_be_deselected(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    write_lock(
        project,
        wheelhouse,
        [("alpha", "1.0", ""), ("delta", "1.0", "'dev' in dependency_groups")],
        groups=["dev", "docs"],
    )
    venv = ready("--ready-groups", "docs")
    assert "delta" not in installed(venv)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_pylock_hash_mismatch_fails(project: Path, wheelhouse: Path, installer: str) -> None:
    write_lock(project, wheelhouse, [("alpha", "1.0", "")], bad_hash=True)
    out = virtualenv_cmd(
        "--seeder", "ready", ".venv", *offline(wheelhouse), "--ready-installer", installer, cwd=project
    )
    assert out.returncode != 0
    assert "hash" in (out.stdout + out.stderr).lower()


def test_pylock_with_project_installs_project_without_resolving(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", dependencies=["alpha"], groups={"dev": ["gamma"]})
    write_lock(project, wheelhouse, [("alpha", "1.0", "")])
    venv = ready()
    found = installed(venv)
    assert found["app"] == "1.0"
    assert found["alpha"] == "1.0"
    assert "gamma" not in found  # groups come from the lock, which has none


@pytest.mark.parametrize(("installer", "runs"), [("uv", 1), ("pip", 2)])
def test_lock_and_project_share_one_run_where_hashes_are_checked_per_line(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, installer: str, runs: int
) -> None:
    write_project(project, "app", dependencies=["alpha"])
    write_lock(project, wheelhouse, [("alpha", "1.0", "")])
    venv = ready(installer=installer)
    assert {"app", "alpha"} <= set(installed(venv))
    assert len(json.loads((venv / "virtualenv-ready.json").read_text())["commands"]) == runs


def test_a_joined_run_still_checks_the_lock_hashes(project: Path, wheelhouse: Path) -> None:
    write_project(project, "app", dependencies=["alpha"])
    write_lock(project, wheelhouse, [("alpha", "1.0", "")], bad_hash=True)
    out = virtualenv_cmd("--seeder", "ready", ".venv", *offline(wheelhouse), "--ready-installer", "uv", cwd=project)
    assert out.returncode != 0
    assert "hash mismatch" in (out.stdout + out.stderr).lower()
    assert "alpha" not in installed(project / ".venv")


def test_tool_table_sets_what_to_install(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(
        project,
        "app",
        groups={"dev": ["alpha"], "docs": ["delta"]},
        extra_toml='\n[tool.virtualenv-ready]\ngroups = ["docs"]\nno-project = true\n',
    )
    found = installed(ready())
    assert "delta" in found
    assert "alpha" not in found
    assert "app" not in found


def test_env_var_beats_tool_table_and_cli_beats_env(project: Path, ready, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    write_project(
        project,
        "app",
        groups={"dev": ["alpha"], "docs": ["delta"], "lint": ["zeta"]},
        extra_toml='\n[tool.virtualenv-ready]\ngroups = ["docs"]\n',
    )
    monkeypatch.setenv("VIRTUALENV_READY_GROUPS", "lint")
    found = installed(ready(dest=project / "env1"))
    assert "zeta" in found
    assert "delta" not in found
    found = installed(ready("--ready-groups", "dev", dest=project / "env2"))
    assert "alpha" in found
    assert "zeta" not in found


def test_ini_file_is_a_layer(project: Path, ready, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_project(
        project,
        "app",
        groups={"dev": ["alpha"], "docs": ["delta"]},
        extra_toml='\n[tool.virtualenv-ready]\ngroups = ["dev"]\n',
    )
    ini = tmp_path / "virtualenv.ini"
    ini.write_text("[virtualenv]\nready_groups = docs\n")
    monkeypatch.setenv("VIRTUALENV_CONFIG_FILE", str(ini))
    found = installed(ready())
    assert "delta" in found
    assert "alpha" not in found


def test_seeder_from_ini_and_env(project: Path, wheelhouse: Path, tmp_path: Path) -> None:
    import os

    (project / "requirements.txt").write_text("alpha\n")
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(f"[virtualenv]\nseeder = ready\nready_no_index = true\nready_find_links = {wheelhouse}\n")
    trust(project, {**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)})  # ready only from the ini: consent first
    out = virtualenv_cmd(".venv", cwd=project, env={**os.environ, "VIRTUALENV_CONFIG_FILE": str(ini)})
    assert out.returncode == 0, out.stderr
    assert "alpha" in installed(project / ".venv")
