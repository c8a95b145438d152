"""The tox plugin keeps the index credentials of ``VIRTUALENV_READY_*`` out of tox's logs and commands.

tox passes ``VIRTUALENV_*`` to every command of a virtualenv-made env and writes each command's environment into
``.tox/<env>/log``; the env must still install from the index that needs the credential. The index here is a PEP 503
folder of the test wheels served on 127.0.0.1 behind Basic auth (401 without the user's token), so the install proves
the credential reached the installer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import installed
from test_tox import need_tox_uv
from tox_helpers import record_of, run_tox
from wheels import write_project

USER = "acme"
TOKEN = "secret-token-4f9c2e"
# the environment the commands get, written outside .tox for the test to read
DUMP_ENV = (
    """python -c 'import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], "w"))' {tox_root}/seen.json"""
)


@dataclass
class Index:
    """The served index: its URL with the credential, and every request (path, had the credential)."""

    url: str
    seen: list[tuple[str, bool]] = field(default_factory=list)


@pytest.fixture
def index(wheelhouse: Path) -> Iterator[Index]:
    """The wheelhouse as a simple index that answers 401 without ``acme:TOKEN``."""
    wheels = {p.name: p for p in wheelhouse.glob("*.whl")}
    projects: dict[str, list[str]] = {}
    for name in wheels:
        projects.setdefault(name.split("-")[0].replace("_", "-").lower(), []).append(name)
    expected = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
    served = Index("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            allowed = self.headers.get("Authorization") == expected
            served.seen.append((self.path, allowed))
            parts = self.path.split("?")[0].strip("/").split("/")
            body: bytes | None = None
            if not allowed:
                self._answer(401, b"authentication required\n", {"WWW-Authenticate": 'Basic realm="acme"'})
                return
            if parts[0] == "simple" and len(parts) == 2 and parts[1] in projects:
                links = "".join(
                    f'<a href="/files/{f}#sha256={hashlib.sha256(wheels[f].read_bytes()).hexdigest()}">{f}</a>\n'
                    for f in sorted(projects[parts[1]])
                )
                body = f"<html><body>\n{links}</body></html>\n".encode()
            elif parts[0] == "files" and len(parts) == 2 and parts[1] in wheels:
                body = wheels[parts[1]].read_bytes()
            if body is None:
                self._answer(404, b"not found\n", {})
            else:
                self._answer(200, body, {"Content-Type": "text/html" if parts[0] == "simple" else "application/zip"})

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for key, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_HEAD = do_GET  # uv asks for the wheel's size first

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://{USER}:{TOKEN}@127.0.0.1:{server.server_address[1]}/simple/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def online(tox_env: dict[str, str], **settings: str) -> dict[str, str]:
    """The tox env of the suite without its offline settings for ready (tox's own pip stays offline)."""
    env = {k: v for k, v in tox_env.items() if k not in {"VIRTUALENV_READY_NO_INDEX", "VIRTUALENV_READY_FIND_LINKS"}}
    env.update(settings)
    return env


def leaks(project: Path, result: subprocess.CompletedProcess[str]) -> list[str]:
    """Where the token is: tox's output and every file under ``.tox``."""
    found = [name for name, text in (("stdout", result.stdout), ("stderr", result.stderr)) if TOKEN in text]
    for path in (project / ".tox").rglob("*"):
        if path.is_file() and not path.is_symlink() and TOKEN.encode() in path.read_bytes():
            found.append(str(path.relative_to(project)))
    return found


def make(root: Path, tox_ini: str) -> Path:
    write_project(root, "proj", dependencies=["alpha"], groups={"dev": ["zeta"]})
    (root / ".git").mkdir(exist_ok=True)
    (root / "tox.ini").write_text(tox_ini, encoding="utf-8")
    return root


CASES = {
    # tox's virtualenv runner: the seeder installs from the index when tox creates the env
    "index-url": ("VIRTUALENV_READY_INDEX_URL", "skip_install = true", False),
    # tox also builds the project in its package env and installs it with pip: both log their commands
    "extra-index-url-package": ("VIRTUALENV_READY_EXTRA_INDEX_URL", "package = wheel", False),
    # the URL from another variable through set_env: tox sets it for the commands as well
    "set-env": ("ORG_INDEX", "skip_install = true\nset_env = VIRTUALENV_READY_INDEX_URL={env:ORG_INDEX}", False),
    # tox-uv's runner: no seeder, the plugin's sync installs from the index
    "index-url-tox-uv": ("VIRTUALENV_READY_INDEX_URL", "skip_install = true", True),
}


@pytest.mark.parametrize("case", list(CASES))
def test_index_credentials_stay_out_of_tox_logs_and_commands(
    tmp_path: Path, tox_env: dict[str, str], index: Index, case: str
) -> None:
    variable, keys, tox_uv = CASES[case]
    project = make(
        tmp_path / "proj",
        f"[testenv:a]\nready = true\n{keys}\ncommands =\n    python -c 'import alpha, zeta, proj'\n    {DUMP_ENV}\n",
    )
    env = online(tox_env, **{variable: index.url})
    if tox_uv:
        need_tox_uv()
        del env["TOX_DISABLED_EXTERNAL_PLUGINS"]
    venv = project / ".tox" / "a"

    result = run_tox(project, env, "run", "-e", "a", "-vv")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert {"alpha", "zeta", "proj"} <= set(installed(venv))
    assert ("/simple/zeta/", True) in index.seen, index.seen  # the installer asked the index, with the token
    assert record_of(venv)["status"] == "complete"
    assert "virtualenv-ready: make a ready" in output if tox_uv else "virtualenv-ready: make" not in output
    assert (venv / "log").is_dir()  # tox wrote its command logs: they were searched
    assert leaks(project, result) == []
    assert no_token_in_commands(project)

    # a changed input: the plugin's own sync (in tox's process) installs from the index too
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    again = run_tox(project, env, "run", "-e", "a", "-vv")

    assert again.returncode == 0, again.stdout + again.stderr
    assert "virtualenv-ready: re-sync a:" in again.stdout
    assert "beta" in installed(venv)
    assert ("/simple/beta/", True) in index.seen, index.seen
    assert leaks(project, again) == []
    assert no_token_in_commands(project)


def no_token_in_commands(project: Path) -> bool:
    seen: dict[str, str] = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    return [k for k, v in seen.items() if TOKEN in v] == [] and "PATH" in seen  # the dump is the commands' env


def test_a_variable_named_in_pass_env_reaches_the_commands(
    tmp_path: Path, tox_env: dict[str, str], index: Index
) -> None:
    """Named one by one in pass_env, the user asked for it: the commands get it, tox's logs show it masked."""
    project = make(
        tmp_path / "proj",
        "[testenv:a]\nready = true\nskip_install = true\npass_env = VIRTUALENV_READY_EXTRA_INDEX_URL\n"
        f"commands = {DUMP_ENV}\n",
    )
    env = online(tox_env, VIRTUALENV_READY_INDEX_URL=index.url, VIRTUALENV_READY_EXTRA_INDEX_URL=index.url)
    env["VIRTUALENV_READY_GROUPS"] = "dev"  # no credential: passed as tox passes VIRTUALENV_*

    result = run_tox(project, env, "run", "-e", "a")

    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    assert seen["VIRTUALENV_READY_EXTRA_INDEX_URL"] == index.url
    assert "VIRTUALENV_READY_INDEX_URL" not in seen  # not named: withheld all the same
    assert seen["VIRTUALENV_READY_GROUPS"] == "dev"
    assert leaks(project, result) == []
    logged = "".join(p.read_text(encoding="utf-8") for p in (project / ".tox" / "a" / "log").glob("*.log"))
    assert "env VIRTUALENV_READY_EXTRA_INDEX_URL: http://****@127.0.0.1:" in logged, logged
    assert "zeta" in installed(project / ".tox" / "a")


def test_the_provisioned_tox_gets_the_credential_and_keeps_it_out_too(
    tmp_path: Path, tox_env: dict[str, str], index: Index
) -> None:
    """tox provisions itself (a requirement it lacks) and runs the provisioned tox as the command of its ``.tox``
    env: that tox needs the user's settings to make its envs ready, and keeps them from its own envs' commands."""
    from wheels import closure, repack

    house = tmp_path / "tox-wheels"
    house.mkdir()
    for dist in closure(["tox", "virtualenv-ready"]):
        repack(house, dist)
    project = make(
        tmp_path / "proj",
        "[tox]\nrequires = alpha, virtualenv-ready\n\n"
        f"[testenv:a]\nready = true\nskip_install = true\ncommands =\n    python -c 'import zeta'\n    {DUMP_ENV}\n",
    )
    env = online(tox_env, VIRTUALENV_READY_INDEX_URL=index.url)
    env["PIP_FIND_LINKS"] = f"{env['PIP_FIND_LINKS']} {house}"  # alpha and tox for the provisioned env

    result = run_tox(project, env, "run", "-e", "a", "-vv")

    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / ".tox" / ".tox" / "log").is_dir()  # tox ran the provisioned tox and logged it
    assert "alpha" in installed(project / ".tox" / ".tox")
    data = record_of(project / ".tox" / "a")
    assert data["status"] == "complete"
    # the provisioned tox's seeder had the index (its pip, without uv here, obeys the suite's PIP_NO_INDEX)
    assert data["options"]["index_url"] == index.url.replace(f"{USER}:{TOKEN}", "****")  # type: ignore[index]
    assert leaks(project, result) == []
    assert no_token_in_commands(project)


