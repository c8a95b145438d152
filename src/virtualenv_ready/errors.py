"""The one exception type a user mistake raises: printed as one line, never as a traceback."""

from __future__ import annotations

#: The level of a warning the user must see even with ``-q``: virtualenv's ``-q`` shows only ERROR and above, and
#: "nothing was installed" or "a script was not written" is exactly what a quiet run still has to say.
PROBLEM = 40  # logging.ERROR, without importing logging on paths that log nothing


class ReadyError(Exception):
    """A problem the user can fix; the message names what failed, the value and the fix.

    Whoever prints it (our CLI, virtualenv's handler, tox), its text has no raw control character: the values it
    quotes often come from project files or installer output.
    """

    def __str__(self) -> str:
        from .safe import shown

        return shown(super().__str__(), lines=True)


class ReadyInterrupted(SystemExit):
    """Ctrl-C during an install: exits 130 (as a shell does) with one line, also through virtualenv's own handler."""

    def __init__(self, message: str) -> None:
        super().__init__(130)
        self.message = message

    def __str__(self) -> str:
        from .safe import shown

        return shown(self.message, lines=True)


def error_line(exc: BaseException) -> str:
    """How the package states one of its exceptions, whoever caught it (our CLI, virtualenv's handler): the same
    ``virtualenv-ready: error: ...`` line, credentials masked and control characters escaped."""
    from .redact import redact
    from .safe import shown

    if isinstance(exc, ReadyInterrupted):
        return f"virtualenv-ready: {exc}"
    return f"virtualenv-ready: error: {shown(redact(str(exc)), lines=True)}"


__all__ = ["PROBLEM", "ReadyError", "ReadyInterrupted", "error_line"]
