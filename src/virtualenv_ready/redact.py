"""Credentials out of everything shown or written: URL user-info and every query value become ****."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "****"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def redact_url(url: str) -> str:
    """Mask the user-info and the query values of one URL; anything unparsable is masked whole."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = f"{MASK}@{netloc.rpartition('@')[2]}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(key, MASK) for key, _ in pairs], safe="*") if pairs else MASK
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return MASK


def redact(text: str) -> str:
    """Mask credentials in every URL inside free text (commands, installer output, error messages)."""
    return _URL.sub(lambda match: redact_url(match.group(0)), text)


__all__ = ["MASK", "redact", "redact_url"]
