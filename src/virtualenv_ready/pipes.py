"""Where the package's log lines go while virtualenv reports on stdout: to stderr, so stdout holds virtualenv's own
report only (``virtualenv x | head -1`` reads virtualenv's first line) and a closed pipe never prints a traceback;
and the package's errors, when virtualenv reports them, in the package's own words.

Importing it sets up every guard of the package's log lines (these, and :func:`virtualenv_ready.safe.guard_loggers`):
the entry points virtualenv and tox load (the seeder, the activators, the tox plugin) import it first."""

from __future__ import annotations

import logging
import sys

from .safe import guard_loggers, on_every_logger

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


#: the loggers virtualenv reports a failed run on (``run_with_catch``): its module's name, or ``__main__`` under -m
VIRTUALENV_MAIN = ("virtualenv.__main__", "__main__")


class OwnErrors(logging.Filter):
    """On virtualenv's ``__main__`` logger: its report of an exception of ours (``ReadyError: ...``, by class name) is
    written to stderr as the package's CLI writes it (``virtualenv-ready: error: ...``); virtualenv still exits
    non-zero (1, or 130 after Ctrl-C). Any other record passes untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        from .errors import ReadyError, ReadyInterrupted, error_line

        args = record.args if isinstance(record.args, tuple) else ()
        ours = [arg for arg in args if isinstance(arg, (ReadyError, ReadyInterrupted))]
        if not ours:
            return True
        try:
            sys.stderr.write(error_line(ours[0]) + "\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):  # closed pipe, closed file, no stderr at all
            pass
        return False


def own_errors() -> None:
    """Put :class:`OwnErrors` on virtualenv's reporting loggers, once."""
    on_every_logger(OwnErrors, VIRTUALENV_MAIN)


guard_loggers()
redirect_loggers()
own_errors()

__all__ = ["OursToStderr", "OwnErrors", "Redirect", "own_errors", "redirect_loggers", "report_handler"]
