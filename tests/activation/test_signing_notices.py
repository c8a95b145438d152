"""Authenticode signing with osslsigncode, the policy logic, the after-creation lines, import cost, quote() properties."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from activation_helpers import make_env, need
from hypothesis import given, settings
from hypothesis import strategies as st

from virtualenv_ready.activation.powershell.policy import Policy, parse_probe, policy_from_values
from virtualenv_ready.activation.quoting import elvish_quote, fish_quote, sh_quote
from virtualenv_ready.errors import ReadyError

SECRET = "s3cr3t-';$(touch PWNED)"


@pytest.fixture
def pfx(sandbox: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    openssl = need("openssl")
    key, cert, out = sandbox / "k.pem", sandbox / "c.pem", sandbox / "sign.pfx"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=virtualenv-ready test", "-addext", "extendedKeyUsage=codeSigning"],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("READY_TEST_PFX_PASSWORD", SECRET)
    subprocess.run(
        [openssl, "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", out, "-passout", "env:READY_TEST_PFX_PASSWORD"],
        check=True, capture_output=True,
    )  # fmt: skip
    return out, cert


def test_sign_verify_and_tamper(sandbox: Path, pfx: tuple[Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    tool = need("osslsigncode")
    out, cert = pfx
    dest = make_env(
        sandbox, "signed", None, f"--ready-sign-pfx={out}", "--ready-sign-password-env=READY_TEST_PFX_PASSWORD"
    )
    script = dest / "bin" / "activate-policy.ps1"
    data = script.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"# SIG # Begin signature block" in data
    assert SECRET.encode() not in data
    assert SECRET not in caplog.text
    ok = subprocess.run(
        [tool, "verify", "-CAfile", str(cert), "-in", str(script)], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    script.write_bytes(data.replace(b"VIRTUAL_ENV_PROMPT = '", b"VIRTUAL_ENV_PROMPT = 'x"))
    bad = subprocess.run(
        [tool, "verify", "-CAfile", str(cert), "-in", str(script)], capture_output=True, text=True, check=False
    )
    assert bad.returncode != 0


def test_sign_errors_are_one_line(sandbox: Path, pfx: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    need("osslsigncode")
    out, _cert = pfx
    with pytest.raises(ReadyError, match=r"READY_NOT_SET.*export READY_NOT_SET") as info:
        make_env(sandbox, "a", None, f"--ready-sign-pfx={out}", "--ready-sign-password-env=READY_NOT_SET")
    assert "\n" not in str(info.value)
    monkeypatch.setenv("READY_WRONG", "pw-Zq9x")
    with pytest.raises(ReadyError, match="osslsigncode exited") as info:
        make_env(sandbox, "b", None, f"--ready-sign-pfx={out}", "--ready-sign-password-env=READY_WRONG")
    assert "pw-Zq9x" not in str(info.value)
    with pytest.raises(ReadyError, match="does not exist"):
        make_env(sandbox, "c", None, f"--ready-sign-pfx={sandbox / 'missing.pfx'}")
    with pytest.raises(ReadyError, match="Windows certificate store"):
        make_env(sandbox, "d", None, "--ready-sign-thumbprint=ABCDEF")


def test_policy_parsing_and_command_choice(tmp_path: Path) -> None:
    import virtualenv_ready.activation.powershell  # noqa: F401 - importing it registers its "activate with" line
    from virtualenv_ready.activation.notices import activation_lines

    def line(policy: Policy) -> str:
        """The PowerShell line a Windows user is shown after creation, under ``policy``."""
        ours = ["powershell-policy"]
        lines = activation_lines(tmp_path, ours, windows=True, shell="powershell", policy=policy)  # noqa: S604 - a shell name
        assert len(lines) == 1, lines
        return lines[0].removeprefix("activate with PowerShell  ")

    (tmp_path / "activate-policy.ps1").write_text("", encoding="utf-8")
    probe = "effective=Restricted\nMachinePolicy=Undefined\nUserPolicy=AllSigned\nProcess=Undefined\nlanguage=FullLanguage\n"
    policy = parse_probe(probe)
    assert policy.locked_by == "UserPolicy"
    assert not policy.scripts_run
    shown = line(policy)
    assert "Invoke-Expression" in shown and "Group Policy (UserPolicy)" in shown
    assert line(Policy("RemoteSigned", {}, "FullLanguage")).startswith(". ")
    constrained = policy_from_values({"LocalMachine": "Unrestricted"}, "4")
    assert constrained.language == "ConstrainedLanguage"
    assert "Invoke-Expression" in line(constrained)
    assert policy_from_values({}, None).effective == "Restricted"


def test_after_creation_lines_and_requirements_notice(
    sandbox: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["virtualenv"])  # the user typing `virtualenv`, not a tool calling its API
    (sandbox / "requirements.txt").write_text("six\n", encoding="utf-8")
    caplog.set_level("WARNING")
    dest = make_env(sandbox, "it's", None, "--seeder=app-data", "--no-download", "-v")  # -v: every shell's line
    text = caplog.text
    assert f"source '{sandbox}/it'\\''s/bin/activate'" in text
    assert f"eval (slurp < '{sandbox}/it''s/bin/activate.elv')" in text
    assert f". '{sandbox}/it''s/bin/activate-policy.ps1'" in text
    assert f"'{sandbox}/it'\\''s/bin/venv-run' COMMAND" in text
    notice = f"requirements.txt in {sandbox} not installed (--no-seed was given); install them with"
    assert notice in text and "`virtualenv-ready sync '" in text
    assert (dest / "bin" / "venv-run").exists()


def test_activator_modules_import_cheaply() -> None:
    code = (
        "import sys; import virtualenv.activation.activator; before = set(sys.modules);"
        "import virtualenv_ready.activation.powershell, virtualenv_ready.activation.venv_run,"
        "virtualenv_ready.activation.elvish, virtualenv_ready.activation.ci;"
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('virtualenv_ready')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"activator modules pulled in {out}"


TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30)


@pytest.mark.parametrize("shell", ["bash", "dash", "zsh", "mksh"])
def test_sh_quote_round_trips(shell: str) -> None:
    exe = need(shell)

    @settings(max_examples=40, deadline=None)
    @given(TEXT)
    def check(value: str) -> None:
        out = subprocess.run([exe, "-c", f"printf '%s' {sh_quote(value)}"], capture_output=True, check=True).stdout
        assert out.decode("utf-8") == value

    check()


def test_fish_and_elvish_quote_round_trip() -> None:
    fish, elvish = need("fish"), need("elvish")

    @settings(max_examples=40, deadline=None)
    @given(TEXT)
    def check(value: str) -> None:
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        got = subprocess.run([fish, "-c", f"printf '%s' {fish_quote(value)}"], capture_output=True, check=True, env=env)
        assert got.stdout.decode("utf-8") == value
        got = subprocess.run([elvish, "-norc", "-c", f"print {elvish_quote(value)}"], capture_output=True, check=True)
        assert got.stdout.decode("utf-8") == value

    check()


def test_tools_get_the_lines_only_at_info(
    sandbox: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["/usr/bin/tox"])  # tox creating its env through virtualenv's API
    (sandbox / "requirements.txt").write_text("six\n", encoding="utf-8")
    caplog.set_level("WARNING")
    make_env(sandbox, "env", None, "--seeder=app-data", "--no-download")
    assert "activate with" not in caplog.text
    assert "virtualenv-ready enable" not in caplog.text
