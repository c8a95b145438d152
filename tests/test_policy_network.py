"""The network is the policy's: under a policy that names sources, uv and pip reach only its hosts, through a proxy
that runs for each installer run and is gone afterwards (also after a failure and Ctrl-C).

Two recording servers on 127.0.0.1 stand in for the org's index and for the attacker (another port): the attacker's
empty log proves nothing was fetched from it, whatever named it.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import installed
from virtualenv_ready.errors import ReadyError, ReadyInterrupted
from virtualenv_ready.installers.proxy import Allowance, Request, UserProxies
from virtualenv_ready.installers.proxy_server import PolicyProxy
from wheels import make_wheel

LIFETIME = 300.0  # seconds; a server stops by itself even if a test never ends
INSTALLERS = ["uv", "pip"]


@dataclass
class Host:
    """A package host on 127.0.0.1: its base URL, its folder and every request it received."""

    url: str
    root: Path
    requests: list[str] = field(default_factory=list)
    slow: threading.Event | None = None  # set: a wheel request waits for it (a Ctrl-C test's window)
    asked: threading.Event = field(default_factory=threading.Event)

    @property
    def authority(self) -> str:
        return self.url.removeprefix("http://")


def _serve(root: Path) -> Iterator[Host]:
    root.mkdir(parents=True, exist_ok=True)
    host = Host("", root)

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def parse_request(self) -> bool:
            ok = super().parse_request()
            host.requests.append(f"{self.command} {self.path}")
            if host.slow is not None and self.path.endswith(".whl"):
                host.asked.set()
                host.slow.wait(LIFETIME)
            return ok

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # a client gone at Ctrl-C
    host.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    timer = threading.Timer(LIFETIME, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield host
    finally:
        if host.slow is not None:
            host.slow.set()
        timer.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _index(host: Host, links: dict[str, list[str]]) -> None:
    """A PEP 503 index under ``/simple``: each project's page lists the given file URLs (relative or not)."""
    for name, urls in links.items():
        page = host.root / "simple" / name
        page.mkdir(parents=True, exist_ok=True)
        anchors = "".join(f'<a href="{url}">{url.rsplit("/", 1)[1].split("#")[0]}</a>\n' for url in urls)
        (page / "index.html").write_text(f"<html><body>\n{anchors}</body></html>\n", encoding="utf-8")


def _link(wheel: Path, base: str) -> str:
    return f"{base}/{wheel.name}#sha256={hashlib.sha256(wheel.read_bytes()).hexdigest()}"


@pytest.fixture
def attacker(tmp_path: Path) -> Iterator[Host]:
    """The other host: serves kappa, and must never be asked for anything."""
    for host in _serve(tmp_path / "attacker"):
        (host.root / "files").mkdir()
        make_wheel(host.root / "files", "kappa", "1.0")
        yield host


@pytest.fixture
def org(tmp_path: Path, attacker: Host) -> Iterator[Host]:
    """The org's index: alpha and beta (which needs alpha); its kappa page links the file on the attacker's host."""
    for host in _serve(tmp_path / "org"):
        files = host.root / "files"
        files.mkdir(parents=True)
        alpha, beta = make_wheel(files, "alpha", "1.0"), make_wheel(files, "beta", "1.0", ["alpha"])
        kappa = attacker.root / "files" / "kappa-1.0-py3-none-any.whl"
        _index(
            host,
            {
                "alpha": [_link(alpha, "../../files")],
                "beta": [_link(beta, "../../files")],
                "kappa": [_link(kappa, f"{attacker.url}/files")],
            },
        )
        yield host


@pytest.fixture
def network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, org: Host) -> Path:
    """A policy whose only source is the org's index (host and port), and a machine that says to skip proxies."""
    path = tmp_path / "policy.toml"
    path.write_text(f'index-url = "{org.url}/simple"\n', encoding="utf-8")
    monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(path))
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    # neither may let a connection go around the policy's proxy
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return path


def _create(dest: Path, installer: str) -> Path:
    from virtualenv import cli_run

    args = [str(dest), "--seeder", "ready", "--activators", "", "--ready-installer", installer]
    cli_run(args, setup_logging=False)
    return dest


def _proxy_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("virtualenv-ready-proxy") and t.is_alive()]


def _closed(url: str) -> bool:
    try:
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()
    except OSError:
        return True
    return False


@pytest.fixture
def proxies(monkeypatch: pytest.MonkeyPatch) -> list[PolicyProxy]:
    """Every policy proxy started in this test, to check afterwards that it is gone."""
    started: list[PolicyProxy] = []
    enter = PolicyProxy.__enter__

    def spy(self: PolicyProxy) -> PolicyProxy:
        started.append(self)
        return enter(self)

    monkeypatch.setattr(PolicyProxy, "__enter__", spy)
    return started


def _all_gone(proxies: list[PolicyProxy]) -> None:
    assert proxies, "no policy proxy ran"
    assert all(_closed(proxy.url) for proxy in proxies)
    assert not _proxy_threads()


