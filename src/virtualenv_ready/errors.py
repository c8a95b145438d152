"""The one exception type a user mistake raises: printed as one line, never as a traceback."""

from __future__ import annotations


class ReadyError(Exception):
    """A problem the user can fix; the message names what failed, the value and the fix."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


__all__ = ["ReadyError"]
