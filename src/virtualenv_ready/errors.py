"""The one exception type a user mistake raises: printed as one line, never as a traceback."""

from __future__ import annotations

#: The level of a warning the user must see even with ``-q``: virtualenv's ``-q`` shows only ERROR and above, and
#: "nothing was installed" or "a script was not written" is exactly what a quiet run still has to say.
PROBLEM = 40  # logging.ERROR, without importing logging on paths that log nothing


class ReadyError(Exception):
    """A problem the user can fix; the message names what failed, the value and the fix."""


class ReadyInterrupted(SystemExit):
    """Ctrl-C during an install: exits 130 (as a shell does) with one line, also through virtualenv's own handler."""

    def __init__(self, message: str) -> None:
        super().__init__(130)
        self.message = message

    def __str__(self) -> str:
        return self.message


__all__ = ["PROBLEM", "ReadyError", "ReadyInterrupted"]
