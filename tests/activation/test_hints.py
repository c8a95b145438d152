"""The "activate with" lines, the shell detection behind them, and `virtualenv-ready activate` in real shells."""

# ruff: noqa: S604 - `shell=` here names the user's shell for a hint, nothing runs through a shell

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from activation_helpers import PY, dir_name, fake_creator, make_env, need, no_pwned, render
from test_fuzz_quote import _nodes, ps_decode

from virtualenv_ready.activation.ci import CIActivator
from virtualenv_ready.activation.elvish import ElvishActivator
from virtualenv_ready.activation.notices import activation_lines, requirements_notice
from virtualenv_ready.activation.powershell import PowerShellPolicyActivator
from virtualenv_ready.activation.quoting import elvish_quote, fish_quote, ps_quote, sh_quote
from virtualenv_ready.activation.venv_run import VenvRunActivator

OURS = (PowerShellPolicyActivator, VenvRunActivator, ElvishActivator, CIActivator)
CLI = f"{sh_quote(PY)} -m virtualenv_ready"


def shell_run(
    *argv: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A command line run by a real shell; its output as text."""
    return subprocess.run(list(argv), capture_output=True, text=True, check=False, cwd=cwd, env=env)


def windows_scripts(dest: str, outdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What our activators write for a Windows target at ``dest`` (paths as Windows spells them), into ``outdir``."""
    creator = fake_creator(dest, windows=True)
    for cls in OURS:
        render(cls, creator, outdir, monkeypatch)


def ps_parses(command: str) -> list[str]:
    """The command parses as PowerShell with no error; returns the values of its verbatim string literals."""
    import tree_sitter
    import tree_sitter_pwsh

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))
    nodes = _nodes(parser.parse(f"{command}\n".encode()).root_node)
    bad = [(n.type, n.start_point) for n in nodes if n.is_error or n.is_missing]
    assert not bad, (command, bad)
    return [ps_decode(n.text.decode("utf-8")) for n in nodes if n.type == "string_literal"]


def test_windows_lines_on_a_path_cmd_cannot_carry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING")
    scripts = tmp_path / "it's" / "Scripts"
    windows_scripts("C:\\a&b\\venv", scripts, monkeypatch)
    assert not list(scripts.glob("*.cmd"))
    # the warnings show the path as the user wrote it, not repr'd (no doubled backslashes)
    assert "C:\\a&b\\venv" in caplog.text and "\\\\" not in caplog.text
    lines = activation_lines(scripts, None, windows=True)
    text = "\n".join(lines)
    # venv-run and activate-ci exist, but are POSIX scripts: no line offers them to cmd.exe or PowerShell
    assert (scripts / "venv-run").exists() and (scripts / "activate-ci").exists()
    for name in ("activate.bat", ".cmd", "venv-run", "activate-ci", "'\\''"):
        assert name not in text, text
    (powershell,) = [line for line in lines if "activate with PowerShell" in line]
    command = powershell.split("  ")[1].strip()
    assert ps_parses(command) == [str(scripts / "activate-policy.ps1")]


def test_windows_lines_quote_for_the_shell_that_runs_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tmp_path / "it\u2019s a (test)" / "Scripts"
    windows_scripts("C:\\Users\\me\\it\u2019s a (test)", scripts, monkeypatch)
    venv_run, launcher = scripts / "venv-run.cmd", scripts / "activate-policy.cmd"
    assert venv_run.exists() and launcher.exists()
    every = activation_lines(scripts, None, windows=True)
    assert f'activate with one command (cmd.exe)     "{venv_run}" COMMAND [ARGS...]' in every
    assert f"activate with one command (PowerShell)  & {ps_quote(str(venv_run))} COMMAND [ARGS...]" in every
    assert any(line.endswith(f'"{scripts / "activate-ci.cmd"}"  (GitHub Actions, Azure Pipelines)') for line in every)
    cmd = activation_lines(scripts, None, windows=True, shell="cmd")
    assert cmd == [
        f'activate with new PowerShell  "{launcher}"  (from cmd.exe or Explorer)',
        f'activate with one command     "{venv_run}" COMMAND [ARGS...]',
        f'activate with CI step         "{scripts / "activate-ci.cmd"}"  (GitHub Actions, Azure Pipelines)',
    ]
    powershell = activation_lines(scripts, None, windows=True, shell="powershell", runners=frozenset({"venv-run"}))
    assert len(powershell) == 2, powershell
    for line in powershell:
        command = line.split("  ", 1)[1].strip().split("  (")[0]
        values = ps_parses(command.replace(" COMMAND [ARGS...]", " python"))
        assert values in ([str(scripts / "activate-policy.ps1")], [str(venv_run)]), values


