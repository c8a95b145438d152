"""activate-ci with GITHUB_ENV/GITHUB_PATH temp files and Azure logging commands; activate.elv in real elvish."""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING

import pytest
from activation_helpers import HOSTILE, HOSTILE_IDS, make_env, need, no_pwned

from helpers import parse_github_env

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("name", HOSTILE, ids=HOSTILE_IDS)
def test_activate_ci_github_and_azure(sandbox: Path, name: str, caplog: pytest.LogCaptureFixture) -> None:
    dest = make_env(sandbox, name, prompt=name)
    script = dest / "bin" / "activate-ci"
    if "\n" in name:
        assert not script.exists()
        assert "not writing activate-ci" in caplog.text
        return
    for shell in ("bash", "dash"):
        env_file, path_file = sandbox / f"{shell}.env", sandbox / f"{shell}.path"
        env = {**os.environ, "GITHUB_ENV": str(env_file), "GITHUB_PATH": str(path_file), "PYTHONHOME": "/x"}
        result = subprocess.run([need(shell), str(script)], capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        assert parse_github_env(env_file.read_text(encoding="utf-8")) == {"VIRTUAL_ENV": str(dest), "PYTHONHOME": ""}
        assert path_file.read_text(encoding="utf-8") == f"{dest / 'bin'}\n"
    env = {k: v for k, v in os.environ.items() if k not in {"GITHUB_ENV", "GITHUB_PATH", "PYTHONHOME"}}
    azure = subprocess.run([str(script)], capture_output=True, text=True, env={**env, "TF_BUILD": "True"}, check=True)
    assert azure.stdout.splitlines()[:2] == [
        f"##vso[task.setvariable variable=VIRTUAL_ENV]{dest}",
        f"##vso[task.prependpath]{dest / 'bin'}",
    ]
    no_pwned(sandbox)


def test_activate_ci_elsewhere_exits_2(sandbox: Path) -> None:
    dest = make_env(sandbox, "env")
    env = {k: v for k, v in os.environ.items() if k not in {"GITHUB_ENV", "GITHUB_PATH", "TF_BUILD"}}
    result = subprocess.run([str(dest / "bin" / "activate-ci")], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2
    assert "no supported CI found" in result.stderr
    assert str(dest / "bin" / "venv-run") in result.stderr


ELVISH = """
var ns = $nil
eval (slurp < $E:SCRIPT) &on-end={|n| set ns = $n }
python3 -c 'import json, os; print(json.dumps(dict(os.environ)))' > $E:OUT1
eval (slurp < $E:SCRIPT) &on-end={|n| set ns = $n }
python3 -c 'import json, os; print(json.dumps(dict(os.environ)))' > $E:OUT2
$ns[deactivate~]
print $E:PATH > $E:OUT3
print (has-env VIRTUAL_ENV) (has-env PYTHONHOME) $E:PYTHONHOME > $E:OUT4
"""


@pytest.mark.parametrize("name", HOSTILE, ids=HOSTILE_IDS)
def test_elvish_activate_deactivate(sandbox: Path, name: str) -> None:
    elvish = need("elvish")
    dest = make_env(sandbox, name, prompt=name)
    bin_dir = dest / "bin"
    (bin_dir / "python3").unlink(missing_ok=True)
    (bin_dir / "python3").symlink_to("python")
    outs = {f"OUT{i}": str(sandbox / f"out{i}") for i in range(1, 5)}
    env = {**os.environ, "SCRIPT": str(bin_dir / "activate.elv"), "PYTHONHOME": "/old/home", **outs}
    result = subprocess.run(
        [elvish, "-norc", "-c", ELVISH], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for out in ("out1", "out2"):
        seen = json.loads((sandbox / out).read_text(encoding="utf-8"))
        assert seen["VIRTUAL_ENV"] == str(dest)
        assert seen["VIRTUAL_ENV_PROMPT"] == name
        assert "PYTHONHOME" not in seen
        parts = seen["PATH"].split(os.pathsep)
        assert parts[0] == str(bin_dir)
        assert parts[1:] == os.environ["PATH"].split(os.pathsep), "activating twice must not stack"
    assert (sandbox / "out3").read_text(encoding="utf-8") == os.environ["PATH"]
    assert (sandbox / "out4").read_text(encoding="utf-8") == "$false $true /old/home"
    no_pwned(sandbox)
