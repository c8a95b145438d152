"""Nothing leaks: canary credentials given every way an index URL can be given never show up anywhere.

Each run plants distinct canary tokens in the URL user-info (user and password) and in URL query values of
``--ready-index-url`` / ``--ready-extra-index-url`` (given on the command line, as ``VIRTUALENV_READY_*`` env vars,
in virtualenv.ini or in the org policy file), plus one in an ordinary environment variable, then runs the real
``virtualenv -vvv`` with uv and with pip, on success, on failure and as a dry run. No canary may appear in the
output, in any file of the env (record, pip.conf, scripts, pyvenv.cfg, installed files...), in the lock file, the
project or HOME. Indexes are a loopback port nothing listens on, so everything stays offline.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from helpers import ready_cli, virtualenv_cmd
from safety_helpers import grep_tree, record_of

DEAD = "127.0.0.1:9"  # the discard port: connection refused, instantly


class Canaries:
    """Distinct tokens per place, so a failure says which one leaked."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}

    def __call__(self, what: str) -> str:
        token = f"Zq{what.replace('_', '')}{secrets.token_hex(6)}"
        self.tokens[what] = token
        return token

    def all(self) -> list[str]:
        return list(self.tokens.values())


def urls(c: Canaries) -> tuple[str, str]:
    index = f"http://{c('index_user')}:{c('index_pass')}@{DEAD}/simple?token={c('index_q1')}&sig={c('index_q2')}"
    extra = f"http://{c('extra_user')}:{c('extra_pass')}@{DEAD}/extra/?auth={c('extra_q')}"
    return index, extra


def setup_run(
    where: str, tmp_path: Path, project: Path, wheelhouse: Path, c: Canaries
) -> tuple[list[str], dict[str, str]]:
    """The extra virtualenv arguments and the environment that give the canary URLs the ``where`` way."""
    index, extra = urls(c)
    vault = tmp_path / "vault"  # holds the inputs (which contain the canaries by design); not searched
    vault.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "MY_TOKEN": c("env_var"),
        "PIP_RETRIES": "1",
        "PIP_TIMEOUT": "2",
        "UV_HTTP_RETRIES": "0",
        "VIRTUALENV_APP_DATA": str(tmp_path.parent / "leaks-app-data"),
    }
    args = ["--ready-find-links", str(wheelhouse)]
    if where == "cli":
        args += ["--ready-index-url", index, "--ready-extra-index-url", extra]
    elif where == "env":
        env["VIRTUALENV_READY_INDEX_URL"] = index
        env["VIRTUALENV_READY_EXTRA_INDEX_URL"] = extra
    elif where == "ini":
        ini = vault / "virtualenv.ini"
        ini.write_text(f"[virtualenv]\nready_index_url = {index}\nready_extra_index_url = {extra}\n", encoding="utf-8")
        env["VIRTUALENV_CONFIG_FILE"] = str(ini)
    elif where == "policy":
        policy = vault / "policy.toml"
        policy.write_text(
            f'index-url = "{index}"\nextra-index-urls = ["{extra}"]\nfind-links = ["{wheelhouse}"]\n',
            encoding="utf-8",
        )
        env["VIRTUALENV_READY_POLICY"] = str(policy)
    else:  # pragma: no cover
        raise AssertionError(where)
    return args, env


