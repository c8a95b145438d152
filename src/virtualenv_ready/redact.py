"""Credentials out of everything shown or written: URL user-info and every query value become ****."""

from __future__ import annotations

import re
from functools import cache

MASK = "****"
#: the user-info our hints show where credentials go: a name for them, never one
PLACEHOLDER = "USER:TOKEN"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use: a no-op sync masks no URL, and compiling them is a third of a millisecond."""
    # a URL; where another URL starts inside one (a comma-joined list, or a URL quoted in another's path); a query
    # pair outside a full URL (pip prints `/simple?token=...` paths without the scheme)
    return (
        re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+"),
        re.compile(r"(?<=[^A-Za-z0-9+.-])(?=[A-Za-z][A-Za-z0-9+.-]*://)"),
        re.compile(r"(?<=[?&])([A-Za-z0-9_.~-]+=)(?:(?!,[A-Za-z][A-Za-z0-9+.-]*://)[^&\s'\"<>#/])+"),
    )


_SECRETS: set[str] = set()


def remember_secrets(urls: list[str] | tuple[str, ...]) -> None:
    """Note the user-info parts and query values of URLs this run uses, so they are masked wherever they appear."""
    for url in urls:
        if "://" not in url:
            continue
        from urllib.parse import parse_qsl, unquote, urlsplit  # only when there are URLs: not on a no-op sync

        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        found = [parts.username, parts.password, *(value for _, value in parse_qsl(parts.query))]
        for value in found:
            if value and len(value) >= 3:
                _SECRETS.update({value, unquote(value)})


def redact_url(url: str) -> str:
    """Mask the user-info and the query values of one URL; anything unparsable is masked whole."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc and netloc.rpartition("@")[0] != PLACEHOLDER:
            netloc = f"{MASK}@{netloc.rpartition('@')[2]}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(key, MASK) for key, _ in pairs], safe="*") if pairs else MASK
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return MASK


def _redact_piece(url: str) -> str:
    bare = url.rstrip(",")
    return redact_url(bare) + url[len(bare) :]


def redact(text: str) -> str:
    """Mask credentials in free text (commands, installer output, errors): in URLs, in bare query strings, and
    every secret of this run's URLs wherever it stands."""
    if "://" in text or "=" in text:  # what the patterns need to match: a path or a name has neither
        url, next_url, query_value = _patterns()
        text = url.sub(lambda match: "".join(map(_redact_piece, next_url.split(match.group(0)))), text)
        text = query_value.sub(lambda match: match.group(1) + MASK, text)
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


__all__ = ["MASK", "PLACEHOLDER", "redact", "redact_url", "remember_secrets"]
