"""An index that wants credentials: after a failed installer run, ask the index once whether it answers 401 and,
if so, say so in one line that names it (credentials masked) and the ways to give credentials.

pip says nothing about a 401 at its default verbosity (it reports "no matching distribution"), uv says it in a hint
among its other lines: neither names the fix. The question goes with the credentials the installers would send
themselves from the URL and from netrc; with a keyring provider set the answer could not be trusted, so none is asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadyError
from ..redact import PLACEHOLDER, redact_url

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..model import IndexOptions

PROBE_TIMEOUT = 10.0  # seconds; only after a failure
_KEYRING_VARIABLES = ("UV_KEYRING_PROVIDER", "PIP_KEYRING_PROVIDER")


def name_unauthorized(index: IndexOptions, env: Mapping[str, str], what: str, error: ReadyError) -> None:
    """Raise the installer's failure as one line when one of its indexes answers 401 (``env``: the installer's)."""
    if index.no_index or any(env.get(name, "disabled") != "disabled" for name in _KEYRING_VARIABLES):
        return
    for url in (index.index_url, *index.extra_index_urls):
        if url and url.startswith(("http://", "https://")):
            sent = answers_401(url, env)
            if sent is not None:
                raise ReadyError(unauthorized_message(what, url, sent=sent)) from error


def unauthorized_message(what: str, url: str, *, sent: bool) -> str:
    """The one line: the index (masked), what it answered, and the three ways to give credentials."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    example = f"{parts.scheme}://{PLACEHOLDER}@{parts.netloc.rpartition('@')[2]}{parts.path}"
    given = " to the credentials given" if sent else ""
    return (
        f"{what} failed: the index {redact_url(url)} answered 401 Unauthorized{given}; give its credentials in a "
        f"netrc entry for {host} (~/.netrc, or the file NETRC names), through keyring (UV_KEYRING_PROVIDER or "
        f"PIP_KEYRING_PROVIDER=subprocess with the keyring command on PATH), or in the index URL from an env var "
        f"(VIRTUALENV_READY_INDEX_URL={example})"
    )


def answers_401(url: str, env: Mapping[str, str]) -> bool | None:
    """Whether the index answers 401 to a GET: ``None`` when it does not, else whether credentials were sent."""
    import base64
    import urllib.error
    import urllib.request
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    bare = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    credentials = (
        (unquote(parts.username), unquote(parts.password or ""))
        if parts.username
        else _netrc_entry(parts.hostname or "", env)
    )
    headers = {"Accept": "text/html"}
    if credentials is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(credentials).encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(bare, headers=headers), timeout=PROBE_TIMEOUT):  # noqa: S310
            return None
    except urllib.error.HTTPError as exc:
        return credentials is not None if exc.code == 401 else None
    except (OSError, ValueError):
        return None


def _netrc_entry(host: str, env: Mapping[str, str]) -> tuple[str, str] | None:
    """The login and password netrc holds for ``host``, as the installers find it (NETRC, else ~/.netrc)."""
    import netrc
    import os
    from pathlib import Path

    if env.get("NETRC"):
        path = Path(env["NETRC"])
    else:
        home = Path(env.get("HOME") or env.get("USERPROFILE") or Path("~").expanduser())
        path = home / (".netrc" if os.name != "nt" else "_netrc")
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None
    if not found:
        return None
    return found[0] or "", found[2] or ""


__all__ = ["PROBE_TIMEOUT", "answers_401", "name_unauthorized", "unauthorized_message"]