def test_a_probed_policy_picks_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from virtualenv_ready.activation.powershell.policy import Policy

    scripts = tmp_path / "Scripts"
    windows_scripts("C:\\venv", scripts, monkeypatch)
    allowed = Policy("RemoteSigned", {}, "FullLanguage", "registry")
    (line,) = activation_lines(scripts, None, windows=True, shell="powershell", runners=frozenset(), policy=allowed)
    assert line.startswith(f"activate with PowerShell  . {ps_quote(str(scripts / 'activate-policy.ps1'))}  (")
    (line,) = activation_lines(scripts, None, windows=True, shell="pwsh", runners=frozenset())
    assert "Invoke-Expression  (works under any execution policy)" in line


def _options(**values: Any) -> SimpleNamespace:
    return SimpleNamespace(**{"seeder": "app-data", "no_seed": False, "dest": "/p/my venv", **values})


def test_the_notice_names_the_seeder_and_the_one_command(sandbox: Path) -> None:
    (sandbox / "requirements.txt").write_text("six\n", encoding="utf-8")
    line = requirements_notice(_options(), shell="bash")
    assert line == (
        f"virtualenv-ready: requirements.txt in {sandbox} not installed (the seeder is app-data, not ready); "
        "install them with `virtualenv-ready sync '/p/my venv'`"
    )
    assert "(--no-seed was given)" in (requirements_notice(_options(no_seed=True)) or "")
    assert "(--no-seed was given)" in (requirements_notice(_options(seeder="ready", no_seed=True)) or "")
    assert requirements_notice(_options(seeder="ready")) is None
    assert (requirements_notice(_options(dest="venv"), shell="fish") or "").endswith("`virtualenv-ready sync venv`")
    assert "sync 'C:\\my venv'`" in (requirements_notice(_options(dest="C:\\my venv"), shell="pwsh") or "")
    assert 'sync "C:\\my venv"`' in (requirements_notice(_options(dest="C:\\my venv"), shell="cmd") or "")
    (sandbox / "requirements.txt").unlink()
    assert requirements_notice(_options()) is None  # nothing to install: nothing to say


DETECT = "from virtualenv_ready.activation.detect import detect; print(detect())"


