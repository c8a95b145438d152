"""Text a project controls, made safe to print: control characters shown as escapes, never sent to the terminal.

A dependency-group name, a requirement, a path or an installer's error can carry ESC sequences (colours, cursor
moves, OSC 52 writing the clipboard), ``\\r`` (overwriting what was printed) or bidi overrides (reordering what is
read). Every line we print or log goes through :func:`shown`; the ``virtualenv_ready`` loggers get
:class:`SafeLogFilter` from :func:`guard_loggers`, which every entry point that logs calls before anything logs
(through :mod:`virtualenv_ready.pipes` for the seeder, the activators and tox; the CLI's log set-up), so no log line
carries one either. Imports nothing of the package, and not ``logging`` until it guards (printing is a no-op sync's
path).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import logging
    from collections.abc import Iterable

# C0 (but tab and newline), DEL, C1, and the bidi embeddings, overrides and isolates
_UNSAFE = [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_NAMED = {0x0D: "\\r", 0x0A: "\\n", 0x09: "\\t"}


def _escape(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_IN_LINES = {code: _escape(code) for code in _UNSAFE}
_IN_ONE_LINE = {**_IN_LINES, 0x0A: "\\n", 0x09: "\\t"}
# a line break a terminal honours as one; inside one line it is shown as an escape too
_BREAKS = (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)
_IN_ONE_LINE.update({code: _escape(code) for code in _BREAKS})


def shown(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character escaped (``\\x1b``, ``\\r``, ``\\u202e``); ``lines`` keeps newlines and
    tabs, for multi-line output such as an installer's."""
    return text.translate(_IN_LINES if lines else _IN_ONE_LINE)


class SafeLogFilter:
    """Formats each record once and escapes its control characters, so no handler can print a raw one (a filter is
    anything with this method: no ``logging.Filter`` base, so defining it imports nothing)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: let logging report it as it would
            return True
        safe = shown(message, lines=True)
        if safe != message or record.args:
            record.msg, record.args = safe, None
        return True


#: every logger the package logs to (a filter on a logger does not see its children's records)
LOGGERS = ("virtualenv_ready", "virtualenv_ready.activation", "virtualenv_ready.plugins")


def on_every_logger(kind: type[logging.Filter | SafeLogFilter], names: Iterable[str] = LOGGERS) -> None:
    """Put one ``kind`` filter on every logger of the package (or of ``names``), once (calling twice adds none)."""
    import logging

    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())


def guard_loggers() -> None:
    """Put :class:`SafeLogFilter` on every logger of the package, once."""
    on_every_logger(SafeLogFilter)


__all__ = ["LOGGERS", "SafeLogFilter", "guard_loggers", "on_every_logger", "shown"]