def test_tox_uv_envs_keep_the_credential_from_a_glob_and_mask_a_named_one(
    tmp_path: Path, tox_env: dict[str, str], index: Index
) -> None:
    """tox-uv's runners pass no ``VIRTUALENV_*`` by default; one passed by a glob is withheld as tox's runner does, one
    named in ``pass_env`` reaches the commands and is masked in tox's logs."""
    need_tox_uv()
    project = make(
        tmp_path / "proj",
        "[testenv:a]\nrunner = uv-venv-runner\nready = true\nskip_install = true\n"
        "pass_env =\n    VIRTUALENV_*\n    VIRTUALENV_READY_EXTRA_INDEX_URL\n"
        f"commands = {DUMP_ENV}\n",
    )
    env = online(tox_env, VIRTUALENV_READY_INDEX_URL=index.url, VIRTUALENV_READY_EXTRA_INDEX_URL=index.url)
    env["VIRTUALENV_READY_GROUPS"] = "dev"
    del env["TOX_DISABLED_EXTERNAL_PLUGINS"]

    result = run_tox(project, env, "run", "-e", "a", "-vv")

    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    assert "VIRTUALENV_READY_INDEX_URL" not in seen  # passed by the glob only: withheld
    assert seen["VIRTUALENV_READY_EXTRA_INDEX_URL"] == index.url  # named: the user asked for it
    assert seen["VIRTUALENV_READY_GROUPS"] == "dev"  # no credential: passed
    assert leaks(project, result) == []
    logged = "".join(p.read_text(encoding="utf-8") for p in (project / ".tox" / "a" / "log").glob("*.log"))
    assert "VIRTUALENV_READY_EXTRA_INDEX_URL: http://****@127.0.0.1:" in logged, logged
    assert "zeta" in installed(project / ".tox" / "a")  # ready installed from the index all the same


def test_every_tox_uv_env_keeps_the_credentials_under_its_own_class_name() -> None:
    """The lock runner, the PEP 723 runner and tox-uv's packaging envs get the same treatment as its default runner,
    named as tox-uv names them (an existing env is not recreated for the plugin)."""
    need_tox_uv()
    from tox.tox_env.register import ToxEnvRegister
    from tox_uv import plugin as tox_uv_plugin

    from virtualenv_ready import tox_plugin

    register = ToxEnvRegister()
    tox_uv_plugin.tox_register_tox_env(register)
    originals = {
        name: register.runner(name) if run else register.package(name) for name, run in tox_plugin._TOX_UV_ENVS
    }
    tox_plugin.tox_register_tox_env(register)
    for name, run in tox_plugin._TOX_UV_ENVS:
        now = register.runner(name) if run else register.package(name)
        assert issubclass(now, tox_plugin._KeepsCredentials), name
        assert issubclass(now, originals[name]), name
        assert now.__name__ == originals[name].__name__, name
