"""The policy's proxy, running: a server on 127.0.0.1 for one installer run that lets only the policy's endpoints
through (plain HTTP and ``CONNECT`` tunnels, no TLS interception) and chains to the user's own proxy.

One thread accepts (a selector on the listening socket and a wake-up socket); each connection gets a worker thread.
Leaving :func:`guarded` (the run ended, failed, or Ctrl-C) closes the listener, shuts every socket and joins the
threads, so nothing is left listening.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from typing import TYPE_CHECKING

from ..errors import ReadyError
from ..logs import LOGGER

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from types import TracebackType

    from .proxy import Allowance, Endpoint, Request, Upstream, UserProxies

HEAD_LIMIT = 64 * 1024
CHUNK = 64 * 1024
#: seconds a client may take to send its request head, and a connection to an allowed host may take to open
WAIT = 30.0
#: seconds stopping waits for the threads (a worker stuck in a name lookup is a daemon and cannot outlive us)
STOP_WAIT = 2.0
_REASONS = {400: "Bad Request", 403: "Forbidden", 502: "Bad Gateway"}


def _answer(client: socket.socket, status: int, body: str) -> None:
    data = (body + "\n").encode("utf-8", errors="replace")
    head = f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n"
    head += f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    with contextlib.suppress(OSError):
        client.sendall(head.encode("ascii") + data)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """A request or response head (through the blank line) and what came after it; ``None`` if it never ended."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        if len(buffer) > HEAD_LIMIT:
            return None
        data = sock.recv(CHUNK)
        if not data:
            return None
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n", rest


class _CloseAfterResponse:
    """Rewrites the first response head to ``Connection: close``: each plain-HTTP connection carries one request,
    so a client never sends a second one (perhaps for another host) down a connection to the first host."""

    def __init__(self) -> None:
        self.buffer: bytes | None = b""

    def feed(self, data: bytes) -> bytes:
        if self.buffer is None:
            return data
        self.buffer += data
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        if not sep:
            if len(self.buffer) <= HEAD_LIMIT:
                return b""
            out, self.buffer = self.buffer, None
            return out
        self.buffer = None
        lines = [
            line
            for line in head.split(b"\r\n")
            if line.split(b":", 1)[0].strip().lower() not in {b"connection", b"keep-alive", b"proxy-connection"}
        ]
        return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + rest

    def flush(self) -> bytes:
        out, self.buffer = self.buffer or b"", None
        return out