@pytest.mark.parametrize("outcome", ["ok", "fail", "dry"])
@pytest.mark.parametrize("installer", ["uv", "pip"])
@pytest.mark.parametrize("where", ["cli", "env", "ini", "policy"])
def test_no_credential_or_secret_anywhere(
    tmp_path: Path,
    project: Path,
    wheelhouse: Path,
    where: str,
    installer: str,
    outcome: str,
) -> None:
    c = Canaries()
    args, env = setup_run(where, tmp_path, project, wheelhouse, c)
    wanted = "does-not-exist-anywhere" if outcome == "fail" else "alpha"
    (project / "requirements.txt").write_text(f"{wanted}\n", encoding="utf-8")
    if outcome == "ok" and installer == "uv":
        args.append("--ready-no-index")  # uv stops at the dead index; pip falls back to the find-links
    if outcome == "dry":
        args.append("--ready-dry-run")
    out = virtualenv_cmd(
        "-vvv", "--seeder", "ready", ".venv", "--ready-installer", installer, *args, cwd=project, env=env
    )
    text = out.stdout + out.stderr
    venv = project / ".venv"

    # the runs really used the canary URLs (else the test could not fail): the redacted forms are shown
    assert f"****@{DEAD}/simple?token=****&sig=****" in text, text[-3000:]
    if outcome != "dry" and not (outcome == "ok" and installer == "uv"):
        assert "onnection refused" in text, text[-3000:]  # the installer really went to the (dead) canary index
    if outcome == "fail":
        assert out.returncode != 0, text[-3000:]
        assert wanted in text  # the installer's explanation was shown
        assert record_of(venv)["status"] == "incomplete"
    else:
        assert out.returncode == 0, text[-3000:]
    if outcome == "ok":
        data = record_of(venv)
        assert data["status"] == "complete"
        assert data["options"]["index_url"] == f"http://****@{DEAD}/simple?token=****&sig=****"  # type: ignore[index]
        assert "alpha" in {p.name.split("-")[0] for p in venv.glob("lib/*/site-packages/alpha-*.dist-info")}

    leaked = [f"output holds {name} canary" for name, token in c.tokens.items() if token in text]
    assert not leaked, "\n".join(leaked) + "\n" + "\n".join(line for line in text.splitlines() if "Zq" in line)
    # every file under the env, the lock beside it, the project, HOME (user data/config/cache dirs)
    lock = project / "..venv.virtualenv-ready.lock"
    hits = grep_tree([venv, lock, project, tmp_path / "home"], c.all())
    assert not hits, "\n".join(hits)
    assert venv.is_dir()


def test_redact_masks_a_query_printed_without_its_scheme() -> None:
    """The unit-level form of the pip leak above: a request path with the index URL's query, as pip logs it."""
    from virtualenv_ready.redact import redact

    line = (
        "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(\"...: Connection refused\")'"
        ": /simple?token=SECRETONE&sig=SECRETTWO/alpha/"
    )
    shown = redact(line)
    assert "SECRETONE" not in shown
    assert "SECRETTWO" not in shown


@pytest.mark.parametrize(
    "text",
    [
        "https://h.invalid/simple/,https://acme:SECRETONE@o.invalid/simple/",
        "--extra-index-url https://h.invalid/simple/ https://acme:SECRETONE@o.invalid/simple/",
        "see https://h.invalid/redirect/https://acme:SECRETONE@o.invalid/simple/",
        "https://acme:SECRETONE@o.invalid/simple/?k=SECRETONE,https://h.invalid/simple/",
    ],
)
def test_redact_masks_every_url_of_a_list(text: str) -> None:
    """URLs joined by commas (an env var's list) or one inside another's path: each is masked on its own."""
    from virtualenv_ready.redact import redact

    shown = redact(text)
    assert "SECRETONE" not in shown
    assert "acme" not in shown
    assert "https://h.invalid/" in shown and "https://****@o.invalid/simple/" in shown


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_no_leak_from_a_failing_sync(tmp_path: Path, project: Path, wheelhouse: Path, installer: str) -> None:
    """`virtualenv-ready sync -vvv` with the index URLs from the environment, failing: nothing leaks either."""

    c = Canaries()
    args, env = setup_run("env", tmp_path, project, wheelhouse, c)
    (project / "requirements.txt").write_text("alpha\n", encoding="utf-8")
    made = virtualenv_cmd(
        "--seeder", "ready", ".venv", "--ready-installer", installer, "--ready-no-index", *args, cwd=project, env=env
    )
    assert made.returncode == 0, made.stderr
    (project / "requirements.txt").write_text("alpha\ndoes-not-exist-anywhere\n", encoding="utf-8")
    # sync takes today's sources from the environment, the record never kept the credentials
    sync = ready_cli("sync", "-vvv", ".venv", cwd=project, env={**env, "VIRTUALENV_READY_NO_INDEX": "false"})
    text = sync.stdout + sync.stderr
    assert sync.returncode != 0, text
    assert "does-not-exist-anywhere" in text
    assert f"****@{DEAD}" in text, text[-3000:]
    assert "onnection refused" in text, text[-3000:]  # the installer really went to the (dead) canary index
    leaked = [name for name, token in c.tokens.items() if token in text]
    assert not leaked, text[-3000:]
    hits = grep_tree([project / ".venv", project / "..venv.virtualenv-ready.lock", tmp_path / "home"], c.all())
    assert not hits, "\n".join(hits)
    assert record_of(project / ".venv")["status"] == "incomplete"
