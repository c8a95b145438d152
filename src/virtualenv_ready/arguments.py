"""The argparse side of the ``--ready-*`` options: actions whose help names one default, and the one call that adds an
option with them.

Apart from the option table (:mod:`virtualenv_ready.options`), which hands each option's names and text here, so that
reading the table (every sync) does not import argparse; only adding the options to a parser (virtualenv's, the
activators') does.
"""

from __future__ import annotations

from argparse import Action, _StoreAction, _StoreConstAction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

# in a help text, marks the default as named: argparse's ArgumentDefaultsHelpFormatter (virtualenv's) then appends no
# ``(default: None)``, and the marker itself renders as nothing
_NAMED = "%(default).0s"


class _OneDefault:
    """An option's help names one true default, though its argparse default stays ``None`` so unset is detectable.

    virtualenv folds an env var or ini value into the argparse default before it prints the help, and then says
    ``(default: VALUE -> from SOURCE)`` itself; left unset, the help text's own default (``unset``) is the one shown.
    """

    default: Any
    table_help: str | None = None
    unset: str = ""

    @property
    def help(self) -> str | None:
        if self.table_help is None or self.default is not None:
            return self.table_help
        return f"{self.table_help}{self.unset}{_NAMED}"

    @help.setter
    def help(self, value: str | None) -> None:
        base, cut, rest = (value or "").rpartition(" (default: ")
        if value is not None and cut and rest.endswith(")"):
            self.table_help, self.unset = base, f"{cut}{rest}"
        else:
            self.table_help = value


class _Store(_OneDefault, _StoreAction):
    """A value option whose help names one default."""


class _Flag(_OneDefault, _StoreConstAction):
    """A flag whose help names one default."""


class _Append(_OneDefault, Action):
    """Repeatable option; an env var or ini value (a string, comma or newline separated) is replaced, not extended."""

    def __call__(
        self, parser: ArgumentParser, namespace: Namespace, values: Any, option_string: str | None = None
    ) -> None:
        current = getattr(namespace, self.dest, None)
        items = list(current) if isinstance(current, list) else []
        if values not in items:
            items.append(values)
        setattr(namespace, self.dest, items)


def add_option(parser: ArgumentParser, flag: str, dest: str | None, kind: str, metavar: str | None, text: str) -> None:
    """Add one option with a ``None`` default (``kind``: ``flag``, ``list`` or ``str``) whose help names one default;
    ``dest`` ``None``: argparse's own from the flag."""
    named: dict[str, Any] = {"dest": dest} if dest else {}
    if kind == "flag":
        parser.add_argument(flag, **named, action=_Flag, const=True, default=None, help=text)
    elif kind == "list":
        parser.add_argument(flag, **named, action=_Append, default=None, metavar=metavar, help=text)
    else:
        parser.add_argument(flag, **named, action=_Store, default=None, metavar=metavar, help=text)


__all__ = ["add_option"]
