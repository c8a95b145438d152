"""The project's ``[tool.virtualenv-ready]`` table, remembered by the content of its pyproject.toml.

Every sync layers the options, and the project's table is one layer: parsing pyproject.toml loads a TOML parser
(milliseconds on a no-op sync) to read a table that rarely changes. The table found in a pyproject.toml is kept
under the sha256 of that file's bytes, in ``project-tables.json`` beside the user's record key and signed with it,
so the same bytes give the same table without a parser; other bytes are parsed. Only a user who has a key keeps
one (nothing is created for it), and a memo that is not this user's, or unreadable, is no memo.
"""

from __future__ import annotations

import json

from . import signedmemo
from .files import parse_toml, read_bytes, sha256

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

NAME = "project-tables.json"
FORMAT = 2
#: the tables kept (the newest): one per pyproject.toml content a user syncs with, bounded
KEPT = 64


def tool_table(pyproject: Path) -> Any:
    """The value of ``[tool.virtualenv-ready]`` in ``pyproject`` (``{}`` when it has none), ``None`` when there is no
    such file; invalid TOML is the error :func:`virtualenv_ready.files.load_toml` raises."""
    if not pyproject.is_file():
        return None
    data = read_bytes(pyproject)
    digest = str(sha256(data).hexdigest())
    memo = signedmemo.read(NAME, FORMAT)
    if digest in memo:
        return memo[digest]
    table = parse_toml(pyproject, data).get("tool", {}).get("virtualenv-ready", {})
    _remember(memo, digest, table)
    return table


def memo_path() -> Path:
    """Where the memo is: beside this user's record key."""
    return signedmemo.memo_path(NAME)


def _remember(memo: dict[str, Any], digest: str, table: Any) -> None:
    """Keep ``table`` under ``digest`` (best effort: a memo that cannot be written is parsed again next time)."""
    from .redact import redact

    text = json.dumps(table, default=str)
    if redact(text) != text:
        return  # a URL with user-info or a query (a credential): never copied out of the project, parsed each time
    signedmemo.remember(NAME, FORMAT, memo, {digest: table}, KEPT)


__all__ = ["FORMAT", "KEPT", "NAME", "memo_path", "tool_table"]
