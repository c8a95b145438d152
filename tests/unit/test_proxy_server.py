"""The policy proxy running on 127.0.0.1: refuses with the host named, carries what is allowed, stops completely."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from virtualenv_ready.installers.proxy import Allowance, Endpoint, UserProxies
from virtualenv_ready.installers.proxy_server import PolicyProxy, _CloseAfterResponse

OPEN = UserProxies(None, None, ())


@pytest.fixture
def origin() -> Iterator[int]:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every GET with its path."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = self.path.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "keep-alive")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _ask(url: str, head: bytes) -> bytes:
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head)
        sock.shutdown(socket.SHUT_WR)  # done sending: the answer ends when the server is done too
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def _closed(url: str) -> bool:
    try:
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()
    except OSError:
        return True
    return False


def _proxy_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("virtualenv-ready-proxy") and t.is_alive()]


def test_refused_destination_is_named_in_a_403(origin: int) -> None:
    allowed = Allowance(frozenset(), frozenset({Endpoint("127.0.0.1", origin)}), "org policy p (index-url)")
    with PolicyProxy(allowed, OPEN) as proxy:
        answer = _ask(proxy.url, f"CONNECT 127.0.0.1:{origin + 1} HTTP/1.1\r\n\r\n".encode())
        plain = _ask(proxy.url, b"GET http://evil.invalid/x HTTP/1.1\r\n\r\n")
        bad = _ask(proxy.url, b"GET http://u:tok@evil.invalid/x HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403 ")
    assert f"127.0.0.1:{origin + 1} is not allowed by the org policy p (index-url)".encode() in answer
    assert plain.startswith(b"HTTP/1.1 403 ")
    assert bad.startswith(b"HTTP/1.1 400 ")
    assert proxy.refused[:2] == [f"127.0.0.1:{origin + 1}", "evil.invalid:80"]
    assert "tok" not in " ".join(proxy.refused)


def test_allowed_request_is_carried_as_one_request_and_the_proxy_stops(origin: int) -> None:
    allowed = Allowance(frozenset({"127.0.0.1"}), frozenset(), "policy")
    with PolicyProxy(allowed, OPEN) as proxy:
        answer = _ask(proxy.url, f"GET http://127.0.0.1:{origin}/simple/ HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        tunnel = socket.create_connection(("127.0.0.1", int(proxy.url.rsplit(":", 1)[1])), timeout=5)
        tunnel.sendall(f"CONNECT 127.0.0.1:{origin} HTTP/1.1\r\n\r\n".encode())
        assert tunnel.recv(1024).startswith(b"HTTP/1.1 200 ")
        url = proxy.url
    # an open tunnel does not keep the proxy alive
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b"/simple/")
    assert b"Connection: close\r\n" in answer
    assert b"keep-alive" not in answer
    assert not proxy.refused
    assert _closed(url)
    assert not _proxy_threads()
    assert tunnel.recv(1024) == b""
    tunnel.close()


def test_the_proxy_stops_when_the_block_fails() -> None:
    allowed = Allowance(frozenset(), frozenset(), "policy")
    proxy = PolicyProxy(allowed, OPEN)
    url = proxy.url

    def interrupted() -> None:
        with proxy:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert _closed(url)
    assert not _proxy_threads()


def test_only_the_first_response_head_is_rewritten() -> None:
    rewrite = _CloseAfterResponse()
    assert rewrite.feed(b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\nContent-") == b""
    out = rewrite.feed(b"Length: 2\r\n\r\nhi")
    assert out == b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
    assert rewrite.feed(b"Connection: keep-alive\r\n\r\n") == b"Connection: keep-alive\r\n\r\n"
    assert rewrite.flush() == b""
