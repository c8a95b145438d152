"""A real Windows ``python.exe -m virtualenv --seeder ready`` under wine: layout, record, install, sync, hostile paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from winekit import AMPERSAND, HOSTILE, NON_ASCII, Created, create

from helpers import offline_env, wine_dest
from wheels import make_wheel

if TYPE_CHECKING:
    from winekit import Wine

pytestmark = [pytest.mark.wine, pytest.mark.xdist_group("wine")]
OUR_CMD_FILES = ("venv-run.cmd", "activate-ci.cmd", "activate-policy.cmd")


def env_python(wine: Wine, created: Created, code: str) -> object:
    """Run code in the env's own python.exe; its last output line is JSON."""
    out = wine.run(wine_dest(created.scripts / "python.exe"), "-c", code, cwd=created.project)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("which", ["hostile_env", "ampersand_env"])
def test_layout_record_and_project(wine: Wine, request: pytest.FixtureRequest, which: str) -> None:
    created: Created = request.getfixturevalue(which)
    assert created.out.returncode == 0, created.text
    assert (created.scripts / "python.exe").is_file()
    assert not (created.env / "bin").exists()
    data = json.loads((created.env / "virtualenv-ready.json").read_text(encoding="utf-8"))
    assert data["status"] == "complete", data
    assert data["bin_dir"] == "Scripts"
    assert data["python"] == "Scripts\\python.exe"
    assert data["project"] == wine_dest(created.project)
    assert data["installer"]["name"] == "pip"
    seen = env_python(
        wine,
        created,
        "import json, sys, alpha, proj; print(json.dumps([sys.prefix, proj.__file__, alpha.VERSION]))",
    )
    assert seen == [wine_dest(created.env), wine_dest(created.project / "src" / "proj" / "__init__.py"), "2.0"]
    assert "installed 2 packages from pyproject.toml with pip" in created.text, created.text


def test_hostile_path_is_long_and_keeps_every_script(hostile_env: Created) -> None:
    assert HOSTILE in str(hostile_env.env)
    longest = max(len(wine_dest(path)) for path in hostile_env.env.rglob("*"))
    assert longest > 260, "the env must reach past MAX_PATH"
    for name in (*OUR_CMD_FILES, "activate-policy.ps1"):
        assert (hostile_env.scripts / name).is_file(), name


def test_ampersand_path_skips_cmd_files_and_says_so_with_the_path_as_written(ampersand_env: Created) -> None:
    for name in OUR_CMD_FILES:
        assert not (ampersand_env.scripts / name).exists(), name
    assert (ampersand_env.scripts / "activate-policy.ps1").is_file()
    warnings = [line for line in ampersand_env.text.splitlines() if "not writing" in line]
    assert len(warnings) == 3, ampersand_env.text
    for line in warnings:
        assert f"cmd.exe cannot carry &, ^ in {wine_dest(ampersand_env.env)}" in line, line
        assert "\\\\" not in line, f"a path printed through repr: {line}"
    assert AMPERSAND in str(ampersand_env.env)
    assert NON_ASCII in str(ampersand_env.env)


def test_auto_falls_back_to_pip_when_uv_is_there_but_fails_to_start(hostile_env: Created) -> None:
    """uv's Windows binary does not load under wine (a DLL it needs is missing): auto says so and uses pip."""
    fallback = [line for line in hostile_env.text.splitlines() if "failed to run" in line]
    assert len(fallback) == 1, hostile_env.text
    assert "uv.exe" in fallback[0]
    assert "exited with code 0xC0000135 (a DLL it needs is missing)" in fallback[0]
    assert "trying the next installer" in fallback[0]
    assert "with pip" in hostile_env.text


def test_requested_uv_that_fails_to_start_is_not_called_missing(wine: Wine, wheelhouse: Path) -> None:
    created = create(wine, wheelhouse, wine.work / "uv asked", "--ready-installer", "uv", "--no-pip", "--no-setuptools")
    assert created.out.returncode != 0
    assert "is not installed" not in created.text
    errors = [line for line in created.text.splitlines() if "--ready-installer uv:" in line]
    assert len(errors) == 1, created.text
    assert "failed to run" in errors[0]
    assert "0xC0000135" in errors[0]
    assert "--ready-installer pip" in errors[0]


