"""The policy proxy's rules: which endpoints pass, how a request names its destination, the user's proxies, the env."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.installers.proxy import (
    BadRequest,
    Endpoint,
    Request,
    allowance,
    parse_authority,
    parse_head,
    user_proxies,
    with_proxy,
)
from virtualenv_ready.model import Policy

POLICY = Path("/etc/policy.toml")


def test_no_policy_or_open_sources_means_no_proxy() -> None:
    assert allowance(None) is None
    assert allowance(Policy(POLICY, installer="uv", mandatory=("x",))) is None


def test_allowed_hosts_any_port_and_named_ports_only_that_port() -> None:
    allowed = allowance(Policy(POLICY, allowed_index_hosts=("Pkgs.Acme.Invalid", "mirror.invalid:8443", "[::1]:81")))
    assert allowed is not None
    assert allowed.permits(Endpoint("pkgs.acme.invalid", 443))
    assert allowed.permits(Endpoint("pkgs.acme.invalid", 8080))
    assert allowed.permits(Endpoint("mirror.invalid", 8443))
    assert not allowed.permits(Endpoint("mirror.invalid", 443))
    assert allowed.permits(Endpoint("::1", 81))
    assert not allowed.permits(Endpoint("::1", 82))
    assert not allowed.permits(Endpoint("evil.invalid", 443))
    assert allowed.where == f"org policy {POLICY} (allowed-index-hosts)"


def test_the_policy_urls_are_allowed_with_their_port() -> None:
    policy = Policy(
        POLICY,
        index_url="http://127.0.0.1:8765/simple",
        constraints=("https://files.acme.invalid/c.txt",),
        find_links=("/srv/wheels",),
    )
    allowed = allowance(policy)
    assert allowed is not None
    assert allowed.permits(Endpoint("127.0.0.1", 8765))
    assert not allowed.permits(Endpoint("127.0.0.1", 8766))  # the attacker on the same machine
    assert allowed.permits(Endpoint("files.acme.invalid", 443))
    assert allowed.where.endswith("(index-url)")


def test_only_local_folders_allow_no_host() -> None:
    allowed = allowance(Policy(POLICY, find_links=("/srv/wheels",)))
    assert allowed is not None
    assert not allowed.hosts
    assert not allowed.endpoints
    assert not allowed.permits(Endpoint("127.0.0.1", 80))


def test_connect_names_its_destination() -> None:
    request = parse_head(b"CONNECT Pkgs.Acme.Invalid.:443 HTTP/1.1\r\nHost: pkgs.acme.invalid:443\r\n\r\n")
    assert request.tunnel
    assert request.endpoint == Endpoint("pkgs.acme.invalid", 443)
    assert parse_head(b"CONNECT [::1]:8443 HTTP/1.1\r\n\r\n").endpoint == Endpoint("::1", 8443)


def test_absolute_uri_names_its_destination_and_path() -> None:
    request = parse_head(b"GET http://127.0.0.1:8765/simple/kappa/?x=1#frag HTTP/1.1\r\nAccept: */*\r\n\r\n")
    assert not request.tunnel
    assert request.endpoint == Endpoint("127.0.0.1", 8765)
    assert request.path == "/simple/kappa/?x=1"
    assert parse_head(b"GET http://host.invalid HTTP/1.0\r\n\r\n").endpoint == Endpoint("host.invalid", 80)
    assert parse_head(b"GET http://host.invalid?q HTTP/1.0\r\n\r\n").path == "/?q"


@pytest.mark.parametrize(
    ("head", "why"),
    [
        # the client's own reading decides; a backslash or user-info is refused, never guessed at
        (b"GET http://127.0.0.1:8765\\@pkgs.acme.invalid/x.whl HTTP/1.1\r\n\r\n", "characters in the host"),
        (b"GET http://user:pw@pkgs.acme.invalid/ HTTP/1.1\r\n\r\n", "user-info"),
        (b"CONNECT pkgs.acme.invalid HTTP/1.1\r\n\r\n", "no port"),
        (b"CONNECT pkgs.acme.invalid:99999 HTTP/1.1\r\n\r\n", "not a port"),
        (b"CONNECT pkgs.acme.invalid:44x HTTP/1.1\r\n\r\n", "not a port"),
        (b"CONNECT [::1 HTTP/1.1\r\n\r\n", "IPv6"),
        (b"GET https://pkgs.acme.invalid/ HTTP/1.1\r\n\r\n", "CONNECT for https"),
        (b"GET /simple/ HTTP/1.1\r\n\r\n", "absolute"),
        (b"GET http:///x HTTP/1.1\r\n\r\n", "no host"),
        (b"GET  http://a.invalid/ HTTP/1.1\r\n\r\n", "request line"),
        (b"get http://a.invalid/ HTTP/1.1\r\n\r\n", "request line"),
        (b"GET http://a.invalid/ HTTP/2\r\n\r\n", "request line"),
        (b"GET http://a.invalid/ HTTP/1.1\r\nX-A: b\x1bc\r\n\r\n", "header"),
        (b"GET http://a.invalid/ HTTP/1.1\r\nno colon\r\n\r\n", "header"),
    ],
)
def test_requests_the_proxy_refuses_to_read(head: bytes, why: str) -> None:
    with pytest.raises(BadRequest, match=why):
        parse_head(head)


def test_authority_needs_a_port_only_for_connect() -> None:
    assert parse_authority("a.invalid", 80) == Endpoint("a.invalid", 80)
    with pytest.raises(BadRequest):
        parse_authority("a.invalid", None)


def test_forwarded_head_is_one_request_without_the_clients_proxy_headers() -> None:
    request = Request(
        "GET",
        Endpoint("a.invalid", 8080),
        "/simple/",
        "HTTP/1.1",
        (("Host", "a.invalid:8080"), ("Proxy-Authorization", "Basic eA=="), ("Connection", "keep-alive")),
    )
    direct = request.forward_head(absolute=False).decode()
    assert direct == "GET /simple/ HTTP/1.1\r\nHost: a.invalid:8080\r\nConnection: close\r\n\r\n"
    chained = request.forward_head(absolute=True, authorization="Basic dTpw").decode()
    assert chained.startswith("GET http://a.invalid:8080/simple/ HTTP/1.1\r\n")
    assert "Proxy-Authorization: Basic dTpw\r\n" in chained
    assert "eA==" not in chained


def test_user_proxies_lower_case_first_all_proxy_last_and_credentials_as_a_header() -> None:
    proxies = user_proxies(
        {
            "https_proxy": "http://u%40x:p%3Aw@corp.invalid:3128",
            "HTTPS_PROXY": "http://other.invalid:1",
            "ALL_PROXY": "corp-all.invalid:8080",
        }
    )
    assert proxies.tunnel is not None
    assert proxies.tunnel.endpoint == Endpoint("corp.invalid", 3128)
    assert proxies.tunnel.variable == "https_proxy"
    assert proxies.tunnel.authorization == "Basic " + base64.b64encode(b"u@x:p:w").decode()
    assert proxies.plain is not None
    assert proxies.plain.endpoint == Endpoint("corp-all.invalid", 8080)
    assert proxies.plain.authorization is None
    assert user_proxies({}).tunnel is None


def test_the_users_no_proxy_decides_only_direct_or_chained() -> None:
    proxies = user_proxies({"HTTPS_PROXY": "http://corp.invalid:3128", "NO_PROXY": "acme.invalid, other.invalid:8443"})
    tunnel = b"CONNECT %s HTTP/1.1\r\n\r\n"
    assert proxies.upstream(parse_head(tunnel % b"pkgs.acme.invalid:443")) is None
    assert proxies.upstream(parse_head(tunnel % b"acme.invalid:443")) is None
    assert proxies.upstream(parse_head(tunnel % b"notacme.invalid:443")) is not None
    assert proxies.upstream(parse_head(tunnel % b"other.invalid:8443")) is None
    assert proxies.upstream(parse_head(tunnel % b"other.invalid:443")) is not None
    assert proxies.upstream(parse_head(b"GET http://a.invalid/ HTTP/1.1\r\n\r\n")) is None  # no http proxy set
    everything = user_proxies({"https_proxy": "http://corp.invalid:3128", "no_proxy": "*"})
    assert everything.upstream(parse_head(tunnel % b"a.invalid:443")) is None


def test_a_proxy_ours_cannot_chain_to_is_one_line_without_its_credentials() -> None:
    with pytest.raises(ReadyError, match=r"^ALL_PROXY=socks5://\*\*\*\*@corp.invalid:1080: .* only to an http://"):
        user_proxies({"ALL_PROXY": "socks5://user:s3cret@corp.invalid:1080"})


def test_the_child_env_points_every_variable_at_the_proxy_and_nothing_around_it() -> None:
    base = {"PATH": "/bin", "NO_PROXY": "*", "no_proxy": "127.0.0.1", "HTTPS_PROXY": "http://corp.invalid:3128"}
    env = with_proxy(base, "http://127.0.0.1:4321")
    assert "NO_PROXY" not in env
    assert "no_proxy" not in env
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "PIP_PROXY"):
        assert env[name] == "http://127.0.0.1:4321"
    assert env["PATH"] == "/bin"
    assert base["HTTPS_PROXY"] == "http://corp.invalid:3128"