@pytest.mark.parametrize("installer", INSTALLERS)
def test_the_policys_host_passes_and_another_is_refused_by_name(
    installer: str,
    project: Path,
    network: Path,
    org: Host,
    attacker: Host,
    tmp_path: Path,
    proxies: list[PolicyProxy],
    capfd: pytest.CaptureFixture[str],
) -> None:
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    venv = _create(tmp_path / "ok", installer)
    assert {"alpha", "beta"} <= installed(venv).keys()
    assert any("/simple/beta/" in line for line in org.requests), org.requests
    _all_gone(proxies)

    # the org's own index page names a file on another host: no project file does, the proxy refuses it
    (project / "requirements.txt").write_text("beta\nkappa\n", encoding="utf-8")
    with pytest.raises(ReadyError) as failed:
        _create(tmp_path / "refused", installer)
    message = str(failed.value)
    assert "\n" not in message
    assert f"the org policy's network refused {attacker.authority} (only the hosts of the org policy" in message
    assert f"{network} (index-url)" in message
    assert attacker.requests == []
    assert "kappa" not in installed(tmp_path / "refused")
    _all_gone(proxies)
    capfd.readouterr()


@pytest.mark.parametrize("installer", INSTALLERS)
def test_a_direct_reference_is_refused_at_the_proxy_even_past_the_checks(
    installer: str, project: Path, network: Path, org: Host, attacker: Host, tmp_path: Path, proxies: list[PolicyProxy]
) -> None:
    """The step is handed straight to the proxied run, as if every check before it had been fooled."""
    from virtualenv import cli_run

    from virtualenv_ready.installers.choose import choose_installer
    from virtualenv_ready.installers.steps import run_step
    from virtualenv_ready.model import IndexOptions, Step
    from virtualenv_ready.target import Target

    venv = tmp_path / "plain"
    cli_run([str(venv), "--activators", ""], setup_logging=False)
    target = Target.from_venv(venv)
    chosen, located = choose_installer(installer, target)
    line = f"kappa @ {attacker.url}/files/kappa-1.0-py3-none-any.whl"
    with pytest.raises(ReadyError, match=rf"network refused {attacker.authority} "):
        run_step(
            chosen,
            located,
            target,
            Step(lines=(line,)),
            IndexOptions(index_url=f"{org.url}/simple"),
            file=tmp_path / "step.txt",
            project=project,
            handed=[],
            verbosity=0,
            what="installing kappa",
        )
    assert attacker.requests == []
    assert "kappa" not in installed(venv)
    _all_gone(proxies)  # after an installer failure too


class _Upstream(PolicyProxy):
    """The user's own proxy (a second proxy that lets 127.0.0.1 through), recording what it carried."""

    def __init__(self) -> None:
        super().__init__(Allowance(frozenset({"127.0.0.1"}), frozenset(), "upstream"), UserProxies(None, None, ()))
        self.carried: list[tuple[str, str, str]] = []

    def _carry(self, client: socket.socket, request: Request, rest: bytes) -> None:
        headers = {k.lower(): v for k, v in request.headers}
        # the policy's proxy asks for one request per connection; an installer talking to us directly would not
        via = "policy proxy" if headers.get("connection") == "close" else headers.get("connection", "installer")
        self.carried.append((via, str(request.endpoint), headers.get("proxy-authorization", "")))
        super()._carry(client, request, rest)


@pytest.mark.parametrize("installer", INSTALLERS)
def test_the_users_own_proxy_is_chained_with_its_credentials_never_shown(
    installer: str,
    project: Path,
    network: Path,
    org: Host,
    attacker: Host,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    proxies: list[PolicyProxy],
) -> None:
    import base64

    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    with _Upstream() as upstream:
        port = upstream.url.rsplit(":", 1)[1]
        for name in ("HTTP_PROXY", "https_proxy"):
            monkeypatch.setenv(name, f"http://me:pr0xy-s3cret@127.0.0.1:{port}")
        monkeypatch.delenv("NO_PROXY")  # the user's list would send 127.0.0.1 around their own proxy
        monkeypatch.delenv("no_proxy")
        venv = _create(tmp_path / "venv", installer)
    assert {"alpha", "beta"} <= installed(venv).keys()
    expected = "Basic " + base64.b64encode(b"me:pr0xy-s3cret").decode()
    assert upstream.carried, "the user's proxy carried nothing"
    assert set(upstream.carried) == {("policy proxy", org.authority, expected)}
    assert attacker.requests == []
    _all_gone(proxies[1:])  # the first is the user's, stopped above
    out = capfd.readouterr()
    assert "pr0xy-s3cret" not in out.out + out.err
    assert "pr0xy-s3cret" not in (venv / "virtualenv-ready.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("installer", INSTALLERS)
def test_ctrl_c_during_a_proxied_run_leaves_no_proxy(
    installer: str,
    project: Path,
    network: Path,
    org: Host,
    tmp_path: Path,
    proxies: list[PolicyProxy],
) -> None:
    """SIGINT arrives while the installer downloads through the proxy (the org's server holds the wheel back)."""
    (project / "requirements.txt").write_text("beta\n", encoding="utf-8")
    org.slow = threading.Event()
    # pytest started in the background inherits SIGINT ignored; a terminal's Ctrl-C raises KeyboardInterrupt
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)

    def press() -> None:
        if org.asked.wait(120):
            os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press, daemon=True)
    presser.start()
    try:
        with pytest.raises(ReadyInterrupted):
            _create(tmp_path / "venv", installer)
    finally:
        signal.signal(signal.SIGINT, previous)
        org.slow.set()
        presser.join(10)
    assert org.asked.is_set()
    _all_gone(proxies)
