"""Each shell's own ``quote()``: turn any string into one literal token of that shell, byte-exact.

Templates leave their placeholders unquoted; every value goes through the function of the script's shell.
"""

from __future__ import annotations

# PowerShell's tokenizer treats all four of these as single quotes; doubling one keeps it literal
_PS_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
# cmd.exe splits commands on these even where a value looks quoted in some contexts; a path holding one is refused
_CMD_UNSAFE = frozenset('&|<>^"\r\n\x1a\x00')
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def sh_quote(value: str) -> str:
    """POSIX sh (bash, dash, zsh, mksh, ksh): a single-quoted word; a ``'`` becomes ``'\\''``."""
    return "'" + value.replace("'", "'\\''") + "'"


def fish_quote(value: str) -> str:
    """fish: a single-quoted string, where ``\\`` and ``\'`` are the only escapes."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def nu_quote(value: str) -> str:
    """Nushell: a raw string ``r#'...'#`` with as many ``#`` as it takes.

    Nushell (0.108) closes at the first ``'#`` counted from the opening quote itself, so a value starting with
    ``#`` needs one more.
    """
    hashes = "#"
    while f"'{hashes}" in f"'{value}":
        hashes += "#"
    return f"r{hashes}'{value}'{hashes}"


def ps_quote(value: str) -> str:
    """PowerShell: a single-quoted (verbatim) string; every kind of single quote, curly ones included, is doubled."""
    return "'" + "".join(ch + ch if ch in _PS_SINGLE_QUOTES else ch for ch in value) + "'"


def elvish_quote(value: str) -> str:
    """Elvish: a single-quoted string, where ``''`` is a literal ``'`` and nothing else is special."""
    return "'" + value.replace("'", "''") + "'"


def xonsh_quote(value: str) -> str:
    """xonsh: the value as a Python expression argument, ``@('...')``: xonsh expands ``$VAR``, ``~`` and globs in a
    quoted word, never in a Python value; ``ascii()`` keeps the line ASCII, whatever encoding reads it."""
    return f"@({value!a})"


def cmd_unsafe(value: str) -> list[str]:
    """The characters of ``value`` that a cmd.exe script cannot carry safely (empty: it can)."""
    return sorted({repr(ch)[1:-1] for ch in value if ch in _CMD_UNSAFE})


def cmd_quote(value: str) -> str:
    """cmd.exe batch file, inside ``"..."`` with delayed expansion off: ``%`` doubled.

    Only for values :func:`cmd_unsafe` accepts; anything else raises ``ValueError``.
    """
    bad = cmd_unsafe(value)
    if bad:
        msg = f"cmd.exe cannot carry {shown(value)} safely (characters {', '.join(bad)})"
        raise ValueError(msg)
    return value.replace("%", "%%")


def shown(value: str) -> str:
    """A value for a one-line message: as the user wrote it (no repr, no doubled backslashes), with only line breaks
    and other unprintable characters escaped so the message stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)


def has_line_break(value: str) -> bool:
    """True when ``value`` holds a character some shell or file format reads as the end of a line."""
    return any(ch in LINE_BREAKS for ch in value)


__all__ = [
    "cmd_quote",
    "cmd_unsafe",
    "elvish_quote",
    "fish_quote",
    "nu_quote",
    "has_line_break",
    "ps_quote",
    "sh_quote",
    "shown",
    "xonsh_quote",
]
