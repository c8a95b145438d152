"""devpi-server as the organisation's private index: started on 127.0.0.1 with its own server dir, offline, no
mirror of any public index; a user with a password owns the index ``acme/prod`` (no bases), set up with the real
devpi-client; stopped by its process group at the end.

devpi serves reads to anyone (locking them down takes a plugin), so :class:`AuthGate` stands in front of it and
answers 401 to a request without the index user's credentials, as a locked-down Artifactory or Nexus does.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import virtualenv_cmd

USER = "acme"
INDEX = "acme/prod"
START_TIMEOUT = 60.0
# devpi derives its signing key with argon2 at start: the defaults take seconds, a test server needs none of that
FAST_ARGON2 = ("--argon2-memory-cost", "8", "--argon2-time-cost", "1", "--argon2-parallelism", "1")


def devpi_tools() -> tuple[str, str, str]:
    """devpi-init, devpi-server and devpi (the client) beside this interpreter; skip when missing, fail under CI."""
    scripts = Path(sys.executable).parent
    found = [shutil.which(name, path=str(scripts)) or shutil.which(name) for name in ("devpi-init", "devpi-server")]
    client = shutil.which("devpi", path=str(scripts)) or shutil.which("devpi")
    if all(found) and client:
        return str(found[0]), str(found[1]), client
    msg = "devpi-server and devpi-client are not installed (the test extra has them)"
    if os.environ.get("CI"):
        pytest.fail(f"{msg} but CI is set: .ci/run installs the test extra")
    pytest.skip(msg)
    raise AssertionError  # unreachable


@dataclass
class Devpi:
    """A running devpi-server: its root URL, the index user's password, the process and how long it took to start."""

    url: str
    password: str
    proc: subprocess.Popen[bytes]
    started_in: float
    client_dir: Path
    log: Path

    def requests(self) -> list[str]:
        """Every request the server logged so far, as ``METHOD path``."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return re.findall(r"\[req\d+\] ([A-Z]+ \S+)", text)

    @property
    def index_url(self) -> str:
        """The simple index of ``acme/prod``, as pip and uv are given it."""
        return f"{self.url}/{INDEX}/+simple/"

    @property
    def authority(self) -> str:
        return self.url.removeprefix("http://")


def _serving_url(log: Path, proc: subprocess.Popen[bytes]) -> str:
    """The URL waitress says it serves on (the port the system picked for port 0)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        for line in text.splitlines():
            if "Serving on http://" in line:
                return line.split("Serving on ", 1)[1].strip()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    _stop(proc)
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    pytest.fail(f"devpi-server did not start within {START_TIMEOUT:.0f}s:\n{text[-3000:]}")
    raise AssertionError  # unreachable


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the server's whole process group by its id; nothing it started outlives it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(15)
        except ProcessLookupError:
            pass
    proc.wait(15)


def _client(devpi: Devpi, client: str, *args: str) -> None:
    """One devpi-client command with its own client dir (never the user's)."""
    env = {**os.environ, "DEVPI_CLIENTDIR": str(devpi.client_dir)}
    out = subprocess.run([client, *args], env=env, capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, f"devpi {' '.join(args[:2])} failed:\n{out.stdout}{out.stderr}"


@contextmanager
def running_devpi(base: Path, uploads: list[Path]) -> Iterator[Devpi]:
    """devpi-server in ``base`` with ``acme/prod`` holding ``uploads``; stopped (process group) on leaving."""
    init, server, client = devpi_tools()
    serverdir, log = base / "server", base / "server.log"
    secret = base / "secret"
    secret.write_text(base64.b64encode(secrets.token_bytes(32)).decode(), encoding="ascii")
    secret.chmod(0o600)
    begin = time.monotonic()
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run(
        [init, "--serverdir", str(serverdir), "--no-root-pypi"], env=quiet, check=True, capture_output=True, timeout=120
    )
    serving = ("--secretfile", str(secret), *FAST_ARGON2)
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [server, "--serverdir", str(serverdir), "--host", "127.0.0.1", "--port", "0", "--offline-mode", *serving],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=quiet,
            start_new_session=True,  # its own process group, ended whole
        )
    try:
        url = _serving_url(log, proc)
        devpi = Devpi(url, secrets.token_urlsafe(12), proc, 0.0, base / "client", log)
        _client(devpi, client, "use", url)
        _client(devpi, client, "user", "-c", USER, f"password={devpi.password}", "email=ops@acme.test")
        _client(devpi, client, "login", USER, f"--password={devpi.password}")  # a password may start with "-"
        _client(devpi, client, "index", "-c", "prod", "bases=", "volatile=False")
        if uploads:
            staging = base / "uploads"
            staging.mkdir()
            for path in uploads:
                shutil.copy2(path, staging)
            _client(devpi, client, "upload", "--index", INDEX, "--from-dir", str(staging))
        devpi.started_in = time.monotonic() - begin
        yield devpi
    finally:
        _stop(proc)