@pytest.mark.parametrize(("shell", "expected"), [("bash", "bash"), ("zsh", "zsh"), ("dash", "dash"), ("mksh", "mksh")])
def test_the_shell_is_found_from_the_parent_process(shell: str, expected: str) -> None:
    exe = need(shell)
    # "; :" keeps the shell from exec'ing python in its own place
    out = subprocess.run(
        [exe, "-c", f"{sh_quote(PY)} -c {sh_quote(DETECT)}; :"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SHELL": "/bin/fish"},
    )
    assert out.stdout.strip() == expected


def test_without_proc_ps_names_the_parent() -> None:
    exe, _ = need("bash"), need("ps")
    code = "from virtualenv_ready.activation.detect import _ps_ancestors; print(next(_ps_ancestors()))"
    out = shell_run(exe, "-c", f"{sh_quote(PY)} -c {sh_quote(code)}; :")  # how macOS and the BSDs are asked
    assert out.stdout.strip() == "bash", out.stderr


def test_fish_and_elvish_are_found() -> None:
    fish, elvish = need("fish"), need("elvish")
    out = subprocess.run(
        [fish, "-c", f"{fish_quote(PY)} -c {fish_quote(DETECT)}; true"], capture_output=True, text=True, check=False
    )
    assert out.stdout.strip() == "fish", out.stderr
    script = f"(external {elvish_quote(PY)}) -c {elvish_quote(DETECT)}; nop"
    out = shell_run(elvish, "-norc", "-c", script)
    assert out.stdout.strip() == "elvish", out.stderr


def test_shell_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    from virtualenv_ready.activation import detect

    monkeypatch.setattr(detect, "_ancestors", list)  # started by a service or an IDE: no shell above us
    assert detect.detect(windows=False, env={"SHELL": "/usr/bin/zsh"}) == "zsh"
    assert detect.detect(windows=False, env={"SHELL": "/opt/odd/shell"}) is None
    assert detect.detect(windows=False, env={}) is None
    assert detect.detect(windows=True, env={}) == "cmd"


def test_windows_tells_powershell_from_cmd_by_psmodulepath() -> None:
    from virtualenv_ready.activation.detect import _from_psmodulepath

    machine = r"C:\Program Files\WindowsPowerShell\Modules;C:\WINDOWS\system32\WindowsPowerShell\v1.0\Modules"
    user = r"C:\Users\me\Documents\WindowsPowerShell\Modules"
    assert _from_psmodulepath({"USERPROFILE": r"C:\Users\me", "PSModulePath": machine}) == "cmd"
    assert _from_psmodulepath({"USERPROFILE": r"C:\Users\me", "PSModulePath": f"{user};{machine}"}) == "powershell"
    assert _from_psmodulepath({}) == "cmd"


HOSTILE_DIR = "it's $(touch PWNED) `x` a"


@pytest.mark.parametrize("shell", ["bash", "zsh", "dash", "mksh"])
def test_activate_is_evaluated_by_posix_shells(sandbox: Path, shell: str) -> None:
    exe = need(shell)
    venv = make_env(sandbox, HOSTILE_DIR)
    script = f'eval "$({CLI} activate {sh_quote(str(venv))})" && printf "%s|%s" "$VIRTUAL_ENV" "$(command -v python)"'
    out = shell_run(exe, "-c", script, cwd=sandbox)
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"{venv}|{venv / 'bin' / 'python'}"
    no_pwned(sandbox)


def test_activate_defaults_to_virtual_env_then_dot_venv(sandbox: Path) -> None:
    exe = need("bash")
    venv = make_env(sandbox, ".venv")
    script = f'eval "$({CLI} activate)" && printf %s "$VIRTUAL_ENV"'
    out = shell_run(exe, "-c", script, cwd=sandbox)
    assert out.stdout == str(venv), out.stderr
    other = make_env(sandbox, "other")
    out = shell_run(exe, "-c", f"{CLI} activate", cwd=sandbox, env={**os.environ, "VIRTUAL_ENV": str(other)})
    assert out.stdout.strip() == f"source {sh_quote(str(other / 'bin' / 'activate'))}"


def test_activate_in_fish_and_elvish(sandbox: Path) -> None:
    fish, elvish = need("fish"), need("elvish")
    venv = make_env(sandbox, HOSTILE_DIR)
    cli = f"{fish_quote(PY)} -m virtualenv_ready"
    out = shell_run(fish, "-c", f"eval ({cli} activate {fish_quote(str(venv))}); printf %s $VIRTUAL_ENV", cwd=sandbox)
    assert out.stdout == str(venv), out.stderr
    script = (
        f"eval ((external {elvish_quote(PY)}) -m virtualenv_ready activate {elvish_quote(str(venv))} | slurp); "
        "print $E:VIRTUAL_ENV"
    )
    out = shell_run(elvish, "-norc", "-c", script, cwd=sandbox)
    assert out.stdout == str(venv), out.stderr
    no_pwned(sandbox)


def test_activate_line_for_nushell_runs_in_nu(sandbox: Path) -> None:
    from helpers import ready_cli

    nu = need("nu")
    venv = make_env(sandbox, HOSTILE_DIR)
    out = ready_cli("activate", str(venv), "--shell", "nu")
    assert out.returncode == 0, out.stderr
    # nu cannot eval a string: `overlay use` needs the path as a literal, which is what the printed line holds
    script = f"{out.stdout.strip()}; print -n $env.VIRTUAL_ENV"
    ran = shell_run(nu, "--no-config-file", "-c", script, cwd=sandbox)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == str(venv)
    no_pwned(sandbox)


def test_activate_for_powershell_is_one_line_for_invoke_expression(
    sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import ready_cli

    scripts = sandbox / "win venv" / "Scripts"
    windows_scripts("C:\\win venv", scripts, monkeypatch)
    for shell in ("powershell", "pwsh"):
        out = ready_cli("activate", str(scripts.parent), "--shell", shell)
        assert out.returncode == 0, out.stderr
        (line,) = out.stdout.splitlines()
        assert (
            line
            == f"Get-Content -Raw -LiteralPath {ps_quote(str(scripts / 'activate-policy.ps1'))} | Invoke-Expression"
        )
        assert ps_parses(line) == [str(scripts / "activate-policy.ps1")]
    out = ready_cli("activate", str(scripts.parent), "--shell", "cmd")
    assert out.stdout.strip() == f'"{scripts / "activate-policy.cmd"}"'  # no activate.bat: the PowerShell launcher
    out = ready_cli("activate", str(scripts.parent), "--shell", "fish")
    assert out.returncode == 1 and "has no activation script for fish" in out.stderr
    assert "\n" not in out.stderr.strip()


@pytest.mark.parametrize("shell", ["bash", "dash", "fish", "elvish"])
def test_the_one_command_line_runs_in_the_shell_it_is_for(sandbox: Path, shell: str) -> None:
    exe = need(shell)
    venv = make_env(sandbox, HOSTILE_DIR)
    (line,) = activation_lines(venv / "bin", None, windows=False, shell=shell, runners=frozenset({"venv-run"}))[1:]
    command = line.split("  ", 1)[1].replace("COMMAND [ARGS...]", "printenv VIRTUAL_ENV")
    out = shell_run(exe, *(["-norc"] if shell == "elvish" else []), "-c", command, cwd=sandbox)
    assert out.stdout.strip() == str(venv), (command, out.stderr)
    no_pwned(sandbox)


def test_activate_list_and_bad_input(sandbox: Path) -> None:
    from helpers import ready_cli

    venv = make_env(sandbox, "env")
    out = ready_cli("activate", str(venv), "--list")
    assert out.returncode == 0, out.stderr
    labels = [line.split("  ")[0] for line in out.stdout.splitlines()]
    assert labels == [
        "bash/zsh",
        "fish",
        "nushell",
        "xonsh",
        "csh/tcsh",
        "PowerShell",
        "elvish",
        "one command",
        "CI step",
    ]
    out = ready_cli("activate", str(venv), "--shell", "cmd.exe")
    assert out.returncode == 1 and "has no activation script for cmd" in out.stderr
    out = ready_cli("activate", str(venv), "--shell", "klingon")
    assert out.returncode == 1 and "--shell klingon: not a shell" in out.stderr
    out = ready_cli("activate", str(sandbox / "nowhere"))
    assert out.returncode == 1 and "not a virtual environment" in out.stderr


def _virtualenv_in(shell: str, cwd: Path, *args: str) -> str:
    """The real `virtualenv` command typed in ``shell``; its whole output, as the user sees it."""
    exe = need(shell)
    line = " ".join(sh_quote(a) for a in (PY, "-m", "virtualenv", "--no-download", *args))
    out = subprocess.run(
        [exe, "-c", f"{line} 2>&1; :"], capture_output=True, text=True, check=False, cwd=cwd, timeout=300
    )
    return out.stdout


def test_plain_virtualenv_stays_quiet(sandbox: Path) -> None:
    (sandbox / "requirements.txt").write_text("six\n", encoding="utf-8")
    text = _virtualenv_in("zsh", sandbox, "venv")
    ours = [line for line in text.splitlines() if line.startswith(("activate with", "virtualenv-ready"))]
    assert ours == [
        f"activate with zsh  source {sh_quote(str(sandbox / 'venv' / 'bin' / 'activate'))}",
        f"virtualenv-ready: requirements.txt in {sandbox} not installed (the seeder is app-data, not ready); "
        f"install them with `virtualenv-ready sync {sandbox / 'venv'}`",
    ]
    others = [line for line in text.splitlines() if line not in ours]
    assert others and all(line.startswith(("created virtual environment", "  ")) for line in others), others
    text = _virtualenv_in("bash", sandbox, "--no-seed", "venv2")
    assert "(--no-seed was given)" in text
    assert len([line for line in text.splitlines() if line.startswith("activate with")]) == 1
    text = _virtualenv_in("bash", sandbox, "-q", dir_name("venv3"))
    assert text == ""
    every = _virtualenv_in("bash", sandbox, "-v", "venv4")
    labels = {line.split()[2] for line in every.splitlines() if line.startswith("activate with")}
    assert labels == {"bash/zsh", "fish", "nushell", "xonsh", "csh/tcsh", "PowerShell", "elvish", "one", "CI"}, every
    assert sys.platform != "win32"


@pytest.mark.parametrize("name", ["env $HOME ~ *", 'it\'s "x" \\ @(1) ${y} =~ é\n'])
def test_xonsh_is_activated_with_a_python_value_no_shell_expansion_reaches(tmp_path: Path, name: str) -> None:
    import ast

    from virtualenv_ready.activation.hints import Place, shell_lines

    bin_dir = tmp_path / name / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "activate.xsh").write_text("", encoding="utf-8")
    (hint,) = shell_lines(Place(bin_dir, windows=False, shell="xonsh"))
    assert hint.command.isascii()
    assert hint.command.startswith("source @(") and hint.command.endswith(")")
    assert ast.literal_eval(hint.command.removeprefix("source @(")[:-1]) == str(bin_dir / "activate.xsh")
    if shutil.which("xonsh"):
        out = subprocess.run(["xonsh", "--no-rc", "-c", hint.command], capture_output=True, text=True, check=False)
        assert out.returncode == 0, out.stderr
