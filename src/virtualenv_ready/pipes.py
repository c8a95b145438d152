"""Where the package's log lines go while virtualenv reports on stdout: to stderr, so stdout holds virtualenv's own
report only (``virtualenv x | head -1`` reads virtualenv's first line) and a closed pipe never prints a traceback."""

from __future__ import annotations

import logging
import sys

from .safe import on_every_logger

PACKAGE = "virtualenv_ready"


class OursToStderr(logging.Filter):
    """On virtualenv's report handler: the package's records are written to stderr in that handler's format and level,
    virtualenv's own go on to stdout untouched; after a write fails (a closed pipe) the lines are dropped silently."""

    def __init__(self, handler: logging.Handler) -> None:
        super().__init__()
        self.handler = handler
        self.closed = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != PACKAGE and not record.name.startswith(PACKAGE + "."):
            return True
        if not self.closed:
            try:
                sys.stderr.write(self.handler.format(record) + "\n")
                sys.stderr.flush()
            except (OSError, ValueError, AttributeError):  # closed pipe, closed file, no stderr at all
                self.closed = True
        return False


def report_handler() -> logging.Handler | None:
    """virtualenv's report handler (``setup_report``: a plain StreamHandler on stdout on the root logger), or None
    (the package's CLI, tox, pytest: logging stays as they configured it)."""
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler and handler.stream is sys.stdout:
            return handler
    return None


class Redirect(logging.Filter):
    """On the package's loggers: puts :class:`OursToStderr` on virtualenv's report handler once that exists (virtualenv
    sets it up after importing the package); passes every record on."""

    def filter(self, record: logging.LogRecord) -> bool:
        handler = report_handler()
        if handler is not None and not any(isinstance(f, OursToStderr) for f in handler.filters):
            handler.addFilter(OursToStderr(handler))
        return True


def redirect_loggers() -> None:
    """Put :class:`Redirect` on every logger of the package, once."""
    on_every_logger(Redirect)


redirect_loggers()

__all__ = ["OursToStderr", "Redirect", "redirect_loggers", "report_handler"]
