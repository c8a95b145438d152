"""The policy's network, decided: which endpoints an installer may reach, where a proxy request goes, which of the
user's own proxies carries it on, and the installer's environment pointing at our proxy.

Pure rules, no sockets: the server that applies them is :mod:`.proxy_server`. Every decision is made on what the
client asks the proxy to connect to (a ``CONNECT`` authority, an absolute URI's host), never on a URL in a file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..endpoints import Allowance, Endpoint, allowance, host_of, named_endpoint
from ..errors import ReadyError
from ..redact import redact
from ..valuetypes import dataclass
from .process import BYPASS_VARIABLES, PROXY_VARIABLES, with_proxy

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


# a registered name's characters (RFC 3986 unreserved, no percent-encoding) or an IPv6 literal's
_NAME = re.compile(r"[A-Za-z0-9._~-]+")
_IPV6 = re.compile(r"[0-9A-Fa-f:.]+")
_PORT = re.compile(r"[0-9]{1,5}")
_TOKEN = re.compile(r"[A-Z]{1,16}")
_VERSIONS = ("HTTP/1.0", "HTTP/1.1")
# headers for one hop only: never passed on (the proxy speaks for itself about connections and its own credentials)
_HOP_HEADERS = frozenset({"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade"})


class BadRequest(ValueError):
    """A proxy request the proxy will not carry; the message says why (never the raw request: it may hold a token)."""


def parse_authority(text: str, default_port: int | None) -> Endpoint:
    """``host:port`` as a client names it to a proxy; anything but a plain name or IP literal is refused."""
    if "@" in text or "\\" in text:
        msg = "user-info or other characters in the host"
        raise BadRequest(msg)
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or not _IPV6.fullmatch(host) or ":" not in host:
            msg = "not an IPv6 literal"
            raise BadRequest(msg)
        port = rest[1:] if rest.startswith(":") else None
        if rest and port is None:
            msg = "text after the IPv6 literal"
            raise BadRequest(msg)
    else:
        host, colon, given = text.partition(":")
        port = given if colon else None
        if not _NAME.fullmatch(host):
            msg = "user-info, spaces or other characters in the host" if host else "no host"
            raise BadRequest(msg)
    if port is None:
        if default_port is None:
            msg = "no port"
            raise BadRequest(msg)
        return Endpoint(host_of(host), default_port)
    if not _PORT.fullmatch(port) or not 0 < int(port) < 65536:
        msg = "not a port number"
        raise BadRequest(msg)
    return Endpoint(host_of(host), int(port))


@dataclass(frozen=True)
class Request:
    """A parsed proxy request: a tunnel (``CONNECT``) or one plain-HTTP request in absolute form."""

    method: str
    endpoint: Endpoint
    path: str
    version: str
    headers: tuple[tuple[str, str], ...]

    @property
    def tunnel(self) -> bool:
        return self.method == "CONNECT"

    def forward_head(self, *, absolute: bool, authorization: str | None = None) -> bytes:
        """The head passed on: origin form to the server itself, absolute form to another proxy; one request only."""
        target = f"http://{self.endpoint}{self.path}" if absolute else self.path
        lines = [f"{self.method} {target} {self.version}"]
        lines += [f"{name}: {value}" for name, value in self.headers if name.lower() not in _HOP_HEADERS]
        if authorization:
            lines.append(f"Proxy-Authorization: {authorization}")
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def parse_head(head: bytes) -> Request:
    """The request line and headers a client sent the proxy (up to the blank line)."""
    text = head.decode("latin-1")
    first, *rest = text.split("\r\n")
    parts = first.split(" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or parts[2] not in _VERSIONS:
        msg = "not an HTTP request line"
        raise BadRequest(msg)
    method, target, version = parts
    if method == "CONNECT":
        endpoint, path = parse_authority(target, None), ""
    else:
        scheme, sep, remainder = target.partition("://")
        if not sep or scheme.lower() != "http":
            msg = "not an absolute http:// URI (use CONNECT for https)"
            raise BadRequest(msg)
        cut = min((i for i in (remainder.find(c) for c in "/?#") if i >= 0), default=len(remainder))
        endpoint, path = parse_authority(remainder[:cut], 80), remainder[cut:].partition("#")[0]
        path = path if path.startswith("/") else f"/{path}"
    headers = []
    for line in rest:
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon or not _NAME.fullmatch(name) or any(ord(c) < 32 and c != "\t" for c in value):
            msg = "a malformed header"
            raise BadRequest(msg)
        headers.append((name, value.strip()))
    return Request(method, endpoint, path, version, tuple(headers))


@dataclass(frozen=True)
class Upstream:
    """The user's own proxy, which ours chains to: where it is, its credentials as a header, and its variable."""

    endpoint: Endpoint
    authorization: str | None
    variable: str


def _upstream(variable: str, value: str) -> Upstream:
    from urllib.parse import unquote, urlsplit

    url = value if "://" in value else f"http://{value}"
    try:
        parts = urlsplit(url)
        port = parts.port or 80
    except ValueError:
        parts, port = None, 0
    if parts is None or parts.scheme.lower() != "http" or not parts.hostname:
        msg = (
            f"{variable}={redact(url)}: the org policy's proxy can chain only to an http:// proxy; "
            f"set {variable} to one, or unset it"
        )
        raise ReadyError(msg)
    authorization = None
    if parts.username is not None:
        import base64

        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode("ascii")
    return Upstream(Endpoint(host_of(parts.hostname), port), authorization, variable)


@dataclass(frozen=True)
class UserProxies:
    """The user's own proxies (from the environment the run started with), and the hosts they skip (``no_proxy``)."""

    tunnel: Upstream | None
    plain: Upstream | None
    skip: tuple[str, ...]

    def upstream(self, request: Request) -> Upstream | None:
        """The user's proxy that carries ``request`` on, or ``None`` to connect directly."""
        chosen = self.tunnel if request.tunnel else self.plain
        if chosen is None or _skipped(request.endpoint, self.skip):
            return None
        return chosen


def _skipped(endpoint: Endpoint, skip: Iterable[str]) -> bool:
    for entry in skip:
        if entry == "*":
            return True
        host, port = named_endpoint(entry)
        host = host.lstrip("*").lstrip(".")
        if port is not None and port != endpoint.port:
            continue
        if host and (endpoint.host == host or endpoint.host.endswith(f".{host}")):
            return True
    return False


def user_proxies(env: Mapping[str, str]) -> UserProxies:
    """The proxies the user set (``https_proxy``/``http_proxy``, else ``all_proxy``; lower case first)."""

    def first(*names: str) -> Upstream | None:
        for name in names:
            if env.get(name, "").strip():
                return _upstream(name, env[name].strip())
        return None

    everything = ("all_proxy", "ALL_PROXY")
    skip = next((env[name] for name in BYPASS_VARIABLES if env.get(name, "").strip()), "")
    return UserProxies(
        tunnel=first("https_proxy", "HTTPS_PROXY", *everything),
        plain=first("http_proxy", "HTTP_PROXY", *everything),
        skip=tuple(entry.strip().lower() for entry in skip.split(",") if entry.strip()),
    )


__all__ = [
    "BYPASS_VARIABLES",
    "PROXY_VARIABLES",
    "Allowance",
    "BadRequest",
    "Endpoint",
    "Request",
    "Upstream",
    "UserProxies",
    "allowance",
    "parse_authority",
    "parse_head",
    "user_proxies",
    "with_proxy",
]