class PolicyProxy:
    """The proxy for one installer run; use it as a context manager (``url`` to give the installer)."""

    def __init__(self, allowed: Allowance, user: UserProxies) -> None:
        self.allowed = allowed
        self.user = user
        self.refused: list[str] = []
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._closing = False
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._wake, self._waker = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name="virtualenv-ready-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> PolicyProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        """Close the listener, end every connection and join every thread (bounded by :data:`STOP_WAIT`)."""
        deadline = time.monotonic() + STOP_WAIT
        with self._lock:
            self._closing = True
            sockets, workers = list(self._sockets), list(self._workers)
        with contextlib.suppress(OSError):
            self._waker.send(b"\0")
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT)
        for sock in (self._listener, self._wake, self._waker):
            sock.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake, selectors.EVENT_READ)
            while not self._closing:
                for key, _ in selector.select():
                    if key.fileobj is self._listener:
                        self._accept()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        client.setblocking(True)
        worker = threading.Thread(target=self._handle, args=(client,), name="virtualenv-ready-proxy-conn", daemon=True)
        with self._lock:
            if self._closing:
                client.close()
                return
            self._sockets.add(client)
            self._workers.add(worker)
        worker.start()

    def _track(self, sock: socket.socket) -> bool:
        with self._lock:
            if not self._closing:
                self._sockets.add(sock)
                return True
        sock.close()
        return False

    def _handle(self, client: socket.socket) -> None:
        from .proxy import BadRequest, parse_head

        try:
            client.settimeout(WAIT)
            received = _read_head(client)
            if received is None:
                return
            try:
                request = parse_head(received[0])
            except BadRequest as exc:
                self._note(f"a request it could not read ({exc})")
                _answer(client, 400, f"virtualenv-ready: a request the org policy's proxy could not read: {exc}")
                return
            if not self.allowed.permits(request.endpoint):
                self._note(str(request.endpoint))
                _answer(client, 403, f"virtualenv-ready: {request.endpoint} is not allowed by the {self.allowed.where}")
                return
            self._carry(client, request, received[1])
        except OSError:
            return
        finally:
            with self._lock:
                self._sockets.discard(client)
                self._workers.discard(threading.current_thread())
            client.close()

    def _note(self, what: str) -> None:
        with self._lock:
            if what not in self.refused:
                self.refused.append(what)

    def _carry(self, client: socket.socket, request: Request, rest: bytes) -> None:
        upstream = self.user.upstream(request)
        to = upstream.endpoint if upstream is not None else request.endpoint
        try:
            server = socket.create_connection((to.host, to.port), timeout=WAIT)
        except OSError as exc:
            why = f"cannot reach {to}: {exc.strerror or exc}"
            # installers may take a 502 for "no such package" and say nothing: -v names the host that did not answer
            LOGGER.info("virtualenv-ready: the org policy's proxy %s", why)
            _answer(client, 502, f"virtualenv-ready: {why}")
            return
        if not self._track(server):
            return
        try:
            if request.tunnel and not self._open_tunnel(client, server, request.endpoint, upstream):
                return
            if not request.tunnel:
                auth = upstream.authorization if upstream is not None else None
                server.sendall(request.forward_head(absolute=upstream is not None, authorization=auth))
            client.settimeout(None)
            server.settimeout(None)
            if rest:
                server.sendall(rest)
            self._relay(client, server, None if request.tunnel else _CloseAfterResponse())
        finally:
            with self._lock:
                self._sockets.discard(server)
            server.close()

    def _open_tunnel(
        self, client: socket.socket, server: socket.socket, endpoint: Endpoint, upstream: Upstream | None
    ) -> bool:
        if upstream is not None:
            head = f"CONNECT {endpoint} HTTP/1.1\r\nHost: {endpoint}\r\n"
            if upstream.authorization:
                head += f"Proxy-Authorization: {upstream.authorization}\r\n"
            server.sendall((head + "\r\n").encode("latin-1"))
            answer = _read_head(server)
            status = answer[0].split(b"\r\n", 1)[0].split(b" ") if answer is not None else []
            if len(status) < 2 or not status[1].startswith(b"2"):
                shown = status[1].decode("ascii", "replace") if len(status) > 1 else "nothing"
                _answer(client, 502, f"virtualenv-ready: the proxy in {upstream.variable} answered {shown}")
                return False
            if answer is not None and answer[1]:
                client.sendall(answer[1])
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        return True

    def _relay(self, client: socket.socket, server: socket.socket, rewrite: _CloseAfterResponse | None) -> None:
        """Copy bytes both ways until both sides are done (or the proxy stops and shuts the sockets)."""
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, server)
            selector.register(server, selectors.EVENT_READ, client)
            open_sides = 2
            while open_sides:
                for key, _ in selector.select():
                    source, sink = key.fileobj, key.data
                    assert isinstance(source, socket.socket)  # noqa: S101 - registered above
                    data = source.recv(CHUNK)
                    rewriting = rewrite if source is server else None
                    if data:
                        out = rewriting.feed(data) if rewriting is not None else data
                        if out:
                            sink.sendall(out)
                        continue
                    if rewriting is not None:
                        sink.sendall(rewriting.flush())
                    selector.unregister(source)
                    open_sides -= 1
                    with contextlib.suppress(OSError):
                        sink.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def guarded(env: Mapping[str, str]) -> Iterator[PolicyProxy | None]:
    """The proxy for one installer run when the policy (read from ``env``) names sources; else ``None``, no cost."""
    from ..endpoints import allowance
    from ..policy import load_policy

    allowed = allowance(load_policy(env))
    if allowed is None:
        yield None
        return
    from .proxy import user_proxies

    with PolicyProxy(allowed, user_proxies(env)) as proxy:
        yield proxy


def name_refused(proxy: PolicyProxy | None, what: str, error: ReadyError) -> None:
    """Raise the installer's failure as one line naming what the proxy refused, when it refused anything."""
    if proxy is None or not proxy.refused:
        return
    msg = (
        f"{what} failed: the org policy's network refused {', '.join(proxy.refused)} (only the hosts of the "
        f"{proxy.allowed.where} are reachable); remove what names it, or have it added to the policy"
    )
    raise ReadyError(msg) from error


__all__ = ["PolicyProxy", "guarded", "name_refused"]
