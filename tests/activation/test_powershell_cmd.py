"""activate-policy.ps1 through tree-sitter-pwsh, golden .ps1/.cmd files, the .cmd files under wine's cmd.exe."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from activation_helpers import HOSTILE, HOSTILE_IDS, fake_creator, make_env, need, no_pwned, render

from helpers import parse_github_env, wine_dest
from virtualenv_ready.activation.ci import CIActivator
from virtualenv_ready.activation.powershell import PowerShellPolicyActivator
from virtualenv_ready.activation.quoting import ps_quote
from virtualenv_ready.activation.venv_run import VenvRunActivator

GOLDEN = Path(__file__).parent / "golden"


def parse_ps(data: bytes) -> Any:
    import tree_sitter
    import tree_sitter_pwsh

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))
    return parser.parse(data)


def bad_nodes(tree: Any) -> list[str]:
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(f"{node.type} at {node.start_point}: {node.text[:60]!r}")
        stack.extend(node.children)
    return found


def ps_literal_value(literal: str) -> str:
    """Undo ps_quote: strip the outer quotes, un-double every kind of single quote."""
    assert literal[0] in "'\u2018\u2019\u201a\u201b"
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        out.append(body[i])
        i += 2 if body[i] in "'\u2018\u2019\u201a\u201b" else 1
    return "".join(out)


def assignment_value(tree: Any, target: str) -> str:
    """The single-quoted literal assigned to ``target`` at the top level, decoded."""
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "assignment_expression" and node.children[0].text.decode().lower() == target.lower():
            value = node.children[-1]
            text = value.text.decode("utf-8")
            literal = [n for n in _walk(value) if n.type == "verbatim_string_characters"]
            assert len(literal) == 1 and literal[0].text.decode("utf-8") == text, (
                f"{target} is not one literal: {text!r}"
            )
            return ps_literal_value(text)
        stack.extend(node.children)
    raise AssertionError(target)


def _walk(node: Any) -> list[Any]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children)
    return out


@pytest.mark.parametrize("windows", [False, True], ids=["posix", "windows"])
@pytest.mark.parametrize("name", HOSTILE, ids=HOSTILE_IDS)
def test_ps1_parses_and_carries_values_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, *, windows: bool
) -> None:
    dest = ("C:\\Users\\dev\\" if windows else "/home/dev/") + name
    creator = fake_creator(dest, windows=windows)
    files = render(PowerShellPolicyActivator, creator, tmp_path, monkeypatch, prompt=name)
    data = files["activate-policy.ps1"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    if "\n" not in name:
        assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF"
    tree = parse_ps(data[3:])
    assert bad_nodes(tree) == []
    assert assignment_value(tree, "$env:VIRTUAL_ENV") == str(creator.dest)
    assert assignment_value(tree, "$env:VIRTUAL_ENV_PROMPT") == name
    code = "\n".join(line for line in data.decode("utf-8-sig").splitlines() if not line.startswith("#"))
    for forbidden in ("$PSScriptRoot", "$MyInvocation", "::", "[System.", "-ExecutionPolicy"):
        assert forbidden not in code.replace(ps_quote(dest), "").replace(ps_quote(name), "")
    assert not any(n.type == "param_block" and n.parent.parent == tree.root_node for n in _walk(tree.root_node))


def test_ps1_sets_plugin_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import virtualenv_ready.activation.powershell as module

    hostile = "';touch PWNED;'\u2019$(x)"
    monkeypatch.setattr(module, "activation_env", lambda venv: {"READY_TOKEN": hostile})
    files = render(PowerShellPolicyActivator, fake_creator("C:\\e", windows=True), tmp_path, monkeypatch)
    data = files["activate-policy.ps1"].read_bytes()
    tree = parse_ps(data[3:])
    assert bad_nodes(tree) == []
    assert assignment_value(tree, "$env:READY_TOKEN") == hostile
    assert b"'VIRTUAL_ENV_PROMPT', 'READY_TOKEN')" in data  # deactivate removes it


GOLDEN_CASES = {
    "activate-policy.ps1": PowerShellPolicyActivator,
    "activate-policy.cmd": PowerShellPolicyActivator,
    "venv-run.cmd": VenvRunActivator,
    "activate-ci.cmd": CIActivator,
}


@pytest.mark.parametrize("filename", list(GOLDEN_CASES))
def test_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filename: str) -> None:
    creator = fake_creator("C:\\Users\\dev\\My Project 100%\\.venv", windows=True)
    files = render(GOLDEN_CASES[filename], creator, tmp_path, monkeypatch, prompt="demo")
    got = files[filename].read_bytes()
    golden = GOLDEN / filename
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(got)
    assert got == golden.read_bytes(), (
        f"{filename} changed; if intended, re-run with UPDATE_GOLDEN=1 and review the diff"
    )
    if filename.endswith(".cmd"):
        assert b"\n" not in got.replace(b"\r\n", b"")
        assert b"setlocal DisableDelayedExpansion" in got
        assert b"call " not in got.lower()
        assert b"ExecutionPolicy" not in got


def test_cmd_skipped_for_unsafe_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    creator = fake_creator("C:\\R&D\\%cd%&touch PWNED", windows=True)
    for cls in (PowerShellPolicyActivator, VenvRunActivator, CIActivator):
        files = render(cls, creator, tmp_path / cls.__name__, monkeypatch)
        assert not any(name.endswith(".cmd") for name in files), files
    assert caplog.text.count("cmd.exe cannot carry &") == 3
    # the path as the user wrote it, not its repr ('C:\\R&D...')
    assert caplog.text.count("in C:\\R&D\\%cd%&touch PWNED") == 3, caplog.text


# --- wine's cmd.exe ---------------------------------------------------------------------------------------------
# wine's cmd expands %VAR% values again and has no `echo(`: names with % are left to the windows workflow.
# four names that cover spaces, ; ' ! ` $ and placeholder names (stdin must be closed or wine waits on it)
WINE_NAMES = ["with space", "';touch PWNED;'", "!!x!`touch PWNED`", "$(touch PWNED)__VIRTUAL_ENV__"]


def wine(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """``wine cmd.exe /c ARGS`` in ``cwd`` (scripts are called by bare name: wine re-escapes quotes in argv)."""
    exe = need("wine")
    full = {**env, "WINEDEBUG": "-all"}
    full.setdefault("WINEPREFIX", str(Path(os.environ.get("WINE_HOME", "/root")) / ".wine"))
    return subprocess.run(
        [exe, "cmd.exe", "/c", *args], capture_output=True, env=full, timeout=120, check=False, cwd=cwd
    )


@pytest.fixture(scope="module")
def wine_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"GITHUB_ENV", "GITHUB_PATH", "TF_BUILD", "PYTHONHOME"}}


@pytest.mark.parametrize("name", WINE_NAMES, ids=[repr(n) for n in WINE_NAMES])
def test_cmd_files_under_wine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wine_env: dict[str, str], name: str
) -> None:
    real = tmp_path / "envs" / name
    creator = fake_creator(wine_dest(real), windows=True)
    scripts = real / "Scripts"
    for cls in (PowerShellPolicyActivator, VenvRunActivator, CIActivator):
        render(cls, creator, scripts, monkeypatch)
    win_scripts = wine_dest(scripts)
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "powershell.bat").write_bytes(
        b"@echo off\r\n>" + wine_dest(tmp_path / "args.txt").encode() + b" echo %*\r\nexit /b 5\r\n"
    )
    env = {
        **wine_env,
        "WINEPATH": wine_dest(fake),
        "GITHUB_ENV": wine_dest(tmp_path / "gh.env"),
        "GITHUB_PATH": wine_dest(tmp_path / "gh.path"),
    }

    # activate-policy.cmd opens PowerShell with the one-liner, no -ExecutionPolicy
    result = wine(["activate-policy.cmd"], env, scripts)
    assert result.returncode == 5, result
    args = (tmp_path / "args.txt").read_text(encoding="ascii").rstrip("\r\n")
    one_liner = (
        f"Get-Content -Raw -LiteralPath {ps_quote(win_scripts + chr(92) + 'activate-policy.ps1')} | Invoke-Expression"
    )
    assert args == f'-NoLogo -NoExit -Command "{one_liner}"'

    # venv-run.cmd: environment set, exit code passed back
    assert wine(["venv-run.cmd", "cmd", "/c", "exit", "3"], env, scripts).returncode == 3
    result = wine(["venv-run.cmd", "set"], env, scripts)
    assert result.returncode == 0, result
    seen = dict(line.split("=", 1) for line in result.stdout.decode("latin-1").splitlines() if "=" in line)
    upper = {k.upper(): v for k, v in seen.items()}
    assert upper["VIRTUAL_ENV"] == wine_dest(real)
    assert upper["PATH"].startswith(win_scripts + ";")
    assert "PYTHONHOME" not in upper

    # activate-ci.cmd: GitHub files
    result = wine(["activate-ci.cmd"], env, scripts)
    assert result.returncode == 0, result
    gh_env = (tmp_path / "gh.env").read_text(encoding="utf-8").replace("\r\n", "\n")
    assert parse_github_env(gh_env) == {"VIRTUAL_ENV": wine_dest(real)}
    assert (tmp_path / "gh.path").read_text(encoding="utf-8").replace("\r\n", "\n") == win_scripts + "\n"
    no_pwned(tmp_path)


def test_real_env_writes_ps1_on_posix(sandbox: Path) -> None:
    dest = make_env(sandbox, "env", prompt="p")
    data = (dest / "bin" / "activate-policy.ps1").read_bytes()
    assert bad_nodes(parse_ps(data[3:])) == []
    assert not (dest / "bin" / "activate-policy.cmd").exists()
