"""A small JSON memo beside this user's record key, signed with it: a memo this user's virtualenv-ready did not
write (another user's, a copy, a corrupted or planted file) is no memo, and the work it would save is done again.

Only a user who already has a key keeps memos: writing one never creates the key (the record does that). Writes are
best effort and whole (write, then rename); what was remembered last is newest, and the newest ``kept`` entries
survive.
"""

from __future__ import annotations

import json
import os

from .errors import ReadyError
from .files import newest, replace_file
from .userkey import key_path, sign, verify

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any


def memo_path(name: str) -> Path:
    """Where the memo ``name`` is: beside this user's record key."""
    return key_path().parent / name


def read(name: str, fmt: int) -> dict[str, Any]:
    """The entries of memo ``name`` in format ``fmt``, or none when it is absent, unreadable or not this user's."""
    try:
        found = json.loads(memo_path(name).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict) or not isinstance(found.get("entries"), dict):
        return {}
    entries: dict[str, Any] = found["entries"]
    try:
        return entries if verify(_canonical(fmt, entries), found.get("mac")) else {}
    except ReadyError:  # the key is unusable: the record's own check says so
        return {}


def remember(name: str, fmt: int, entries: Mapping[str, Any], new: Mapping[str, Any], kept: int) -> None:
    """Write memo ``name``: ``entries`` (as :func:`read` gave them) with ``new`` as the newest, the newest ``kept`` of
    them in all; a failure only costs the work again."""
    if not os.path.lexists(key_path()):
        return  # signing would make the user's key: the record does that, not a memo
    kept_entries = newest(entries, new, kept)
    try:
        text = json.dumps({"mac": sign(_canonical(fmt, kept_entries)), "entries": kept_entries})
        replace_file(memo_path(name), text, prefix=f".{name}.")
    except (TypeError, ValueError, ReadyError, OSError):
        return  # a value JSON cannot hold, an unusable key (the record says so) or an unwritable folder


def _canonical(fmt: int, entries: dict[str, Any]) -> bytes:
    """What the MAC covers: the entries and the memo's format (another format's entries mean something else)."""
    body = {"format": fmt, "entries": entries}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


__all__ = ["memo_path", "read", "remember"]