_FORWARDED = {"accept", "range", "if-none-match", "if-modified-since", "accept-encoding", "user-agent"}
_RETURNED = {"content-type", "content-range", "accept-ranges", "etag", "last-modified", "content-encoding", "location"}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass
class AuthGate:
    """A reverse proxy on 127.0.0.1 that answers 401 without the expected Basic credentials and forwards with them."""

    upstream: str
    expected: str
    url: str = ""
    seen: list[tuple[str, bool]] = field(default_factory=list)  # (path, had the right credentials)

    @property
    def authority(self) -> str:
        return self.url.removeprefix("http://")

    @property
    def index_url(self) -> str:
        return f"{self.url}/{INDEX}/+simple/"


@contextmanager
def auth_gate(upstream: str, user: str, password: str) -> Iterator[AuthGate]:
    """An :class:`AuthGate` in front of ``upstream`` for as long as the block runs."""
    gate = AuthGate(upstream, basic(user, password))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            allowed = self.headers.get("Authorization") == gate.expected
            gate.seen.append((f"{self.command} {self.path}", allowed))
            if not allowed:
                self._answer(401, {"WWW-Authenticate": 'Basic realm="acme"'}, b"authentication required\n")
                return
            ask = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED}
            request = urllib.request.Request(gate.upstream + self.path, headers=ask, method=self.command)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310  # our devpi
                    status, headers, body = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read()
            self._answer(status, {k: v for k, v in headers.items() if k.lower() in _RETURNED}, body)

        do_HEAD = do_GET

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gate.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield gate
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def write_policy(path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """A policy file the run reads (``VIRTUALENV_READY_POLICY``)."""
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(path))
    return path


def create(project: Path, dest: Path, installer: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `virtualenv --seeder ready` command in the project, as a user types it."""
    return virtualenv_cmd(
        str(dest), "--seeder", "ready", "--activators", "", "--ready-installer", installer, *args, cwd=project
    )


def fake_keyring(folder: Path, password: str) -> Path:
    """A `keyring` command that knows the index user's password, as uv and pip call it (subprocess provider)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "keyring"
    answer = json.dumps({"username": USER, "password": password})
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{folder}/calls.log"\n'
        'case "$1" in\n'
        f"  --mode=creds) printf '%s\\n' '{answer}' ;;\n"  # pip asks for both, as JSON
        f"  get) printf '%s\\n' '{password}' ;;\n"  # uv asks for the password of the URL's user
        "  *) exit 1 ;;\n"
        "esac\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def with_user(url: str, user: str, password: str | None = None) -> str:
    """``url`` with user-info: the user, and the password when given."""
    secret = f"{user}:{password}" if password is not None else user
    return url.replace("http://", f"http://{secret}@", 1)


def leaks(secret: str, *texts: str) -> list[str]:
    """Where ``secret`` shows in ``texts`` (some context around each), for an assertion's message."""
    return [text[max(0, text.find(secret) - 80) : text.find(secret) + 80] for text in texts if secret in text]


def files_holding(root: Path, needles: list[bytes]) -> list[str]:
    """Every file under ``root`` that holds one of ``needles`` (the env whole: scripts, configs, record, metadata)."""
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            found += [str(path.relative_to(root)) for needle in needles if needle in data]
    return found


__all__ = [
    "INDEX",
    "USER",
    "AuthGate",
    "Devpi",
    "auth_gate",
    "basic",
    "create",
    "devpi_tools",
    "fake_keyring",
    "files_holding",
    "leaks",
    "running_devpi",
    "with_user",
    "write_policy",
]
