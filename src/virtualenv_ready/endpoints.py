"""Which network endpoints an org policy allows: one rule for the check of every source a run is given and for the
policy proxy that carries the installers' connections, so a URL the check lets through is one the proxy lets
through, port included."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .valuetypes import dataclass

if TYPE_CHECKING:
    from .model import Policy

_PORT = re.compile(r"[0-9]{1,5}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Endpoint:
    """Where a connection goes: a lower-case host (IPv6 without brackets) and a port."""

    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class Allowance:
    """The endpoints the policy allows: a host on any port, or a host on the one port the policy names."""

    hosts: frozenset[str]
    endpoints: frozenset[Endpoint]
    where: str

    def permits(self, endpoint: Endpoint) -> bool:
        """Whether the policy lets a connection to ``endpoint`` through."""
        return endpoint.host in self.hosts or endpoint in self.endpoints


def host_of(text: str) -> str:
    """A host as connections compare it: lower case, no brackets, no trailing dot."""
    return text.strip().strip("[]").rstrip(".").lower()


def named_endpoint(text: str) -> tuple[str, int | None]:
    """A policy's ``host`` or ``host:port`` (``[v6]:port`` too)."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        host, port = text, ""
    return host_of(host), int(port) if _PORT.fullmatch(port) else None


def allowance(policy: Policy | None) -> Allowance | None:
    """The policy's endpoints, or ``None`` when it leaves sources open (then no proxy runs).

    A policy that names sources allows the hosts of ``allowed-index-hosts`` (``host`` or ``host:port``) and of the
    URLs it names itself (index, extra indexes, find-links, constraints; with the URL's port when it has one). A
    policy with only local find-links allows no host at all.
    """
    if policy is None or not policy.restricts_sources:
        return None
    from urllib.parse import urlsplit

    named = [named_endpoint(entry) for entry in policy.allowed_index_hosts]
    for url in (policy.index_url, *policy.extra_index_urls, *policy.find_links, *policy.constraints):
        if url and "://" in url:
            try:
                parts = urlsplit(url)
                named.append((host_of(parts.hostname or ""), parts.port))
            except ValueError:
                continue
    hosts = frozenset(host for host, port in named if host and port is None)
    endpoints = frozenset(Endpoint(host, port) for host, port in named if host and port is not None)
    key = "allowed-index-hosts" if policy.allowed_index_hosts else str(policy.source_key)
    return Allowance(hosts, endpoints, policy.where(key))


def url_endpoint(url: str) -> Endpoint | None:
    """Where a URL connects (the scheme's default port when it names none); ``None`` for no host or a bad port."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    host = host_of(parts.hostname or "")
    return Endpoint(host, port) if host and port else None


__all__ = ["Allowance", "Endpoint", "allowance", "host_of", "named_endpoint", "url_endpoint"]
