"""The package's loggers, without importing ``logging`` until a line is going to be printed.

``logging`` drags in ``traceback``, ``threading``, ``string`` and ``weakref`` (some 5 ms of a no-op
``virtualenv-ready sync``, which logs nothing at its default level). :data:`LOGGER` and :func:`named` give objects
with the log calls of :class:`logging.Logger`; a call below the level in force returns at once: the level the CLI
asked for through :func:`defer` (its handler set up on the first line that passes), or, while nothing has imported
``logging``, logging's own default (``WARNING``, as nothing can have configured a lower one). Anything else, and
every other attribute, goes to the real logger of the same name, so under virtualenv, tox or pytest (which import and
configure ``logging`` themselves) the records, their levels, filters and handlers are those of the real loggers.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    import logging
    from collections.abc import Callable
    from typing import Any

DEBUG, INFO, WARNING, ERROR, CRITICAL = 10, 20, 30, 40, 50  # logging's levels, without importing it

_pending: list[tuple[int, Callable[[], None]]] = []  # the CLI's set-up, not run yet: (its level, the set-up)


def defer(level: int, setup: Callable[[], None]) -> None:
    """Log at ``level`` and above, through what ``setup`` configures, run (importing ``logging``) before the first
    line at that level is logged; lines below it are dropped without importing anything. Once something else has
    imported ``logging`` there is nothing to save: ``setup`` runs now."""
    _pending[:] = [(level, setup)]
    if "logging" in sys.modules:
        settle()


def settle() -> None:
    """Run the deferred set-up now, before code that logs through ``logging`` itself (a plugin) runs."""
    try:
        _, setup = _pending.pop()  # one atomic step: a second thread finds it gone, and the set-up runs once
    except IndexError:
        return
    setup()


def _threshold() -> int:
    """The level below which a call prints nothing, known without importing ``logging``; 0 when it must ask."""
    waiting = _pending[:]  # a copy: another thread may settle it meanwhile
    if waiting:
        return waiting[0][0]
    return 0 if "logging" in sys.modules else WARNING


def _real(name: str) -> logging.Logger:
    import logging

    settle()
    return logging.getLogger(name)


class Logger:
    """The log calls of the real :class:`logging.Logger` called ``name``, made when one has anything to print."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _log(self, level: int, msg: object, args: tuple[object, ...], kwargs: dict[str, Any]) -> None:
        if level < _threshold():
            return
        kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + 2  # the record names our caller, not this module
        _real(self.name).log(level, msg, *args, **kwargs)

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log(DEBUG, msg, args, kwargs)

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log(INFO, msg, args, kwargs)

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log(WARNING, msg, args, kwargs)

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        self._log(ERROR, msg, args, kwargs)

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        self._log(level, msg, args, kwargs)

    def __getattr__(self, attribute: str) -> Any:
        """Anything else (filters, handlers, ``handle``, ``isEnabledFor``): the real logger's."""
        if attribute.startswith("__"):  # copy and pickle probe these on a bare instance
            raise AttributeError(attribute)
        return getattr(_real(self.name), attribute)


def named(name: str) -> Logger:
    """The logger called ``name`` (one of :data:`virtualenv_ready.safe.LOGGERS`)."""
    return Logger(name)


#: the package's logger, ``virtualenv_ready``
LOGGER = Logger("virtualenv_ready")

__all__ = ["CRITICAL", "DEBUG", "ERROR", "INFO", "LOGGER", "WARNING", "Logger", "defer", "named", "settle"]