def test_sync_and_check(wine: Wine, wheelhouse: Path, hostile_env: Created) -> None:
    """A new requirement: --check exits 1 naming it, sync installs it, then --check passes."""
    assert hostile_env.out.returncode == 0, hostile_env.text
    extra = wheelhouse.parent / "wine-sync-wheels"
    extra.mkdir(exist_ok=True)
    make_wheel(extra, "wine-extra", "1.0")
    (hostile_env.project / "requirements.txt").write_text("wine-extra\n", encoding="utf-8")
    env = offline_env(wheelhouse, {})
    env["VIRTUALENV_READY_FIND_LINKS"] = f"{wine_dest(wheelhouse)},{wine_dest(extra)}"
    venv = wine_dest(hostile_env.env)
    try:
        check = wine.python("-m", "virtualenv_ready", "sync", "--check", venv, cwd=hostile_env.project, env=env)
        assert check.returncode == 1, check.stdout + check.stderr
        assert "requirements.txt" in check.stdout, check.stdout
        assert f"run `virtualenv-ready sync {venv}`" in check.stdout
        sync = wine.python("-m", "virtualenv_ready", "sync", venv, cwd=hostile_env.project, env=env)
        assert sync.returncode == 0, sync.stdout + sync.stderr
        assert env_python(wine, hostile_env, "import json, wine_extra; print(json.dumps(wine_extra.VERSION))") == "1.0"
        again = wine.python("-m", "virtualenv_ready", "sync", "--check", venv, cwd=hostile_env.project, env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert f"{venv}: up to date" in again.stdout
    finally:
        (hostile_env.project / "requirements.txt").unlink()


@pytest.mark.parametrize("which", ["hostile_env", "ampersand_env"])
def test_hints_name_existing_files_quoted_for_cmd_or_powershell(
    wine: Wine, request: pytest.FixtureRequest, which: str
) -> None:
    """Every activation line of a real Windows creation (and of ``activate --list``) names files that exist, quoted
    for the shell that runs them."""
    from virtualenv_ready.activation.quoting import elvish_quote, fish_quote, nu_quote, ps_quote, sh_quote, xonsh_quote

    created: Created = request.getfixturevalue(which)
    printed = [line for line in created.text.splitlines() if line.startswith("activate with")]
    listed = wine.python("-m", "virtualenv_ready", "activate", "--list", wine_dest(created.env), cwd=created.project)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.strip(), "no shell has a line"
    hints = printed + listed.stdout.splitlines()
    names = {p.name for p in created.scripts.iterdir()} | {"activate.bat", "venv-run", "activate-ci", "activate"}
    # a file's suffix says which shell runs it; POSIX scripts (no suffix) have no line on Windows
    windows_quoting = {
        ".cmd": ("cmd", "ps"),
        ".bat": ("cmd", "ps"),
        ".ps1": ("ps",),
        ".elv": ("elvish",),
        ".nu": ("nu",),
        ".fish": ("fish",),
        ".xsh": ("xonsh",),
    }
    for line in hints:
        named: dict[str, set[str]] = {}
        for name in names:
            path = wine_dest(created.scripts / name)
            for kind, rendered in (
                ("cmd", f'"{path}"'),
                ("ps", ps_quote(path)),
                ("sh", sh_quote(path)),
                ("fish", fish_quote(path)),
                ("elvish", elvish_quote(path)),
                ("nu", nu_quote(path)),
                ("xonsh", xonsh_quote(path)),
            ):
                if rendered in line:
                    named.setdefault(name, set()).add(kind)
        assert named, f"names no script of the env: {line}"
        for name, kinds in named.items():
            assert (created.scripts / name).is_file(), f"names a file that does not exist: {line}"
            suffix = "." + name.rsplit(".", 1)[1] if "." in name else ""
            assert kinds & set(windows_quoting.get(suffix, ())), f"{name} quoted for {kinds}: {line}"
